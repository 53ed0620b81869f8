"""Open Badges 2.0 and 3.0 files: the structure the 1EdTech specifications require,
ids that are the URLs the files are served at, and criteria frozen per version.

The JSON-LD check does not fetch contexts (there is no network): it resolves every
key against the terms the contexts define, written out below from the OB 2.0
context, the OB 3.0.3 context and the VC 2.0 context, with type-scoped terms
applied only to nodes of that type as JSON-LD 1.1 does. A key no context defines
would be dropped on expansion.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path

import pytest

from microcred.content.model import Badge, Catalog, Skill
from microcred.content.urls import all_versions
from microcred.site.open_badges import BULK_ISSUE_COLUMNS, achievement, badgeclass, write_badges

BASE = "https://catalog.example.edu"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ACHIEVEMENT_TYPES = {
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
    "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion",
    "Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree",
    "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership",
    "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate",
    "MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
}  # fmt: skip
LANGUAGE_CODE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")

OB3_GLOBAL_TERMS = {
    "id", "type", "name", "description", "alignment", "endorsement", "image", "narrative", "url",
}  # fmt: skip
OB3_SCOPED_TERMS = {
    "Achievement": {
        "achievementType", "alignment", "creator", "creditsAvailable", "criteria",
        "fieldOfStudy", "humanCode", "image", "otherIdentifier", "related",
        "resultDescription", "specialization", "tag", "version",
    },
    "Profile": {
        "additionalName", "address", "dateOfBirth", "email", "familyName", "familyNamePrefix",
        "givenName", "honorificPrefix", "honorificSuffix", "image", "otherIdentifier",
        "parentOrg", "patronymicName", "phone", "official",
    },
    "Address": {
        "addressCountry", "addressCountryCode", "addressLocality", "addressRegion", "geo",
        "postOfficeBoxNumber", "postalCode", "streetAddress",
    },
    "Alignment": {
        "targetCode", "targetDescription", "targetFramework", "targetName", "targetType",
        "targetUrl",
    },
    "Image": {"caption"},
    "Related": {"version"},
}  # fmt: skip
OB3_VOCAB_ONLY = {"inLanguage"}
"""In the OB 3.0 data model (Achievement, Related) but not in the 3.0.3 context: it
expands through the VC 2.0 context's ``@vocab``, so it is kept, not dropped."""

OB2_TERMS = {
    "id", "type", "name", "description", "image", "criteria", "issuer", "tags", "alignment",
    "narrative", "url", "email", "telephone", "version", "related", "targetName", "targetUrl",
    "targetDescription", "targetFramework", "targetCode", "caption", "author", "creator",
}  # fmt: skip


def _types(node: dict) -> list[str]:
    value = node.get("type", [])
    return [value] if isinstance(value, str) else list(value)


def dropped_terms(node: dict, global_terms: set, scoped: dict, vocab_only=frozenset()) -> list:
    """Keys of ``node`` and its nested nodes that no active context defines."""
    terms = set(global_terms) | set(vocab_only)
    for node_type in _types(node):
        terms |= scoped.get(node_type, set())
    dropped = [key for key in node if not key.startswith("@") and key not in terms]
    for value in node.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                dropped += dropped_terms(item, global_terms, scoped, vocab_only)
    return dropped


def assert_ob3_profile(profile: dict) -> None:
    assert isinstance(profile["id"], str) and profile["id"].startswith("https://")
    assert "Profile" in profile["type"] and isinstance(profile["type"], list)
    for key in ("name", "url", "email"):
        assert isinstance(profile[key], str) and profile[key]
    if "address" in profile:
        assert profile["address"]["type"] == ["Address"]


