"""The procedure's rules for one credential, one small named function each.

Structural requirements (required fields, types, the credit-bearing, non-credit and
approval conditions) live in the JSON Schemas; the rules here need judgement or
arithmetic. Each rule is registered with its id, severity and the part of the
procedure it enforces, and yields ``Finding``s: a field path, what is wrong and how
to fix it. ``Policy`` holds the limits that differ between Minnesota State's
Procedure 3.36.2 (the default) and SUNY's stricter rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from microcred.content.model import Credential, number_text
from microcred.reporting.problems import ERROR, WARNING


@dataclass(frozen=True, slots=True)
class Policy:
    """The limits that differ between procedures (see ``POLICIES``).

    ``limits_are_errors`` makes the limit rules errors rather than warnings;
    ``max_credits_inclusive`` allows exactly ``max_credits``; ``part_prefix`` names the
    procedure in a rule's part, as in ``Part 6B Timeframe`` or ``SUNY 6B Timeframe``.
    """

    id: str
    name: str
    limits_are_errors: bool
    min_courses: int
    min_credits: float | None
    max_credits: float
    max_credits_inclusive: bool
    min_hours: float | None
    requires_cost_and_aid: bool
    part_prefix: str


POLICIES = {
    "minnstate-3.36.2": Policy(
        id="minnstate-3.36.2",
        name="Minnesota State System Procedure 3.36.2",
        limits_are_errors=False,
        min_courses=2,
        min_credits=None,
        max_credits=16,
        max_credits_inclusive=False,
        min_hours=None,
        requires_cost_and_aid=False,
        part_prefix="Part",
    ),
    "suny": Policy(
        id="suny",
        name="SUNY micro-credential guidance",
        limits_are_errors=True,
        min_courses=2,
        min_credits=6,
        max_credits=16,
        max_credits_inclusive=True,
        min_hours=127.5,
        requires_cost_and_aid=True,
        part_prefix="SUNY",
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found: the field path it is about, what is wrong and how to fix it."""

    field: tuple
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered credential rule: its id, the procedure part it enforces (which may hold
    ``{policy}``), its severity (``None``: a policy limit) and its check."""

    id: str
    part: str
    severity: str | None
    check: Callable[[Credential, Policy, date], Iterator[Finding]]

    def severity_under(self, policy: Policy) -> str:
        """Fixed severity, or (for the policy's limits) error under SUNY, warning else."""
        if self.severity:
            return self.severity
        return ERROR if policy.limits_are_errors else WARNING

    def part_under(self, policy: Policy) -> str:
        """The part as cited under ``policy``, ``{policy}`` replaced by its ``part_prefix``."""
        return self.part.format(policy=policy.part_prefix)


RULES: list[Rule] = []


def rule(rule_id: str, part: str, severity: str | None = ERROR):
    """Register a credential rule. ``severity=None``: a policy limit (see Rule)."""

    def register(check):
        RULES.append(Rule(rule_id, part, severity, check))
        return check

    return register


@rule("course-credits", "Part 6B")
def course_credits_add_up(c: Credential, policy: Policy, today: date):
    """Error (Part 6B) when a credit-bearing credential's course credits do not add up to
    its ``credits``."""
    if not c.credit_bearing or c.credits is None or not c.courses:
        return
    total = sum(course.credits for course in c.courses)
    if not math.isclose(total, c.credits, abs_tol=1e-9):
        yield Finding(
            ("courses",),
            f"the courses add up to {number_text(total)} credits, but `credits` is "
            f"{number_text(c.credits)}",
            "Make `credits` equal the sum of the course credits, or correct a course",
        )


@rule("course-count", "{policy} 6B Timeframe", severity=None)
def enough_courses(c: Credential, policy: Policy, today: date):
    """A credit-bearing credential listing fewer courses than the policy's minimum (6B
    Timeframe); a policy limit: an error under SUNY, a warning otherwise."""
    if c.credit_bearing and c.courses and len(c.courses) < policy.min_courses:
        usually = "" if policy.limits_are_errors else "usually "
        yield Finding(
            ("courses",),
            f"lists {len(c.courses)} course; a credit-bearing micro-credential is {usually}"
            f"at least {policy.min_courses} courses",
            "Add the other course(s), or explain the exception to your reviewers",
        )


@rule("credit-range", "{policy} 6B Timeframe", severity=None)
def credits_in_range(c: Credential, policy: Policy, today: date):
    """A credit-bearing credential's ``credits`` outside the policy's range (6B Timeframe):
    under 16 for Minnesota State, 6 to 16 for SUNY; an error under SUNY, a warning otherwise."""
    if not c.credit_bearing or c.credits is None:
        return
    low, high = policy.min_credits, policy.max_credits
    too_high = c.credits > high if policy.max_credits_inclusive else c.credits >= high
    if too_high or (low is not None and c.credits < low):
        if low is not None:
            bounds = f"{number_text(low)} to {number_text(high)} credits"
        else:
            bounds = f"fewer than {number_text(high)} credits"
        yield Finding(
            ("credits",),
            f"{number_text(c.credits)} credits is outside {policy.name}'s limit of {bounds}",
            f"Resize the micro-credential to {bounds}",
        )


@rule("noncredit-hours", "SUNY non-credit", severity=None)
def enough_hours(c: Credential, policy: Policy, today: date):
    """A non-credit credential with fewer ``hours`` than the policy's minimum (SUNY non-credit:
    127.5); a policy limit, so an error under SUNY; policies without a minimum skip it."""
    if policy.min_hours is None or c.credit_bearing or c.hours is None:
        return
    if c.hours < policy.min_hours:
        yield Finding(
            ("hours",),
            f"{number_text(c.hours)} hours is less than the {number_text(policy.min_hours)} hours "
            f"{policy.name} requires of a non-credit micro-credential",
            f"Plan at least {number_text(policy.min_hours)} hours of learning and assessment",
        )


@rule("cost-and-aid", "SUNY costs and financial aid")
def states_cost_and_aid(c: Credential, policy: Policy, today: date):
    """Error (SUNY costs and financial aid) for each of ``cost`` and ``financial_aid`` that
    is missing, when the policy requires them (SUNY)."""
    if not policy.requires_cost_and_aid:
        return
    if c.cost is None:
        yield Finding(
            ("cost",),
            "`cost` is missing; SUNY requires every cost to be stated",
            "Add `cost: {amount: 0, currency: USD, note: ...}`",
        )
    if not c.financial_aid:
        yield Finding(
            ("financial_aid",),
            "`financial_aid` is missing",
            "Add `financial_aid:` saying which aid applies, or that none does",
        )


PARTICIPATION = {
    "attendance",
    "attend",
    "attending",
    "attended",
    "participation",
    "participate",
    "participating",
    "participated",
    "present",
    "presence",
    "sign",
    "signing",
    "seat",
}
FILLER = {
    "a",
    "all",
    "an",
    "and",
    "at",
    "by",
    "class",
    "classes",
    "complete",
    "completed",
    "completion",
    "course",
    "every",
    "for",
    "full",
    "in",
    "is",
    "meeting",
    "meetings",
    "of",
    "on",
    "only",
    "or",
    "required",
    "session",
    "sessions",
    "sheet",
    "the",
    "time",
    "to",
    "workshop",
    "workshops",
    "in-class",
    "based",
    "verified",
    "record",
    "records",
    "tracked",
    "roster",
    "log",
    "percent",
    "100",
    "80",
    "90",
}


@rule("participation-only", "Part 2")
def assessed_beyond_participation(c: Credential, policy: Policy, today: date):
    """Error (Part 2) for an outcome assessed by attendance or participation only: every
    word of its assessment is in ``PARTICIPATION`` or ``FILLER``, and one in the first."""
    for index, outcome in enumerate(c.outcomes):
        words = set(re.findall(r"[a-z0-9-]+", outcome.assessment.lower()))
        if words & PARTICIPATION and words <= PARTICIPATION | FILLER:
            yield Finding(
                ("outcomes", index, "assessment"),
                f'"{outcome.assessment}" assesses attendance or participation only; '
                "micro-credentials based only on participation are not permitted",
                "Name an assessment of the outcome itself: a test, project, observed "
                "performance or portfolio",
            )


UNMEASURABLE = re.compile(
    r"^\s*(understand|know|learn|appreciate|be aware of|become familiar with|"
    r"be familiar with|gain an understanding)\b",
    re.IGNORECASE,
)


@rule("measurable-outcome", "Part 6A Criteria", severity=WARNING)
def outcomes_measurable(c: Credential, policy: Policy, today: date):
    """Warning (Part 6A Criteria) for an outcome starting with a verb that cannot be
    observed or measured, such as understand or know (``UNMEASURABLE``)."""
    for index, outcome in enumerate(c.outcomes):
        verb = UNMEASURABLE.match(outcome.outcome)
        if verb:
            yield Finding(
                ("outcomes", index, "outcome"),
                f'starts with "{verb.group(1)}", which cannot be observed or measured',
                "Start with a verb whose result can be assessed, such as identify, "
                "explain, apply, demonstrate or write",
            )


@rule("review-overdue", "Part 9", severity=WARNING)
def review_not_overdue(c: Credential, policy: Policy, today: date):
    """Warning (Part 9) when an active or suspended credential's next review date has passed."""
    if c.status in ("active", "suspended") and c.review and c.review.next and c.review.next < today:
        yield Finding(
            ("review", "next"),
            f"the review due {c.review.next.isoformat()} has passed",
            "Review the micro-credential with its constituents, then update `review`",
        )


@rule("stacking-credits", "Part 6B")
def stacking_within_credits(c: Credential, policy: Policy, today: date):
    """Error (Part 6B) for a ``stacks_into`` entry applying more credits than the
    credit-bearing credential carries."""
    if not c.credit_bearing or c.credits is None:
        return
    for index, stack in enumerate(c.stacks_into):
        if stack.credits_applied is not None and stack.credits_applied > c.credits:
            yield Finding(
                ("stacks_into", index, "credits_applied"),
                f"applies {number_text(stack.credits_applied)} credits, more than the "
                f"{number_text(c.credits)} the micro-credential carries",
                f"Apply at most {number_text(c.credits)} credits",
            )


@rule("approval-date", "Part 7B", severity=WARNING)
def approval_not_in_future(c: Credential, policy: Policy, today: date):
    """Warning (Part 7B) when the approval date is after today."""
    if c.approved and c.approved.date > today:
        yield Finding(
            ("approved", "date"),
            f"the approval date {c.approved.date.isoformat()} is in the future",
            "Record the date the president or designee approved it",
        )


APPLICATION_REQUIRED = frozenset({"minnstate-3.36.2"})
"""The procedures that require learners to complete an application to enrol (3.36.2
Part 5); SUNY's guidance has no such requirement, so its profile does not warn."""


@rule("apply-missing", "Part 5", severity=WARNING)
def says_how_to_apply(c: Credential, policy: Policy, today: date):
    """Warning (Part 5) for an active credential without ``apply``, under procedures whose
    learners must complete an application to enrol (``APPLICATION_REQUIRED``)."""
    if policy.id in APPLICATION_REQUIRED and c.status == "active" and c.apply is None:
        yield Finding(
            ("apply",),
            "does not say how to apply; learners must complete an application to enrol in "
            "a micro-credential",
            "Add `apply: {url: https://..., steps: ...}` with the application or "
            "registration page, or the steps to apply",
        )
