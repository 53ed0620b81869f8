"""schema.org JSON-LD for the pages: one credential, and the catalog home as a list.

Owns ``credential_jsonld`` (an ``EducationalOccupationalCredential`` for a
credential's page) and ``home_jsonld`` (an ``ItemList`` of the published
credentials). The templates embed the returned dicts in a
``<script type="application/ld+json">`` element; nothing here writes files.

schema.org has no property from a credential to the courses that earn it
(``hasCourse`` belongs to ``EducationalOccupationalProgram``), so each course is
a ``Course`` under ``hasPart`` (a credential is a ``CreativeWork``) and names the
credential back through ``educationalCredentialAwarded``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from microcred.content.model import (
    Catalog,
    Course,
    Credential,
    Institution,
    Offering,
    Outcome,
    Skill,
)
from microcred.content.urls import credential_node_id
from microcred.site import enrolment

SCHEMA_ORG = "https://schema.org"

LEVEL_NAMES = {
    "noncredit": "Non-credit",
    "undergraduate": "Undergraduate",
    "graduate": "Graduate",
}


def institution_node(catalog: Catalog, institution: Institution) -> dict[str, Any]:
    """The issuing college or university as a schema.org ``CollegeOrUniversity``."""
    node: dict[str, Any] = {
        "@type": "CollegeOrUniversity",
        "@id": catalog.site.url(f"/institutions/{institution.id}/") + "#organization",
        "name": institution.name,
        "url": institution.url,
        "email": institution.email,
    }
    address = institution.location.address_fields()
    if address:
        node["address"] = {"@type": "PostalAddress", **address}
    return node


def _outcome_term(outcome: Outcome) -> dict[str, Any]:
    return {
        "@type": "DefinedTerm",
        "name": outcome.outcome,
        "description": f"Assessment: {outcome.assessment}",
    }


def _skill_term(skill: Skill) -> dict[str, Any]:
    term: dict[str, Any] = {"@type": "DefinedTerm", "name": skill.name}
    if skill.code:
        term["termCode"] = skill.code
    if skill.framework:
        # The framework is a name (O*NET, ESCO…); the range is URL or DefinedTermSet.
        term["inDefinedTermSet"] = {"@type": "DefinedTermSet", "name": skill.framework}
    if skill.url:
        term["url"] = skill.url
    return term


def _course_node(catalog: Catalog, credential: Credential, course: Course) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Course"}
    if course.code:
        node["courseCode"] = course.code
    node["name"] = course.title
    named = f"{course.code} {course.title}" if course.code else course.title
    kind = "course" if credential.credit_bearing else "module"
    node["description"] = f"{named}: a required {kind} of {credential.title}."
    if course.credits is not None:
        node["numberOfCredits"] = _credits(course.credits)
    if course.hours is not None:
        node["timeRequired"] = _hours_duration(course.hours)
    node["provider"] = {"@id": institution_node(catalog, _institution(catalog, credential))["@id"]}
    node["educationalCredentialAwarded"] = {"@id": credential_node_id(catalog, credential)}
    return node


def _credits(credits: float) -> int | dict[str, Any]:
    """``numberOfCredits`` takes an Integer or a StructuredValue; ``value`` is defined only
    on QuantitativeValue (a StructuredValue), so a fractional count is one of those."""
    if float(credits).is_integer():
        return int(credits)
    return {"@type": "QuantitativeValue", "value": credits}


def _institution(catalog: Catalog, credential: Credential) -> Institution:
    return catalog.institution_by_id[credential.institution]


def _hours_duration(hours: float) -> str:
    """ISO 8601 duration of a number of hours, e.g. ``PT10H`` or ``PT127H30M``."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    return f"PT{whole}H" + (f"{rest}M" if rest else "")


COURSE_MODES = {"online": "online", "in-person": "onsite", "hybrid": "blended"}
"""``courseMode`` values, in the words schema.org's examples use."""


