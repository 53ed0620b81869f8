"""The procedure's rules, one specification each: a broken fixture and the exact message.

Each test starts from the valid ``tests/sites/minimal`` catalog, breaks one thing the
way an author might, and states what ``check`` must say.
"""

from __future__ import annotations

import pytest

from microcred.reporting.problems import field_name
from microcred.rules.policy import RULES

MIG = "credentials/mig-welding.md"
COMM = "credentials/office-communication.md"
PATHWAY = "pathways/into-welding.md"


def test_the_minimal_fixture_is_clean(minimal):
    assert minimal.messages() == []


# Part 2: micro-credentials based only on participation are not permitted.
def test_participation_only_assessment_is_an_error(minimal):
    minimal.edit(
        MIG,
        "assessment: Weld coupons inspected against AWS D1.1 criteria",
        "assessment: Attendance at all sessions",
    )
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:12:5: error [participation-only] "
        'outcomes[1].assessment: "Attendance at all sessions" assesses attendance or '
        "participation only; micro-credentials based only on participation are not "
        "permitted. Name an assessment of the outcome itself: a test, project, observed "
        "performance or portfolio. (Part 2)"
    ]


def test_participation_alongside_a_real_assessment_is_fine(minimal):
    minimal.edit(
        MIG,
        "assessment: Weld coupons inspected against AWS D1.1 criteria",
        "assessment: Attendance and a weld test inspected to AWS D1.1",
    )
    assert minimal.messages() == []


# Part 6A Criteria: clear, measurable outcomes.
@pytest.mark.parametrize(
    "verb", ["Understand", "Know", "Learn", "Appreciate", "Be aware of", "Become familiar with"]
)
def test_unmeasurable_outcome_verbs_warn(minimal, verb):
    minimal.edit(MIG, "outcome: Set up GMAW", f"outcome: {verb} GMAW")
    assert minimal.messages() == [
        f"content/credentials/mig-welding.md:9:5: warning [measurable-outcome] "
        f'outcomes[0].outcome: starts with "{verb}", which cannot be observed or measured. '
        f"Start with a verb whose result can be assessed, such as identify, explain, apply, "
        f"demonstrate or write. (Part 6A Criteria)"
    ]


# Part 6B: credit-bearing requirements.
def test_course_credits_must_add_up(minimal):
    minimal.edit(MIG, "credits: 4\n", "credits: 3\n")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:21:1: error [course-credits] courses: the courses "
        "add up to 5 credits, but `credits` is 6. Make `credits` equal the sum of the course "
        "credits, or correct a course. (Part 6B)"
    ]


def test_minnesota_warns_at_sixteen_credits_or_more(minimal):
    minimal.edit(MIG, "credits: 6\ncourses", "credits: 16\ncourses")
    minimal.edit(MIG, "credits: 4\n", "credits: 14\n")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:20:1: warning [credit-range] credits: 16 credits "
        "is outside Minnesota State System Procedure 3.36.2's limit of fewer than 16 credits. "
        "Resize the micro-credential to fewer than 16 credits. (Part 6B Timeframe)"
    ]


def test_minnesota_warns_about_a_single_course(minimal):
    minimal.edit(
        MIG, "  - code: WELD 1110\n    title: Welding Safety and Set-up\n    credits: 2\n", ""
    )
    minimal.edit(MIG, "credits: 6\ncourses", "credits: 4\ncourses")
    minimal.edit(MIG, "credits_applied: 6", "credits_applied: 4")
    minimal.edit(PATHWAY, "credits_applied: 6", "credits_applied: 4")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:21:1: warning [course-count] courses: lists 1 "
        "course; a credit-bearing micro-credential is usually at least 2 courses. Add the "
        "other course(s), or explain the exception to your reviewers. (Part 6B Timeframe)"
    ]


def test_credit_bearing_needs_credits_and_courses(minimal):
    text = minimal.path(MIG).read_text()
    start, end = text.index("credits: 6\ncourses"), text.index("stacks_into:")
    minimal.write(MIG, text[:start] + text[end:])
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:6:1: error [credit-bearing-requirements] courses: "
        "`courses` is missing; it is required because `credit_bearing` is `true` (line 6). "
        "Add `courses:` on its own line; below it, indented two spaces, `- code: …`, with "
        "`title: …` and `credits: …` on the next lines, lined up under `code`: the courses of the "
        "micro-credential: for a credit-bearing one each with its code and credits, which "
        "add up to its credits; a non-credit one may list its modules with their hours, "
        "which add up to its hours. (Part 6B)",
        "content/credentials/mig-welding.md:6:1: error [credit-bearing-requirements] credits: "
        "`credits` is missing; it is required because `credit_bearing` is `true` (line 6). Add "
        "`credits: …`: the total credits of a credit-bearing micro-credential. (Part 6B)",
    ]


