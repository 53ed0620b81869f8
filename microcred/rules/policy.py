"""The policy rules for one credential, one small named function each.

Structural requirements (required fields, types, the credit-bearing and non-credit
conditions) live in the JSON Schemas and in each policy profile's ``required``; the
rules here need judgement or arithmetic. Each rule is registered with its id, default
severity and the part of Minnesota State Procedure 3.36.2 it enforces, and yields
``Finding``s: a field path, what is wrong and how to fix it. The ``Profile`` a
credential is checked under (``rules/profile.py``) gives each rule its severity
(``off`` skips it), its parameters (limits) and the citation its messages carry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from microcred.content.model import Credential, number_text
from microcred.reporting.problems import ERROR, WARNING
from microcred.rules.profile import Profile
from microcred.rules.schema import is_placeholder


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found: the field path it is about, what is wrong and how to fix it."""

    field: tuple
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered credential rule: its id, the part of Procedure 3.36.2 it enforces, its
    default severity and its check."""

    id: str
    part: str
    severity: str
    check: Callable[[Credential, Profile, date | None], Iterator[Finding]]
    dated: tuple[tuple[str, ...], ...] = ()
    """The fields a rule that compares with the check's date names (empty: it reads no
    date, and is given none). A file's check without these rules depends on its bytes
    alone, so it is kept across days (``build/checked.py``); these run over every record
    in every check, and the positions of their fields travel with the kept check."""

    def severity_under(self, profile: Profile) -> str:
        """The rule's severity under ``profile``: ``error``, ``warning`` or ``off``."""
        return profile.severity(self.id, self.severity)

    def part_under(self, profile: Profile) -> str:
        """What the rule's messages cite under ``profile``."""
        return profile.cite(self.id, self.part)


RULES: list[Rule] = []


def rule(rule_id: str, part: str, severity: str = ERROR, dated: tuple = ()):
    """Register a credential rule with its Procedure 3.36.2 part and default severity;
    ``dated`` names the fields of a rule that compares them with the check's date."""

    def register(check):
        RULES.append(Rule(rule_id, part, severity, check, dated))
        return check

    return register


def undated() -> list[Rule]:
    """The rules whose findings depend on the credential and its profile alone."""
    return [r for r in RULES if not r.dated]


def dated() -> list[Rule]:
    """The rules that compare a credential's dates with the check's date."""
    return [r for r in RULES if r.dated]


def dated_fields() -> frozenset[tuple[str, ...]]:
    """Every field a dated rule's findings name."""
    return frozenset(field for r in RULES for field in r.dated)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@rule("course-credits", "Part 6B")
def course_credits_add_up(c: Credential, policy: Profile, today: date | None):
    """Error (Part 6B) when a credit-bearing credential's course credits do not add up to
    its ``credits``; a course without credits is reported by the structural check, and
    the others are still added up only when every course has them."""
    if c.credit_bearing is not True or not _number(c.credits) or not c.courses:
        return
    credits = [course.credits for course in c.courses]
    if not all(_number(value) for value in credits):
        return
    total = sum(credits)
    if not math.isclose(total, c.credits, abs_tol=1e-9):
        yield Finding(
            ("courses",),
            f"the courses add up to {number_text(total)} credits, but `credits` is "
            f"{number_text(c.credits)}",
            "Make `credits` equal the sum of the course credits, or correct a course",
        )


@rule("course-hours", "Part 6C")
def module_hours_add_up(c: Credential, policy: Profile, today: date | None):
    """Error (Part 6C) when every module of a non-credit credential gives its hours and
    they do not add up to its ``hours``."""
    if c.credit_bearing is not False or not _number(c.hours) or not c.courses:
        return
    hours = [course.hours for course in c.courses]
    if not all(_number(value) for value in hours):
        return
    total = sum(hours)
    if not math.isclose(total, c.hours, abs_tol=1e-9):
        yield Finding(
            ("courses",),
            f"the modules add up to {number_text(total)} hours, but `hours` is "
            f"{number_text(c.hours)}",
            "Make `hours` equal the sum of the module hours, or correct a module",
        )