def credential_jsonld(
    catalog: Catalog, credential: Credential, today: date | None = None
) -> dict[str, Any]:
    """schema.org ``EducationalOccupationalCredential`` describing one credential's page;
    its upcoming offerings (on the build's date ``today``) are ``CourseInstance``s of a
    ``Course`` under ``hasPart``."""
    page = catalog.site.url(credential.url)
    node: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "EducationalOccupationalCredential",
        "@id": credential_node_id(catalog, credential),
        "name": credential.title,
        "description": credential.summary,
        "url": page,
        "credentialCategory": {
            "@type": "DefinedTerm",
            "name": "Micro-credential",
            "termCode": "MicroCredential",
        },
        "competencyRequired": [_outcome_term(o) for o in credential.outcomes]
        + [_skill_term(s) for s in credential.skills],
        "provider": institution_node(catalog, _institution(catalog, credential)),
        "inLanguage": credential.language or catalog.site.language,
        "version": str(credential.version),
    }
    if credential.level:
        node["educationalLevel"] = LEVEL_NAMES[credential.level]
    if credential.employer_validation.partners:
        node["recognizedBy"] = [
            {"@type": "Organization", "name": name}
            for name in credential.employer_validation.partners
        ]
    if credential.cost is not None:
        node["offers"] = _offers(credential, page)
    if credential.hours:
        node["timeRequired"] = _hours_duration(credential.hours)
    if credential.tags:
        node["keywords"] = list(credential.tags)
    parts = [_course_node(catalog, credential, c) for c in credential.courses]
    today = today or enrolment.build_date(catalog)
    upcoming = enrolment.upcoming(credential, today)
    if upcoming or credential.prerequisites:
        parts.append(_instruction_node(catalog, credential, upcoming))
    if parts:
        node["hasPart"] = parts
    return node


def _instruction_node(
    catalog: Catalog, credential: Credential, upcoming: Sequence[Offering]
) -> dict[str, Any]:
    """The instruction that leads to the credential, as a ``Course``: its prerequisites
    and its upcoming offerings (``hasCourseInstance``)."""
    course: dict[str, Any] = {
        "@type": "Course",
        "name": credential.title,
        "description": credential.summary,
        "provider": {"@id": institution_node(catalog, _institution(catalog, credential))["@id"]},
        "educationalCredentialAwarded": {"@id": credential_node_id(catalog, credential)},
    }
    prerequisites = []
    for text, path in enrolment.prerequisite_links(catalog, credential):
        if path:
            prerequisites.append(
                {
                    "@type": "AlignmentObject",
                    "alignmentType": "requires",
                    "targetName": text,
                    "targetUrl": catalog.site.url(path),
                }
            )
        else:
            prerequisites.append(text)
    if prerequisites:
        course["coursePrerequisites"] = prerequisites
    if upcoming:
        course["hasCourseInstance"] = [_course_instance(credential, o) for o in upcoming]
    return course


def _course_instance(credential: Credential, offering: Offering) -> dict[str, Any]:
    instance: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": f"{credential.title}, {offering.term}" if offering.term else credential.title,
        "description": enrolment.offering_label(offering.status),
    }
    if offering.start:
        instance["startDate"] = offering.start.isoformat()
    if offering.end:
        instance["endDate"] = offering.end.isoformat()
    if offering.delivery:
        instance["courseMode"] = COURSE_MODES[offering.delivery]
    if offering.schedule:
        instance["courseSchedule"] = {"@type": "Schedule", "description": offering.schedule}
    if offering.location:
        instance["location"] = {"@type": "Place", "name": offering.location}
    if offering.url:
        instance["url"] = offering.url
    return instance


def _offers(credential: Credential, page: str) -> dict[str, Any] | list[dict[str, Any]]:
    """One ``Offer`` for one price, one per audience for tiers (``name`` is the audience,
    the price in a ``PriceSpecification``), or a price-less one pointing to the page with
    the price. "Free" is the category only of an explicit 0."""
    cost = credential.cost
    url = cost.url or page
    if cost.tiers:
        offers = []
        for tier in cost.tiers:
            offer: dict[str, Any] = {
                "@type": "Offer",
                "name": tier.audience,
                "price": tier.amount,
                "priceCurrency": cost.currency,
                "priceSpecification": {
                    "@type": "PriceSpecification",
                    "price": tier.amount,
                    "priceCurrency": cost.currency,
                    "name": tier.audience,
                },
                "category": "Free" if tier.amount == 0 else "Paid",
                "url": url,
            }
            if cost.note:
                offer["description"] = cost.note
            offers.append(offer)
        return offers
    offer = {"@type": "Offer", "url": url}
    if cost.amount is not None:
        offer.update(
            price=cost.amount,
            priceCurrency=cost.currency,
            category="Free" if cost.amount == 0 else "Paid",
        )
    if cost.note:
        offer["description"] = cost.note
    return offer


def home_jsonld(catalog: Catalog, shown: Sequence[Credential] | None = None) -> dict[str, Any]:
    """schema.org ``ItemList`` of the published credentials.

    ``numberOfItems`` counts the whole catalog; the elements are the credentials the page
    shows (``shown``, in its order), so a catalog of 10,000 keeps a small home page.
    """
    shown = catalog.credentials if shown is None else shown
    return {
        "@context": SCHEMA_ORG,
        "@type": "ItemList",
        "name": catalog.site.title,
        "description": catalog.site.description,
        "url": catalog.site.url("/"),
        "numberOfItems": len(catalog.credentials),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": catalog.site.url(credential.url),
                "name": credential.title,
            }
            for position, credential in enumerate(shown, start=1)
        ],
    }
