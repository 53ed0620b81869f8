"""Open Badges definitions: what badge platforms import and employers follow.

Owns the ``badges`` stage. For every published credential it writes

- ``/credentials/<slug>/badgeclass.json``: an Open Badges 2.0 BadgeClass,
- ``/credentials/<slug>/achievement.json``: an Open Badges 3.0 Achievement,
- the same two files in ``/credentials/<slug>/v<N>/`` for the current criteria
  version and for every earlier frozen version, so a badge issued under version 1
  keeps pointing at version 1's criteria after version 2 is published,
- ``/credentials/<slug>/badge.svg`` (or ``.png``) and a copy in each ``v<N>/``: the
  badge image (``badge_images.py``),
- ``/credentials/<slug>/bulk-issue-template.csv``: the badge platform's bulk-issue
  columns, with the badge template id filled in when the credential has one, and
  the same per criteria version in ``v<N>/bulk-issue-template.csv`` with that
  version's template id (a platform template per version, see
  ``docs/badge-platforms.md``),
- the badge definitions again under ``/credentials/<old>/`` for every earlier slug
  in ``redirect_from``, so badges issued before a rename still resolve,

and for every institution ``/institutions/<id>/issuer.json`` (an Open Badges 2.0
Issuer) and ``/institutions/<id>/profile.json`` (an Open Badges 3.0 Profile).

Every ``id`` is the absolute URL the file is served at. ``criteria.id`` always
points at the versioned criteria page, ``<base>/credentials/<slug>/v<N>/#criteria``.
Each criteria version names its own copy of the badge image (``v<N>/badge.svg``).
A skill becomes an ``alignment`` only when it has a ``url``: both specifications
require ``targetUrl``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from microcred.build import workers
from microcred.build.reuse import Reuse
from microcred.build.shards import EVERYTHING, Scope
from microcred.build.writing import relative_to, write_csv, write_json
from microcred.content.model import Catalog, Credential, Institution, Skill, number_text
from microcred.content.urls import (
    all_versions,
    badge_image_path,
    criteria_url,
    issuer_path,
    old_slugs,
    profile_path,
    version_path,
)
from microcred.site.badge_images import write_badge_image
from microcred.site.labels import badge_alt

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
BULK_ISSUE_COLUMNS = (
    # A–F: A, B, C, E and F are required, D (middle name) is not; Credly's article names
    # them by letter, and this literal spelling is the one its template is known to use.
    "Badge Template ID",
    "Recipient Email",
    "Issued To First Name",
    "Issued To Middle Name",
    "Issued To Last Name",
    "Issued At",
    # The optional columns, in the article's order and under its names: every documented
    # header must be present even when unused (their literal spelling is unconfirmed; see
    # docs/standards.md). Issuers type dates as mm/dd/yy, Credly's format.
    "Expiration Date",
    "Issuer Earner ID",
    "Country",
    "State or Province",
    "Evidence Name",
    "Evidence URL",
    "Text Evidence Name",
    "Text Evidence URL",
    "ID Evidence Title",
    "ID Evidence Description",
    "Locale",
)


def criteria_narrative(credential: Credential) -> str:
    """Markdown: each outcome and how it is assessed, then what completion requires."""
    lines = ["Earners demonstrate every learning outcome below, each by its assessment.", ""]
    for number, outcome in enumerate(credential.outcomes, start=1):
        lines.append(f"{number}. **Outcome:** {outcome.outcome}")
        lines.append(f"   - **Assessment:** {outcome.assessment}")
    lines.append("")
    if credential.courses and not credential.credit_bearing:
        lines.append("Modules:")
        lines.append("")
        lines.extend(
            f"- {course.title}"
            + (f" ({number_text(course.hours)} hours)" if course.hours is not None else "")
            for course in credential.courses
        )
        lines.append("")
    elif credential.courses:
        lines.append(f"Required courses ({number_text(credential.credits or 0)} credits):")
        lines.append("")
        lines.extend(
            f"- {course.code} {course.title} ({number_text(course.credits)} credits)"
            for course in credential.courses
        )
        lines.append("")
    elif credential.credits:
        lines.extend([f"Credits: {number_text(credential.credits)}.", ""])
    if credential.hours:
        lines.extend([f"Hours of instruction: {number_text(credential.hours)}.", ""])
    if credential.completion:
        lines.extend([f"Completion standard: {credential.completion}.", ""])
    effective = f", effective {credential.effective.isoformat()}" if credential.effective else ""
    lines.append(f"Criteria version {credential.version}{effective}.")
    return "\n".join(lines)


def _alignable(skills: tuple[Skill, ...]) -> list[Skill]:
    return [skill for skill in skills if skill.url]


def _alignment_fields(skill: Skill) -> dict[str, str]:
    fields = {"targetName": skill.name, "targetUrl": skill.url}
    if skill.framework:
        fields["targetFramework"] = skill.framework
    if skill.code:
        fields["targetCode"] = skill.code
    return fields


def _certification_fields(credential: Credential) -> list[dict[str, str]]:
    """An alignment for each industry certification with a page: the badge says which
    certification its holder is prepared for (both specifications require ``targetUrl``)."""
    found = []
    for certification in credential.certifications:
        if not certification.url:
            continue
        note = f"Industry certification from {certification.body}"
        if certification.included is True:
            note += "; the exam is part of the micro-credential"
        found.append(
            {
                "targetName": certification.name,
                "targetUrl": certification.url,
                "targetDescription": note,
            }
        )
    return found


def _with_lists(document: dict[str, Any], **lists: list) -> dict[str, Any]:
    """``document`` with each list that is not empty under its name (both specifications
    leave an empty ``alignment`` or ``related`` out)."""
    document.update({name: items for name, items in lists.items() if items})
    return document


def _related(
    catalog: Catalog, versions: tuple[Credential, ...], own_id: str, filename: str, ob3: bool
) -> list[dict[str, Any]]:
    related = []
    for version in versions:
        url = catalog.site.url(version_path(version) + filename)
        if url == own_id:
            continue
        entry: dict[str, Any] = {"id": url, "version": str(version.version)}
        if ob3:
            entry["type"] = ["Related"]
            entry["inLanguage"] = _language(catalog, version)
        related.append(entry)
    return related


def _language(catalog: Catalog, credential: Credential) -> str:
    return credential.language or catalog.site.language


def badgeclass(
    catalog: Catalog,
    credential: Credential,
    path: str,
    versions: tuple[Credential, ...],
    image: str,
) -> dict[str, Any]:
    """An Open Badges 2.0 BadgeClass for one criteria version, served at ``path``."""
    own_id = catalog.site.url(path)
    document: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": own_id,
        "name": credential.title,
        "description": credential.summary,
        "image": catalog.site.url(image),
        "criteria": {
            "id": criteria_url(catalog, credential),
            "narrative": criteria_narrative(credential),
        },
        "issuer": catalog.site.url(issuer_path(credential.institution)),
        "tags": list(credential.tags),
        "version": str(credential.version),
    }
    alignment = [_alignment_fields(skill) for skill in _alignable(credential.skills)]
    alignment += _certification_fields(credential)
    related = _related(catalog, versions, own_id, "badgeclass.json", ob3=False)
    return _with_lists(document, alignment=alignment, related=related)


def profile_object(catalog: Catalog, institution: Institution) -> dict[str, Any]:
    """The Open Badges 3.0 Profile of an institution, without ``@context``."""
    profile: dict[str, Any] = {
        "id": catalog.site.url(profile_path(institution.id)),
        "type": ["Profile"],
        "name": institution.name,
        "url": institution.url,
        "email": institution.email,
    }
    if institution.description:
        profile["description"] = institution.description
    address = institution.location.address_fields()
    if address:
        profile["address"] = {"type": ["Address"], **address}
    return profile


def achievement(
    catalog: Catalog,
    credential: Credential,
    path: str,
    versions: tuple[Credential, ...],
    image: str,
) -> dict[str, Any]:
    """An Open Badges 3.0 Achievement for one criteria version, served at ``path``."""
    own_id = catalog.site.url(path)
    institution = catalog.institution_by_id[credential.institution]
    full_profile = profile_object(catalog, institution)
    creator = {key: full_profile[key] for key in ("id", "type", "name", "url", "email")}
    document: dict[str, Any] = {
        "@context": OB3_CONTEXT,
        "id": own_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": credential.summary,
        "criteria": {
            "id": criteria_url(catalog, credential),
            "narrative": criteria_narrative(credential),
        },
        "image": {
            "id": catalog.site.url(image),
            "type": "Image",
            "caption": badge_alt(credential, institution.name),
        },
        "creator": creator,
        "version": str(credential.version),
        "inLanguage": _language(catalog, credential),
    }
    if credential.credit_bearing and credential.credits:
        document["creditsAvailable"] = float(credential.credits)
    if credential.inventory_id:
        document["humanCode"] = credential.inventory_id
    if credential.tags:
        document["tag"] = list(credential.tags)
    alignment = [
        {"type": ["Alignment"], **_alignment_fields(skill)}
        for skill in _alignable(credential.skills)
    ]
    alignment += [
        {"type": ["Alignment"], "targetType": "ceterms:Credential", **fields}
        for fields in _certification_fields(credential)
    ]
    related = _related(catalog, versions, own_id, "achievement.json", ob3=True)
    return _with_lists(document, alignment=alignment, related=related)


def issuer(catalog: Catalog, institution: Institution) -> dict[str, Any]:
    """The Open Badges 2.0 Issuer profile of an institution."""
    document: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": catalog.site.url(issuer_path(institution.id)),
        "name": institution.name,
        "url": institution.url,
        "email": institution.email,
    }
    if institution.description:
        document["description"] = institution.description
    return document


def profile(catalog: Catalog, institution: Institution) -> dict[str, Any]:
    """The Open Badges 3.0 Profile document of an institution."""
    return {"@context": OB3_CONTEXT, **profile_object(catalog, institution)}


def bulk_issue_rows(credential: Credential) -> list[tuple[str, ...]]:
    """The bulk-issue template's rows after the header: one sample row with the template id."""
    template_id = credential.badge.template_id if credential.badge else None
    blanks = ("",) * (len(BULK_ISSUE_COLUMNS) - 1)
    return [(template_id, *blanks)] if template_id else []


