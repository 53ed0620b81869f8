"""Rules that generalise beyond our own fixtures, specified with real wordings where the
rule is heuristic (sources cited beside each), on copies of ``tests/sites/minimal``."""

from __future__ import annotations

import pytest

MIG = "credentials/mig-welding.md"
COMM = "credentials/office-communication.md"
MEMO = "assessment: Memo scored with a rubric by the instructor"


@pytest.mark.parametrize(
    "wording",
    [
        # Cayuga Community College, Co-Curricular Leadership (as published, truncated there):
        # https://www.cayuga-cc.edu/academics/schools/micro-credentials/
        "Participate in a student club or athletic sport for two semesters where one plays "
        "an active leadership role such as officer, team manager, captain",
        "Active participation in the weekly forums",  # the example, not a real page
        "Attendance is required; excused absences do not count",
    ],
)
def test_participation_without_assessed_evidence_is_an_error(minimal, wording):
    minimal.edit(COMM, MEMO, f"assessment: {wording}")
    assert minimal.messages() == [
        f"content/credentials/office-communication.md:10:5: error [participation-only] "
        f'outcomes[0].assessment: "{wording}" assesses attendance or participation only; '
        "micro-credentials based only on participation are not permitted. Name an assessment "
        "of the outcome itself: a test, project, observed performance or portfolio. (Part 2)"
    ]


@pytest.mark.parametrize(
    "wording",
    [
        # Minneapolis College, as profiled by Credential As You Go ("complete one module to
        # earn a badge"): https://credentialasyougo.org/participants/minneapolis-college/
        "Complete one module to earn a badge",
        "Finishes the online lessons",  # the example, not a real page
    ],
)
def test_completion_without_assessed_evidence_is_an_error(minimal, wording):
    minimal.edit(COMM, MEMO, f"assessment: {wording}")
    assert minimal.messages() == [
        f"content/credentials/office-communication.md:10:5: error [completion-only] "
        f'outcomes[0].assessment: "{wording}" records that something was finished, not what '
        "the learner can do; completion alone does not show the outcome was achieved. Name "
        "the evidence that is assessed: a test, project, observed performance or portfolio, "
        "and how it is judged. (Part 2)"
    ]


@pytest.mark.parametrize(
    "wording",
    [
        # Farmingdale State College, SUNY Start Gen Ed micro-credential:
        # https://www.farmingdale.edu/provost/microcredentials/suny-start-gen-ed-mc1.shtml
        "students must achieve a final grade of C or better in all four general education courses",
        # SUNY Corning, CDA Preparation micro-credential:
        # https://www.corning-cc.edu/careers/community-engagement/childhood-development.php
        "field observation hours at an approved site and submission of a portfolio",
        # SUNY Dutchess, CDA micro-credential:
        # https://sunydutchess.edu/academics/programs/education/childhood/child-development-associate.html
        "You will also be assigned a fieldwork supervisor to observe your work in the field.",
        "Attendance and a weld test inspected to AWS D1.1",
    ],
)
def test_an_assessment_naming_evidence_passes(minimal, wording):
    minimal.edit(COMM, MEMO, f"assessment: {wording}")
    assert minimal.messages() == []


def test_an_outcome_that_is_only_complete_x_warns(minimal):
    minimal.edit(
        COMM,
        "outcome: Write a workplace memo that states its purpose in the first sentence",
        "outcome: Complete the business writing module",
    )
    assert minimal.messages() == [
        "content/credentials/office-communication.md:9:5: warning [completion-outcome] "
        'outcomes[0].outcome: starts with "Complete", which names a task done rather than what '
        "the learner can do. State the skill the task shows, starting with a verb such as "
        "identify, explain, apply, demonstrate or write. (Part 6A Criteria)"
    ]


def test_a_title_close_to_a_program_name_warns_and_names_it(minimal):
    # SUNY Jefferson's "Early Childhood Development 1 Microcredential" beside its
    # "Early Childhood AAS": https://sunyjefferson.edu/academics/programs/early-childhood-development-microcredential.php
    minimal.edit("institutions/lakeside.yml", "name: Office Administration",
                 "name: Office Administration AAS")  # fmt: skip
    minimal.edit(COMM, "title: Workplace Communication", "title: Office Administration 1")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:2:1: warning [similar-title] title: "
        '"Office Administration 1" is nearly the same as "Office Administration AAS", the '
        "name of the academic program `office-aas`. Choose a title that names what sets this "
        "micro-credential apart. (Part 6A Titles)"
    ]


def test_a_title_close_to_another_credential_warns_and_names_it(minimal):
    minimal.edit(COMM, "title: Workplace Communication", "title: MIG Welding Fundamentals II")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:2:1: warning [similar-title] title: "
        '"MIG Welding Fundamentals II" is nearly the same as "MIG Welding Fundamentals", the '
        "name of content/credentials/mig-welding.md. Choose a title that names what sets "
        "this micro-credential apart; leave the other file as it is. (Part 6A Titles)"
    ]


@pytest.mark.parametrize("partner", ["local businesses", "Area employers", "industry partners"])
def test_a_generic_partner_warns(minimal, partner):
    minimal.edit(COMM, "partners: [Duluth Area Chamber]", f"partners: [{partner}]")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:13:14: warning [vague-partner] "
        f'employer_validation.partners[0]: "{partner}" names no particular business or '
        "industry body. Name each employer, association or advisory committee that took "
        "part. (Part 6A Employer Validated)"
    ]


def test_the_same_course_twice_is_an_error(minimal):
    minimal.edit(MIG, "code: WELD 1120", "code: weld 1110")
    messages = minimal.messages()
    assert messages[0].startswith(
        "content/credentials/mig-welding.md:25:5: error [duplicate-course] courses[1]: "
        "`weld 1110` is already listed as courses[0]. List each course once; remove the "
        "repeat or correct its code. (Part 6B)"
    )


MODULES = """courses:
  - title: Email and memos
    hours: 10
  - title: Short reports
    hours: 8
  - title: Leading a team meeting
    code: CE 104
    hours: 6
"""


def test_a_non_credit_credential_lists_its_modules_with_hours(minimal):
    minimal.edit(COMM, "stacks_into:", MODULES + "stacks_into:")
    assert minimal.messages() == []
    minimal.edit(COMM, "    hours: 6\n", "    hours: 9\n")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:19:1: error [course-hours] courses: the "
        "modules add up to 27 hours, but `hours` is 24. Make `hours` equal the sum of the "
        "module hours, or correct a module. (Part 6C)"
    ]


def test_modules_need_no_hours(minimal):
    minimal.edit(COMM, "stacks_into:", "courses:\n  - title: Email and memos\nstacks_into:")
    assert minimal.messages() == []
