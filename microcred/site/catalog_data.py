"""The catalog as data: ``/catalog.json`` and the Frictionless Data Package in ``/data/``.

Owns the ``data`` stage. Files are written by ``build/writing.py`` (sorted keys, UTF-8,
a final newline, so the same content gives byte-identical files).

``/catalog.json`` is the whole published catalog in one compact document for
integrators (at 10,000 credentials indentation alone would add tens of megabytes);
``schema/catalog.schema.json`` describes it and is published beside the data
package as ``/data/catalog.schema.json``. The data package holds one CSV per
table (institutions, programs, credentials, outcomes, courses, skills, offerings,
cost tiers, certifications, stacking, pathways, pathway steps) with Table Schemas,
primary keys and foreign keys. A pathway step's ``credential`` has no foreign key: a
pathway may name a credential that is not published yet, and the pages show that
step as "not yet available".
The stage validates the package with ``frictionless`` and raises ``BuildError``
on any error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

from microcred.build import lean, workers
from microcred.build.reuse import Reuse
from microcred.build.shards import EVERYTHING, Scope
from microcred.build.writing import compact_json, csv_text, write_json, write_text
from microcred.content.model import Catalog, Credential, Institution, Pathway
from microcred.content.urls import (
    all_versions,
    badge_image_path,
    criteria_url,
    ctid,
    in_registry,
    version_path,
)
from microcred.locations import SCHEMA
from microcred.reporting.errors import BuildError

SCHEMA_FILE = SCHEMA / "catalog.schema.json"
LIST_SEPARATOR = "; "
"""How a list (delivery modes, partners, tags) is joined into one CSV cell."""


# --- /catalog.json -------------------------------------------------------------


GUIDE_ONLY_SETTINGS = ("repository", "repository_branch")
"""Settings of ``site.yml`` for the guide pages' links, not part of the published data."""


def _plain(value: Any, skip: tuple[str, ...] = ()) -> Any:
    """A record as JSON values: dataclasses as objects, tuples as arrays, dates as ISO."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in skip
        }
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _version_links(catalog: Catalog, credential: Credential) -> list[dict[str, Any]]:
    return [
        {
            "version": v.version,
            "effective": v.effective.isoformat() if v.effective else None,
            "criteria_url": criteria_url(catalog, v),
            "badgeclass": catalog.site.url(version_path(v) + "badgeclass.json"),
            "achievement": catalog.site.url(version_path(v) + "achievement.json"),
            "bulk_issue_template": catalog.site.url(version_path(v) + "bulk-issue-template.csv"),
        }
        for v in all_versions(catalog, credential)
    ]


def credential_record(catalog: Catalog, credential: Credential) -> dict[str, Any]:
    """One credential as it appears in ``/catalog.json``."""
    record = _plain(credential, skip=("source", "body", "ctid"))
    page = credential.url
    record.update(
        description=lean.body_of(credential),
        badge=_plain(credential.badge, skip=("image",)) if credential.badge else None,
        ctid=ctid(catalog, credential),
        url=catalog.site.url(page),
        criteria_url=criteria_url(catalog, credential),
        badgeclass=catalog.site.url(page + "badgeclass.json"),
        achievement=catalog.site.url(page + "achievement.json"),
        badge_image=catalog.site.url(badge_image_path(credential)),
        ctdl=catalog.site.url(page + "ctdl.json") if in_registry(credential) else None,
        bulk_issue_template=catalog.site.url(page + "bulk-issue-template.csv"),
        versions=_version_links(catalog, credential),
        pathways=[p.slug for p in catalog.pathways_with(credential.slug)],
    )
    return record


def institution_record(catalog: Catalog, institution: Institution) -> dict[str, Any]:
    """One institution as it appears in ``/catalog.json``."""
    record = _plain(institution, skip=("source", "image", "programs"))
    record.update(
        programs=[_plain(p, skip=("institution",)) for p in institution.programs],
        page=catalog.site.url(f"/institutions/{institution.id}/"),
        issuer=catalog.site.url(f"/institutions/{institution.id}/issuer.json"),
        profile=catalog.site.url(f"/institutions/{institution.id}/profile.json"),
        credentials=[c.slug for c in catalog.credentials_of(institution.id)],
    )
    return record


def pathway_record(catalog: Catalog, pathway: Pathway) -> dict[str, Any]:
    """One pathway as it appears in ``/catalog.json``."""
    record = _plain(pathway, skip=("source", "body"))
    record.update(description=pathway.body, url=catalog.site.url(pathway.url))
    return record


def catalog_document(catalog: Catalog) -> dict[str, Any]:
    """The whole published catalog as one JSON document (see ``schema/catalog.schema.json``)."""
    return {
        "$schema": catalog.site.url("/data/catalog.schema.json"),
        "site": _plain(catalog.site, GUIDE_ONLY_SETTINGS),
        "institutions": [institution_record(catalog, i) for i in catalog.institutions],
        "credentials": [credential_record(catalog, c) for c in catalog.credentials],
        "pathways": [pathway_record(catalog, p) for p in catalog.pathways],
    }


# --- Frictionless Data Package -------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a data-package table: its name, Frictionless type, description and
    whether a value is required."""

    name: str
    type: str
    description: str
    required: bool = False