def test_credit_bearing_stacks_or_gives_a_rationale(minimal):
    minimal.edit(MIG, "stacks_into:\n  - program: welding-diploma\n    credits_applied: 6\n", "")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:6:1: error [credit-bearing-stacking] needs "
        "`stacks_into` or `stacking_rationale`; it is required because `credit_bearing` is "
        "`true` (line 6). Add `stacks_into` or `stacking_rationale`. "
        "(Part 6B)"
    ]
    minimal.edit(
        MIG,
        "inventory_id:",
        "stacking_rationale: Industry asked for a stand-alone "
        "credential; no related award is offered.\ninventory_id:",
    )
    assert minimal.messages() == []


def test_stacking_cannot_apply_more_credits_than_it_carries(minimal):
    minimal.edit(MIG, "credits_applied: 6", "credits_applied: 9")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:30:5: error [stacking-credits] "
        "stacks_into[0].credits_applied: applies 9 credits, more than the 6 the "
        "micro-credential carries. Apply at most 6 credits. (Part 6B)"
    ]


# Part 6C: non-credit requirements.
def test_non_credit_needs_hours_and_a_route_to_credit(minimal):
    minimal.edit(COMM, "hours: 24\n", "")
    minimal.edit(COMM, "    via: prior-learning\n", "")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:6:1: error [noncredit-requirements] "
        "hours: `hours` is missing; it is required because `credit_bearing` is `false` "
        "(line 6). Add `hours: …`: the specific hours of a non-credit micro-credential. "
        "(Part 6C)",
        "content/credentials/office-communication.md:19:5: error [noncredit-requirements] "
        "stacks_into[0].via: `via` is missing; it is required because `credit_bearing` is "
        "`false` (line 6). Add `via: …`, one of `prior-learning`, `articulation`: how a "
        "non-credit micro-credential earns credit in the program. (Part 6C)",
    ]


# Part 6A System Record Entry and Part 7B: approved credentials carry their records.
def test_approved_credentials_need_inventory_and_approval(minimal):
    minimal.edit(
        COMM,
        "inventory_id: MC-1002\napproved:\n  by: Dean of Continuing Education "
        "(designee)\n  date: 2026-02-01\n",
        "",
    )
    assert minimal.messages() == [
        "content/credentials/office-communication.md:15:1: error [approval-record] approved: "
        "`approved` is missing; it is required because `status` is `active` (line 15). Add "
        "`approved:` on its own line; below it, indented two spaces, `by: …` and `date: "
        "YYYY-MM-DD` on the next lines, from your president's or designee's approval "
        "record. If it is not approved yet, write `status: proposed` instead. (Part 7B)",
        "content/credentials/office-communication.md:15:1: error [approval-record] "
        "inventory_id: `inventory_id` is missing; it is required because `status` is `active` "
        "(line 15). Add `inventory_id: …` from the record in your system's program inventory. "
        "If it is not approved yet, write `status: proposed` instead. "
        "(Part 6A System Record Entry)",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the scaffold's commented examples and the values our hints once suggested
        ("inventory_id: MC-1002", "inventory_id: MC-00000"),
        ("inventory_id: MC-1002", "inventory_id: MC-00123"),
        ("by: Dean of Continuing Education (designee)", "by: President or designee"),
        ("by: Dean of Continuing Education (designee)", "by: Vice President of Academic Affairs"),
        ("by: Dean of Continuing Education (designee)", "by: …"),
    ],
)
def test_example_values_pasted_in_are_placeholders(minimal, old, new):
    minimal.edit(COMM, old, new)
    (message,) = minimal.messages()
    value = new.split(": ", 1)[1]
    assert "error [placeholder]" in message
    assert message.endswith(
        f'still holds the placeholder "{value}". Replace it with the real value. (content format)'
    )


def test_a_proposal_needs_no_approval_yet(minimal):
    minimal.edit(MIG, "status: active", "status: proposed")
    minimal.edit(
        MIG,
        "inventory_id: MC-1001\napproved:\n  by: President A. Example\n  date: 2026-03-01\n",
        "",
    )
    assert [m for m in minimal.messages() if "mig-welding.md" in m] == []


