"""Every address the catalog publishes, and where each content file's versions live.

Badges printed years ago carry these addresses (criteria pages, badge JSON, issuer
profiles, images), so each is spelled in this one place and nowhere else. Paths are
site paths (``/credentials/x/``); ``Site.url`` makes them absolute. Identifiers that
outside registries keep (a credential's CTID) are derived here too, from its address.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path, PurePosixPath

from microcred.content.model import Catalog, Credential

GUIDE_PAGES = {
    "propose.md": "/guide/propose/",
    "fields.md": "/guide/fields/",
    "badge-platforms.md": "/guide/badge-platforms/",
}
"""Markdown files of ``docs/`` published as site pages, and their paths."""

VERIFY_PATH = "/verify/"
"""The badge check page: compares a badge, read in the browser, with ``/catalog.json``."""

REGISTRY_STATUSES = ("active", "suspended", "closed")
"""The statuses whose credentials are exported to the Credential Registry (``ctdl.json``)."""


def version_path(credential: Credential) -> str:
    """The site path of a criteria version's folder, e.g. ``/credentials/x/v2/``."""
    return f"{credential.url}v{credential.version}/"


def criteria_url(catalog: Catalog, credential: Credential) -> str:
    """The criteria URL a badge of this version carries: its frozen page's criteria."""
    return catalog.site.url(version_path(credential)) + "#criteria"


def all_versions(catalog: Catalog, credential: Credential) -> tuple[Credential, ...]:
    """Every criteria version of a credential, oldest first, the current one last."""
    earlier = catalog.earlier_versions.get(credential.slug, ())
    return (*[v for v in earlier if v.version != credential.version], credential)


def version_file(content: Path, slug: str, version: int) -> Path:
    """Where a frozen criteria version is kept: ``content/versions/<slug>/v<N>.md``."""
    return Path(content) / "versions" / slug / f"v{version}.md"


def issuer_path(institution_id: str) -> str:
    """The site path of an institution's Open Badges 2.0 Issuer."""
    return f"/institutions/{institution_id}/issuer.json"


def profile_path(institution_id: str) -> str:
    """The site path of an institution's Open Badges 3.0 Profile."""
    return f"/institutions/{institution_id}/profile.json"


def badge_image_path(credential: Credential, versioned: bool = False) -> str:
    """The site path of a credential's badge image: its own PNG/SVG, else the drawn SVG.

    ``versioned`` gives the copy kept with one criteria version (``/v<N>/badge.svg``),
    which that version's badge JSON names, so a later version's new title or image
    never changes what an earlier badge shows.
    """
    image = credential.badge.image if credential.badge else None
    suffix = PurePosixPath(image).suffix.lower() if image else ".svg"
    folder = version_path(credential) if versioned else credential.url
    return f"{folder}badge{suffix}"


def credential_node_id(catalog: Catalog, credential: Credential) -> str:
    """The JSON-LD ``@id`` of a credential: its page URL with a ``#credential`` fragment."""
    return catalog.site.url(credential.url) + "#credential"


def old_slugs(catalog: Catalog, credential: Credential) -> list[str]:
    """The earlier slugs of ``credential`` that no current credential has taken back."""
    return [old for old in credential.redirect_from if old not in catalog.credential_by_slug]


def in_registry(credential: Credential) -> bool:
    """Whether the credential gets a CTDL export: every published status but ``proposed``."""
    return credential.status in REGISTRY_STATUSES


def derived_ctid(base_url: str, slug: str) -> str:
    """A stable CTID derived from the credential's page URL, proposed to authors by check:
    ``ce-`` and the name-based UUID (version 5, RFC 4122) of that URL in the URL namespace.

    Worked out as ``uuid.uuid5`` does, without its ``UUID`` object (a quarter of the time:
    the check proposes one for every credential without a ``ctid``, 10,000 in a build of
    the college shape; ``tests/test_ctdl.py`` holds it to ``uuid.uuid5``)."""
    page = base_url.rstrip("/") + f"/credentials/{slug}/"
    digest = bytearray(hashlib.sha1(_URL_NAMESPACE + page.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    x = digest.hex()
    return f"ce-{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes


def ctid(catalog: Catalog, credential: Credential) -> str:
    """The credential's CTID: its own ``ctid``, else a stable one derived from its URL."""
    return credential.ctid or derived_ctid(catalog.site.base_url, credential.slug)