@rule("duplicate-course", "Part 6B")
def courses_listed_once(c: Credential, policy: Profile, today: date | None):
    """Error (Part 6B) for a course listed twice: the same code (ignoring case and
    spaces), or, for modules without codes, the same title."""
    seen: dict[str, int] = {}
    for index, course in enumerate(c.courses):
        key = course.code if isinstance(course.code, str) else course.title
        if not isinstance(key, str) or is_placeholder(key):
            continue
        key = re.sub(r"\s+", "", key).casefold()
        if key in seen:
            what = f"`{course.code}`" if isinstance(course.code, str) else f'"{course.title}"'
            yield Finding(
                ("courses", index),
                f"{what} is already listed as courses[{seen[key]}]",
                "List each course once; remove the repeat or correct its code",
            )
        else:
            seen[key] = index


@rule("course-count", "Part 6B Timeframe", severity=WARNING)
def enough_courses(c: Credential, policy: Profile, today: date | None):
    """A credit-bearing credential listing fewer courses than the profile's ``min``
    (Procedure 3.36.2: usually at least 2, a warning)."""
    least = policy.param("course-count", "min", 2)
    if c.credit_bearing is True and c.courses and len(c.courses) < least:
        usually = "usually " if policy.severity("course-count", WARNING) == WARNING else ""
        yield Finding(
            ("courses",),
            f"lists {len(c.courses)} course; a credit-bearing micro-credential is {usually}"
            f"at least {number_text(least)} courses",
            "Add the other course(s), or explain the exception to your reviewers",
        )


@rule("credit-range", "Part 6B Timeframe", severity=WARNING)
def credits_in_range(c: Credential, policy: Profile, today: date | None):
    """A credit-bearing credential's ``credits`` outside the profile's ``min`` to ``max``
    (``max_inclusive: false``: fewer than ``max``, as Procedure 3.36.2's under 16)."""
    if c.credit_bearing is not True or not _number(c.credits):
        return
    low = policy.param("credit-range", "min")
    high = policy.param("credit-range", "max")
    inclusive = policy.param("credit-range", "max_inclusive", True)
    if high is None and low is None:
        return
    too_high = high is not None and (c.credits > high if inclusive else c.credits >= high)
    if too_high or (low is not None and c.credits < low):
        if low is not None and high is not None:
            bounds = f"{number_text(low)} to {number_text(high)} credits"
        elif high is not None:
            bounds = f"{'at most' if inclusive else 'fewer than'} {number_text(high)} credits"
        else:
            bounds = f"at least {number_text(low)} credits"
        yield Finding(
            ("credits",),
            f"{number_text(c.credits)} credits is outside {policy.name}'s limit of {bounds}",
            f"Resize the micro-credential to {bounds}",
        )


@rule("noncredit-hours", "Part 6C", severity=ERROR)
def enough_hours(c: Credential, policy: Profile, today: date | None):
    """A non-credit credential with fewer ``hours`` than the profile's ``min`` (Binghamton:
    127.5) or more than its ``max``; profiles without either skip it."""
    low = policy.param("noncredit-hours", "min")
    high = policy.param("noncredit-hours", "max")
    if c.credit_bearing is not False or not _number(c.hours):
        return
    if low is not None and c.hours < low:
        yield Finding(
            ("hours",),
            f"{number_text(c.hours)} hours is less than the {number_text(low)} hours "
            f"{policy.name} requires of a non-credit micro-credential",
            f"Plan at least {number_text(low)} hours of learning and assessment",
        )
    elif high is not None and c.hours > high:
        yield Finding(
            ("hours",),
            f"{number_text(c.hours)} hours is more than the {number_text(high)} hours "
            f"{policy.name} allows a non-credit micro-credential",
            f"Plan at most {number_text(high)} hours, or split the micro-credential",
        )