# Part 6A Third-party Partnerships: an agreement before co-sponsoring.
def test_co_sponsors_need_an_agreement(minimal):
    minimal.edit(
        MIG, "inventory_id:", "co_sponsors:\n  - name: Miller Welding Supply\ninventory_id:"
    )
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:32:5: error [required-field] co_sponsors[0]."
        "agreement: `agreement` is missing. Add `agreement: ...`: the reference of the "
        "agreement or contract with the co-sponsor. "
        "(Part 6A Third-party Partnerships)"
    ]


# Part 6A Titles: short, unique, never an academic program's name.
def test_titles_are_unique(minimal):
    minimal.edit(COMM, "title: Workplace Communication", "title: MIG Welding Fundamentals")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:2:1: error [duplicate-title] title: "
        '"MIG Welding Fundamentals" is already the title of '
        "content/credentials/mig-welding.md. Choose a title that tells the two "
        "micro-credentials apart; leave the other file as it is. (Part 6A Titles)"
    ]


def test_a_title_may_not_be_a_program_name(minimal):
    minimal.edit(MIG, "title: MIG Welding Fundamentals", "title: Welding Technology")
    assert minimal.messages() == [
        'content/credentials/mig-welding.md:2:1: error [title-is-program] title: "Welding '
        'Technology" is the name of the academic program `welding-diploma`. Name the specific '
        "skill, so learners do not mistake it for the program. (Part 6A Titles)"
    ]


def test_titles_are_at_most_sixty_characters(minimal):
    minimal.edit(MIG, "title: MIG Welding Fundamentals", "title: " + "W" * 61)
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:2:1: error [text-length] title: is 61 characters; "
        "at most 60 are allowed. Shorten it. (Part 6A Titles)"
    ]


# Part 9: regular review.
def test_an_overdue_review_warns(minimal):
    minimal.edit(MIG, "next: 2029-03-01", "next: 2026-09-01")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:37:3: warning [review-overdue] review.next: the "
        "review due 2026-09-01 has passed. Review the micro-credential with its "
        "constituents, then update `review`. (Part 9)"
    ]


# Part 7B: approval by the president or designee.
def test_an_approval_date_after_the_check_date_warns(minimal):
    minimal.edit(MIG, "  date: 2026-03-01\nreview:", "  date: 2027-01-15\nreview:")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:34:3: warning [approval-date] approved.date: the "
        "approval date 2027-01-15 is in the future. Record the date the president or "
        "designee approved it. (Part 7B)"
    ]


def test_the_rules_that_read_the_date_report_only_the_fields_they_declare(minimal):
    """A dated rule runs over kept records, whose positions hold only the top-level fields
    and the ones dated rules declare (``Rule.dated``): a finding on another field would
    read its file again in every check."""
    minimal.edit(MIG, "  date: 2026-03-01\nreview:", "  date: 2027-01-15\nreview:")
    minimal.edit(MIG, "next: 2029-03-01", "next: 2026-09-01")
    declared = {r.id: {field_name(f) for f in r.dated} for r in RULES if r.dated}
    found = [p for p in minimal.check().problems if p.rule in declared]
    assert {p.rule for p in found} == {"review-overdue", "approval-date"}
    assert all(p.field in declared[p.rule] for p in found)


# Unknown fields get a "did you mean" hint.
def test_unknown_fields_suggest_the_intended_one(minimal):
    minimal.edit(MIG, "eligibility:", "eligibilty:")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:2:1: error [required-field] eligibility: "
        "`eligibility` is missing. Add `eligibility: …`: who may enrol, stated clearly for "
        "learners. (Part 6A Eligibility)",
        "content/credentials/mig-welding.md:7:1: error [unknown-field] eligibilty: "
        "`eligibilty` is not a field of this file. Did you mean `eligibility`? (content format)",
    ]


def test_wrong_values_suggest_the_allowed_ones(minimal):
    minimal.edit(MIG, "status: active", "status: activ")
    minimal.edit(MIG, "delivery: [in-person]", "delivery: [in person]")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:13:12: error [allowed-values] delivery[0]: `in "
        "person` is not one of `online`, `in-person`, `hybrid`. Did you mean `in-person`? "
        "(Part 5)",
        "content/credentials/mig-welding.md:17:1: error [allowed-values] status: `activ` is "
        "not one of `proposed`, `active`, `suspended`, `closed`. Did you mean `active`? "
        "(Part 8)",
    ]


