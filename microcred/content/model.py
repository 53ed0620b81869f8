"""Typed, immutable records of a catalog: site, institutions, credentials, pathways.

These are what every stage after validation works with. They are built only from
documents that passed the structural checks (see ``records.py``), so their fields
hold the types declared here and nothing else. Optional fields are ``None`` or an
empty tuple, never a missing key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

Number = int | float


def number_text(value: Number, grouped: bool = False) -> str:
    """A number without a needless ``.0`` (``6.0`` → ``6``, ``127.5`` → ``127.5``);
    ``grouped`` writes thousands with commas, for pages (``1,500``)."""
    if float(value).is_integer():
        return f"{int(value):,}" if grouped else str(int(value))
    return f"{value:,}" if grouped else str(value)


STATUSES = ("proposed", "active", "suspended", "closed")
DELIVERY_MODES = ("online", "in-person", "hybrid")
CREDENTIAL_TYPES = ("industry-specific-technical-skill", "transferable-skill")
AWARDS = ("certificate", "diploma", "associate", "bachelor", "master", "doctorate")
LEVELS = ("noncredit", "undergraduate", "graduate")
STACKING_ROUTES = ("prior-learning", "articulation")


@dataclass(frozen=True, slots=True)
class Site:
    """The site settings of ``content/site.yml``: title, base URL, procedure (``policy``),
    language, description, and the GitHub repository proposals are made in (with its
    branch) for the guides to link to."""

    title: str
    base_url: str
    policy: str = "minnstate-3.36.2"
    language: str = "en"
    description: str = ""
    repository: str = ""
    repository_branch: str = "main"

    def url(self, path: str) -> str:
        """The absolute URL of a site path such as ``/credentials/x/``."""
        return self.base_url.rstrip("/") + path


@dataclass(frozen=True, slots=True)
class Location:
    """Where an institution is: city, region (state) and country, each optional."""

    city: str | None = None
    region: str | None = None
    country: str | None = None

    def address_fields(self) -> dict[str, str]:
        """The parts given, under their schema.org names (which Open Badges 3.0's
        ``Address`` shares): ``addressLocality``, ``addressRegion``, ``addressCountry``."""
        return {
            key: value
            for key, value in (
                ("addressLocality", self.city),
                ("addressRegion", self.region),
                ("addressCountry", self.country),
            )
            if value
        }


@dataclass(frozen=True, slots=True)
class Program:
    """An academic program of an institution, which credentials stack into and pathways lead to."""

    id: str
    name: str
    award: str
    credits: Number | None
    institution: str


@dataclass(frozen=True, slots=True)
class Institution:
    """A college or university that issues credentials: its contact details, location and
    programs. ``id`` is its file's name in ``content/institutions/``."""

    id: str
    source: str
    name: str
    url: str
    email: str
    description: str = ""
    image: str | None = None
    ctid: str | None = None
    location: Location = field(default_factory=Location)
    programs: tuple[Program, ...] = ()
    policy: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """One learning outcome and how it is assessed."""

    outcome: str
    assessment: str


@dataclass(frozen=True, slots=True)
class EmployerValidation:
    """How business and industry validated a credential: the partners and how they took part."""

    partners: tuple[str, ...]
    method: str


@dataclass(frozen=True, slots=True)
class Course:
    """One course of a credit-bearing credential (code, title, credits), or one module of a
    non-credit one (title, and optionally its code and hours)."""

    title: str
    code: str | None = None
    credits: Number | None = None
    hours: Number | None = None


@dataclass(frozen=True, slots=True)
class Stacking:
    """An academic program (by id) a credential stacks into, the credits it applies, and for a
    non-credit credential how it earns them (``via``: prior learning or articulation)."""

    program: str
    credits_applied: Number | None = None
    via: str | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved a credential (the president or designee), and on what date."""

    by: str
    date: date


@dataclass(frozen=True, slots=True)
class CoSponsor:
    """An outside partner that co-sponsors a credential, and the reference of its agreement."""

    name: str
    agreement: str


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill a credential aligns to, optionally in a framework (O*NET, ESCO, ...) with its
    code and web page."""

    name: str
    framework: str | None = None
    code: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Career:
    """An occupation a credential leads to, with its Standard Occupational Classification code."""

    title: str
    soc: str | None = None


@dataclass(frozen=True, slots=True)
class CostTier:
    """The price one audience pays, such as current students or community members."""

    audience: str
    amount: Number