EVIDENCE = re.compile(
    r"\b(tests?|tested|testing|exams?|examination|quiz(zes)?|projects?|portfolios?|"
    r"observ\w*|performance|performs?|rubrics?|scor\w*|grades?|graded|grading|"
    r"papers?|essays?|reports?|presentations?|demonstrat\w*|evaluat\w*|inspect\w*|"
    r"assignments?|artifacts?|artefacts?|practical|practicum|simulations?|labs?|capstone|"
    r"case (study|studies|analysis)|reflections?|videos?|posters?|checklists?|"
    r"certification|written|oral|interviews?|role-plays?|deliverables?|"
    r"plans?|memos?|work products?|verified by)\b",
    re.IGNORECASE,
)
"""Words that name assessed evidence: a test, project, portfolio, observed performance,
rubric, scored or graded work, and the like."""
PARTICIPATION = re.compile(
    r"\b(attend\w*|participat\w*|presence|present at|engage\w*|log(s|ged)? ?in\w*|"
    r"sign(s|ed)? in|sign-in|seat time|contributes?|posts?|involve\w*|member(ship)?)\b",
    re.IGNORECASE,
)
COMPLETION = re.compile(
    r"\b(complet\w*|finish\w*|done|goes through|go through|watch\w*|views?|viewed|"
    r"reads?|takes?|taking|enrol\w*|registers?)\b",
    re.IGNORECASE,
)


def names_evidence(text: str) -> bool:
    """Whether an assessment names any assessed evidence (``EVIDENCE``)."""
    return bool(EVIDENCE.search(text))


@rule("participation-only", "Part 2")
def assessed_beyond_participation(c: Credential, policy: Profile, today: date | None):
    """Error (Part 2) for an outcome assessed by attendance or participation only: the
    assessment speaks of attending or taking part and names no assessed evidence."""
    for index, outcome in enumerate(c.outcomes):
        text = outcome.assessment
        if isinstance(text, str) and PARTICIPATION.search(text) and not names_evidence(text):
            yield Finding(
                ("outcomes", index, "assessment"),
                f'"{text}" assesses attendance or participation only; '
                "micro-credentials based only on participation are not permitted",
                "Name an assessment of the outcome itself: a test, project, observed "
                "performance or portfolio",
            )


@rule("completion-only", "Part 2")
def assessed_beyond_completion(c: Credential, policy: Profile, today: date | None):
    """Error (Part 2) for an outcome assessed by completion only: the assessment speaks of
    finishing or completing something and names no assessed evidence."""
    for index, outcome in enumerate(c.outcomes):
        text = outcome.assessment
        if not isinstance(text, str) or PARTICIPATION.search(text):
            continue
        if COMPLETION.search(text) and not names_evidence(text):
            yield Finding(
                ("outcomes", index, "assessment"),
                f'"{text}" records that something was finished, not what the learner '
                "can do; completion alone does not show the outcome was achieved",
                "Name the evidence that is assessed: a test, project, observed "
                "performance or portfolio, and how it is judged",
            )


ONLY_COMPLETE = re.compile(
    r"^\s*(successfully\s+)?(complete|finish|attend|participate in|take|pass)\b", re.IGNORECASE
)


@rule("completion-outcome", "Part 6A Criteria", severity=WARNING)
def outcomes_not_completion(c: Credential, policy: Profile, today: date | None):
    """Warning (Part 6A Criteria) for an outcome that is only "complete X" (or finish,
    attend, take, pass): a task done, not a skill the learner shows."""
    for index, outcome in enumerate(c.outcomes):
        text = outcome.outcome
        verb = ONLY_COMPLETE.match(text) if isinstance(text, str) else None
        if verb:
            yield Finding(
                ("outcomes", index, "outcome"),
                f'starts with "{verb.group(0).strip()}", which names a task done rather than '
                "what the learner can do",
                "State the skill the task shows, starting with a verb such as identify, "
                "explain, apply, demonstrate or write",
            )


UNMEASURABLE = re.compile(
    r"^\s*(understand|know|learn|appreciate|be aware of|become familiar with|"
    r"be familiar with|gain an understanding|acquire knowledge|gain knowledge|"
    r"demonstrate an awareness|demonstrate knowledge|understanding of|knowledge of|"
    r"awareness of|familiarity with|appreciation of)\b",
    re.IGNORECASE,
)


