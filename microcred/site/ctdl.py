"""Credential Engine export: one CTDL JSON-LD document per published credential.

Owns ``/credentials/<slug>/ctdl.json``, typed ``ceterms:MicroCredential`` with the
Credential Registry's required properties (name, description, ctid, subject
webpage, owner, language, credential status), so a college can publish the
credential to the Registry.

The CTID: a credential's ``ctid`` field when it has one; otherwise the build
proposes ``ce-`` + a UUID 5 of the credential's page URL (``base_url`` and slug),
which stays the same from build to build. Authors should copy the proposed value
into the credential's file before publishing to the Registry, because the CTID
must never change and a later change of ``base_url`` or slug would change the
proposal. A proposed (not yet approved) credential gets no export: the Registry's
status vocabulary has no value for it and it must not be published there.
"""

from __future__ import annotations

import uuid
from typing import Any

from microcred.content.model import Catalog, Credential, Institution
from microcred.site.images import badge_image_path

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
REGISTRY_RESOURCES = "https://credentialengineregistry.org/resources/"
STATUS_FRAMEWORK = "https://credreg.net/ctdl/terms/CredentialStatus"
STATUS_NODES = {
    "active": ("credentialStat:Active", "Active"),
    "suspended": ("credentialStat:Suspended", "Suspended"),
    "closed": ("credentialStat:Ceased", "Ceased"),
}


def derived_ctid(base_url: str, slug: str) -> str:
    """A stable CTID derived from the credential's page URL, proposed to authors by check."""
    page = base_url.rstrip("/") + f"/credentials/{slug}/"
    return f"ce-{uuid.uuid5(uuid.NAMESPACE_URL, page)}"


def ctid(catalog: Catalog, credential: Credential) -> str:
    """The credential's CTID: its own ``ctid``, else a stable one derived from its URL."""
    return credential.ctid or derived_ctid(catalog.site.base_url, credential.slug)


def _organization(language: str, institution: Institution) -> dict[str, Any]:
    """The owner: a reference to its Registry record when it has a CTID, else described."""
    if institution.ctid:
        return {"@id": REGISTRY_RESOURCES + institution.ctid}
    return {
        "@type": "ceterms:CredentialOrganization",
        "ceterms:name": {language: institution.name},
        "ceterms:subjectWebpage": institution.url,
        "ceterms:email": [institution.email],
    }


def _status(language: str, status: str) -> dict[str, Any]:
    node, label = STATUS_NODES[status]
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": STATUS_FRAMEWORK,
        "ceterms:frameworkName": {language: "Credential Status"},
        "ceterms:targetNode": node,
        "ceterms:targetNodeName": {language: label},
    }


def ctdl_document(catalog: Catalog, credential: Credential) -> dict[str, Any]:
    """The CTDL ``ceterms:MicroCredential`` of a published (not proposed) credential."""
    language = credential.language or catalog.site.language
    identifier = ctid(catalog, credential)
    document: dict[str, Any] = {
        "@context": CTDL_CONTEXT,
        "@id": REGISTRY_RESOURCES + identifier,
        "@type": "ceterms:MicroCredential",
        "ceterms:ctid": identifier,
        "ceterms:name": {language: credential.title},
        "ceterms:description": {language: credential.summary},
        "ceterms:subjectWebpage": catalog.site.url(credential.url),
        "ceterms:ownedBy": [
            _organization(language, catalog.institution_by_id[credential.institution])
        ],
        "ceterms:inLanguage": [language],
        "ceterms:credentialStatusType": _status(language, credential.status),
        "ceterms:image": catalog.site.url(badge_image_path(credential)),
    }
    if credential.tags:
        document["ceterms:keyword"] = {language: list(credential.tags)}
    if credential.effective:
        document["ceterms:dateEffective"] = credential.effective.isoformat()
    if credential.inventory_id:
        document["ceterms:codedNotation"] = credential.inventory_id
    return document


def is_exported(credential: Credential) -> bool:
    """Whether the credential gets a CTDL export: every published status but ``proposed``."""
    return credential.status in STATUS_NODES