@dataclass(frozen=True, slots=True)
class Cost:
    """What a credential costs the learner, in ``currency``: one ``amount``, a price per
    audience (``tiers``), or only a ``note`` and a ``url`` where the price is published.
    ``amount`` is ``None`` unless the content states it; 0 is an explicit "free"."""

    amount: Number | None = None
    currency: str = "USD"
    note: str | None = None
    tiers: tuple[CostTier, ...] = ()
    url: str | None = None

    @property
    def lowest(self) -> Number | None:
        """The lowest price stated (the amount, or the cheapest tier); ``None`` when the
        content gives no number."""
        amounts = [t.amount for t in self.tiers] if self.tiers else [self.amount]
        known = [a for a in amounts if a is not None]
        return min(known) if known else None


OFFERING_STATUSES = ("open", "waitlist", "opening-soon", "closed")


@dataclass(frozen=True, slots=True)
class Offering:
    """One run of a credential: a term, cohort or section with its dates, schedule, delivery,
    location, enrolment status and registration page."""

    status: str
    term: str | None = None
    start: date | None = None
    end: date | None = None
    schedule: str | None = None
    delivery: str | None = None
    location: str | None = None
    url: str | None = None

    def is_past(self, today: date) -> bool:
        """Whether the offering has ended (or, without an end date, started) before ``today``."""
        last = self.end or self.start
        return last is not None and last < today


@dataclass(frozen=True, slots=True)
class Apply:
    """Where and how a learner applies or registers: a page, steps in words, or both."""

    url: str | None = None
    steps: str | None = None


@dataclass(frozen=True, slots=True)
class Certification:
    """An industry certification a credential prepares for or includes: its name, the
    certifying body, whether the exam fee is included and the body's page about it."""

    name: str
    body: str
    included: bool | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """The dates of a credential's last quality review and of the next one due."""

    last: date | None = None
    next: date | None = None


@dataclass(frozen=True, slots=True)
class Badge:
    """A credential's digital badge: its image (under ``content/``), the image's text
    alternative, the badge platform's template id, the badge's public page on the
    platform (``url``) and the platform's name when its host does not say it, each
    optional."""

    image: str | None = None
    alt: str | None = None
    template_id: str | None = None
    url: str | None = None
    platform: str | None = None


@dataclass(frozen=True, slots=True)
class Credential:
    """One micro-credential at one criteria ``version``: the current one from
    ``content/credentials/<slug>.md``, or a frozen earlier one from ``content/versions/``."""

    slug: str
    source: str
    title: str
    summary: str
    institution: str
    type: str
    credit_bearing: bool
    eligibility: str
    outcomes: tuple[Outcome, ...]
    delivery: tuple[str, ...]
    employer_validation: EmployerValidation
    status: str
    version: int
    contact: str
    body: str = ""
    credits: Number | None = None
    courses: tuple[Course, ...] = ()
    stacks_into: tuple[Stacking, ...] = ()
    stacking_rationale: str | None = None
    hours: Number | None = None
    inventory_id: str | None = None
    approved: Approval | None = None
    co_sponsors: tuple[CoSponsor, ...] = ()
    prior_learning: str | None = None
    skills: tuple[Skill, ...] = ()
    careers: tuple[Career, ...] = ()
    level: str | None = None
    duration: str | None = None
    cost: Cost | None = None
    financial_aid: str | None = None
    review: Review | None = None
    effective: date | None = None
    tags: tuple[str, ...] = ()
    badge: Badge | None = None
    completion: str | None = None
    language: str | None = None
    supervision: str | None = None
    quality_assurance: str | None = None
    eqf_level: int | None = None
    ctid: str | None = None
    redirect_from: tuple[str, ...] = ()
    apply: Apply | None = None
    offerings: tuple[Offering, ...] = ()
    certifications: tuple[Certification, ...] = ()
    prerequisites: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """The credential's site path, ``/credentials/<slug>/``."""
        return f"/credentials/{self.slug}/"


@dataclass(frozen=True, slots=True)
class PathwayStep:
    """One step of a pathway: a credential's slug, the credits it applies to the award and how
    (``via``) a non-credit credential earns them."""

    credential: str
    credits_applied: Number | None = None
    via: str | None = None


@dataclass(frozen=True, slots=True)
class Pathway:
    """A micro-pathway: credentials taken in order (``steps``) that stack into an award, the id
    of an academic program."""

    slug: str
    source: str
    title: str
    summary: str
    institution: str
    award: str
    steps: tuple[PathwayStep, ...]
    body: str = ""

    @property
    def url(self) -> str:
        """The pathway's site path, ``/pathways/<slug>/``."""
        return f"/pathways/{self.slug}/"


def _group_versions(earlier) -> Mapping[str, tuple[Credential, ...]]:
    grouped: dict[str, list[Credential]] = {}
    for credential in earlier:
        grouped.setdefault(credential.slug, []).append(credential)
    return MappingProxyType(
        {slug: tuple(sorted(vs, key=lambda c: c.version)) for slug, vs in sorted(grouped.items())}
    )