def _site_file(out: Path, path: str) -> Path:
    return out / path.lstrip("/")


BADGE_DOCUMENTS = (("badgeclass.json", badgeclass), ("achievement.json", achievement))
"""The two badge definitions written into each credential and version folder."""


def _write_badge_pair(
    catalog: Catalog,
    out: Path,
    credential: Credential,
    folder: str,
    versions: tuple[Credential, ...],
    image: str,
) -> list[Path]:
    return [
        write_json(
            _site_file(out, folder + name),
            document(catalog, credential, folder + name, versions, image),
        )
        for name, document in BADGE_DOCUMENTS
    ]


def _write_credential(catalog: Catalog, out: Path, credential: Credential) -> list[Path]:
    """A credential's badge files: images, definitions per version, bulk-issue template."""
    versions = all_versions(catalog, credential)
    # The current version last: its image is drawn once for both of its copies.
    written = [write_badge_image(catalog, v, out, versioned=True) for v in versions]
    written.append(write_badge_image(catalog, credential, out))
    image = badge_image_path(credential)
    written += _write_badge_pair(catalog, out, credential, credential.url, versions, image)
    for version in versions:
        kept = badge_image_path(version, versioned=True)
        written += _write_badge_pair(catalog, out, version, version_path(version), versions, kept)
        written.append(
            write_csv(
                _site_file(out, version_path(version) + "bulk-issue-template.csv"),
                BULK_ISSUE_COLUMNS,
                bulk_issue_rows(version),
            )
        )
    written.append(
        write_csv(
            _site_file(out, credential.url + "bulk-issue-template.csv"),
            BULK_ISSUE_COLUMNS,
            bulk_issue_rows(credential),
        )
    )
    return written


