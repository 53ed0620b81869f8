"""Renamed credentials: their old badge JSON keeps answering at the old addresses.

Owns the ``redirects`` stage. A badge issued before a rename carries the old
``/credentials/<old>/badgeclass.json`` (or ``achievement.json``) as its id, and
verifiers fetch that id and expect the document there to name itself by it. So for
every slug in a credential's ``redirect_from`` this stage writes the current badge
definitions again under ``/credentials/<old>/`` and under ``/credentials/<old>/v<N>/``
for every criteria version, each with its own address as ``id``; criteria, image and
issuer point at the credential's new home. The Credential Engine export is copied to
the old address too. The HTML redirect pages at the same old
addresses (meta refresh plus canonical link) are written by ``render.write_redirects``.
"""

from __future__ import annotations

from pathlib import Path

from microcred.content.model import Catalog, Credential
from microcred.site.ctdl import ctdl_document, is_exported
from microcred.site.data import all_versions, write_json
from microcred.site.images import badge_image_path
from microcred.site.open_badges import achievement, badgeclass

BADGE_DOCUMENTS = (("badgeclass.json", badgeclass), ("achievement.json", achievement))


def old_slugs(catalog: Catalog, credential: Credential) -> list[str]:
    """The earlier slugs of ``credential`` that no current credential has taken back."""
    return [old for old in credential.redirect_from if old not in catalog.credential_by_slug]


def write_redirects(catalog: Catalog, out: Path) -> list[Path]:
    """Write the badge JSON of every renamed credential at its old paths under ``out``."""
    written: list[Path] = []
    for credential in catalog.credentials:
        versions = all_versions(catalog, credential)
        image = badge_image_path(credential)
        for old in old_slugs(catalog, credential):
            folders = [(f"/credentials/{old}/", credential)]
            folders += [(f"/credentials/{old}/v{v.version}/", v) for v in versions]
            for folder, version in folders:
                for name, document in BADGE_DOCUMENTS:
                    path = folder + name
                    written.append(
                        write_json(
                            out / path.lstrip("/"),
                            document(catalog, version, path, versions, image),
                        )
                    )
            if is_exported(credential):
                path = f"credentials/{old}/ctdl.json"
                written.append(write_json(out / path, ctdl_document(catalog, credential)))
    return written
