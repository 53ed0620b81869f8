"""Credential Engine export: one CTDL JSON-LD document per published credential.

Owns the ``ctdl`` stage: ``/credentials/<slug>/ctdl.json`` (and a copy at each earlier
slug in ``redirect_from``), typed ``ceterms:MicroCredential`` with the
Credential Registry's required properties (name, description, ctid, subject
webpage, credential status) plus owner and language, so a college can publish the
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

from pathlib import Path
from typing import Any

from microcred.build.reuse import Reuse
from microcred.build.shards import EVERYTHING, Scope
from microcred.build.writing import write_json
from microcred.content.model import Catalog, Credential, Institution
from microcred.content.urls import badge_image_path, ctid, in_registry, old_slugs

CTDL_CONTEXT = "http://credreg.net/ctdl/schema/context/json"
"""Spelled as the Registry's JSON Schema enumerates it (``http``, not ``https``)."""
REGISTRY_RESOURCES = "https://credentialengineregistry.org/resources/"
STATUS_FRAMEWORK = "https://credreg.net/ctdl/terms/CredentialStatus"
STATUS_NODES = {  # one for each of REGISTRY_STATUSES
    "active": ("credentialStat:Active", "Active"),
    "suspended": ("credentialStat:Suspended", "Suspended"),
    # CredentialStatus has no "Ceased": Deprecated is its concept for "Awards of the
    # credential have ceased" (see docs/standards.md).
    "closed": ("credentialStat:Deprecated", "Deprecated"),
}
INVENTORY_ID_NAME = "Program inventory record"


def _owner(catalog: Catalog, institution: Institution) -> str:
    """The owner as a URL (CTDL's ``ownedBy`` takes references, not embedded objects):
    the institution's Registry resource when it has a CTID, else its page in the catalog."""
    if institution.ctid:
        return REGISTRY_RESOURCES + institution.ctid
    return catalog.site.url(f"/institutions/{institution.id}/")


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
        "ceterms:ownedBy": [_owner(catalog, catalog.institution_by_id[credential.institution])],
        "ceterms:inLanguage": [language],
        "ceterms:credentialStatusType": _status(language, credential.status),
        "ceterms:image": catalog.site.url(badge_image_path(credential)),
    }
    if credential.tags:
        document["ceterms:keyword"] = {language: list(credential.tags)}
    if credential.effective:
        document["ceterms:dateEffective"] = credential.effective.isoformat()
    if credential.inventory_id:
        # Not ceterms:codedNotation: CTDL defines that only on CredentialAlignmentObject.
        document["ceterms:identifier"] = [
            {
                "@type": "ceterms:IdentifierValue",
                "ceterms:name": {language: INVENTORY_ID_NAME},
                "ceterms:identifierValueCode": credential.inventory_id,
            }
        ]
    document.update(enrolment_properties(catalog, credential, language))
    return document


def enrolment_properties(catalog: Catalog, credential: Credential, language: str) -> dict[str, Any]:
    """What a learner needs to enrol, in CTDL: ``estimatedCost`` (a ``CostProfile`` per
    price, each audience's name on its profile), ``availableAt`` (a ``Place`` for each
    location an offering names), ``requires`` (a ``ConditionProfile`` of the eligibility
    and prerequisites, a prerequisite in the Registry by its resource URL) and
    ``isPreparationFor`` (a ``ConditionProfile`` for each industry certification).

    ``commonCosts`` is not used: a ``CostManifest`` is a separate Registry resource with
    its own CTID, and the catalog has nothing to identify one by."""
    properties: dict[str, Any] = {}
    page = catalog.site.url(credential.url)
    cost = credential.cost
    if cost is not None:
        details = cost.url or page
        prices = [(t.audience, t.amount) for t in cost.tiers] or [(None, cost.amount)]
        profiles = []
        for audience, amount in prices:
            profile: dict[str, Any] = {
                "@type": "ceterms:CostProfile",
                "ceterms:costDetails": details,
                "ceterms:description": {language: cost.note or "Cost to the learner"},
            }
            if audience:
                profile["ceterms:name"] = {language: audience}
            if amount is not None:
                profile["ceterms:price"] = amount
                profile["ceterms:currency"] = cost.currency
            profiles.append(profile)
        properties["ceterms:estimatedCost"] = profiles
    places = dict.fromkeys(o.location for o in credential.offerings if o.location)
    if places:
        properties["ceterms:availableAt"] = [
            {"@type": "ceterms:Place", "ceterms:name": {language: place}} for place in places
        ]
    condition: dict[str, Any] = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {language: credential.eligibility},
    }
    targets, texts = [], []
    for item in credential.prerequisites:
        other = catalog.credential_by_slug.get(item)
        if other is not None and in_registry(other):
            targets.append(REGISTRY_RESOURCES + ctid(catalog, other))
        texts.append(other.title if other is not None else item)
    if texts:
        condition["ceterms:condition"] = {language: [f"Complete first: {t}" for t in texts]}
    if targets:
        condition["ceterms:targetCredential"] = targets
    if credential.eligibility:
        properties["ceterms:requires"] = [condition]
    if credential.certifications:
        properties["ceterms:isPreparationFor"] = [
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:name": {language: cert.name},
                "ceterms:description": {
                    language: f"Prepares for the {cert.name} certification from {cert.body}"
                    + ("; the exam fee is included." if cert.included else ".")
                },
                **({"ceterms:subjectWebpage": cert.url} if cert.url else {}),
            }
            for cert in credential.certifications
        ]
    return properties


def write_ctdl(
    catalog: Catalog, out: Path, reuse: Reuse | None = None, scope: Scope = EVERYTHING
) -> list[Path]:
    """Write the CTDL export of every credential in the Registry under ``out`` (of the
    institutions ``scope`` renders: each export belongs to its credential's).

    Each credential's export is one unit of reuse; the copies at earlier slugs are
    written every time (whether an old slug is free depends on every other credential).
    """
    reuse = reuse or Reuse(out, None)
    written: list[Path] = []
    for credential in filter(in_registry, scope.of(catalog.credentials)):
        unit = f"ctdl:{credential.slug}"
        # The export names each prerequisite by its title and CTID: their records are inputs.
        needs = [catalog.credential_by_slug.get(item) for item in credential.prerequisites]
        if not reuse.kept(unit, credential, needs):
            path = write_json(
                out / credential.url.lstrip("/") / "ctdl.json", ctdl_document(catalog, credential)
            )
            reuse.made(unit, [path])
            written.append(path)
        for old in old_slugs(catalog, credential):
            path = out / "credentials" / old / "ctdl.json"
            written.append(write_json(path, ctdl_document(catalog, credential)))
    return written
