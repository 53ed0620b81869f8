"""How catalog values read on a page: dates, credits, hours, money and labels.

Owns the plain-language wording of every coded value (status, type, delivery,
level, award, stacking route). The templates use these as Jinja filters; the
search filters and sort keys use the same words, so what a learner filters by is
exactly what the page says.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from microcred.content.model import Credential, Number, number_text

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

STATUS_LABELS = {
    "proposed": "Proposed, not yet approved",
    "active": "Active",
    "suspended": "Suspended",
    "closed": "Closed",
}
TYPE_LABELS = {
    "industry-specific-technical-skill": "Industry-specific technical skill",
    "transferable-skill": "Transferable skill",
}
DELIVERY_LABELS = {"online": "Online", "in-person": "In person", "hybrid": "Hybrid"}
LEVEL_LABELS = {"noncredit": "Non-credit", "undergraduate": "Undergraduate", "graduate": "Graduate"}
AWARD_LABELS = {
    "certificate": "Certificate",
    "diploma": "Diploma",
    "associate": "Associate degree",
    "bachelor": "Bachelor's degree",
    "master": "Master's degree",
    "doctorate": "Doctorate",
}
ROUTE_LABELS = {"prior-learning": "credit for prior learning", "articulation": "an articulation"}
CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "EUR": "€", "GBP": "£"}


def long_date(value: date | None) -> str:
    """``date(2025, 1, 13)`` → ``January 13, 2025``; empty for no date."""
    if value is None:
        return ""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def number(value: Number) -> str:
    """A number for reading, in groups of three: ``6.0`` → ``6``, ``1500`` → ``1,500``."""
    return number_text(value, grouped=True)


def badge_alt(credential: Credential, institution_name: str) -> str:
    """The text alternative of a badge image: the content's ``alt``, else a description."""
    if credential.badge and credential.badge.alt:
        return credential.badge.alt
    return f"Badge: {credential.title}, a micro-credential from {institution_name}"


def plural(value: Number, unit: str) -> str:
    """``1`` credit, ``1.5`` credits, ``12`` credits."""
    return f"{number(value)} {unit}" + ("" if value == 1 else "s")


def credits_label(value: Number | None) -> str:
    """``1 credit``, ``6 credits``; empty for ``None``."""
    return plural(value, "credit") if value is not None else ""


def hours_label(value: Number | None) -> str:
    """``1 hour``, ``40 hours``; empty for ``None``."""
    return plural(value, "hour") if value is not None else ""


def credit_kind(credential: Credential) -> str:
    """The credit-bearing filter value: ``Credit`` or ``Non-credit``."""
    return "Credit" if credential.credit_bearing else "Non-credit"


def workload(credential: Credential) -> str:
    """``Credit: 6 credits`` or ``Non-credit: 40 hours`` — the size of a credential."""
    if credential.credit_bearing:
        return f"Credit: {credits_label(credential.credits)}"
    return f"Non-credit: {hours_label(credential.hours)}"


def money(amount: Number, currency: str = "USD") -> str:
    """``1290, USD`` → ``$1,290``; a currency without a symbol keeps its code."""
    if amount == 0:
        return "Free"
    shown = number(amount) if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{shown}" if symbol else f"{shown} {currency}"


def _label(labels: dict[str, str]):
    def lookup(value: str | None) -> str:
        return labels.get(value, value or "") if value else ""

    return lookup


status_label = _label(STATUS_LABELS)
type_label = _label(TYPE_LABELS)
delivery_label = _label(DELIVERY_LABELS)
level_label = _label(LEVEL_LABELS)
award_label = _label(AWARD_LABELS)
route_label = _label(ROUTE_LABELS)


def delivery_list(modes: tuple[str, ...]) -> str:
    """``("online", "in-person")`` → ``Online, In person``."""
    return ", ".join(delivery_label(mode) for mode in modes)


PLATFORM_NAMES = {
    "credly.com": "Credly",
    "accredible.com": "Accredible",
    "badgr.com": "Badgr",
    "badgr.io": "Badgr",
    "openbadgefactory.com": "Open Badge Factory",
    "openbadgepassport.com": "Open Badge Passport",
    "badges.instructure.com": "Canvas Credentials",
    "parchment.com": "Parchment",
}
"""Badge platforms by the domain of their badge pages; any other host is named as it is."""


def platform_name(url: str, platform: str | None = None) -> str:
    """The badge platform a badge page is on: ``platform`` when given, else from the host
    (``https://www.credly.com/badges/x`` → ``Credly``; an unknown ``badges.example.edu``
    stays ``badges.example.edu``)."""
    if platform:
        return platform
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for domain, name in PLATFORM_NAMES.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host or "the badge platform"


FILTERS = {
    "long_date": long_date,
    "number": number,
    "credits": credits_label,
    "hours": hours_label,
    "credit_kind": credit_kind,
    "workload": workload,
    "status_label": status_label,
    "type_label": type_label,
    "delivery_label": delivery_label,
    "delivery_list": delivery_list,
    "level_label": level_label,
    "award_label": award_label,
    "route_label": route_label,
    "platform_name": platform_name,
}
"""Every helper above, by the name templates use it as a filter (``money`` takes two
arguments and is a global)."""
