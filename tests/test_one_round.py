"""Every rule runs wherever its inputs can be read: breaking one field never hides a rule
about another, so an author who fixes everything listed meets no new problem next run."""

from __future__ import annotations

import re

import pytest
from conftest import SITES

from microcred.rules.check import check_catalog

MIG = "credentials/mig-welding.md"

# What each rule reads besides the field it reports on: breaking one of these may
# rightly silence it (its input cannot be read).
READS = {
    "course-credits": {"credits", "courses", "credit_bearing"},
    "course-count": {"courses", "credit_bearing"},
    "credit-range": {"credits", "credit_bearing"},
    "stacking-credits": {"credits", "stacks_into", "credit_bearing"},
    "review-overdue": {"review", "status"},
    "title-is-program": {"title"},
    "similar-title": {"title"},
    "measurable-outcome": {"outcomes"},
    "participation-only": {"outcomes"},
    "vague-partner": {"employer_validation"},
    "step-credits": {"credits", "credit_bearing"},
    "ctid-missing": {"ctid", "status"},
}


def _mistakes(minimal) -> None:
    """Several independent findings in mig-welding.md, each from a different rule."""
    minimal.edit(MIG, "title: MIG Welding Fundamentals", "title: Welding Technology")
    minimal.edit(MIG, "outcome: Set up GMAW", "outcome: Understand GMAW")
    minimal.edit(MIG, "partners: [Northland Fabrication]", "partners: [local businesses]")
    minimal.edit(MIG, "    credits: 4\n", "    credits: 3\n")
    minimal.edit(MIG, "next: 2029-03-01", "next: 2026-09-01")
    minimal.edit(MIG, "assessment: Weld coupons inspected against AWS D1.1 criteria",
                 "assessment: Attendance at all sessions")  # fmt: skip


def _findings(minimal) -> set[tuple[str, str]]:
    """(rule, field) of every finding about mig-welding.md or the pathway, ignoring the
    structural ones (which report the breakage itself)."""
    found = set()
    for problem in check_catalog(minimal.content.relative_to(minimal.root)).problems:
        if problem.rule in READS or problem.rule in {"step-credits", "unknown-program"}:
            found.add((problem.rule, problem.field))
    return found


def _fields() -> list[str]:
    text = (SITES / "minimal" / "content" / MIG).read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    return re.findall(r"^([a-z_]+):", front, re.MULTILINE)


@pytest.mark.parametrize("field", _fields())
def test_breaking_one_field_leaves_the_other_rules_findings(minimal, field):
    _mistakes(minimal)
    before = _findings(minimal)
    assert len({rule for rule, _ in before}) >= 6
    text = minimal.path(MIG).read_text()
    broken = "[1, 2]" if field in ("employer_validation", "approved", "review") else "{x: 1}"
    # Replace the field's whole value (its line and any indented lines after it).
    text = re.sub(rf"^{field}:.*\n(?:(?: |- ).*\n)*", f"{field}: {broken}\n", text, flags=re.M)
    minimal.write(MIG, text)
    after = _findings(minimal)
    expected = {
        (rule, where)
        for rule, where in before
        if field not in READS.get(rule, set()) and not where.startswith(field)
    }
    assert expected <= after, f"breaking `{field}` hid {sorted(expected - after)}"


def test_a_date_in_another_form_hides_nothing(minimal):
    _mistakes(minimal)
    before = _findings(minimal)
    minimal.edit(MIG, "  date: 2026-03-01", "  date: 3/1/2026")
    assert _findings(minimal) == before


def test_an_institution_missing_its_email_still_has_its_programs(minimal):
    minimal.edit("institutions/lakeside.yml", "email: badges@lakeside.example.edu\n", "")
    messages = minimal.messages()
    assert messages == [
        "content/institutions/lakeside.yml:1:1: error [required-field] email: `email` is "
        "missing. Add `email: …`: the contact address Open Badges requires of an issuer. "
        "(content format)"
    ]