@rule("measurable-outcome", "Part 6A Criteria", severity=WARNING)
def outcomes_measurable(c: Credential, policy: Profile, today: date | None):
    """Warning (Part 6A Criteria) for an outcome starting with a verb that cannot be
    observed or measured, such as understand or know (``UNMEASURABLE``)."""
    for index, outcome in enumerate(c.outcomes):
        verb = UNMEASURABLE.match(outcome.outcome) if isinstance(outcome.outcome, str) else None
        if verb:
            yield Finding(
                ("outcomes", index, "outcome"),
                f'starts with "{verb.group(1)}", which cannot be observed or measured',
                "Start with a verb whose result can be assessed, such as identify, "
                "explain, apply, demonstrate or write",
            )


VAGUE_PARTNER = re.compile(
    r"^\s*((local|area|regional|various|several|many|multiple|our|community|industry|"
    r"business|employer|corporate)\s+)*(businesses|business partners|employers|companies|"
    r"industry( partners)?|partners|organizations|stakeholders|community)\s*$",
    re.IGNORECASE,
)


@rule("vague-partner", "Part 6A Employer Validated", severity=WARNING)
def partners_named(c: Credential, policy: Profile, today: date | None):
    """Warning (Part 6A Employer Validated) for a partner named only generically, such as
    "local businesses" or "industry partners": it validates nothing a reviewer can check."""
    for index, partner in enumerate(c.employer_validation.partners):
        if isinstance(partner, str) and VAGUE_PARTNER.match(partner):
            yield Finding(
                ("employer_validation", "partners", index),
                f'"{partner}" names no particular business or industry body',
                "Name each employer, association or advisory committee that took part",
            )


@rule("review-overdue", "Part 9", severity=WARNING, dated=(("review", "next"),))
def review_not_overdue(c: Credential, policy: Profile, today: date):
    """Warning (Part 9) when an active or suspended credential's next review date has passed."""
    if c.status in ("active", "suspended") and c.review and c.review.next and c.review.next < today:
        yield Finding(
            ("review", "next"),
            f"the review due {c.review.next.isoformat()} has passed",
            "Review the micro-credential with its constituents, then update `review`",
        )


@rule("stacking-credits", "Part 6B")
def stacking_within_credits(c: Credential, policy: Profile, today: date | None):
    """Error (Part 6B) for a ``stacks_into`` entry applying more credits than the
    credit-bearing credential carries."""
    if c.credit_bearing is not True or not _number(c.credits):
        return
    for index, stack in enumerate(c.stacks_into):
        applied = stack.credits_applied
        if _number(applied) and applied > c.credits:
            yield Finding(
                ("stacks_into", index, "credits_applied"),
                f"applies {number_text(applied)} credits, more than the "
                f"{number_text(c.credits)} the micro-credential carries",
                f"Apply at most {number_text(c.credits)} credits",
            )


@rule("approval-date", "Part 7B", severity=WARNING, dated=(("approved", "date"),))
def approval_not_in_future(c: Credential, policy: Profile, today: date):
    """Warning (Part 7B) when the approval date is after today."""
    if c.approved and isinstance(c.approved.date, date) and c.approved.date > today:
        yield Finding(
            ("approved", "date"),
            f"the approval date {c.approved.date.isoformat()} is in the future",
            "Record the date the president or designee approved it",
        )


@rule("apply-missing", "Part 5", severity=WARNING)
def says_how_to_apply(c: Credential, policy: Profile, today: date | None):
    """Warning (Part 5) for an active credential without ``apply``: Procedure 3.36.2 has
    learners complete an application to enrol. Profiles of policies without that
    requirement (``suny``, ``eu-2022``) turn it off."""
    if c.status == "active" and c.apply is None:
        yield Finding(
            ("apply",),
            "does not say how to apply; learners must complete an application to enrol in "
            "a micro-credential",
            "Add `apply:` on its own line, and below it, indented two spaces, `url: …` (the "
            "application or registration page) or `steps: …` (the steps to apply)",
        )
