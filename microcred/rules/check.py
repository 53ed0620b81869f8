"""Read and check a whole catalog: load, structure, records, policy, links.

Every check runs on every file before anything is decided, so a faculty member
sees all problems in one round. The result is the linked ``Catalog`` (when the site
settings could be read) and every problem, errors first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from microcred.build import workers
from microcred.build.checked import CheckedFiles
from microcred.content import records
from microcred.content.load import Document, load_content, read_document
from microcred.content.model import Catalog, Credential
from microcred.reporting.problems import Problem, field_name, sort_problems
from microcred.rules.crossfile import Records, check_links
from microcred.rules.descriptions import check_description
from microcred.rules.policy import POLICIES, RULES, Policy
from microcred.rules.schema import check_placeholders, check_structure


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What checking a catalog gives: the catalog (``None`` when it cannot be built), every
    problem in report order, and how many files were read."""

    catalog: Catalog | None
    problems: tuple[Problem, ...]
    files: int

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that are errors."""
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems that are warnings."""
        return tuple(p for p in self.problems if not p.is_error)

    def blocks(self, strict: bool) -> bool:
        """Errors stop a build; so do warnings under ``--strict``."""
        return bool(self.errors or (strict and self.warnings))


def check_catalog(
    content: Path, today: date | None = None, kept: CheckedFiles | None = None
) -> CheckResult:
    """Everything wrong with the catalog in ``content``, and the catalog if it can be built.

    The credential files, nearly all of a catalog, are read and checked on every core
    (``_check_credentials``); everything else here, cross-file rules included, runs
    once all of them are in. With ``kept`` (a build with the cache on), a credential
    file whose bytes are unchanged since the last build is not read again
    (``_check_kept``).
    """
    today = today or date.today()
    loaded = load_content(Path(content), read_credentials=False)
    problems = list(loaded.problems)

    def valid(documents):
        """Each document with whether it passed its schema; all are kept, see _records."""
        checked = []
        for document in documents:
            found = [
                *check_structure(document),
                *check_placeholders(document),
                *check_description(document),
            ]
            problems.extend(found)
            checked.append((document, not found))
        return checked

    sites, _ = _records(valid([loaded.site] if loaded.site else []), records.site_from)
    site = sites[0] if sites else None
    institutions, _ = _records(valid(loaded.institutions), records.institution_from)
    pathways, _ = _records(valid(loaded.pathways), records.pathway_from)
    versions, _ = _records(valid(loaded.versions), records.credential_from)

    chosen = site.policy if site and isinstance(site.policy, str) else ""
    policy = POLICIES.get(chosen, POLICIES["minnstate-3.36.2"])
    credentials, known, shallow = [], [], {}
    for found in _check_kept(loaded.root, loaded.unread, policy, today, kept):
        problems.extend(found.problems)
        if found.slug is not None:
            known.append(found.slug)
        if found.record is not None:
            credentials.append(found.record)
        if found.source is not None:
            shallow[found.source] = found.positions
    by_source = _Documents(
        loaded.root,
        {d.path: d for d in (*loaded.institutions, *loaded.pathways, *loaded.versions)},
        shallow,
    )
    linked = Records(
        institutions=tuple(institutions),
        credentials=tuple(credentials),
        pathways=tuple(pathways),
        versions=tuple(versions),
        known_institutions=frozenset(d.slug for d in loaded.institutions),
        known_credentials=frozenset(known),
        content_root=loaded.root,
        base_url=site.base_url if site else None,
    )
    for link in _guarded(check_links(linked)):
        line, column = by_source.where(link.source, link.field)
        problems.append(
            Problem(
                link.severity,
                link.rule,
                link.source,
                line,
                column,
                field_name(link.field),
                link.message,
                link.fix,
                link.part,
            )
        )

    catalog = None
    if site is not None and not any(p.is_error for p in problems):
        catalog = Catalog.of(site, institutions, credentials, pathways, versions)
    return CheckResult(catalog, tuple(sort_problems(problems)), loaded.files)


def _records(checked, make) -> tuple[list, set[str]]:
    """Records for every document that yields one, and the sources of schema-valid ones.

    A document with structural errors still gets a record when its required fields
    can be read, so its policy and cross-file problems are reported in the same
    round; the catalog itself is only built when there are no errors at all.
    """
    made, sound = [], set()
    for document, valid in checked:
        try:
            made.append(make(document))
        except (KeyError, TypeError, ValueError, AttributeError):
            if valid:
                raise
            continue
        if valid:
            sound.add(document.path)
    return made, sound