@dataclasses.dataclass(frozen=True)
class Table:
    """One CSV table of the data package: its columns, keys and where its rows come from."""

    name: str
    title: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]
    """(field, referenced table, referenced field)"""
    rows: Callable[..., Iterable[Sequence[Any]]]
    """The table's rows: of the catalog, or of one credential when ``per_credential``."""
    per_credential: bool = False

    def descriptor(self) -> dict[str, Any]:
        """The table's Frictionless tabular data resource: ``<name>.csv``, its fields and keys."""
        fields = []
        for column in self.columns:
            field: dict[str, Any] = {
                "name": column.name,
                "type": column.type,
                "description": column.description,
            }
            if column.required:
                field["constraints"] = {"required": True}
            fields.append(field)
        schema: dict[str, Any] = {"fields": fields, "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [name], "reference": {"resource": table, "fields": [target]}}
                for name, table, target in self.foreign_keys
            ]
        return {
            "name": self.name,
            "title": self.title,
            "path": f"{self.name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _institution_rows(catalog: Catalog):
    for i in catalog.institutions:
        loc = i.location
        yield (i.id, i.name, i.url, i.email, loc.city, loc.region, loc.country)


def _program_rows(catalog: Catalog):
    for institution in catalog.institutions:
        for p in institution.programs:
            yield (p.id, p.institution, p.name, p.award, p.credits)


def _credential_rows(catalog: Catalog, c: Credential):
    return [
        (
            c.slug,
            c.title,
            c.summary,
            c.institution,
            c.type,
            c.credit_bearing,
            c.status,
            c.version,
            c.credits,
            c.hours,
            c.level,
            c.duration,
            _joined(c.delivery),
            c.cost.amount if c.cost else None,
            c.cost.currency if c.cost else None,
            c.cost.lowest if c.cost else None,
            c.cost.note if c.cost else None,
            c.cost.url if c.cost else None,
            c.apply.url if c.apply else None,
            c.apply.steps if c.apply else None,
            _joined(c.prerequisites),
            c.eligibility,
            _joined(c.employer_validation.partners),
            c.inventory_id,
            c.approved.by if c.approved else None,
            c.approved.date if c.approved else None,
            c.effective,
            c.review.next if c.review else None,
            c.contact,
            _joined(c.tags),
            ctid(catalog, c),
            catalog.site.url(c.url),
        )
    ]


def _per_credential(items: Callable[[Credential], Iterable[Sequence[Any]]]):
    def rows(catalog: Catalog, credential: Credential):
        for position, item in enumerate(items(credential), start=1):
            yield (credential.slug, position, *item)

    return rows


def _stacking_rows(catalog: Catalog, c: Credential):
    for s in c.stacks_into:
        yield (c.slug, s.program, s.credits_applied, s.via)


def _pathway_rows(catalog: Catalog):
    for p in catalog.pathways:
        yield (p.slug, p.title, p.summary, p.institution, p.award, catalog.site.url(p.url))


def _step_rows(catalog: Catalog):
    for p in catalog.pathways:
        for position, s in enumerate(p.steps, start=1):
            yield (p.slug, position, s.credential, s.credits_applied, s.via)


C = Column
SLUG = C("credential", "string", "Slug of the credential (credentials.slug).", True)
POSITION = C("position", "integer", "Order within the credential, from 1.", True)

TABLES = (
    Table(
        "institutions",
        "Issuing institutions",
        (
            C("id", "string", "Institution id, the name of its file.", True),
            C("name", "string", "Name.", True),
            C("url", "string", "Website.", True),
            C("email", "string", "Contact email of the badge issuer.", True),
            C("city", "string", "City."),
            C("region", "string", "State or region."),
            C("country", "string", "Country."),
        ),
        ("id",),
        (),
        _institution_rows,
    ),
    Table(
        "programs",
        "Academic programs credentials stack into",
        (
            C("id", "string", "Program id, unique in the catalog.", True),
            C("institution", "string", "Institution offering it (institutions.id).", True),
            C("name", "string", "Program name.", True),
            C(
                "award",
                "string",
                "certificate, diploma, associate, bachelor, master or doctorate.",
                True,
            ),
            C("credits", "number", "Credits the award requires."),
        ),
        ("id",),
        (("institution", "institutions", "id"),),
        _program_rows,
    ),
    Table(
        "credentials",
        "Micro-credentials",
        (
            C("slug", "string", "Permanent slug; the page is /credentials/<slug>/.", True),
            C("title", "string", "Title.", True),
            C("summary", "string", "One or two sentences; the badge description.", True),
            C("institution", "string", "Issuing institution (institutions.id).", True),
            C("type", "string", "industry-specific-technical-skill, transferable-skill or empty."),
            C("credit_bearing", "boolean", "Whether it carries academic credit.", True),
            C("status", "string", "proposed, active, suspended or closed.", True),
            C("version", "integer", "Current criteria version.", True),
            C("credits", "number", "Credits, for a credit-bearing credential."),
            C("hours", "number", "Hours, for a non-credit credential."),
            C("level", "string", "noncredit, undergraduate or graduate."),
            C("duration", "string", "Time to complete, in words."),
            C("delivery", "string", "Delivery modes, separated by '; '.", True),
            C("cost_amount", "number", "Cost to the learner, when one price for all."),
            C("cost_currency", "string", "ISO 4217 currency of the cost."),
            C("cost_lowest", "number", "Lowest price stated: the amount or the cheapest tier."),
            C("cost_note", "string", "What the cost includes; scholarships, vouchers."),
            C("cost_url", "string", "Page with the price or tuition details."),
            C("apply_url", "string", "Application or registration page."),
            C("apply_steps", "string", "How to apply, in words."),
            C("prerequisites", "string", "Credential slugs or text to complete first, by '; '."),
            C("eligibility", "string", "Who may enrol.", True),
            C("employer_partners", "string", "Validating employers, separated by '; ', if given."),
            C("inventory_id", "string", "System program-inventory record."),
            C("approved_by", "string", "Who approved it."),
            C("approved_date", "date", "When it was approved."),
            C("effective", "date", "When the current version took effect."),
            C("review_next", "date", "Next scheduled review."),
            C("contact", "string", "Who answers questions.", True),
            C("tags", "string", "Keywords, separated by '; '."),
            C("ctid", "string", "Credential Engine CTID.", True),
            C("url", "string", "Absolute URL of its page.", True),
        ),
        ("slug",),
        (("institution", "institutions", "id"),),
        _credential_rows,
        per_credential=True,
    ),
    Table(
        "outcomes",
        "Learning outcomes and their assessments",
        (
            SLUG,
            POSITION,
            C("outcome", "string", "What the learner can do.", True),
            C("assessment", "string", "How that outcome is assessed.", True),
        ),
        ("credential", "position"),
        (("credential", "credentials", "slug"),),
        _per_credential(lambda c: ((o.outcome, o.assessment) for o in c.outcomes)),
        per_credential=True,
    ),
    Table(
        "courses",
        "Courses of credit-bearing credentials",
        (
            SLUG,
            POSITION,
            C("code", "string", "Course code.", True),
            C("title", "string", "Course title.", True),
            C("credits", "number", "Course credits.", True),
        ),
        ("credential", "position"),
        (("credential", "credentials", "slug"),),
        _per_credential(
            lambda c: ((k.code, k.title, k.credits) for k in c.courses if c.credit_bearing)
        ),
        per_credential=True,
    ),
    Table(
        "skills",
        "Skills framework alignments",
        (
            SLUG,
            POSITION,
            C("name", "string", "Skill name.", True),
            C("framework", "string", "Framework, e.g. O*NET, ESCO, Lightcast."),
            C("code", "string", "Code of the skill in its framework."),
            C("url", "string", "URL of the skill's definition."),
        ),
        ("credential", "position"),
        (("credential", "credentials", "slug"),),
        _per_credential(lambda c: ((s.name, s.framework, s.code, s.url) for s in c.skills)),
        per_credential=True,
    ),
    Table(
        "offerings",
        "Terms, cohorts and sections of each credential, with enrolment status",
        (
            SLUG,
            POSITION,
            C("term", "string", "Term or cohort name."),
            C("start", "date", "First day."),
            C("end", "date", "Last day."),
            C("schedule", "string", "When it meets, or self-paced."),
            C("delivery", "string", "online, in-person or hybrid."),
            C("location", "string", "Campus, building or lab."),
            C("status", "string", "open, waitlist, closed or opening-soon.", True),
            C("url", "string", "Registration or section page."),
        ),
        ("credential", "position"),
        (("credential", "credentials", "slug"),),
        _per_credential(
            lambda c: (
                (o.term, o.start, o.end, o.schedule, o.delivery, o.location, o.status, o.url)
                for o in c.offerings
            )
        ),
        per_credential=True,
    ),
    Table(
        "cost_tiers",
        "Prices for different audiences",
        (
            SLUG,
            POSITION,
            C("audience", "string", "Who pays this price.", True),
            C("amount", "number", "The price, in the credential's cost_currency.", True),
        ),
        ("credential", "position"),
        (("credential", "credentials", "slug"),),
        _per_credential(
            lambda c: ((t.audience, t.amount) for t in (c.cost.tiers if c.cost else ()))
        ),
        per_credential=True,
    ),
    Table(
        "certifications",
        "Industry certifications each credential prepares for or includes",
        (
            SLUG,
            POSITION,
            C("name", "string", "Certification.", True),
            C("body", "string", "Certifying body.", True),
            C("included", "boolean", "Whether the exam fee is included in the cost."),
            C("url", "string", "The certifying body's page about it."),
        ),
        ("credential", "position"),
        (("credential", "credentials", "slug"),),
        _per_credential(lambda c: ((k.name, k.body, k.included, k.url) for k in c.certifications)),
        per_credential=True,
    ),
    Table(
        "stacking",
        "Programs each credential stacks into",
        (
            SLUG,
            C("program", "string", "Program it counts toward (programs.id).", True),
            C("credits_applied", "number", "Credits it applies to the program."),
            C("via", "string", "prior-learning or articulation, for a non-credit credential."),
        ),
        ("credential", "program"),
        (("credential", "credentials", "slug"), ("program", "programs", "id")),
        _stacking_rows,
        per_credential=True,
    ),
    Table(
        "pathways",
        "Micro-pathways",
        (
            C("slug", "string", "Permanent slug; the page is /pathways/<slug>/.", True),
            C("title", "string", "Title.", True),
            C("summary", "string", "One or two sentences.", True),
            C("institution", "string", "Institution (institutions.id).", True),
            C("award", "string", "Program the pathway leads to (programs.id).", True),
            C("url", "string", "Absolute URL of its page.", True),
        ),
        ("slug",),
        (("institution", "institutions", "id"), ("award", "programs", "id")),
        _pathway_rows,
    ),
    Table(
        "pathway_steps",
        "Ordered steps of each micro-pathway",
        (
            C("pathway", "string", "Pathway (pathways.slug).", True),
            C("position", "integer", "Order within the pathway, from 1.", True),
            C(
                "credential",
                "string",
                "Slug of the step's credential; may name one not published yet.",
                True,
            ),
            C("credits_applied", "number", "Credits the step applies to the award."),
            C("via", "string", "prior-learning or articulation, for a non-credit step."),
        ),
        ("pathway", "position"),
        (("pathway", "pathways", "slug"),),
        _step_rows,
    ),
)


def package_descriptor(catalog: Catalog) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor of the catalog's tables."""
    return {
        "profile": "tabular-data-package",
        "name": "micro-credential-catalog",
        "title": catalog.site.title,
        "description": catalog.site.description,
        "homepage": catalog.site.url("/"),
        "resources": [table.descriptor() for table in TABLES],
    }


@dataclasses.dataclass(frozen=True, slots=True)
class CredentialData:
    """One credential's share of the data: its ``catalog.json`` entry and its CSV lines,
    kept compressed.

    The data stage makes a share of each credential it makes parts for (every one in a
    cold build, the changed ones in an edit) for the validation of the changed rows
    (``_validate``): about 8.5 KB of text a credential, 85 MB at 10,000, in the process
    whose memory every forked worker shares. Compressed, about a fifth of that. Shares are
    not kept in the ledger (until issue 18's fifth session they were, 28 MB of its 40 at
    10,000 college, written and read at every build): an unchanged credential's parts are
    copied from the last build's files (``LastParts``), and made again when those cannot
    be read. A build that records no ledger (``--no-cache``) makes no shares: it writes
    each credential's parts as it makes them.
    """

    packed: bytes

    @classmethod
    def of(cls, entry: str, lines: tuple[str, ...]) -> CredentialData:
        """The share of a credential whose entry and CSV lines are these."""
        return cls(zlib.compress(pickle.dumps((entry, lines), pickle.HIGHEST_PROTOCOL), 1))

    @property
    def entry(self) -> str:
        """Its entry in ``catalog.json``, as compact JSON."""
        return self._unpacked()[0]

    @property
    def lines(self) -> tuple[str, ...]:
        """Its rows in each per-credential table of ``TABLES``, as CSV text."""
        return self._unpacked()[1]

    def _unpacked(self) -> tuple[str, tuple[str, ...]]:
        return pickle.loads(zlib.decompress(self.packed))


def credential_data(catalog: Catalog, reuse: Reuse) -> dict[str, CredentialData]:
    """Each credential's share of the data, by slug: reused from the last build when the
    credential, its frozen versions and the shared inputs are unchanged."""
    tables = [table for table in TABLES if table.per_credential]
    return {
        c.slug: reuse.value(
            f"data:{c.slug}",
            (c, catalog.earlier_versions.get(c.slug, ())),
            lambda c=c: _share_of(catalog, c, tables),
        )
        for c in catalog.credentials
    }


def catalog_text(catalog: Catalog, shares: dict[str, CredentialData]) -> str:
    """``/catalog.json``'s text: ``catalog_document`` as compact JSON, assembled from each
    credential's entry (``credential_data``)."""
    before, after = _catalog_around(catalog)
    return (before + joined_data(shares).columns[0] + after).decode().removesuffix("\n")


def _catalog_around(catalog: Catalog) -> tuple[bytes, bytes]:
    """``/catalog.json`` as UTF-8 before and after the credentials' entries (which are
    joined by commas in between: ``JoinedData.columns[0]``), its last line end included."""
    institutions = catalog.institutions
    parts = {
        "$schema": compact_json(catalog.site.url("/data/catalog.schema.json")),
        "site": compact_json(_plain(catalog.site, GUIDE_ONLY_SETTINGS)),
        "institutions": compact_json([institution_record(catalog, i) for i in institutions]),
        "credentials": "[\0]",
        "pathways": compact_json([pathway_record(catalog, p) for p in catalog.pathways]),
    }
    text = "{" + ",".join(f"{compact_json(k)}:{v}" for k, v in sorted(parts.items())) + "}\n"
    before, after = text.split("\0")  # JSON text never holds a raw NUL
    return before.encode(), after.encode()


SEPARATORS = (b",",)
"""Between two credentials' parts of a column of ``JoinedData``: a comma in
``catalog.json``'s list of entries; nothing between CSV rows."""


@dataclasses.dataclass(frozen=True, slots=True)
class JoinedData:
    """Every credential's share of the data (``CredentialData``) joined as the data files
    hold them, with where each credential's part ends.

    Column 0 is ``catalog.json``'s entries, joined by commas; then each per-credential
    table of ``TABLES``, its rows one credential after another. What an edit build
    splices (``joined_data``): a credential whose share has the key it had in the last
    build is copied as a slice of that build's files, so only the changed credentials'
    shares are unpacked. Unpacking all 10,000 shares again (twice: entries, then CSV
    lines) was most of the data stage of a build that changed one credential.

    The data stage itself no longer joins (``write_data`` writes part by part, reading
    kept parts one at a time: ``LastParts``): joined, and as parts beside the join, the
    columns of 10,000 long credentials (150 MB of entries) made it the build's peak.
    This stays for callers that want the data joined (``catalog_text``, the benchmarks).
    """

    slugs: tuple[str, ...]
    keys: tuple[str | None, ...]
    """Each share's key (``Reuse.value``); None where none was computed (not recording)."""
    columns: tuple[bytes, ...]
    ends: tuple[tuple[int, ...], ...]
    """Where each credential's part of each column ends (its separator not included)."""

    def pieces(self, which: int) -> list[bytes]:
        """Each credential's part of column ``which``."""
        ends, step = self.ends[which], len(_separator(which))
        if not ends:
            return []
        starts = (0, *(end + step for end in ends[:-1]))
        data = self.columns[which]
        return [data[start:end] for start, end in zip(starts, ends, strict=True)]


@dataclasses.dataclass(frozen=True, slots=True)
class DataLayout:
    """What the ledger keeps of a build's ``JoinedData``: the parts' keys and ends, and
    where each column lies in the file it was written to (its path in the site, first
    byte and length). The bytes themselves are the kept site's files: the next build
    starts from that folder (``reuse.py``), so it reads them from there (``LastParts``)
    before writing its own."""

    slugs: tuple[str, ...]
    keys: tuple[str | None, ...]
    ends: tuple[tuple[int, ...], ...]
    files: tuple[tuple[str, int, int], ...]


def _separator(which: int) -> bytes:
    return SEPARATORS[which] if which < len(SEPARATORS) else b""


def _join_parts(slugs: tuple[str, ...], keys: tuple, columns: list[list[bytes]]) -> JoinedData:
    """``JoinedData`` of each column's parts, in order."""
    joined, ends = [], []
    for which, parts in enumerate(columns):
        step = len(_separator(which))
        joined.append(_separator(which).join(parts))
        ends.append(tuple(end + i * step for i, end in enumerate(accumulate(map(len, parts)))))
    return JoinedData(slugs, keys, tuple(joined), tuple(ends))


def joined_data(
    shares: dict[str, CredentialData],
    keys: dict[str, str | None] | None = None,
    last: JoinedData | None = None,
) -> JoinedData:
    """``shares`` joined (``JoinedData``); each share whose key in ``keys`` is the one it
    had in ``last`` is copied from ``last`` rather than unpacked. A key of None never
    matches, so without keys every share is unpacked."""
    keys = keys or {}
    found: dict[str, int] = {}
    old: list[list[bytes]] = []
    if last is not None:  # a share of the same key has as many parts (the same code)
        found = {slug: i for i, slug in enumerate(last.slugs)}
        old = [last.pieces(which) for which in range(len(last.columns))]
    columns: list[list[bytes]] | None = None
    for slug, share in shares.items():
        key = keys.get(slug)
        at = found.get(slug)
        if key is not None and at is not None and last.keys[at] == key:
            parts = [column[at] for column in old]
        else:
            entry, lines = share._unpacked()
            parts = [entry.encode(), *(line.encode() for line in lines)]
        if columns is None:
            columns = [[] for _ in parts]
        for column, part in zip(columns, parts, strict=True):
            column.append(part)
    if columns is None:  # no credential: an empty part of every column
        columns = [[] for _ in range(1 + sum(1 for table in TABLES if table.per_credential))]
    return _join_parts(tuple(shares), tuple(keys.get(slug) for slug in shares), columns)


def _header(table: Table) -> bytes:
    return csv_text([[c.name for c in table.columns]]).encode()


def write_package(
    catalog: Catalog,
    folder: Path,
    shares: dict[str, CredentialData],
    only: Iterable[str] | None = None,
) -> list[Path]:
    """Write the data package's CSVs and descriptor into ``folder``.

    ``shares`` hold each credential's rows (``credential_data``). With ``only``, the
    per-credential tables hold just those credentials' rows (what an incremental build
    validates); the other tables are always whole.
    """
    chosen = set(shares if only is None else only)
    joined = joined_data({slug: shares[slug] for slug in shares if slug in chosen})
    written, column = [], 1
    for table in TABLES:
        header = _header(table)
        if table.per_credential:
            body = joined.columns[column]
            column += 1
        else:
            body = csv_text(table.rows(catalog)).encode()
        written.append(write_text(folder / f"{table.name}.csv", header + body))
    written.append(
        write_json(folder / "datapackage.json", package_descriptor(catalog), indent=True)
    )
    return written


VALIDATED_WITH = ("frictionless",)
"""What ``package_errors`` imports (``workers.ready_interpreter`` imports it ahead)."""


def package_errors(descriptor: Path) -> list[str]:
    """Every problem ``frictionless`` finds in the data package, as readable lines."""
    from frictionless import validate

    report = validate(str(descriptor))
    if report.valid:
        return []
    lines = [f"{error.type}: {error.message}" for error in report.errors]
    for task in report.tasks:
        lines += [f"{task.name}: {error.message}" for error in task.errors]
    return lines


def _validate(
    catalog: Catalog,
    folder: Path,
    shares: dict[str, CredentialData],
    changed: list[str],
) -> None:
    """Validate the package with ``frictionless``: all of it, or what changed.

    Rows reused from the last build were validated by the build that made them
    (same code, same schemas, same shared inputs); an incremental build validates a
    copy of the package holding the whole small tables and the changed credentials'
    rows (written here, in a scratch folder), and a build that changed no credential
    row validates nothing again. The validation itself runs in the background, in a
    process of its own (``workers.in_background(fresh=True)``: it needs none of the
    build's memory), while the pages are written.
    """
    if len(changed) == len(catalog.credentials):
        workers.in_background(_validate_package, str(folder / "datapackage.json"), fresh=True)
    elif changed:
        scratch = Path(tempfile.mkdtemp(prefix="microcred-data-"))
        write_package(catalog, scratch, shares, only=changed)
        workers.in_background(
            _validate_package, str(scratch / "datapackage.json"), str(scratch), fresh=True
        )


def _validate_package(descriptor: str, scratch: str | None = None) -> None:
    """Stop the build when the data package at ``descriptor`` is not valid; then remove
    ``scratch``, the folder it was written in for this (if any)."""
    try:
        errors = package_errors(Path(descriptor))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    if errors:
        raise BuildError(
            "the data package in data/ is not valid:\n  "
            + "\n  ".join(errors[:20])
            + "\nThis is a bug in the build, not in your content; please report it."
        )


def write_data(
    catalog: Catalog, out: Path, reuse: Reuse | None = None, scope: Scope = EVERYTHING
) -> list[Path]:
    """Write ``/catalog.json``, its schema, and the validated data package under ``out``
    (each spans institutions: nothing in an institution job's ``scope``)."""
    if not scope.spanning:
        return []
    reuse = reuse or Reuse(out, None)
    folder = out / "data"
    per_credential = [table for table in TABLES if table.per_credential]
    names = ["catalog.json", *(f"data/{table.name}.csv" for table in per_credential)]
    before, after = _catalog_around(catalog)
    heads = [before, *(_header(table) for table in per_credential)]
    # The data files of the site the ledger describes (the kept site, read before it is
    # written over, or the published one) hold the last build's parts (``DataLayout``).
    last = LastParts.open(reuse.described, reuse.last_value("data:layout"))
    try:
        shares, layout = _stream_parts(catalog, out, reuse, names, heads, after, last)
    finally:
        if last is not None:
            last.close()
    written = []
    for table in TABLES:
        if not table.per_credential:
            body = csv_text(table.rows(catalog)).encode()
            write_text(folder / f"{table.name}.csv", _header(table) + body)
        written.append(folder / f"{table.name}.csv")
    written.append(
        write_json(folder / "datapackage.json", package_descriptor(catalog), indent=True)
    )
    changed = [c.slug for c in catalog.credentials if f"data:{c.slug}" in reuse.computed]
    _validate(catalog, folder, shares, changed)
    written.append(out / "catalog.json")
    reuse.keep_value("data:layout", layout)
    schema = folder / "catalog.schema.json"
    written.append(write_text(schema, SCHEMA_FILE.read_bytes()))
    return written


def _stream_parts(
    catalog: Catalog,
    out: Path,
    reuse: Reuse,
    names: Sequence[str],
    heads: Sequence[bytes],
    after: bytes,
    last: LastParts | None,
) -> tuple[dict[str, CredentialData], DataLayout]:
    """Write ``catalog.json`` and the per-credential tables (``names``, each starting with
    its ``heads``) one credential after another, recording where each part ends: no
    column is ever held whole (at 10,000 long credentials, ``catalog.json``'s entries are
    150 MB; joined and as parts they made the data stage the build's peak).

    A credential whose parts have the key they had in the last build (its layout's) is
    copied from the last build's files (``last``), a stretch of neighbours at a time; the
    others are made, and given a share when the ledger records (for the validation of
    the changed rows); without a ledger no share is made. The shares made, and the
    layout of what was written (with each credential's key, for the next build).
    """
    tables = [table for table in TABLES if table.per_credential]
    shares: dict[str, CredentialData] = {}
    slugs, keys = [], []
    ends: list[list[int]] = [[] for _ in names]
    at = [0] * len(names)
    handles = []
    run: list[int] = []  # the last build's indexes of the unchanged credentials not yet copied
    written = 0  # credentials whose parts are in the files

    def write(parts: Sequence[bytes]) -> None:
        nonlocal written
        for which, part in enumerate(parts):
            step = _separator(which) if written else b""
            if step:
                handles[which].write(step)
            handles[which].write(part)
            at[which] += len(step) + len(part)
            ends[which].append(at[which])
        written += 1

    def copy_run() -> None:
        # Unchanged credentials that were neighbours in the last build too: each column's
        # stretch of them copied at once, as the same bytes part by part would write.
        nonlocal written
        if not run:
            return
        assert last is not None
        first, final = run[0], run[-1]
        for which, handle in enumerate(handles):
            step = _separator(which) if written else b""
            handle.write(step)
            at[which] += len(step)
            began, count = last.copy(which, first, final, handle)
            ends[which].extend(end + at[which] - began for end in last.ends(which, first, final))
            at[which] += count
        written += len(run)
        run.clear()

    try:
        for name, head in zip(names, heads, strict=True):
            path = out / name
            os.makedirs(path.parent, exist_ok=True)
            # A new file: the last build's may be the one ``last`` reads (the kept site).
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            handles.append(open(path, "wb"))  # noqa: SIM115 (closed below)
            handles[-1].write(head)
        for credential in catalog.credentials:
            slug = credential.slug
            if reuse.recording:
                # The key is kept in the layout, not the share in the ledger: the last
                # build's files hold an unchanged credential's parts (``LastParts``).
                name = f"data:{slug}"
                key = reuse.keys.of(name, credential, catalog.earlier_versions.get(slug, ()))
                index = last.index(slug, key) if last is not None else None
                if index is not None and (not run or run[-1] + 1 == index):
                    run.append(index)
                elif index is not None:
                    copy_run()
                    run.append(index)
                else:
                    copy_run()
                    reuse.computed.add(name)
                    entry, lines = _parts_of(catalog, credential, tables)
                    shares[slug] = CredentialData.of(entry, lines)
                    write([entry.encode(), *(line.encode() for line in lines)])
            else:
                key = None
                reuse.computed.add(f"data:{slug}")
                entry, lines = _parts_of(catalog, credential, tables)
                write([entry.encode(), *(line.encode() for line in lines)])
            slugs.append(slug)
            keys.append(key)
        copy_run()
        handles[0].write(after)
    finally:
        for handle in handles:
            handle.close()
    files = tuple(
        (name, len(head), at[which])
        for which, (name, head) in enumerate(zip(names, heads, strict=True))
    )
    layout = DataLayout(tuple(slugs), tuple(keys), tuple(tuple(e) for e in ends), files)
    return shares, layout


def _parts_of(
    catalog: Catalog, credential: Credential, tables: Sequence[Table]
) -> tuple[str, tuple[str, ...]]:
    """A credential's ``catalog.json`` entry and its CSV lines of each of ``tables``."""
    entry = compact_json(credential_record(catalog, credential))
    return entry, tuple(csv_text(table.rows(catalog, credential)) for table in tables)


def _share_of(catalog: Catalog, credential: Credential, tables: Sequence[Table]) -> CredentialData:
    return CredentialData.of(*_parts_of(catalog, credential, tables))


COPY_CHUNK = 1 << 22
"""Bytes read at a time when the unchanged credentials' parts are copied (``LastParts.copy``)."""


class LastParts:
    """The last build's parts as its data files hold them (``DataLayout``), read one part
    at a time from files opened before this build writes its own (never a whole column)."""

    def __init__(self, layout: DataLayout, handles: list[int]):
        self.layout = layout
        self.handles = handles
        self.found = {slug: i for i, slug in enumerate(layout.slugs)}

    @classmethod
    def open(cls, folder: Path, layout: DataLayout | None) -> LastParts | None:
        """The parts ``layout`` describes in ``folder``; None when there is no layout, or a
        file is missing or shorter than it was."""
        if not isinstance(layout, DataLayout) or len(layout.files) != len(layout.ends):
            return None
        handles: list[int] = []
        try:
            for name, start, length in layout.files:
                handles.append(os.open(folder / name, os.O_RDONLY))
                if os.fstat(handles[-1]).st_size < start + length:
                    raise OSError(f"{name} is shorter than the last build wrote it")
        except OSError:
            for handle in handles:
                os.close(handle)
            return None
        return cls(layout, handles)

    def index(self, slug: str, key: str | None) -> int | None:
        """Where ``slug`` was in the last build's layout, when it had it under ``key`` (a
        key of None never matches); else None."""
        at = self.found.get(slug)
        if key is None or at is None or self.layout.keys[at] != key:
            return None
        return at

    def ends(self, which: int, first: int, final: int) -> list[int]:
        """Where the parts ``first`` to ``final`` (indexes in the layout) of column
        ``which`` ended in the last build's file, from just after its head."""
        return self.layout.ends[which][first : final + 1]

    def copy(self, which: int, first: int, final: int, into: BinaryIO) -> tuple[int, int]:
        """Write the parts ``first`` to ``final`` of column ``which``, with the separators
        between them, as the last build's file holds them, to ``into``, a chunk at a time
        (never a whole column); where they began in that file (from after its head) and
        how many bytes they took. A file cut short since it was opened (``open`` checked
        its length) is an error: the cache was written over while the build read it."""
        ends = self.layout.ends[which]
        began = 0 if first == 0 else ends[first - 1] + len(_separator(which))
        count = ends[final] - began
        handle, start = self.handles[which], self.layout.files[which][1]
        done = 0
        while done < count:
            chunk = os.pread(handle, min(COPY_CHUNK, count - done), start + began + done)
            if not chunk:
                raise BuildError(
                    f"{self.layout.files[which][0]} of the kept site was cut short while the "
                    "build read it; build again (or with --no-cache)"
                )
            into.write(chunk)
            done += len(chunk)
        return began, count

    def close(self) -> None:
        """Close the files."""
        for handle in self.handles:
            os.close(handle)