def assert_ob3_achievement(doc: dict) -> None:
    """OB 3.0 B.1.1 Achievement and the classes it uses (B.1.5, B.1.6, B.1.13, B.1.15)."""
    assert doc["@context"] == OB3_CONTEXT
    assert doc["type"] == ["Achievement"]
    for key in ("id", "name", "description"):
        assert isinstance(doc[key], str) and doc[key]
    assert doc["achievementType"] in ACHIEVEMENT_TYPES
    assert set(doc["criteria"]) == {"id", "narrative"}
    assert isinstance(doc["criteria"]["narrative"], str)
    image = doc["image"]
    assert set(image) <= {"id", "type", "caption"}
    assert image["type"] == "Image" and isinstance(image["id"], str)
    assert_ob3_profile(doc["creator"])
    assert isinstance(doc["version"], str)
    assert LANGUAGE_CODE.match(doc["inLanguage"])
    if "creditsAvailable" in doc:
        assert isinstance(doc["creditsAvailable"], float)
    for key in ("humanCode",):
        assert isinstance(doc.get(key, ""), str)
    assert all(isinstance(tag, str) for tag in doc.get("tag", []))
    for alignment in doc.get("alignment", []):
        assert alignment["type"] == ["Alignment"]
        assert isinstance(alignment["targetName"], str)
        assert alignment["targetUrl"].startswith("http")
    for related in doc.get("related", []):
        assert related["type"] == ["Related"]
        assert isinstance(related["id"], str) and isinstance(related["version"], str)
        assert LANGUAGE_CODE.match(related["inLanguage"])
    assert dropped_terms(doc, OB3_GLOBAL_TERMS, OB3_SCOPED_TERMS, OB3_VOCAB_ONLY) == []


def assert_ob2_badgeclass(doc: dict) -> None:
    """OB 2.0 BadgeClass: required id, type, name, description, image, criteria, issuer."""
    assert doc["@context"] == OB2_CONTEXT
    assert doc["type"] == "BadgeClass"
    for key in ("id", "name", "description", "image", "issuer"):
        assert isinstance(doc[key], str) and doc[key]
    assert set(doc["criteria"]) == {"id", "narrative"}
    assert all(isinstance(tag, str) for tag in doc["tags"])
    for alignment in doc.get("alignment", []):
        assert isinstance(alignment["targetName"], str)
        assert alignment["targetUrl"].startswith("http")
    assert dropped_terms(doc, OB2_TERMS, {}) == []


def assert_ob2_issuer(doc: dict) -> None:
    """OB 2.0 Issuer Profile: required id, type, name, url, email."""
    assert doc["@context"] == OB2_CONTEXT
    assert doc["type"] == "Issuer"
    for key in ("id", "name", "url", "email"):
        assert isinstance(doc[key], str) and doc[key]
    assert dropped_terms(doc, OB2_TERMS, {}) == []


def load(site: Path, path: str) -> dict:
    return json.loads((site / path.lstrip("/")).read_text(encoding="utf-8"))


def site_file(site: Path, url: str) -> Path:
    """The written file a site URL is served from (``…/`` is ``…/index.html``)."""
    assert url.startswith(BASE + "/"), url
    path = url[len(BASE) :].split("#")[0]
    return site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


@pytest.fixture(scope="module")
def published(sample_catalog) -> Catalog:
    return sample_catalog.published()


def badge_files(site: Path) -> list[Path]:
    return sorted(site.glob("credentials/**/badgeclass.json")) + sorted(
        site.glob("credentials/**/achievement.json")
    )


def test_every_published_credential_has_both_badges_at_its_page_and_each_version(
    sample_site, published
):
    for credential in published.credentials:
        for version in all_versions(published, credential):
            for folder in (credential.url, f"{credential.url}v{version.version}/"):
                for name in ("badgeclass.json", "achievement.json"):
                    assert (sample_site / folder.lstrip("/") / name).is_file(), folder + name


def test_every_achievement_follows_open_badges_3(sample_site):
    achievements = sorted(sample_site.glob("credentials/**/achievement.json"))
    assert len(achievements) > 30
    for path in achievements:
        assert_ob3_achievement(json.loads(path.read_text()))


def test_every_badgeclass_and_issuer_follows_open_badges_2(sample_site, published):
    for path in sorted(sample_site.glob("credentials/**/badgeclass.json")):
        assert_ob2_badgeclass(json.loads(path.read_text()))
    for institution in published.institutions:
        assert_ob2_issuer(load(sample_site, f"/institutions/{institution.id}/issuer.json"))
        profile = load(sample_site, f"/institutions/{institution.id}/profile.json")
        assert profile["@context"] == OB3_CONTEXT
        assert_ob3_profile(profile)
        assert dropped_terms(profile, OB3_GLOBAL_TERMS, OB3_SCOPED_TERMS) == []


