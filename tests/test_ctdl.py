"""The Credential Engine export: ``ceterms:MicroCredential`` with the Registry's required
properties, a CTID that is the file's or a stable derived one, and no export for a proposal."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid

from microcred.content.urls import ctid, derived_ctid, in_registry
from microcred.site.ctdl import ctdl_document

BASE = "https://catalog.example.edu"
CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
REQUIRED = (
    "ceterms:ctid",
    "ceterms:name",
    "ceterms:description",
    "ceterms:subjectWebpage",
    "ceterms:ownedBy",
    "ceterms:inLanguage",
    "ceterms:credentialStatusType",
)


def test_every_published_credential_has_a_registry_ready_export(sample_site, sample_catalog):
    published = sample_catalog.published()
    for credential in published.credentials:
        doc = json.loads((sample_site / credential.url.lstrip("/") / "ctdl.json").read_text())
        assert doc["@context"] == "http://credreg.net/ctdl/schema/context/json"
        assert doc["@type"] == "ceterms:MicroCredential"
        assert all(key in doc for key in REQUIRED), credential.slug
        assert CTID.match(doc["ceterms:ctid"])
        assert doc["@id"] == "https://credentialengineregistry.org/resources/" + doc["ceterms:ctid"]
        assert doc["ceterms:name"] == {"en": credential.title}
        assert doc["ceterms:description"] == {"en": credential.summary}
        assert doc["ceterms:subjectWebpage"] == BASE + credential.url
        assert doc["ceterms:inLanguage"] == ["en"]
        institution = published.institution_by_id[credential.institution]
        assert doc["ceterms:ownedBy"] == [f"{BASE}/institutions/{institution.id}/"]
        assert "ceterms:codedNotation" not in doc


def test_status_is_a_credential_status_alignment(sample_catalog):
    expected = {
        "osha-10-construction-safety": ("credentialStat:Active", "Active"),
        "mig-welding-gmaw": ("credentialStat:Suspended", "Suspended"),
        "social-media-marketing": ("credentialStat:Deprecated", "Deprecated"),
    }
    for slug, (node, name) in expected.items():
        credential = sample_catalog.credential_by_slug[slug]
        status = ctdl_document(sample_catalog, credential)["ceterms:credentialStatusType"]
        assert status == {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": "https://credreg.net/ctdl/terms/CredentialStatus",
            "ceterms:frameworkName": {"en": "Credential Status"},
            "ceterms:targetNode": node,
            "ceterms:targetNodeName": {"en": name},
        }


def test_ctid_is_the_files_else_stable_from_base_url_and_slug(sample_catalog):
    osha = sample_catalog.credential_by_slug["osha-10-construction-safety"]
    derived = uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/credentials/osha-10-construction-safety/")
    assert ctid(sample_catalog, osha) == f"ce-{derived}"
    assert ctid(sample_catalog, osha) == ctid(sample_catalog, dataclasses.replace(osha))
    own = "ce-5f1a3c2e-8b4d-4e6f-9a0b-1c2d3e4f5a6b"
    assert ctid(sample_catalog, dataclasses.replace(osha, ctid=own)) == own


def test_a_derived_ctid_is_the_uuid5_of_the_page_address():
    """``derived_ctid`` skips ``uuid.UUID`` for speed; its ids must stay the ones
    ``uuid.uuid5`` gives, for any address (they are printed in registries)."""
    random = __import__("random").Random(18)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-éß漢"
    for n in range(2000):
        slug = "".join(random.choice(alphabet) for _ in range(random.randint(1, 40)))
        base = random.choice(["https://ex.edu", "https://ex.edu/", "http://a.b/c/", ""])
        page = base.rstrip("/") + f"/credentials/{slug}/"
        expected = f"ce-{uuid.uuid5(uuid.NAMESPACE_URL, page)}"
        assert derived_ctid(base, slug) == expected, (n, base, slug)


def test_a_proposal_gets_no_export(sample_site, sample_catalog):
    proposal = sample_catalog.credential_by_slug["solar-pv-installation"]
    assert proposal.status == "proposed"
    assert not in_registry(proposal)
    assert not (sample_site / "credentials" / "solar-pv-installation").exists()


def test_an_institution_with_a_ctid_is_referenced_as_the_owner(sample_catalog):
    import dataclasses

    from microcred.site.ctdl import ctdl_document

    institution = sample_catalog.institutions[0]
    registered = dataclasses.replace(institution, ctid="ce-0f0e0d0c-0b0a-4909-8807-060504030201")
    catalog = type(sample_catalog).of(
        sample_catalog.site,
        [registered, *sample_catalog.institutions[1:]],
        sample_catalog.credentials,
        sample_catalog.pathways,
    )
    credential = next(c for c in catalog.credentials if c.institution == institution.id)
    assert ctdl_document(catalog, credential)["ceterms:ownedBy"] == [
        "https://credentialengineregistry.org/resources/ce-0f0e0d0c-0b0a-4909-8807-060504030201"
    ]


def test_the_inventory_id_is_an_identifier_value_not_a_coded_notation(sample_catalog):
    credential = next(c for c in sample_catalog.credentials if c.status == "active")
    doc = ctdl_document(sample_catalog, dataclasses.replace(credential, inventory_id="MC-00123"))
    assert "ceterms:codedNotation" not in doc
    assert doc["ceterms:identifier"] == [
        {
            "@type": "ceterms:IdentifierValue",
            "ceterms:name": {"en": "Program inventory record"},
            "ceterms:identifierValueCode": "MC-00123",
        }
    ]