def _guarded(findings: Iterator) -> Iterator:
    """Findings of rules run over records that may hold unchecked values.

    A rule meeting a wrong type in a document that already has a structural error
    stops quietly: that error is the one to fix first.
    """
    while True:
        try:
            yield next(findings)
        except StopIteration:
            return
        except (TypeError, ValueError, AttributeError, KeyError):
            return


@dataclass(frozen=True, slots=True)
class _CheckedCredential:
    """What checking one credential file gives: its slug when it could be read, its
    record when one could be made, its problems, and where its top-level fields stand
    (``_Documents.where``)."""

    slug: str | None
    record: Credential | None
    problems: list[Problem]
    source: str | None = None
    positions: dict | None = None


def _check_credentials(
    root: Path, paths: Sequence[Path], policy: Policy, today: date
) -> list[_CheckedCredential]:
    """Read and check every credential file, on every core (``workers.map_chunks``)."""
    job = (root, policy, today)
    return [found for chunk in workers.map_chunks(_check_files, job, paths) for found in chunk]


def _check_kept(
    root: Path, paths: Sequence[Path], policy: Policy, today: date, kept: CheckedFiles | None
) -> list[_CheckedCredential]:
    """``_check_credentials``, answering unchanged files from ``kept`` (``build/checked.py``)
    and keeping what the others give; results in the order of ``paths``."""
    if kept is None:
        return _check_credentials(root, paths, policy, today)
    job = repr((policy, today))
    found = {path: kept.get(path, job) for path in paths}
    todo = [path for path, result in found.items() if result is None]
    for path, result in zip(todo, _check_credentials(root, todo, policy, today), strict=True):
        kept.put(path, job, result)
        found[path] = result
    return [found[path] for path in paths]


def _check_files(job: tuple[Path, Policy, date], paths: Sequence[Path]) -> list[_CheckedCredential]:
    """Check a slice of the credential files; runs in a worker process."""
    root, policy, today = job
    return [_check_file(root, path, policy, today) for path in paths]


def _check_file(root: Path, path: Path, policy: Policy, today: date) -> _CheckedCredential:
    """One credential file: read, structure, placeholders, description, record, policy.

    A file with structural errors still gets its policy rules when a record can be
    made, so its author sees every problem in one round (see ``_records``).
    """
    problems: list[Problem] = []
    document = read_document(root, path, "credential", problems)
    if document is None:
        return _CheckedCredential(None, None, problems)
    found = [
        *check_structure(document),
        *check_placeholders(document),
        *check_description(document),
    ]
    problems.extend(found)
    made, sound = _records([(document, not found)], records.credential_from)
    for credential in made:
        problems.extend(_policy_problems(credential, document, policy, today, bool(sound)))
    top = {key: at for key, at in document.positions.items() if len(key) <= 1}
    return _CheckedCredential(
        document.slug, made[0] if made else None, problems, document.path, top
    )


class _Documents(dict):
    """Documents by source path; a credential's is read again when a cross-file rule
    needs the position of a field below the top level (credential documents stay in the
    worker that checked them, which sends back only where the top-level fields stand).

    Before, every cross-file finding about a credential read its file again in this
    process: on a catalog without ``ctid``, where every file has a ``ctid-missing``
    warning, that re-read every file one by one after the workers had finished.
    """

    def __init__(self, root: Path, documents: dict[str, Document], shallow: dict[str, dict]):
        super().__init__(documents)
        self.root = root
        self.shallow = shallow

    def where(self, source: str, field_path: tuple) -> tuple[int, int]:
        """Line and column of ``field_path`` in ``source``, as ``Document.where`` gives it."""
        top = self.shallow.get(source)
        shallow_enough = top is not None and (
            len(field_path) <= 1 or tuple(field_path[:1]) not in top
        )
        if source not in self and shallow_enough:
            # As Document.where: the field, else its closest parent that exists.
            for end in range(min(len(field_path), 1), -1, -1):
                if position := top.get(tuple(field_path[:end])):
                    return position
            return (1, 1)
        return self[source].where(field_path)

    def __missing__(self, source: str) -> Document:
        document = read_document(self.root, Path(source), "credential", [])
        if document is None:
            raise KeyError(source)
        self[source] = document
        return document


def _policy_problems(
    credential: Credential, document: Document, policy: Policy, today: date, sound: bool
) -> list[Problem]:
    found = []
    for rule in RULES:
        findings = rule.check(credential, policy, today)
        if not sound:
            findings = _guarded(findings)
        for finding in findings:
            line, column = document.where(finding.field)
            found.append(
                Problem(
                    rule.severity_under(policy),
                    rule.id,
                    document.path,
                    line,
                    column,
                    field_name(finding.field),
                    finding.message,
                    finding.fix,
                    rule.part_under(policy),
                )
            )
    return found