def _write_old_addresses(catalog: Catalog, out: Path, credential: Credential) -> list[Path]:
    """The badge definitions again at each earlier slug of a renamed credential.

    A badge issued before a rename carries ``/credentials/<old>/badgeclass.json`` (or
    ``achievement.json``) as its id, and verifiers fetch that id and expect the
    document there to name itself by it. So each copy has its own address as ``id``;
    criteria, image and issuer point at the credential's new home.
    """
    versions = all_versions(catalog, credential)
    image = badge_image_path(credential)
    written: list[Path] = []
    for old in old_slugs(catalog, credential):
        folders = [(f"/credentials/{old}/", credential)]
        folders += [(f"/credentials/{old}/v{v.version}/", v) for v in versions]
        for folder, version in folders:
            written += _write_badge_pair(catalog, out, version, folder, versions, image)
    return written


def _write_credentials(
    job: tuple[Catalog, Path], credentials: Iterable[Credential]
) -> list[tuple[str, list[str]]]:
    """Each credential's slug and its badge files (relative to the site); runs in a
    worker process."""
    catalog, out = job
    return [(c.slug, relative_to(out, _write_credential(catalog, out, c))) for c in credentials]


def write_badges(
    catalog: Catalog, out: Path, reuse: Reuse | None = None, scope: Scope = EVERYTHING
) -> Iterator[Path]:
    """Write every badge image and definition, issuer profile and bulk-issue template
    (of the institutions ``scope`` renders: every file of this stage belongs to one);
    the files written, to be read once.

    A credential's badge files are one unit of reuse: they show the credential, its
    frozen versions and shared inputs (its institution, the base URL). The copies at
    renamed credentials' old addresses are written every time.
    """
    reuse = reuse or Reuse(out, None)
    written: list[Path] = []
    credentials = scope.of(catalog.credentials)
    for institution in scope.of(catalog.institutions, lambda i: i.id):
        written.append(
            write_json(_site_file(out, issuer_path(institution.id)), issuer(catalog, institution))
        )
        written.append(
            write_json(_site_file(out, profile_path(institution.id)), profile(catalog, institution))
        )
    todo = [
        credential
        for credential in credentials
        if not reuse.kept(
            f"badges:{credential.slug}",
            credential,
            catalog.earlier_versions.get(credential.slug, ()),
        )
    ]
    made = workers.map_chunks(_write_credentials, (catalog, out), todo)
    for chunk in made:
        for slug, files in chunk:
            reuse.made(f"badges:{slug}", files)
    for credential in credentials:
        written += _write_old_addresses(catalog, out, credential)
    # The credentials' files (8 of them each) named as they are read, not held as paths
    # meanwhile: 80,000 at 10,000 credentials, at the build's memory peak (Pagefind runs
    # beside this stage; docs/performance.md, *Every target at 10,000 re-measured*).
    by_credential = (out / file for chunk in made for _, files in chunk for file in files)
    return itertools.chain(written, by_credential)
