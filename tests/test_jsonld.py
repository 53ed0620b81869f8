"""schema.org JSON-LD: an EducationalOccupationalCredential on every credential page and an
ItemList on the home page, using only properties schema.org defines for each type."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from microcred.content.model import Catalog, Skill
from microcred.site.schema_org import credential_jsonld, home_jsonld

BASE = "https://catalog.example.edu"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
PROPERTIES = {
    "EducationalOccupationalCredential": {
        "name", "description", "url", "credentialCategory", "competencyRequired",
        "educationalLevel", "provider", "offers", "recognizedBy", "timeRequired", "keywords",
        "inLanguage", "version", "hasPart",
    },
    "DefinedTerm": {"name", "description", "termCode", "inDefinedTermSet", "url"},
    "CollegeOrUniversity": {"name", "url", "email", "address"},
    "PostalAddress": {"addressLocality", "addressRegion", "addressCountry"},
    "Organization": {"name"},
    "Offer": {
        "price", "priceCurrency", "category", "url", "description", "name",
        "priceSpecification",
    },
    "PriceSpecification": {"price", "priceCurrency", "name"},
    "Course": {
        "courseCode", "name", "description", "numberOfCredits", "provider",
        "educationalCredentialAwarded", "coursePrerequisites", "hasCourseInstance",
    },
    "CourseInstance": {
        "name", "description", "startDate", "endDate", "courseMode", "courseSchedule",
        "location", "url",
    },
    "Schedule": {"description"},
    "Place": {"name"},
    "AlignmentObject": {"alignmentType", "targetName", "targetUrl"},
    "QuantitativeValue": {"value"},
    "DefinedTermSet": {"name"},
    "ItemList": {"name", "description", "url", "numberOfItems", "itemListElement"},
    "ListItem": {"position", "url", "name"},
}  # fmt: skip
"""The schema.org properties each emitted type uses; every one is defined for that type
(or inherited: a credential and a course are CreativeWorks, so ``provider``, ``offers``,
``hasPart``, ``keywords``, ``version`` and ``inLanguage`` apply)."""


def unknown_properties(node: dict) -> list[str]:
    """Properties of ``node`` and its nested typed nodes that its schema.org type lacks."""
    allowed = PROPERTIES[node["@type"]] if "@type" in node else set()
    unknown = [
        f"{node.get('@type')}.{key}"
        for key in node
        if not key.startswith("@") and "@type" in node and key not in allowed
    ]
    for value in node.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                unknown += unknown_properties(item)
    return unknown


def embedded(page: str) -> list[dict]:
    return [json.loads(block) for block in SCRIPT.findall(page)]


@pytest.fixture(scope="module")
def published(sample_catalog) -> Catalog:
    return sample_catalog.published()


def test_every_credential_page_embeds_its_credential_jsonld(sample_site, published):
    for credential in published.credentials:
        page = (sample_site / credential.url.lstrip("/") / "index.html").read_text()
        expected = credential_jsonld(published, credential)
        assert expected in embedded(page), credential.slug
        assert unknown_properties(expected) == []


def test_home_page_embeds_the_item_list(sample_site, published):
    page = (sample_site / "index.html").read_text()
    shown = sorted(published.credentials, key=lambda c: (c.title.casefold(), c.slug))[:48]
    document = home_jsonld(published, shown)
    assert document in embedded(page)
    assert document["@type"] == "ItemList"
    assert document["numberOfItems"] == len(published.credentials)
    assert document["itemListElement"][0] == {
        "@type": "ListItem",
        "position": 1,
        "url": BASE + shown[0].url,
        "name": shown[0].title,
    }
    assert unknown_properties(document) == []


def test_credential_jsonld_describes_outcomes_skills_provider_and_cost(published):
    osha = published.credential_by_slug["osha-10-construction-safety"]
    osha = dataclasses.replace(osha, skills=(Skill("Hazard recognition", "O*NET", "2.B.3.m"),))
    document = credential_jsonld(published, osha)
    assert document["@context"] == "https://schema.org"
    assert document["@type"] == "EducationalOccupationalCredential"
    assert document["url"] == f"{BASE}/credentials/osha-10-construction-safety/"
    assert document["credentialCategory"]["name"] == "Micro-credential"
    assert document["educationalLevel"] == "Non-credit"
    assert document["timeRequired"] == "PT10H"
    first = osha.outcomes[0]
    assert document["competencyRequired"][0] == {
        "@type": "DefinedTerm",
        "name": first.outcome,
        "description": f"Assessment: {first.assessment}",
    }
    assert document["competencyRequired"][-1] == {
        "@type": "DefinedTerm",
        "name": "Hazard recognition",
        "termCode": "2.B.3.m",
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": "O*NET"},
    }
    assert document["provider"]["@type"] == "CollegeOrUniversity"
    assert document["provider"]["name"] == "Prairie Lakes Community and Technical College"
    assert document["offers"]["price"] == osha.cost.amount
    assert document["offers"]["priceCurrency"] == "USD"
    assert document["offers"]["category"] == "Paid"
    # A non-credit credential has no courses; its one part is the instruction itself.
    assert [part.get("courseCode") for part in document["hasPart"]] == [None]


def test_upcoming_offerings_are_course_instances_and_past_ones_are_left_out(published):
    from datetime import date

    osha = published.credential_by_slug["osha-10-construction-safety"]
    document = credential_jsonld(published, osha, date(2025, 12, 1))
    (instruction,) = document["hasPart"]
    assert instruction["@type"] == "Course"
    assert instruction["educationalCredentialAwarded"] == {
        "@id": f"{BASE}/credentials/osha-10-construction-safety/#credential"
    }
    instances = instruction["hasCourseInstance"]
    assert [i["name"] for i in instances] == [
        "OSHA 10 Construction Safety, Fall 2026 Saturdays",
        "OSHA 10 Construction Safety, Spring 2027 evenings",
    ]
    assert instances[0] == {
        "@type": "CourseInstance",
        "name": "OSHA 10 Construction Safety, Fall 2026 Saturdays",
        "description": "Open for enrolment",
        "startDate": "2026-10-03",
        "endDate": "2026-10-10",
        "courseMode": "onsite",
        "courseSchedule": {"@type": "Schedule", "description": "Two Saturdays, 8 am to 2 pm"},
        "location": {"@type": "Place", "name": "Hutchinson campus, Construction Lab"},
        "url": "https://www.prairielakes.example.edu/workforce/register/osha-10-construction"
        "?section=f26-sat",
    }
    later = credential_jsonld(published, osha, date(2026, 10, 11))
    assert [i["name"] for i in later["hasPart"][0]["hasCourseInstance"]] == [
        "OSHA 10 Construction Safety, Spring 2027 evenings"
    ]


def test_tiers_are_one_offer_each_and_free_only_for_an_explicit_zero(published):
    analytics = published.credential_by_slug["data-analytics-with-excel"]
    offers = credential_jsonld(published, analytics)["offers"]
    assert [(o["name"], o["price"], o["category"]) for o in offers] == [
        ("Great River degree students", 0, "Free"),
        ("Employees of partner employers", 450, "Paid"),
        ("Community members", 595, "Paid"),
    ]
    assert offers[0]["priceSpecification"] == {
        "@type": "PriceSpecification",
        "price": 0,
        "priceCurrency": "USD",
        "name": "Great River degree students",
    }
    pm = published.credential_by_slug["project-management-essentials"]
    offer = credential_jsonld(published, pm)["offers"]
    assert "price" not in offer and "category" not in offer
    assert offer["url"] == "https://www.greatriver.example.edu/tuition-and-fees/graduate"


def test_a_prerequisite_credential_is_an_alignment_to_its_page(published):
    second = published.credential_by_slug["cnc-operator-ii"]
    *courses, instruction = credential_jsonld(published, second)["hasPart"]
    assert [c["courseCode"] for c in courses] == ["MTT 1310", "MTT 1320"]
    assert instruction["coursePrerequisites"] == [
        {
            "@type": "AlignmentObject",
            "alignmentType": "requires",
            "targetName": "CNC Operator Basics",
            "targetUrl": f"{BASE}/credentials/cnc-operator-basics/",
        }
    ]


def test_courses_are_related_course_entries(published):
    writing = published.credential_by_slug["technical-writing"]
    courses = [
        part for part in credential_jsonld(published, writing)["hasPart"] if "courseCode" in part
    ]
    assert [(c["@type"], c["courseCode"], c["name"]) for c in courses] == [
        ("Course", k.code, k.title) for k in writing.courses
    ]
    assert courses[0]["educationalCredentialAwarded"] == {
        "@id": f"{BASE}/credentials/technical-writing/#credential"
    }
