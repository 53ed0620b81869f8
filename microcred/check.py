"""Read and check a whole catalog: load, structure, records, policy, links.

Every check runs on every file before anything is decided, so a faculty member
sees all problems in one round. The result is the linked ``Catalog`` (when the site
settings could be read) and every problem, errors first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import records
from .crossfile import Records, check_links
from .description import check_description
from .load import Document, load_content
from .model import Catalog
from .policy import POLICIES, RULES, Policy
from .problems import Problem, field_name, sort_problems
from .structure import check_placeholders, check_structure


@dataclass(frozen=True, slots=True)
class CheckResult:
    catalog: Catalog | None
    problems: tuple[Problem, ...]
    files: int

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    def blocks(self, strict: bool) -> bool:
        """Errors stop a build; so do warnings under ``--strict``."""
        return bool(self.errors or (strict and self.warnings))


def check_catalog(content: Path, today: date | None = None) -> CheckResult:
    """Everything wrong with the catalog in ``content``, and the catalog if it can be built."""
    today = today or date.today()
    loaded = load_content(Path(content))
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
    credentials, sound = _records(valid(loaded.credentials), records.credential_from)
    pathways, _ = _records(valid(loaded.pathways), records.pathway_from)
    versions, _ = _records(valid(loaded.versions), records.credential_from)

    chosen = site.policy if site and isinstance(site.policy, str) else ""
    policy = POLICIES.get(chosen, POLICIES["minnstate-3.36.2"])
    by_source = {
        d.path: d
        for d in (*loaded.institutions, *loaded.credentials, *loaded.pathways, *loaded.versions)
    }
    problems.extend(_policy_problems(credentials, sound, by_source, policy, today))
    linked = Records(
        institutions=tuple(institutions),
        credentials=tuple(credentials),
        pathways=tuple(pathways),
        versions=tuple(versions),
        known_institutions=frozenset(d.slug for d in loaded.institutions),
        known_credentials=frozenset(d.slug for d in loaded.credentials),
        content_root=loaded.root,
        base_url=site.base_url if site else None,
    )
    for link in _guarded(check_links(linked)):
        line, column = by_source[link.source].where(link.field)
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


def _policy_problems(
    credentials, sound: set[str], by_source: dict[str, Document], policy: Policy, today: date
) -> list[Problem]:
    found = []
    for credential in credentials:
        document = by_source[credential.source]
        for rule in RULES:
            findings = rule.check(credential, policy, today)
            if credential.source not in sound:
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
