"""What a learner needs to decide and enrol: the build's date, upcoming offerings, cost.

Owns the reading of ``apply``, ``offerings`` and ``cost`` that every output shares:
which offerings are still to come on the build's date (``upcoming``), the next one
(``next_offering``), the short cost a card shows (``cost_summary``), the cost and
start-date bands the search filters offer, and the sort keys "lowest cost first" and
"starting soonest first".

The build's date is ``SOURCE_DATE_EPOCH`` when it is set, else the newest date the
content gives (an effective, approval or last-review date), so the same content
always builds the same site. Offering dates are not counted: the latest end date would
make every other offering past.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from microcred.content.model import Catalog, Cost, Credential, Offering
from microcred.site.labels import money

OPEN_STATUSES = ("open", "waitlist", "opening-soon")
"""Offering statuses a learner can still act on (register, join a waitlist, watch for)."""
OFFERING_LABELS = {
    "open": "Open for enrolment",
    "waitlist": "Waitlist only",
    "opening-soon": "Registration opening soon",
    "closed": "Enrolment closed",
}
COST_BANDS = ((0, "Free"), (500, "Up to $500"), (1500, "Up to $1,500"))
"""Cost filter values: a credential is in every band its lowest price fits (a free one
is also "Up to $500"), so one choice shows everything a learner can afford."""
NO_PRICE = "Price on the college's page"


def content_date(catalog: Catalog) -> date | None:
    """The newest effective, approval or last-review date of any credential, or ``None``."""
    dates = [
        d
        for c in catalog.credentials
        for d in (
            c.effective,
            c.approved.date if c.approved else None,
            c.review.last if c.review else None,
        )
        if d
    ]
    return max(dates) if dates else None


def build_date(catalog: Catalog) -> date:
    """``SOURCE_DATE_EPOCH``'s day when set, else ``content_date``, else 1970-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return content_date(catalog) or date(1970, 1, 1)


def upcoming(credential: Credential, today: date) -> tuple[Offering, ...]:
    """The offerings that have not ended by ``today``, earliest start first (undated ones,
    such as self-paced, after the dated ones, in the content's order)."""
    current = [o for o in credential.offerings if not o.is_past(today)]
    return tuple(sorted(current, key=lambda o: (o.start is None, o.start or today)))


def next_offering(credential: Credential, today: date) -> Offering | None:
    """The first upcoming offering a learner can act on, else the first upcoming one."""
    shown = upcoming(credential, today)
    actionable = [o for o in shown if o.status in OPEN_STATUSES]
    return (actionable or list(shown) or [None])[0]


def offering_label(status: str) -> str:
    """``open`` → ``Open for enrolment``, in a learner's words."""
    return OFFERING_LABELS.get(status, status)


def cost_summary(cost: Cost | None) -> str:
    """The cost in a few words: ``$1,290``, ``Free``, ``Free to $1,290, by audience``, or
    ``Price on the college's page`` when the content gives no number; empty without cost."""
    if cost is None:
        return ""
    if cost.tiers:
        amounts = sorted({t.amount for t in cost.tiers})
        low, high = amounts[0], amounts[-1]
        if low == high:
            return money(low, cost.currency)
        return f"{money(low, cost.currency)} to {money(high, cost.currency)}, by audience"
    if cost.amount is not None:
        return money(cost.amount, cost.currency)
    return NO_PRICE


def cost_bands(credential: Credential) -> tuple[str, ...]:
    """The cost filter values a credential is in (see ``COST_BANDS``); a cost given only as
    a note or a page is ``NO_PRICE``; a credential without cost is in none."""
    if credential.cost is None:
        return ()
    lowest = credential.cost.lowest
    if lowest is None:
        return (NO_PRICE,)
    if credential.cost.currency != "USD":
        return ()
    return tuple(label for limit, label in COST_BANDS if lowest <= limit)


def start_band(credential: Credential, today: date) -> tuple[str, ...]:
    """The "Starts" filter values: the term of each upcoming offering open to learners."""
    return tuple(
        dict.fromkeys(
            o.term for o in upcoming(credential, today) if o.term and o.status in OPEN_STATUSES
        )
    )


def cost_key(credential: Credential) -> tuple:
    """Sort key, lowest cost first: stated prices by amount, then those without a number."""
    lowest = credential.cost.lowest if credential.cost else None
    return (lowest is None, lowest or 0, credential.title.casefold(), credential.slug)


def start_key(credential: Credential, today: date) -> tuple:
    """Sort key, starting soonest first: the next dated offering open to learners, then
    credentials with undated (self-paced) offerings, then those with none."""
    starts = [o.start for o in upcoming(credential, today) if o.status in OPEN_STATUSES and o.start]
    undated = any(o.status in OPEN_STATUSES and not o.start for o in upcoming(credential, today))
    rank = 0 if starts else (1 if undated else 2)
    first = min(starts) if starts else today
    return (rank, first, credential.title.casefold(), credential.slug)


def prerequisite_links(catalog: Catalog, credential: Credential) -> list[tuple[str, str | None]]:
    """Each prerequisite as (text, path): a catalog credential's title and page, or the
    text as written with no link."""
    found = []
    for item in credential.prerequisites:
        other = catalog.credential_by_slug.get(item)
        found.append((other.title, other.url) if other else (item, None))
    return found
