"""Read and check a whole catalog: load, structure, records, policy, links.

Every check runs on every file before anything is decided, so a faculty member
sees all problems in one round. The result is the linked ``Catalog`` (when the site
settings could be read) and every problem, errors first.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from microcred.build import workers
from microcred.build.checked import CheckedFiles, dumps, paused_collection
from microcred.content import history, records
from microcred.content.load import SLUG, Document, load_content, read_document
from microcred.content.markdown import make_link_finder
from microcred.content.model import Catalog, Credential
from microcred.reporting.problems import ERROR, Problem, field_name, sort_problems
from microcred.rules.crossfile import LINK_RULE_IDS, LINK_RULES, Entry, Records
from microcred.rules.descriptions import check_description
from microcred.rules.policy import RULES, Rule, dated, dated_fields, undated
from microcred.rules.profile import DEFAULT, Profile, Profiles, load_profiles
from microcred.rules.schema import check_placeholders, check_structure, compile_schema
from microcred.rules.yaml_values import check_yaml_values

UNDATED, DATED = undated(), dated()
"""The policy rules run on each file (and kept with its check), and those run over every
record in every check since they compare with its date (``policy.Rule.dated``)."""
DATED_FIELDS = dated_fields()


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


@dataclass(frozen=True, slots=True)
class Share:
    """The credential files one job of a sharded build checks with every rule of its own
    (``build --institution``, ``build --spanning``; docs/sharded-builds.md): those naming
    one of ``institutions``, and with ``strays`` those naming no institution the catalog
    has (``known``), the spanning job's. Between them the jobs check every file so.

    Every other credential file is read, schema-checked and made a record for the rules
    across files and the pages that show it, without the other rules of one file
    (placeholders, description, YAML values, policy, dated rules): its own job reports
    those. One that fails its schema gets every rule here too (``_check_file``), since
    a page of its record could not be rendered, so every job reports it as a one-machine
    build would.
    """

    institutions: frozenset[str]
    strays: bool = False
    known: frozenset[str] = frozenset()

    def owns(self, named: object) -> bool:
        """Whether this job checks, with every rule, a file whose ``institution`` is
        ``named``."""
        if isinstance(named, str) and named in self.known:
            return named in self.institutions
        return self.strays


def check_catalog(
    content: Path,
    today: date | None = None,
    kept: CheckedFiles | None = None,
    share: Share | None = None,
) -> CheckResult:
    """Everything wrong with the catalog in ``content``, and the catalog if it can be built.

    The credential files, nearly all of a catalog, are read and checked on every core
    (``_check_credentials``); everything else here, cross-file rules included, runs
    once all of them are in. With ``kept`` (a build with the cache on), a credential
    file whose bytes are unchanged since the last build is not read again
    (``_check_kept``). With ``share`` (a job of a sharded build), only the credential
    files it owns get the rules of one file (``Share``).
    """
    today = today or date.today()
    parses = kept.parses if kept is not None else None
    loaded = load_content(Path(content), read_credentials=False, parses=parses)
    problems = list(loaded.problems)
    profiles = load_profiles(loaded.root, known_rules=[*(r.id for r in RULES), *LINK_RULE_IDS])
    problems.extend(profiles.problems)

    def valid(documents, profile_of=None, kind=""):
        """Each document with whether it passed its schema (with its profile's required
        fields, when ``profile_of`` gives one); all are kept, see _records."""
        checked = []
        for document in documents:
            profile = profile_of(document) if profile_of else None
            schema_text = None
            if profile is not None:
                schema_text = getattr(profile, f"{kind}_schema")
            found = [
                *check_structure(document, schema_text),
                *check_placeholders(document),
                *check_description(document),
            ]
            if profile is not None:
                found = _adjusted(profile, found)
            problems.extend(found)
            problems.extend(check_yaml_values(document))
            checked.append((document, not found))
        return checked

    sites, _ = _records(valid([loaded.site] if loaded.site else []), records.site_from)
    site = sites[0] if sites else None
    default = _site_profile(loaded.site, site, profiles, problems)
    by_institution = _institution_profiles(loaded.institutions, profiles, default, problems)
    if share is not None:
        share = dataclasses.replace(share, known=frozenset(d.slug for d in loaded.institutions))

    def profile_of(document) -> Profile:
        """The profile of an institution file, or of a file naming an institution."""
        if document.kind == "institution":
            return by_institution.get(document.slug, default)
        named = document.data.get("institution") if isinstance(document.data, dict) else None
        return by_institution.get(named, default) if isinstance(named, str) else default

    institutions, _ = _records(
        valid(loaded.institutions, profile_of, "institution"), records.institution_from
    )
    pathways, _ = _records(valid(loaded.pathways), records.pathway_from)
    versions, _ = _records(
        valid(loaded.versions, profile_of, "credential"), records.credential_from
    )

    credentials, known, shallow, entries, dated_records = [], [], {}, {}, []
    profiles_used = (default, by_institution)
    for found in _check_kept(loaded.root, loaded.unread, profiles_used, kept, share):
        problems.extend(found.problems)
        if found.slug is not None:
            known.append(found.slug)
        if found.record is not None:
            credentials.append(found.record)
            if found.whole:  # another job's file: the dated rules are that job's too
                dated_records.append((found.record, found.sound))
            if found.entry is not None:
                entries[found.record.source] = found.entry
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
        oldest_first=history.oldest_first(loaded.root),
        entries=entries if kept is not None else None,
    )
    links = (link for check in LINK_RULES for link in _guarded(check(linked)))
    profile_of_source = _profiles_of_sources(linked, by_institution, default)
    where = by_source.where if kept is None else _kept_where(kept, by_source)
    dated_under: dict[int, list] = {}  # by profile: a few profiles, 10,000 records
    for credential, sound in dated_records:  # the rules that compare with the check's date
        source = credential.source
        profile = profile_of_source.get(source, default)
        rules = dated_under.get(id(profile))
        if rules is None:
            rules = dated_under[id(profile)] = _resolved(DATED, profile)
        problems.extend(
            _policy_problems(
                rules,
                credential,
                source,
                lambda field, source=source: where(source, field),
                profile,
                today,
                sound,
            )
        )
    adjusted = _Adjustments()
    for link in links:
        line, column = where(link.source, link.field)
        severity, part = adjusted(profile_of_source.get(link.source, default), link)
        if severity is not None:
            problems.append(
                Problem(
                    severity,
                    link.rule,
                    link.source,
                    line,
                    column,
                    field_name(link.field),
                    link.message,
                    link.fix,
                    part,
                )
            )

    catalog = None
    if site is not None and not any(p.is_error for p in problems):
        named = {i: (p.name, p.source.get("url", "")) for i, p in profiles.by_id.items()}
        catalog = Catalog.of(site, institutions, credentials, pathways, versions, named)
    return CheckResult(catalog, tuple(sort_problems(_superseded(problems))), loaded.files)


SUPERSEDES = {"unknown-institution": "format"}
"""A finding that says all its field needs to: the other rule's finding on the same field
of the same file is left out (a name written where the id belongs is one mistake)."""


def _superseded(problems: list[Problem]) -> list[Problem]:
    """``problems`` without those another finding on the same field supersedes."""
    covered = {(SUPERSEDES[p.rule], p.path, p.field) for p in problems if p.rule in SUPERSEDES}
    return [p for p in problems if (p.rule, p.path, p.field) not in covered]


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
    stops quietly: that error is the one to fix first. Each rule is guarded on its own,
    so one rule stopping never hides another's findings.
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
    positions: bytes | None = None
    """The top-level fields' positions (and those of the fields a dated rule names),
    ``marshal``-packed: unpacked (``_Documents.where``)
    only for a file a cross-file finding is about. As a dict, they were half the objects a
    kept check (``build/checked.py``) or a worker's answer rebuilt for every file."""
    entry: Entry | None = None
    """The record's index entry for the rules across files (``crossfile.Entry``)."""
    sound: bool = False
    """Whether the file passed its schema: the rules that compare with the check's date
    run over its record unguarded, as the other policy rules did in the worker."""
    whole: bool = True
    """Whether every rule of one file ran on it; False for another job's file (``Share``),
    which is neither reported on nor kept."""


