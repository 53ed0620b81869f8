"""The public website: every HTML page, plus sitemap, Atom feed, robots.txt and assets.

Owns ``write_pages``, which renders the Jinja2 templates of ``theme/templates`` for
a published catalog, one small function per kind of page (home and its sorted and
grouped browse pages, credentials and their versioned criteria pages, redirects from
earlier slugs, institutions, pathways, 404, feed, sitemap) with ``templates.py``'s
writer, and copies ``theme/static`` to ``/assets/``.

Browsing works without JavaScript: the home page lists every credential by title,
``/browse/by-credits/`` and ``/browse/by-hours/`` are the same list in the other
sort orders, and ``/browse/skills/`` and ``/browse/careers/`` group it. The search
script uses the same orders through Pagefind sort keys written on each credential
page, so a sorted search and a sorted browse page agree.

An edit build renders again only the pages whose inputs changed (``build/reuse.py``). The
list pages are keyed by what they list (``SiteWriter.listed``): the records they show and
the few other values their contexts are made from, so an unchanged one is neither given
its context nor walked; the orders and groups are computed once a build (``Listing``).
``tests/test_list_page_keys.py`` proves each key against clean builds.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from markupsafe import Markup

from microcred.build import lean, workers
from microcred.build.reuse import Reuse
from microcred.build.shards import EVERYTHING, Scope
from microcred.build.writing import copy_file, relative_to
from microcred.content.load import slugify
from microcred.content.model import (
    DELIVERY_MODES,
    LEVELS,
    Catalog,
    Credential,
    Institution,
    Pathway,
)
from microcred.content.urls import GUIDE_PAGES, VERIFY_PATH, all_versions, in_registry
from microcred.locations import DOCS, THEME
from microcred.site import enrolment, schema_org
from microcred.site.diagrams import pathway_svg, step_note
from microcred.site.labels import (
    badge_alt,
    credit_kind,
    delivery_label,
    level_label,
    type_label,
)
from microcred.site.templates import SiteWriter, jsonld_script

ORDERS: dict[str, Callable[[Credential], tuple]] = {
    "title": lambda c: (c.title.casefold(), c.slug),
    "credits": lambda c: (not c.credit_bearing, c.credits or 0, c.title.casefold(), c.slug),
    "hours": lambda c: (c.credit_bearing, c.hours or 0, c.title.casefold(), c.slug),
    "cost": enrolment.cost_key,
}
"""The orders that depend only on the credential; ``orders(today)`` adds "start"."""
ORDER_LABELS = {
    "title": "title, A to Z",
    "credits": "fewest credits first",
    "hours": "fewest hours first",
    "cost": "lowest cost first",
    "start": "starting soonest first",
}
ORDER_NOTES = {
    "title": "",
    "credits": "Credit-bearing micro-credentials come first; non-credit ones follow by title.",
    "hours": "Non-credit micro-credentials come first; credit-bearing ones follow by title.",
    "cost": "By the lowest price stated; those whose price is on the college's page, "
    "or not given, follow by title.",
    "start": "By the next start date open to new learners; self-paced ones follow, then "
    "those with no offering listed.",
}
BROWSE_PATHS = {
    "title": "/",
    "credits": "/browse/by-credits/",
    "hours": "/browse/by-hours/",
    "cost": "/browse/by-cost/",
    "start": "/browse/by-start/",
}


def orders(today: date) -> dict[str, Callable[[Credential], tuple]]:
    """Every sort order's key on the build's date ``today``: ``ORDERS`` and "start"."""
    return {**ORDERS, "start": lambda c: enrolment.start_key(c, today)}


PAGE_SIZE = 48
"""Cards per browse page: a system catalog of 10,000 stays quick to load without JS."""
FEED_SIZE = 50
"""Entries in the Atom feed: the most recently changed credentials, as feed readers expect."""


def browse_page_path(order: str, number: int) -> str:
    """Page ``number`` of a browse order: page 1 is the order's own page."""
    return BROWSE_PATHS[order] if number == 1 else f"/browse/by-{order}/page/{number}/"