def test_wrong_types_say_what_was_expected(minimal):
    minimal.edit(MIG, "credit_bearing: true", "credit_bearing: yes please")
    minimal.edit(MIG, "version: 1", "version: one")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:6:1: error [field-type] credit_bearing: must be "
        "`true` or `false`, not text. Write `true` or `false`, for example true. (Part 2)",
        "content/credentials/mig-welding.md:18:1: error [field-type] version: must be a whole "
        "number, not text. Write a whole number, for example 1. (Part 8)",
    ]


# Binghamton's campus rules (suny-binghamton); `suny` alone has no campus limits.
def test_binghamton_requires_two_courses_six_to_sixteen_credits_and_costs(minimal):
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: suny-binghamton")
    minimal.edit(MIG, "credits: 6\ncourses", "credits: 4\ncourses")
    minimal.edit(MIG, "    credits: 4\n", "    credits: 2\n")
    minimal.edit(MIG, "credits_applied: 6", "credits_applied: 4")
    minimal.edit(PATHWAY, "credits_applied: 6", "credits_applied: 4")
    messages = minimal.messages()
    assert [m for m in messages if "mig-welding" in m] == [
        "content/credentials/mig-welding.md:2:1: error [cost-and-aid] cost: `cost` is missing. "
        "Add `cost:` on its own line; below it, indented two spaces, `amount: …` and `currency: "
        "…` on the next lines: what the micro-credential costs the learner: one "
        "`amount`, prices for each audience (`tiers`), or only a `note` and `url` when the "
        "price is published elsewhere. (Binghamton, Charging of fees)",
        "content/credentials/mig-welding.md:2:1: error [cost-and-aid] financial_aid: "
        "`financial_aid` is missing. Add `financial_aid: ...`: the financial aid available, "
        "such as Workforce Pell. (Binghamton, Charging of fees)",
        "content/credentials/mig-welding.md:20:1: error [credit-range] credits: 4 credits is "
        "outside Binghamton University microcredential guidance's limit of 6 to 16 credits. "
        "Resize the micro-credential to 6 to 16 credits. (Binghamton, Credit-Bearing)",
    ]


def test_suny_alone_has_no_campus_limits(minimal):
    """SUNY approves under each campus's policy: a 4-credit, 24-hour catalog is fine under
    the system profile, and nothing cites Minnesota State's parts."""
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: suny")
    minimal.edit(MIG, "credits: 6\ncourses", "credits: 4\ncourses")
    minimal.edit(MIG, "    credits: 4\n", "    credits: 2\n")
    minimal.edit(MIG, "credits_applied: 6", "credits_applied: 4")
    minimal.edit(PATHWAY, "credits_applied: 6", "credits_applied: 4")
    assert minimal.messages() == []
    minimal.edit(COMM, "    via: prior-learning\n", "")
    minimal.edit(MIG, "type: industry-specific-technical-skill\n", "")
    minimal.edit(MIG, "assessment: Weld coupons inspected against AWS D1.1 criteria",
                 "assessment: Attendance at all sessions")  # fmt: skip
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:11:5: error [participation-only] "
        'outcomes[1].assessment: "Attendance at all sessions" assesses attendance or '
        "participation only; micro-credentials based only on participation are not "
        "permitted. Name an assessment of the outcome itself: a test, project, observed "
        "performance or portfolio. (SUNY attributes, skills and competencies achieved)"
    ]


def test_binghamton_requires_127_5_hours_for_non_credit(minimal):
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: suny-binghamton")
    messages = minimal.messages()
    assert (
        "content/credentials/office-communication.md:18:1: error [noncredit-hours] hours: 24 "
        "hours is less than the 127.5 hours Binghamton University microcredential guidance "
        "requires of a non-credit micro-credential. Plan at least 127.5 hours of learning and "
        "assessment. (Binghamton, Non-credit Bearing)"
    ) in messages


def test_a_non_credit_fix_example_includes_how_it_earns_credit(minimal):
    minimal.edit(
        COMM,
        "stacks_into:\n  - program: office-aas\n    via: prior-learning\n    credits_applied: 2\n",
        "",
    )
    assert minimal.messages()[0] == (
        "content/credentials/office-communication.md:6:1: error [noncredit-requirements] "
        "stacks_into: `stacks_into` is missing; it is required because `credit_bearing` is "
        "`false` (line 6). Add `stacks_into:` on its own line; below it, indented two spaces, "
        "`- program: …`, with `via: …` and `credits_applied: …` on the next lines, lined up "
        "under `program`: "
        "the academic programs the micro-credential stacks into. (Part 6B, 6C)"
    )