def _site_profile(document, site, profiles: Profiles, problems: list[Problem]) -> Profile:
    """The catalog's profile (``site.yml`` ``policy``), the default when it names none; an
    unknown id is an error at the field, and the default applies meanwhile."""
    chosen = site.policy if site and isinstance(site.policy, str) else DEFAULT
    profile = profiles.get(chosen)
    if profile is None:
        problems.append(_unknown_profile(document, chosen, profiles))
        return profiles.get(DEFAULT)
    return profile


def _institution_profiles(documents, profiles: Profiles, default: Profile, problems) -> dict:
    """Each institution's profile by its id: its own ``policy``, else the catalog's."""
    found = {}
    for document in documents:
        chosen = document.data.get("policy") if isinstance(document.data, dict) else None
        if not isinstance(chosen, str):
            continue
        profile = profiles.get(chosen)
        if profile is None:
            problems.append(_unknown_profile(document, chosen, profiles))
        found[document.slug] = profile or default
    return found


def _unknown_profile(document, chosen: str, profiles: Profiles) -> Problem:
    line, column = document.where(("policy",)) if document else (1, 1)
    return Problem(
        ERROR,
        "unknown-policy",
        document.path if document else "content/site.yml",
        line,
        column,
        "policy",
        f"no policy profile `{chosen}` exists",
        "Use one of "
        + ", ".join(f"`{i}`" for i in profiles.ids)
        + ", or write content/policies/<id>.yml (docs/policies.md)",
    )