@dataclass(frozen=True)
class BrowsePage:
    """One page of a sorted browse list, with what its pagination links need."""

    order: str
    number: int
    count: int
    credentials: list[Credential]
    total: int

    @property
    def first_shown(self) -> int:
        """The position in the whole list of this page's first credential; 0 when there is none."""
        return (self.number - 1) * PAGE_SIZE + 1 if self.credentials else 0

    @property
    def last_shown(self) -> int:
        """The position in the whole list of this page's last credential."""
        return (self.number - 1) * PAGE_SIZE + len(self.credentials)

    def path(self, number: int) -> str:
        """The site path of page ``number`` of this page's order."""
        return browse_page_path(self.order, number)

    @property
    def nearby(self) -> list[int]:
        """Page numbers to link: the first, the last and two either side of this one."""
        near = {1, self.count, *range(self.number - 2, self.number + 3)}
        return sorted(n for n in near if 1 <= n <= self.count)


def paged(order: str, ordered: list[Credential]) -> list[BrowsePage]:
    """``ordered`` (already sorted by ``order``) in pages of ``PAGE_SIZE``; at least one."""
    count = max(1, -(-len(ordered) // PAGE_SIZE))
    return [
        BrowsePage(order, n, count, ordered[(n - 1) * PAGE_SIZE : n * PAGE_SIZE], len(ordered))
        for n in range(1, count + 1)
    ]


@dataclass(frozen=True, slots=True)
class FilterField:
    """One search filter on the home page: its Pagefind key, label and the values offered."""

    key: str
    label: str
    any: str
    values: tuple[str, ...]
    hint: str = ""


GROUP_PREVIEW = 12
"""Credentials listed under a skill or career on the browse-by page; the rest are on the
skill's or career's own page, so the browse-by page stays small at system scale."""


@dataclass(frozen=True, slots=True)
class Group:
    """One skill or career on a browse-by page, with the credentials that name it."""

    name: str
    credentials: tuple[Credential, ...]
    path: str = ""

    @property
    def preview(self) -> tuple[Credential, ...]:
        """The first ``GROUP_PREVIEW`` credentials, those listed on the browse-by page."""
        return self.credentials[:GROUP_PREVIEW]

    @property
    def more(self) -> int:
        """How many credentials beyond the preview are listed only on the group's own page."""
        return max(0, len(self.credentials) - GROUP_PREVIEW)


def sort_ranks(
    credentials: Iterable[Credential], today: date | None = None
) -> dict[str, dict[str, str]]:
    """Each credential's position in every sort order on the build's date ``today``,
    zero-padded for Pagefind's sort."""
    return Listing(credentials, today or date(1970, 1, 1)).ranks()


def _distinct(values: Iterable[str], key=str.casefold) -> tuple[str, ...]:
    return tuple(sorted(set(values), key=lambda v: (key(v), v)))


AVAILABILITY = {
    "active": "Open to new learners",
    "proposed": "Proposed, not yet offered",
    "suspended": "Suspended or closed",
    "closed": "Suspended or closed",
}
"""The availability filter's value for each status; the search hides "Suspended or closed"
unless the learner asks to see them."""


SEARCH_EXAMPLES = 3
"""How many of the catalog's own skill names the search box offers as examples."""


def search_examples(catalog: Catalog) -> tuple[str, ...]:
    """The skills most open credentials teach, to suggest in the search box: taken from the
    catalog, so every example finds a credential the search shows by default (suspended and
    closed ones are hidden). Ties go to the name; names over 30 characters are left out."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for credential in catalog.credentials:
        if credential.status != "active":
            continue
        taught = {s.name.strip().casefold(): s.name.strip() for s in credential.skills}
        for key, name in taught.items():
            if name and len(name) <= 30:
                counts[key] = counts.get(key, 0) + 1
                names.setdefault(key, name)
    ranked = sorted(counts, key=lambda key: (-counts[key], key, names[key]))
    return tuple(names[key] for key in ranked[:SEARCH_EXAMPLES])


def search_filters(catalog: Catalog, today: date | None = None) -> list[FilterField]:
    """The home page's filters in learners' words (the procedure's terms as hints), offering
    only values some published credential has."""
    credentials = catalog.credentials
    today = today or date(1970, 1, 1)
    institutions = {c.institution for c in credentials}
    modes = {mode for c in credentials for mode in c.delivery}
    levels = {c.level for c in credentials if c.level}
    bands = {band for c in credentials for band in enrolment.cost_bands(c)}
    cost_values = [label for _, label in enrolment.COST_BANDS] + [enrolment.NO_PRICE]
    starts: dict[str, date] = {}
    for c in credentials:
        for o in enrolment.upcoming(c, today):
            if o.term and o.status in enrolment.OPEN_STATUSES:
                first = o.start or date.max
                starts[o.term] = min(starts.get(o.term, first), first)
    return [
        FilterField(
            "cost",
            "What you can pay",
            "Any cost",
            tuple(v for v in cost_values if v in bands),
            "The lowest price for any learner; check the page for who pays it.",
        ),
        FilterField(
            "starts",
            "Starts",
            "Any start",
            tuple(sorted(starts, key=lambda term: (starts[term], term))),
            "Terms and cohorts open for enrolment, soonest first.",
        ),
        FilterField(
            "institution",
            "College or university",
            "Any college or university",
            _distinct(catalog.institution_by_id[i].name for i in institutions),
        ),
        FilterField(
            "delivery",
            "Online or on campus",
            "Any way of taking part",
            tuple(delivery_label(m) for m in DELIVERY_MODES if m in modes),
        ),
        FilterField(
            "credit",
            "College credit",
            "With or without college credit",
            _distinct(map(credit_kind, credentials)),
        ),
        FilterField(
            "type",
            "Kind of skill",
            "Any kind of skill",
            _distinct(type_label(c.type) for c in credentials if c.type),
            "The procedure's two types: skills for one industry, or skills for any job.",
        ),
        FilterField(
            "level", "Level", "Any level", tuple(level_label(v) for v in LEVELS if v in levels)
        ),
        FilterField(
            "skill", "Skill", "Any skill", _distinct(s.name for c in credentials for s in c.skills)
        ),
        FilterField(
            "career",
            "Career",
            "Any career",
            _distinct(k.title for c in credentials for k in c.careers),
        ),
    ]


def _groups(
    by_title: Iterable[Credential], names: Callable[[Credential], Iterable[str]], order: str
):
    """Credentials (``by_title``: in title order) grouped under each name (skill or
    career), then by first letter.

    Each group has its own page, ``/browse/<order>/<slug>/``, listing all its credentials;
    slugs that two names share are told apart by a number.
    """
    grouped: dict[str, tuple[str, list[Credential]]] = {}
    for credential in by_title:
        for name in dict.fromkeys(names(credential)):
            grouped.setdefault(name.casefold(), (name, []))[1].append(credential)
    letters: dict[str, list[Group]] = {}
    taken: set[str] = set()
    for key in sorted(grouped):
        name, members = grouped[key]
        base = slugify(name) or order.rstrip("s")
        slug = base
        for n in itertools.count(2):
            if slug not in taken:
                break
            slug = f"{base}-{n}"
        taken.add(slug)
        letter = key[0].upper() if key[0].isalpha() else "#"
        group = Group(name, tuple(members), f"/browse/{order}/{slug}/")
        letters.setdefault(letter, []).append(group)
    return list(letters.items())


GROUP_NAMES: dict[str, tuple[str, Callable[[Credential], Iterable[str]]]] = {
    "skills": ("skill", lambda c: (s.name for s in c.skills)),
    "careers": ("career", lambda c: (k.title for k in c.careers)),
}
"""The browse-by pages: each order's noun and the names a credential is grouped under."""


class Listing:
    """The published credentials sorted and grouped once per build, on its date ``today``:
    what the ranks, the browse and group pages and the sitemap share (each sorted the
    catalog again before)."""

    def __init__(self, credentials: Iterable[Credential], today: date):
        self.credentials = list(credentials)
        self.today = today
        self._ordered: dict[str, list[Credential]] = {}
        self._letters: dict[str, list[tuple[str, list[Group]]]] = {}
        self._linked: dict[int, str] = {}

    def ordered(self, order: str) -> list[Credential]:
        """The credentials sorted by ``order``."""
        if order not in self._ordered:
            self._ordered[order] = sorted(self.credentials, key=orders(self.today)[order])
        return self._ordered[order]

    def pages(self, order: str) -> list[BrowsePage]:
        """The browse pages of ``order``."""
        return paged(order, self.ordered(order))

    def ranks(self) -> dict[str, dict[str, str]]:
        """Each credential's position in every sort order (``sort_ranks``)."""
        ranks: dict[str, dict[str, str]] = {c.slug: {} for c in self.credentials}
        for order in orders(self.today):
            for rank, credential in enumerate(self.ordered(order), start=1):
                ranks[credential.slug][order] = f"{rank:06d}"
        return ranks

    def linked(self, credentials: Iterable[Credential]) -> str:
        """All that a list of links to ``credentials`` shows of them (each one's path,
        title, status mark and institution: ``group.html``, ``groups.html``), as one
        string: the key of a group's page, which a summary edit leaves as it was (a key
        of the records themselves rendered every group of an edited credential again,
        thousands of entries long on a large catalog)."""
        shown = self._linked
        parts = []
        for credential in credentials:
            part = shown.get(id(credential))
            if part is None:
                part = shown[id(credential)] = repr(
                    (credential.slug, credential.title, credential.status, credential.institution)
                )
            parts.append(part)
        return ",".join(parts)

    def letters(self, order: str) -> list[tuple[str, list[Group]]]:
        """The groups of a browse-by order ("skills", "careers") by first letter."""
        if order not in self._letters:
            self._letters[order] = _groups(self.ordered("title"), GROUP_NAMES[order][1], order)
        return self._letters[order]


def last_change(credential: Credential) -> date | None:
    """The latest date the content gives for a credential: effective, approved or reviewed."""
    dates = [
        credential.effective,
        credential.approved.date if credential.approved else None,
        credential.review.last if credential.review else None,
    ]
    known = [d for d in dates if d]
    return max(known) if known else None


def _atom_time(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _entry_times(days: list[date]) -> list[str]:
    """Distinct Atom instants for entries in feed order (newest day first).

    The content gives only dates, and feed validators warn when two entries share an
    ``updated`` instant; entries of one day get successive seconds of that day, the
    first in the feed the latest, so the times are distinct, ordered and reproducible.
    """
    times: list[str] = []
    for index, day in enumerate(days):
        later_same_day = sum(1 for other in days[index + 1 :] if other == day)
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            seconds=later_same_day
        )
        times.append(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return times


def _build_date() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), UTC).date() if epoch.isdigit() else date(1970, 1, 1)


# --- pages -----------------------------------------------------------------------


def _browse_context(page: BrowsePage, today: date) -> dict[str, Any]:
    return {
        "credentials": page.credentials,
        "browse": page,
        "order": page.order,
        "order_label": ORDER_LABELS[page.order],
        "order_note": ORDER_NOTES[page.order],
        "section": "catalog",
        "today": today,
    }


def write_home(site: SiteWriter, listing: Listing) -> None:
    """The home page and the sorted browse lists, each split into pages of PAGE_SIZE.

    A browse page is keyed by its place in its order and the records it shows; the home
    page by those and its filters and search examples (which every credential shapes).
    """
    catalog, today = site.catalog, listing.today
    for order in BROWSE_PATHS:
        for page in listing.pages(order):
            inputs = (order, page.number, page.count, page.total, page.credentials, today)
            if order != "title" or page.number != 1:
                context = functools.partial(_browse_context, page, today)
                site.listed(page.path(page.number), "browse.html", inputs, context)
                continue
            filters = search_filters(catalog, today)
            examples = search_examples(catalog)
            site.listed(
                page.path(1),
                "home.html",
                (*inputs, filters, examples),
                lambda page=page, filters=filters, examples=examples: {
                    "filters": filters,
                    "search_examples": examples,
                    "jsonld": jsonld_script(schema_org.home_jsonld(catalog, page.credentials)),
                    **_browse_context(page, today),
                },
            )


def write_groups(site: SiteWriter, listing: Listing) -> None:
    """The browse-by-skill and browse-by-career pages, and a page for each skill and career.

    A group's page is keyed by what it shows of the credentials it lists
    (``Listing.linked``); a browse-by page by each group's name, path, size and what it
    shows of the credentials of its preview (all it shows of a group). Both keys
    hold the build's date too: the templates show no date today, but every template may
    read the global ``today``, and a key must not depend on which one does.
    """
    today = listing.today
    for order, (noun, _) in GROUP_NAMES.items():
        letters = listing.letters(order)
        shown = [
            (
                letter,
                [(g.name, g.path, len(g.credentials), listing.linked(g.preview)) for g in groups],
            )
            for letter, groups in letters
        ]
        site.listed(
            f"/browse/{order}/",
            "groups.html",
            (order, noun, shown, today),
            lambda order=order, noun=noun, letters=letters: {
                "order": order,
                "noun": noun,
                "letters": letters,
                "groups": bool(letters),
                "section": "catalog",
            },
        )
        for _, groups in letters:
            for group in groups:
                site.listed(
                    group.path,
                    "group.html",
                    (order, noun, group.name, listing.linked(group.credentials), today),
                    lambda order=order, noun=noun, group=group: {
                        "order": order,
                        "noun": noun,
                        "group": group,
                        "section": "catalog",
                    },
                )


def _stacking(catalog: Catalog, credential: Credential) -> list[dict[str, Any]]:
    items = []
    for stack in credential.stacks_into:
        program = catalog.program_by_id.get(stack.program)
        items.append(
            {
                "name": program.name if program else stack.program,
                "award": program.award if program else "",
                "institution": program.institution if program else credential.institution,
                "credits_applied": stack.credits_applied,
                "via": stack.via,
            }
        )
    return items


def write_credential(
    site: SiteWriter, credential: Credential, ranks: dict[str, str], today: date | None = None
) -> None:
    """A credential's page and the criteria page of each of its versions, the current one
    included (``/credentials/<slug>/v<N>/``); ``today`` is the build's date, which decides
    the offerings still to come."""
    catalog = site.catalog
    institution = catalog.institution_by_id[credential.institution]
    today = today or enrolment.build_date(catalog)
    # The current version's criteria, the same on its page and its v<N>/ page: once.
    criteria = site.env.get_template("_macros.html").module.criteria
    current_criteria = criteria(credential, credential, institution)
    site.render(
        credential.url,
        "credential.html",
        criteria_html=current_criteria,
        credential=credential,
        upcoming=enrolment.upcoming(credential, today),
        next_offering=enrolment.next_offering(credential, today),
        cost_summary=enrolment.cost_summary(credential.cost),
        cost_bands=enrolment.cost_bands(credential),
        starts=enrolment.start_band(credential, today),
        availability=AVAILABILITY[credential.status],
        prerequisites=enrolment.prerequisite_links(catalog, credential),
        institution=institution,
        badge_alt=badge_alt(credential, institution.name),
        sort_ranks=ranks,
        stacking=_stacking(catalog, credential),
        pathways=catalog.pathways_with(credential.slug),
        earlier=catalog.earlier_versions.get(credential.slug, ()),
        version_url=f"{credential.url}v{credential.version}/",
        ctdl_exported=in_registry(credential),
        jsonld=jsonld_script(schema_org.credential_jsonld(catalog, credential, today)),
        section="catalog",
    )
    versions = (*catalog.earlier_versions.get(credential.slug, ()), credential)
    for version in versions:
        site.render(
            f"{credential.url}v{version.version}/",
            "version.html",
            criteria_html=current_criteria if version.version == credential.version else None,
            version=version,
            current=credential,
            is_current=version.version == credential.version,
            others=[v for v in versions if v.version != version.version],
            institution=catalog.institution_by_id[version.institution],
            badge_alt=badge_alt(credential, institution.name),
            section="catalog",
        )


def write_redirects(site: SiteWriter, credential: Credential) -> None:
    """Earlier slugs keep working: their pages and versioned criteria pages forward here."""
    versions = [v.version for v in site.catalog.earlier_versions.get(credential.slug, ())]
    for old in credential.redirect_from:
        if old in site.catalog.credential_by_slug:
            continue
        targets = {"": credential.url}
        targets.update(
            {f"v{n}/": f"{credential.url}v{n}/" for n in [*versions, credential.version]}
        )
        for suffix, target in targets.items():
            site.render(
                f"/credentials/{old}/{suffix}",
                "redirect.html",
                target=target,
                title=credential.title,
            )


def _location(institution: Institution) -> str:
    place = institution.location
    return ", ".join(part for part in (place.city, place.region, place.country) if part)


def write_institution(site: SiteWriter, institution: Institution, stacked: dict[str, list]) -> None:
    """An institution's page: its credentials, pathways, and each program with the credentials
    that stack into it (``stacked``, by program id)."""
    site.page(
        f"/institutions/{institution.id}/",
        "institution.html",
        institution=institution,
        location=_location(institution),
        credentials=sorted(site.catalog.credentials_of(institution.id), key=ORDERS["title"]),
        pathways=sorted(site.catalog.pathways_of(institution.id), key=lambda p: p.title.casefold()),
        programs=[(p, stacked.get(p.id, [])) for p in institution.programs],
        section="institutions",
    )


def write_institutions(site: SiteWriter, scope: Scope = EVERYTHING) -> None:
    """Every institution's page (those ``scope`` renders), and ``/institutions/`` listing each
    with its numbers of credentials and pathways (when ``scope`` writes spanning outputs)."""
    catalog = site.catalog
    stacked: dict[str, list[Credential]] = {}
    for credential in sorted(catalog.credentials, key=ORDERS["title"]):
        for program in dict.fromkeys(s.program for s in credential.stacks_into):
            stacked.setdefault(program, []).append(credential)
    for institution in scope.of(catalog.institutions, lambda i: i.id):
        write_institution(site, institution, stacked)
    if not scope.spanning:
        return
    rows = [
        (i, len(catalog.credentials_of(i.id)), len(catalog.pathways_of(i.id)))
        for i in sorted(catalog.institutions, key=lambda i: i.name.casefold())
    ]
    site.page("/institutions/", "institutions.html", institutions=rows, section="institutions")


def write_pathway(site: SiteWriter, pathway: Pathway) -> None:
    """A pathway's page: its steps with what each applies, the credits in all, and its diagram.

    Keyed by the pathway, its institution and award, and its steps' credentials: all the
    page and its diagram are drawn from, so a kept page's diagram is not drawn.
    """
    catalog = site.catalog
    institution = catalog.institution_by_id[pathway.institution]
    program = catalog.program_by_id.get(pathway.award)
    credentials = [catalog.credential_by_slug.get(step.credential) for step in pathway.steps]

    def context() -> dict[str, Any]:
        total = sum(step.credits_applied or 0 for step in pathway.steps)
        steps = [
            (step, credential, step_note(step.credits_applied, step.via))
            for step, credential in zip(pathway.steps, credentials, strict=True)
        ]
        return {
            "pathway": pathway,
            "institution": institution,
            "program": program,
            "steps": steps,
            "total_credits": total,
            "diagram": Markup(pathway_svg(catalog, pathway, total)),
            "section": "pathways",
        }

    site.listed(pathway.url, "pathway.html", (pathway, institution, program, credentials), context)


def write_pathways(site: SiteWriter, scope: Scope = EVERYTHING) -> None:
    """Every pathway's page (of the institutions ``scope`` renders), and the ``/pathways/``
    list by title (when ``scope`` writes spanning outputs)."""
    catalog = site.catalog
    for pathway in scope.of(catalog.pathways):
        write_pathway(site, pathway)
    if not scope.spanning:
        return
    rows = [
        (p, catalog.institution_by_id[p.institution], catalog.program_by_id.get(p.award))
        for p in sorted(catalog.pathways, key=lambda p: p.title.casefold())
    ]
    site.page("/pathways/", "pathways.html", pathways=rows, section="pathways")


MAX_BADGE_BYTES = 4 * 1024 * 1024
"""The largest badge file or pasted text the check page reads: a baked badge image is
well under 1 MB, and anything bigger is refused before it is parsed."""


def write_verify(site: SiteWriter) -> None:
    """The badge check page, ``/verify/``: its script (``theme/static/verify.js``) reads a
    dropped or pasted badge in the browser, uploads nothing and fetches only
    ``/catalog.json``; without JavaScript the page explains how to check a badge by hand."""
    site.page(
        VERIFY_PATH,
        "verify.html",
        max_bytes=MAX_BADGE_BYTES,
        max_size_label=f"{MAX_BADGE_BYTES // (1024 * 1024)} MB",
        section="",
    )


def guide_paths() -> list[str]:
    """The guide pages the ``guides`` stage writes."""
    return [path for name, path in GUIDE_PAGES.items() if (DOCS / name).is_file()]


def sitemap_urls(
    catalog: Catalog, changes: dict[str, date | None], listing: Listing | None = None
) -> list[tuple[str, str | None]]:
    """Every HTML page the site writes but redirects and 404, with a lastmod when known."""
    listing = listing or Listing(catalog.credentials, enrolment.build_date(catalog))
    urls: list[tuple[str, str | None]] = []
    for order in BROWSE_PATHS:
        for page in listing.pages(order):
            urls.append((page.path(page.number), None))
    for order in GROUP_NAMES:
        urls.append((f"/browse/{order}/", None))
        for _, groups in listing.letters(order):
            urls += [(group.path, None) for group in groups]
    for credential in catalog.credentials:
        lastmod = changes[credential.slug]
        urls.append((credential.url, lastmod.isoformat() if lastmod else None))
        for version in all_versions(catalog, credential):
            urls.append((f"{credential.url}v{version.version}/", None))
    urls += [("/institutions/", None)] + [
        (f"/institutions/{i.id}/", None) for i in catalog.institutions
    ]
    urls += [("/pathways/", None)] + [(p.url, None) for p in catalog.pathways]
    urls += [(path, None) for path in guide_paths()]
    urls.append((VERIFY_PATH, None))
    return urls


def write_plumbing(site: SiteWriter, listing: Listing | None = None) -> None:
    """404 page, Atom feed, sitemap and robots.txt. The sitemap is keyed by its lines, joined
    into one string (21,000 of them at 10,000 credentials: one hash, not a walk)."""
    catalog = site.catalog
    site.page("/404.html", "404.html")
    changes = {c.slug: last_change(c) for c in catalog.credentials}
    known = [d for d in changes.values() if d]
    updated = max(known) if known else _build_date()
    entries = sorted(
        catalog.credentials, key=lambda c: (-(changes[c.slug] or updated).toordinal(), c.slug)
    )[:FEED_SIZE]
    times = _entry_times([changes[c.slug] or updated for c in entries])
    site.page(
        "/feed.xml",
        "feed.xml",
        updated=times[0] if times else _atom_time(updated),
        entries=[
            (c, catalog.institution_by_id[c.institution], time)
            for c, time in zip(entries, times, strict=True)
        ],
    )
    urls = sitemap_urls(catalog, changes, listing)
    lines = "\n".join(f"{path}\t{lastmod}" for path, lastmod in urls)
    site.listed("/sitemap.xml", "sitemap.xml", (lines,), lambda: {"urls": urls})
    site.write(
        "/robots.txt",
        f"User-agent: *\nAllow: /\n\nSitemap: {catalog.site.url('/sitemap.xml')}\n",
    )


def copy_assets(site: SiteWriter) -> None:
    """Copy ``theme/static`` to ``/assets/`` in the output, recording each file written."""
    source = THEME / "static"
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = site.out / "assets" / path.relative_to(source)
            site.written.append(copy_file(path, target))


def _write_credentials(
    job: tuple[SiteWriter, dict[str, dict[str, str]], date], credentials: Iterable[Credential]
) -> list[tuple[str, list[str]]]:
    """Each credential's slug and the files of its pages (relative to the site); runs in
    a worker process."""
    site, ranks, today = job
    made = []
    for credential in credentials:
        before = len(site.written)
        # Its body, held out of the build's memory, read back from its file (``lean.py``).
        write_credential(site, lean.restored(credential), ranks[credential.slug], today)
        write_redirects(site, credential)
        made.append((credential.slug, relative_to(site.out, site.written[before:])))
        del site.written[before:]
    return made


def credential_inputs(
    site: SiteWriter, credential: Credential, ranks: dict[str, str], today: date | None = None
) -> tuple:
    """What a credential's pages show besides the shared inputs (see ``reuse.py``): the
    build's date ``today`` decides which offerings are still to come.

    The values that are not records (``credential_values``) are one ``repr``, made in one
    call and hashed as one string; the records (the credential, its earlier versions, its
    pathways) are hashed by their digests (``Keys``).
    """
    catalog = site.catalog
    return (
        repr(credential_values(catalog, credential, ranks, today)),
        credential,
        catalog.earlier_versions.get(credential.slug, ()),
        catalog.pathways_with(credential.slug),
    )


def credential_values(
    catalog: Catalog, credential: Credential, ranks: dict[str, str], today: date | None
) -> tuple:
    """The values a credential's pages show that are not records: the date, the
    prerequisites' titles and paths, the ranks, which earlier slugs another credential
    holds. Only strings, booleans, ``None`` and dates, in tuples and lists, whose ``repr``
    shows every part of them, so their ``repr`` is as good a key as the values
    (``tests/test_list_page_keys.py`` holds the fixture sites to it)."""
    taken = catalog.credential_by_slug
    return (
        today,
        enrolment.prerequisite_links(catalog, credential),
        tuple(ranks.values()),
        [old in taken for old in credential.redirect_from],
    )


def write_pages(
    catalog: Catalog, out: Path, reuse: Reuse | None = None, scope: Scope = EVERYTHING
) -> list[Path]:
    """Write every page of the published ``catalog`` under ``out``; return the files written.

    A credential's pages are one unit of reuse; every other page is its own (``page``).
    ``scope`` says which institutions' pages (credentials, versions, redirects, institution
    and pathway pages) are rendered, and whether the lists, feed, sitemap and assets are.
    """
    site = SiteWriter(catalog, Path(out).resolve(), reuse)
    today = enrolment.build_date(catalog)
    listing = Listing(catalog.credentials, today)  # sorted once for the ranks and the lists
    ranks = listing.ranks()  # ranks span institutions: all of them
    todo = [
        credential
        for credential in scope.of(catalog.credentials)
        if not site.reuse.kept(
            f"credential:{credential.slug}",
            *credential_inputs(site, credential, ranks[credential.slug], today),
        )
    ]
    for template in ("credential.html", "version.html", "redirect.html"):
        site.env.get_template(template)  # compiled once, here, for every worker to inherit
    site.env.get_template("_macros.html").module  # noqa: B018 - made once, here, likewise
    # The list pages, feed and sitemap touch every record (reference counts): rendered
    # before the workers are forked, they copy none of the memory this process shares with
    # them (docs/performance.md, *Memory on the long shape: bodies out of the parent*, and
    # *The feed and sitemap before the fork*). The data package's validation runs meanwhile.
    if scope.spanning:
        write_home(site, listing)
        write_groups(site, listing)
        write_plumbing(site, listing)
    write_institutions(site, scope)
    write_pathways(site, scope)
    with workers.start_chunks(_write_credentials, (site, ranks, today), todo) as results:
        if scope.spanning:
            write_verify(site)
            copy_assets(site)
        for made in results():
            for slug, files in made:
                site.reuse.made(f"credential:{slug}", files)
                site.written.extend(site.out / file for file in files)
    return site.written
