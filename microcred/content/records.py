"""Documents turned into the records of ``model``.

Schema-valid documents give records whose fields hold exactly the declared types.
A document with structural errors still gets a best-effort record (a missing field
is ``None`` or empty) so that its procedure rules can run in the same round; such
records never reach the published catalog.
"""

from __future__ import annotations

from dataclasses import MISSING
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


def _date(value) -> date | None:
    """The date of an ISO text; ``None`` for anything else (reported by the schema check)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _fields(make, item) -> dict:
    """The fields of ``make`` that ``item`` gives, a missing one ``None``: a record is made
    even from a broken mapping, so the rules about its other fields still run."""
    if not isinstance(item, dict):
        return {}
    names = getattr(make, "__dataclass_fields__", {})
    given = {key: value for key, value in item.items() if key in names}
    for name, spec in names.items():
        if name not in given and spec.default is MISSING and spec.default_factory is MISSING:
            given[name] = None
    return given


def _items(data: dict, key: str, make) -> tuple:
    value = data.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(make(**_fields(make, item)) for item in value if isinstance(item, dict))


def _optional(data: dict, key: str, make):
    value = data.get(key)
    return make(**_fields(make, value)) if isinstance(value, dict) and value else None


def _whole(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def site_from(document: Document) -> Site:
    """The site settings of the ``site.yml`` document, its base URL without a trailing ``/``."""
    data = document.data
    return Site(
        title=data["title"],
        base_url=data["base_url"].rstrip("/"),
        policy=data.get("policy", "minnstate-3.36.2"),
        language=data.get("language", "en"),
        description=data.get("description", ""),
        repository=data.get("repository", "").rstrip("/"),
        repository_branch=data.get("repository_branch", "main"),
    )


def institution_from(document: Document) -> Institution:
    """The institution of an institution document; its id (and each program's
    ``institution``) is the file's slug."""
    data = document.data
    programs = tuple(
        Program(
            id=p["id"],
            name=p.get("name"),
            award=p.get("award"),
            credits=p.get("credits"),
            institution=document.slug,
        )
        for p in data.get("programs") or ()
        if isinstance(p, dict) and isinstance(p.get("id"), str)
    )
    return Institution(
        id=document.slug,
        source=document.path,
        name=data.get("name"),
        url=data.get("url"),
        email=data.get("email"),
        description=data.get("description", ""),
        image=data.get("image"),
        ctid=data.get("ctid"),
        location=_optional(data, "location", Location) or Location(),
        programs=programs,
        policy=data.get("policy"),
    )


def credential_from(document: Document) -> Credential:
    """The credential of a credential or frozen-version document; a missing field is ``None``
    or empty (a missing ``version`` is 0)."""
    data = document.data
    approved = data.get("approved") if isinstance(data.get("approved"), dict) else None
    review = data.get("review") if isinstance(data.get("review"), dict) else None
    validation = data.get("employer_validation")
    validation = validation if isinstance(validation, dict) else {}
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
        delivery=tuple(data.get("delivery") or ())
        if isinstance(data.get("delivery"), list)
        else (),
        employer_validation=EmployerValidation(
            partners=tuple(p for p in validation.get("partners") or () if isinstance(p, str))
            if isinstance(validation.get("partners"), list)
            else (),
            method=validation.get("method", ""),
        ),
        status=data.get("status"),
        version=_whole(data.get("version")),
        contact=data.get("contact"),
        credits=data.get("credits"),
        courses=_items(data, "courses", Course),
        stacks_into=_items(data, "stacks_into", Stacking),
        stacking_rationale=data.get("stacking_rationale"),
        hours=data.get("hours"),
        inventory_id=data.get("inventory_id"),
        approved=Approval(approved.get("by"), _date(approved.get("date"))) if approved else None,
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
        tags=tuple(data.get("tags") or ()) if isinstance(data.get("tags"), list) else (),
        badge=_optional(data, "badge", Badge),
        completion=data.get("completion"),
        language=data.get("language"),
        supervision=data.get("supervision"),
        quality_assurance=data.get("quality_assurance"),
        eqf_level=data.get("eqf_level"),
        ctid=data.get("ctid"),
        redirect_from=tuple(r for r in data.get("redirect_from") or () if isinstance(r, str))
        if isinstance(data.get("redirect_from"), list)
        else (),
        apply=_optional(data, "apply", Apply),
        offerings=tuple(
            _offering(item) for item in _list(data, "offerings") if isinstance(item, dict)
        ),
        certifications=_items(data, "certifications", Certification),
        prerequisites=tuple(p for p in _list(data, "prerequisites") if isinstance(p, str)),
    )


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _cost(value) -> Cost | None:
    """The cost record, made even from a broken mapping (see ``_fields``)."""
    if not isinstance(value, dict) or not value:
        return None
    return Cost(**{**_fields(Cost, value), "tiers": _items(value, "tiers", CostTier)})


def _offering(value: dict) -> Offering:
    given = _fields(Offering, value)
    return Offering(**{**given, "start": _date(given.get("start")), "end": _date(given.get("end"))})


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