def _profiles_of_sources(r: Records, by_institution: dict, default: Profile) -> dict:
    """The profile each file is checked under (its institution's), by source path; a file
    with no record has the default. One look-up table for every cross-file finding: before,
    each finding searched every record for its file (a quarter of a million finds at 10,000
    credentials with a warning each)."""
    found: dict[str, Profile] = {}
    for record in (*r.credentials, *r.pathways, *r.versions):
        found.setdefault(record.source, _profile_named(record.institution, by_institution, default))
    for institution in r.institutions:
        found.setdefault(
            institution.source, _profile_named(institution.id, by_institution, default)
        )
    return found


def _profile_named(named: object, by_institution: dict, default: Profile) -> Profile:
    """The profile of the institution ``named`` (a credential's ``institution``, as its file
    gives it, or an institution's id), else the catalog's."""
    return by_institution.get(named, default) if isinstance(named, str) else default


def _kept_where(kept: CheckedFiles, by_source: _Documents):
    """``by_source.where`` through the positions kept with the kept checks
    (``build/kept_positions.py``)."""
    positions = kept.positions
    return lambda source, field: positions.where(source, field, by_source.where)


class _Adjustments(dict):
    """The severity and citation a profile gives a cross-file finding (``Profile.adjust``:
    ``None`` when the profile turns its rule off), worked out once for each profile, rule,
    severity and citation: 35,000 findings on the college shape have a few dozen of them."""

    def __call__(self, profile: Profile, link) -> tuple[str | None, str]:
        key = (id(profile), link.rule, link.severity, link.part)
        found = self.get(key)
        if found is None:
            probe = Problem(link.severity, link.rule, "", 1, 1, "", "", "", link.part)
            adjusted = profile.adjust(probe)
            found = self[key] = (
                (None, "") if adjusted is None else (adjusted.severity, adjusted.part)
            )
        return found


def _adjusted(profile: Profile, found: Sequence[Problem]) -> list[Problem]:
    """Problems with ``profile``'s severities and citations; those it turns off dropped."""
    kept = []
    for problem in found:
        problem = profile.adjust(problem)
        if problem is not None:
            kept.append(problem)
    return kept