def test_every_id_and_criteria_url_resolves_to_a_written_file(sample_site):
    documents = badge_files(sample_site) + sorted(sample_site.glob("institutions/*/*.json"))
    for path in documents:
        doc = json.loads(path.read_text())
        assert site_file(sample_site, doc["id"]) == path
        urls = [doc.get("issuer"), doc.get("creator", {}).get("id")]
        image = doc.get("image")
        urls.append(image["id"] if isinstance(image, dict) else image)
        urls += [related["id"] for related in doc.get("related", [])]
        for url in filter(None, urls):
            assert site_file(sample_site, url).is_file(), f"{path}: {url}"
        if "criteria" in doc:
            criteria = doc["criteria"]["id"]
            assert re.fullmatch(BASE + r"/credentials/[a-z0-9-]+/v[0-9]+/#criteria", criteria)
            page = site_file(sample_site, criteria).read_text(encoding="utf-8")
            assert 'id="criteria"' in page, criteria


def test_a_badge_of_version_1_keeps_version_1_criteria_after_version_2(sample_site, published):
    credential = published.credential_by_slug["technical-writing"]
    assert credential.version == 2
    [v1] = published.earlier_versions["technical-writing"]
    frozen = load(sample_site, "/credentials/technical-writing/v1/achievement.json")
    current = load(sample_site, "/credentials/technical-writing/achievement.json")
    assert frozen["id"] == f"{BASE}/credentials/technical-writing/v1/achievement.json"
    assert frozen["criteria"]["id"] == f"{BASE}/credentials/technical-writing/v1/#criteria"
    assert frozen["version"] == "1"
    assert all(o.outcome in frozen["criteria"]["narrative"] for o in v1.outcomes)
    assert current["id"] == f"{BASE}/credentials/technical-writing/achievement.json"
    assert current["criteria"]["id"] == f"{BASE}/credentials/technical-writing/v2/#criteria"
    assert current["criteria"]["narrative"] != frozen["criteria"]["narrative"]
    assert frozen["related"] == [
        {
            "id": f"{BASE}/credentials/technical-writing/v2/achievement.json",
            "type": ["Related"],
            "version": "2",
            "inLanguage": "en",
        }
    ]
    assert [r["version"] for r in current["related"]] == ["1", "2"]
    badge_v1 = load(sample_site, "/credentials/technical-writing/v1/badgeclass.json")
    assert badge_v1["criteria"]["id"] == frozen["criteria"]["id"]
    assert badge_v1["related"] == [
        {"id": f"{BASE}/credentials/technical-writing/v2/badgeclass.json", "version": "2"}
    ]


def test_criteria_narrative_lists_each_outcome_with_its_assessment(published):
    credential = published.credential_by_slug["osha-10-construction-safety"]
    doc = badgeclass(published, credential, credential.url + "badgeclass.json", (), "/b.svg")
    narrative = doc["criteria"]["narrative"]
    first = credential.outcomes[0]
    assert f"1. **Outcome:** {first.outcome}\n   - **Assessment:** {first.assessment}" in narrative
    assert "Hours of instruction: 10." in narrative
    assert f"Completion standard: {credential.completion}." in narrative
    assert narrative.endswith("Criteria version 1, effective 2025-08-18.")


def test_credits_and_alignment_follow_the_credential(published):
    writing = published.credential_by_slug["technical-writing"]
    doc = achievement(published, writing, writing.url + "achievement.json", (), "/b.svg")
    assert doc["creditsAvailable"] == float(writing.credits)
    assert doc["humanCode"] == writing.inventory_id
    assert doc["image"] == {
        "id": f"{BASE}/b.svg",
        "type": "Image",
        "caption": "Badge: Technical Writing, a micro-credential from Great River State University",
    }
    osha = published.credential_by_slug["osha-10-construction-safety"]
    onet = "https://www.onetonline.org/find/descriptor/result/2.B.3.m"
    skills = (
        Skill("Teamwork"),
        Skill("Hazard recognition", "O*NET", "2.B.3.m", onet),
        Skill("Site safety", url="https://example.org/skills/site-safety"),
    )
    aligned = dataclasses.replace(osha, skills=skills, certifications=())
    doc3 = achievement(published, aligned, osha.url + "achievement.json", (), "/b.svg")
    doc2 = badgeclass(published, aligned, osha.url + "badgeclass.json", (), "/b.svg")
    assert "creditsAvailable" not in doc3
    assert doc2["alignment"] == [
        {
            "targetName": "Hazard recognition",
            "targetUrl": onet,
            "targetFramework": "O*NET",
            "targetCode": "2.B.3.m",
        },
        {"targetName": "Site safety", "targetUrl": "https://example.org/skills/site-safety"},
    ]
    assert doc3["alignment"] == [{"type": ["Alignment"], **a} for a in doc2["alignment"]]


