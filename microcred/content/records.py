"""Documents turned into the records of ``model``.

Schema-valid documents give records whose fields hold exactly the declared types.
A document with structural errors still gets a best-effort record (a missing field
is ``None`` or empty) so that its procedure rules can run in the same round; such
records never reach the published catalog.
"""

from __future__ import annotations

from datetime import date

from microcred.content.load import Document
from microcred.content.model import (
    Apply,
    Approval,
    Badge,
    Career,
    Certification,
    CoSponsor,
    Cost,
    CostTier,
    Course,
    Credential,
    EmployerValidation,
    Institution,
    Location,
    Offering,
    Outcome,
    Pathway,
    PathwayStep,
    Program,
    Review,
    Site,
    Skill,
    Stacking,
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _items(data: dict, key: str, make) -> tuple:
    return tuple(make(**item) for item in data.get(key) or ())


def _optional(data: dict, key: str, make):
    value = data.get(key)
    return make(**value) if value else None


def site_from(document: Document) -> Site:
    """The site settings of the ``site.yml`` document, its base URL without a trailing ``/``."""
    data = document.data
    return Site(
        title=data["title"],
        base_url=data["base_url"].rstrip("/"),
        policy=data.get("policy", "minnstate-3.36.2"),
        language=data.get("language", "en"),
        description=data.get("description", ""),
    )


def institution_from(document: Document) -> Institution:
    """The institution of an institution document; its id (and each program's
    ``institution``) is the file's slug."""
    data = document.data
    programs = tuple(
        Program(
            id=p["id"],
            name=p["name"],
            award=p["award"],
            credits=p.get("credits"),
            institution=document.slug,
        )
        for p in data.get("programs") or ()
    )
    return Institution(
        id=document.slug,
        source=document.path,
        name=data["name"],
        url=data["url"],
        email=data["email"],
        description=data.get("description", ""),
        image=data.get("image"),
        ctid=data.get("ctid"),
        location=_optional(data, "location", Location) or Location(),
        programs=programs,
    )


def credential_from(document: Document) -> Credential:
    """The credential of a credential or frozen-version document; a missing field is ``None``
    or empty (a missing ``version`` is 0)."""
    data = document.data
    approved = data.get("approved")
    review = data.get("review")
    validation = data.get("employer_validation") or {}
    return Credential(
        slug=document.slug,
        source=document.path,
        body=document.body,
        title=data.get("title"),
        summary=data.get("summary"),
        institution=data.get("institution"),
        type=data.get("type"),
        credit_bearing=data.get("credit_bearing"),
        eligibility=data.get("eligibility"),
        outcomes=_items(data, "outcomes", Outcome),
        delivery=tuple(data.get("delivery") or ()),
        employer_validation=EmployerValidation(
            partners=tuple(validation.get("partners") or ()),
            method=validation.get("method", ""),
        ),
        status=data.get("status"),
        version=int(data.get("version") or 0),
        contact=data.get("contact"),
        credits=data.get("credits"),
        courses=_items(data, "courses", Course),
        stacks_into=_items(data, "stacks_into", Stacking),
        stacking_rationale=data.get("stacking_rationale"),
        hours=data.get("hours"),
        inventory_id=data.get("inventory_id"),
        approved=Approval(approved["by"], _date(approved["date"])) if approved else None,
        co_sponsors=_items(data, "co_sponsors", CoSponsor),
        prior_learning=data.get("prior_learning"),
        skills=_items(data, "skills", Skill),
        careers=_items(data, "careers", Career),
        level=data.get("level"),
        duration=data.get("duration"),
        cost=_cost(data.get("cost")),
        financial_aid=data.get("financial_aid"),
        review=Review(_date(review.get("last")), _date(review.get("next"))) if review else None,
        effective=_date(data.get("effective")),
        tags=tuple(data.get("tags") or ()),
        badge=_optional(data, "badge", Badge),
        completion=data.get("completion"),
        language=data.get("language"),
        supervision=data.get("supervision"),
        ctid=data.get("ctid"),
        redirect_from=tuple(data.get("redirect_from") or ()),
        apply=_optional(data, "apply", Apply),
        offerings=tuple(_offering(item) for item in data.get("offerings") or ()),
        certifications=_items(data, "certifications", Certification),
        prerequisites=tuple(data.get("prerequisites") or ()),
    )


def _cost(value: dict | None) -> Cost | None:
    if not value:
        return None
    tiers = tuple(CostTier(**tier) for tier in value.get("tiers") or ())
    return Cost(**{**value, "tiers": tiers})


def _offering(value: dict) -> Offering:
    return Offering(**{**value, "start": _date(value.get("start")), "end": _date(value.get("end"))})


def pathway_from(document: Document) -> Pathway:
    """The pathway of a pathway document; a missing field is ``None`` or empty."""
    data = document.data
    return Pathway(
        slug=document.slug,
        source=document.path,
        body=document.body,
        title=data.get("title"),
        summary=data.get("summary"),
        institution=data.get("institution"),
        award=data.get("award"),
        steps=_items(data, "steps", PathwayStep),
    )