def _check_kept(
    root: Path,
    paths: Sequence[Path],
    profiles: tuple,
    kept: CheckedFiles | None,
    share: Share | None = None,
) -> list[_CheckedCredential]:
    """``_check_credentials``, answering unchanged files from ``kept`` (``build/checked.py``)
    and keeping what the others give; results in the order of ``paths``. A kept answer
    counts only for the same profiles (the catalog's and each institution's); it holds no
    finding of a rule that reads the check's date (``DATED``), so it holds on any day.
    A kept answer serves another job's file too (``Share``), its problems left to that
    job (``_as_share``), and what such a file gives when read is not kept."""
    default, by_institution = profiles
    if kept is None:
        return _check_credentials(root, paths, default, by_institution, share)
    job = repr((default, sorted(by_institution.items())))
    with paused_collection():
        found = {path: _as_share(kept.get(path, job), share) for path in paths}
    todo = [path for path, result in found.items() if result is None]
    checked = _check_credentials(root, todo, default, by_institution, share)
    for path, result in zip(todo, checked, strict=True):
        if result.whole:
            kept.put(path, job, result)
        found[path] = result
    return [found[path] for path in paths]


def _as_share(result: _CheckedCredential | None, share: Share | None):
    """A kept ``result`` as ``share``'s job sees it: another job's file without its
    problems (and not whole, so the dated rules leave it to that job too), as when it is
    read (``_read_only``). A file that failed its schema keeps them, as when it is read,
    and so does one no record was made of (its institution unknown here)."""
    if result is None or share is None or result.record is None or not result.sound:
        return result
    if share.owns(result.record.institution):
        return result
    return dataclasses.replace(result, problems=[], whole=False)


def _check_credentials(
    root: Path,
    paths: Sequence[Path],
    default: Profile,
    by_institution: dict,
    share: Share | None = None,
) -> list[_CheckedCredential]:
    """Read and check every credential file, on every core (``workers.map_chunks``)."""
    job = (root, default, by_institution, share)
    if paths:
        _made_before_forking(default, by_institution)
    chunks = workers.map_chunks(_check_files, job, paths)
    with paused_collection():  # a quarter of a million records' objects at 10,000 files
        return [found for chunk in chunks for found in pickle.loads(chunk)]


def _made_before_forking(default: Profile, by_institution: dict) -> None:
    """Make here, once, what every worker would otherwise make for itself on its first file:
    the compiled schema of each profile's credentials (fastjsonschema generating and
    compiling its code, about 0.05 s) and the link finder. Forked workers inherit them.

    ``map_chunks`` forks new workers for each round of 3,000 files, and each of them made
    these again: measured at 2,000 college files, a fresh process's first 100 files took
    0.24 s against 0.065 s for the next 100 (issue 18, *The college check's wait*)."""
    for profile in {id(p): p for p in (default, *by_institution.values())}.values():
        compile_schema("credential", profile.credential_schema)
    make_link_finder()


def _check_files(job: tuple, paths: Sequence[Path]) -> bytes:
    """Check a slice of the credential files; runs in a worker process. The results come
    back pickled as kept checks are (``checked.dumps``: records remade by calling their
    class, which takes this process less time than unpickling them field by field).

    The cyclic collector is off meanwhile: the YAML nodes, values and positions of every
    file set it off again and again (5 to 12 % of a worker's time on the college and long
    shapes), and a file leaves only a few small cycles (a closure, a bound method: about
    three objects), collected once the collector is on again after the slice."""
    root, default, by_institution, share = job
    collecting = gc.isenabled()
    gc.disable()  # a file's garbage goes by reference counts
    try:
        found = [_check_file(root, path, default, by_institution, share) for path in paths]
    finally:
        if collecting:
            gc.enable()
    return dumps(found)


def _check_file(
    root: Path, path: Path, default: Profile, by_institution: dict, share: Share | None = None
) -> _CheckedCredential:
    """One credential file: read, structure, placeholders, description, record, and the
    policy rules that read no date (``UNDATED``: the others run in ``check_catalog``), all
    under the profile of the credential's institution (else the catalog's). A file
    ``share`` does not own is only read, schema-checked and, when it passes, made a
    record (``_read_only``).

    A file with structural errors still gets its policy rules when a record can be
    made, so its author sees every problem in one round (see ``_records``).
    """
    problems: list[Problem] = []
    document = read_document(root, path, "credential", problems)
    if document is None:
        # The file exists but cannot be read: links to it are not also reported as broken.
        exists = path.stem if SLUG.match(path.stem) else None
        return _CheckedCredential(exists, None, problems)
    named = document.data.get("institution") if isinstance(document.data, dict) else None
    profile = _profile_named(named, by_institution, default)
    structure = check_structure(document, profile.credential_schema)
    if share is not None and not share.owns(named) and not structure:
        return _read_only(document)
    found = [
        *structure,
        *check_placeholders(document),
        *check_description(document),
    ]
    problems.extend(_adjusted(profile, found))
    problems.extend(check_yaml_values(document))
    made, sound = _records([(document, not found)], records.credential_from)
    for credential in made:  # the rules that read no date: the check's date is not given
        problems.extend(
            _policy_problems(
                _resolved(UNDATED, profile),
                credential,
                document.path,
                document.where,
                profile,
                None,
                bool(sound),
            )
        )
    return _checked(document, made, problems, bool(sound))