def _group(items, keys) -> Mapping:
    """``items`` under each of their keys, in order."""
    found: dict[str, list] = {}
    for item in items:
        for key in keys(item):
            found.setdefault(key, []).append(item)
    return MappingProxyType({key: tuple(values) for key, values in found.items()})


def _index(items, key) -> Mapping:
    return MappingProxyType({key(item): item for item in items})


@dataclass(frozen=True, slots=True)
class Catalog:
    """The whole linked catalog, with look-ups by id. Build it with ``Catalog.of``."""

    site: Site
    institutions: tuple[Institution, ...]
    credentials: tuple[Credential, ...]
    pathways: tuple[Pathway, ...]
    institution_by_id: Mapping[str, Institution]
    credential_by_slug: Mapping[str, Credential]
    pathway_by_slug: Mapping[str, Pathway]
    program_by_id: Mapping[str, Program]
    earlier_versions: Mapping[str, tuple[Credential, ...]]
    """Frozen earlier criteria versions of each credential, oldest first
    (from ``content/versions/<slug>/v<N>.md``)."""
    by_institution: tuple[Mapping[str, tuple[Credential, ...]], Mapping[str, tuple[Pathway, ...]]]
    """Each institution's credentials and pathways."""
    pathways_by_step: Mapping[str, tuple[Pathway, ...]]
    """The pathways each credential is a step of."""
    policies: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Each policy profile's name and source URL by id, for pages that say which applies."""

    @classmethod
    def of(
        cls, site: Site, institutions, credentials, pathways, earlier=(), policies=None
    ) -> Catalog:
        """Link the records into a catalog, each kind sorted by id or slug, with every look-up
        built; ``earlier`` are the frozen earlier versions of credentials, ``policies`` the
        names and source URLs of the policy profiles by id."""
        institutions = tuple(sorted(institutions, key=lambda i: i.id))
        credentials = tuple(sorted(credentials, key=lambda c: c.slug))
        pathways = tuple(sorted(pathways, key=lambda p: p.slug))
        programs = [program for inst in institutions for program in inst.programs]
        return cls(
            site=site,
            institutions=institutions,
            credentials=credentials,
            pathways=pathways,
            institution_by_id=_index(institutions, lambda i: i.id),
            credential_by_slug=_index(credentials, lambda c: c.slug),
            pathway_by_slug=_index(pathways, lambda p: p.slug),
            program_by_id=_index(programs, lambda p: p.id),
            earlier_versions=_group_versions(earlier),
            by_institution=(
                _group(credentials, lambda c: (c.institution,)),
                _group(pathways, lambda p: (p.institution,)),
            ),
            pathways_by_step=_group(
                pathways, lambda p: dict.fromkeys(s.credential for s in p.steps)
            ),
            policies=MappingProxyType(dict(policies or {})),
        )

    def published(self, include_proposed: bool = False) -> Catalog:
        """The catalog as published: proposals only when previewing a pull request.

        Pathways are kept; a step whose credential is not published is shown as
        "not yet available" by the pages that draw it.
        """
        if include_proposed:
            return self
        shown = [c for c in self.credentials if c.status != "proposed"]
        earlier = [v for versions in self.earlier_versions.values() for v in versions]
        return Catalog.of(
            self.site, self.institutions, shown, self.pathways, earlier, self.policies
        )

    def policy_of(self, credential: Credential) -> tuple[str, str, str]:
        """The id, name and source URL of the policy profile ``credential`` is checked
        against: its institution's, else the catalog's."""
        return self.policy_of_institution(self.institution_by_id.get(credential.institution))

    def policy_of_institution(self, institution: Institution | None) -> tuple[str, str, str]:
        """The id, name and source URL of the policy profile an institution's credentials
        are checked against: its own, else the catalog's."""
        chosen = (institution.policy if institution else None) or self.site.policy
        name, url = self.policies.get(chosen, (chosen, ""))
        return chosen, name, url

    def credentials_of(self, institution_id: str) -> tuple[Credential, ...]:
        """The credentials of the institution ``institution_id``, in slug order."""
        return self.by_institution[0].get(institution_id, ())

    def pathways_of(self, institution_id: str) -> tuple[Pathway, ...]:
        """The pathways of the institution ``institution_id``, in slug order."""
        return self.by_institution[1].get(institution_id, ())

    def pathways_with(self, slug: str) -> tuple[Pathway, ...]:
        """The pathways that include the credential ``slug`` as a step."""
        return self.pathways_by_step.get(slug, ())