def test_bulk_issue_template_has_the_platform_columns_and_the_template_id(
    sample_site, published, tmp_path
):
    header = ",".join(BULK_ISSUE_COLUMNS) + "\n"
    # Credly's required columns are A, B, C, E and F; D is the optional middle name.
    assert [BULK_ISSUE_COLUMNS[i] for i in (0, 1, 2, 4, 5)] == [
        "Badge Template ID",
        "Recipient Email",
        "Issued To First Name",
        "Issued To Last Name",
        "Issued At",
    ]
    assert BULK_ISSUE_COLUMNS[3] == "Issued To Middle Name"
    assert len(BULK_ISSUE_COLUMNS) == len(set(BULK_ISSUE_COLUMNS)) == 17
    empty = sample_site / "credentials/osha-10-construction-safety/bulk-issue-template.csv"
    assert empty.read_text(encoding="utf-8") == header
    osha = published.credential_by_slug["osha-10-construction-safety"]
    with_template = dataclasses.replace(osha, badge=Badge(template_id="9f1c-osha"))
    small = Catalog.of(published.site, published.institutions, [with_template], [])
    write_badges(small, tmp_path)
    rows = list(csv.reader((tmp_path / osha.url.lstrip("/") / "bulk-issue-template.csv").open()))
    assert rows == [list(BULK_ISSUE_COLUMNS), ["9f1c-osha"] + [""] * (len(BULK_ISSUE_COLUMNS) - 1)]


def test_badge_files_are_byte_identical_between_builds(published, tmp_path):
    first = list(write_badges(published, tmp_path / "a"))
    second = list(write_badges(published, tmp_path / "b"))
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_each_criteria_version_keeps_its_own_badge_image(sample_site, sample_catalog):
    """A later version's new title or image never changes what an earlier badge shows."""
    for slug, earlier in sample_catalog.published().earlier_versions.items():
        for version in earlier:
            folder = sample_site / "credentials" / slug / f"v{version.version}"
            badge = json.loads((folder / "badgeclass.json").read_text())
            assert badge["image"].endswith(f"/credentials/{slug}/v{version.version}/badge.svg")
            assert (folder / "badge.svg").is_file()


def test_each_criteria_version_has_a_bulk_issue_template_with_its_own_template_id(
    published, tmp_path
):
    """A badge platform template per criteria version (docs/badge-platforms.md): the
    frozen version keeps the template id it was issued under."""
    writing = published.credential_by_slug["technical-writing"]
    [v1] = published.earlier_versions["technical-writing"]
    current = dataclasses.replace(writing, badge=Badge(template_id="tw-v2"))
    frozen = dataclasses.replace(v1, badge=Badge(template_id="tw-v1"))
    small = Catalog.of(published.site, published.institutions, [current], [], [frozen])
    write_badges(small, tmp_path)
    folder = tmp_path / "credentials" / "technical-writing"
    blanks = [""] * (len(BULK_ISSUE_COLUMNS) - 1)
    for csv_file, template_id in [
        (folder / "v1" / "bulk-issue-template.csv", "tw-v1"),
        (folder / "v2" / "bulk-issue-template.csv", "tw-v2"),
        (folder / "bulk-issue-template.csv", "tw-v2"),
    ]:
        rows = list(csv.reader(csv_file.open(encoding="utf-8")))
        assert rows == [list(BULK_ISSUE_COLUMNS), [template_id, *blanks]], csv_file


def test_a_certification_the_credential_prepares_for_is_aligned_in_both_badges(sample_site):
    folder = sample_site / "credentials" / "servsafe-food-handler"
    ob3 = json.loads((folder / "achievement.json").read_text())
    ob2 = json.loads((folder / "badgeclass.json").read_text())
    expected = {
        "targetName": "ServSafe Food Handler",
        "targetUrl": "https://www.servsafe.com/ServSafe-Food-Handler",
        "targetDescription": "Industry certification from National Restaurant Association; "
        "the exam is part of the micro-credential",
    }
    assert {"type": ["Alignment"], "targetType": "ceterms:Credential", **expected} in ob3[
        "alignment"
    ]
    assert expected in ob2["alignment"]