def _read_only(document: Document) -> _CheckedCredential:
    """Another job's credential file that passed its schema (``Share``): its record, index
    entry and positions (a finding across files may name it), no problem of its own, not
    whole."""
    made, _ = _records([(document, False)], records.credential_from)
    return _checked(document, made, [], False, whole=False)


def _checked(
    document: Document, made: list, problems: list[Problem], sound: bool, whole: bool = True
) -> _CheckedCredential:
    """What checking ``document`` gave: its record (the first ``made``, if any), its index
    entry, ``problems`` and where its top-level fields (and those a dated rule names)
    stand, packed (``_CheckedCredential.positions``)."""
    record = made[0] if made else None
    entry = Entry.of(record.title) if record is not None else None
    top = marshal.dumps(  # field names only: a key YAML reads as a date is no field
        {
            k: at
            for k, at in document.positions.items()
            if (len(k) <= 1 or k in DATED_FIELDS) and _named_path(k)
        }
    )
    return _CheckedCredential(
        document.slug, record, problems, document.path, top, entry, sound, whole
    )


def _named_path(key: tuple) -> bool:
    return all(type(part) is str for part in key)


class _Documents(dict):
    """Documents by source path; a credential's is read again when a cross-file rule
    needs the position of a field below the top level (credential documents stay in the
    worker that checked them, which sends back only where the top-level fields stand, and
    the fields the dated rules name).

    Before, every cross-file finding about a credential read its file again in this
    process: on a catalog without ``ctid``, where every file has a ``ctid-missing``
    warning, that re-read every file one by one after the workers had finished.
    """

    def __init__(self, root: Path, documents: dict[str, Document], shallow: dict[str, bytes]):
        super().__init__(documents)
        self.root = root
        self.shallow = shallow

    def where(self, source: str, field_path: tuple) -> tuple[int, int]:
        """Line and column of ``field_path`` in ``source``, as ``Document.where`` gives it."""
        top = self.shallow.get(source)
        if isinstance(top, bytes):
            top = self.shallow[source] = marshal.loads(top)
        if source not in self and top is not None and tuple(field_path) in top:
            return top[tuple(field_path)]  # a top-level field, or one a dated rule names
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


def _resolved(rules: Sequence[Rule], profile: Profile) -> list[tuple[Rule, str, str]]:
    """Each of ``rules`` that ``profile`` does not turn off, with the severity it gives the
    rule and the part the rule's messages cite under it."""
    found = [(rule, rule.severity_under(profile), rule.part_under(profile)) for rule in rules]
    return [(rule, severity, part) for rule, severity, part in found if severity != "off"]


def _policy_problems(
    rules: Sequence[tuple[Rule, str, str]],
    credential: Credential,
    source: str,
    where: Callable[[tuple], tuple[int, int]],
    profile: Profile,
    today: date | None,
    sound: bool,
) -> list[Problem]:
    """The problems ``rules`` (``_resolved`` for ``profile``) find in ``credential``, read
    from ``source``, each at the line and column ``where`` gives its field."""
    found = []
    for rule, severity, part in rules:
        findings = rule.check(credential, profile, today)
        if not sound:
            findings = _guarded(findings)
        for finding in findings:
            line, column = where(finding.field)
            found.append(
                Problem(
                    severity,
                    rule.id,
                    source,
                    line,
                    column,
                    field_name(finding.field),
                    finding.message,
                    finding.fix,
                    part,
                )
            )
    return found
