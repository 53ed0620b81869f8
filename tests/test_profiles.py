"""Policy profiles as data: built-in ones, a catalog's own in content/policies/, and one per
institution. Each test starts from ``tests/sites/minimal`` (Minnesota State's profile)."""

from __future__ import annotations

import json
from dataclasses import replace

import yaml
from jsonschema import Draft202012Validator

from microcred.locations import SCHEMA
from microcred.reporting.problems import Problem
from microcred.rules.crossfile import LINK_RULE_IDS
from microcred.rules.policy import RULES
from microcred.rules.profile import BUILTIN, Profile, builtin, builtin_ids

MIG = "credentials/mig-welding.md"
COMM = "credentials/office-communication.md"
PATHWAY = "pathways/into-welding.md"

CAMPUS = """\
# A campus with its own limits: Monroe Community College's published sizes
# ("six to 14 credits and, for noncredit coursework, 90 to 180 hours"),
# https://sites.monroecc.edu/news/2022/08/12/new-microcredentials-aim-to-meet-area-employers-workforce-demands-and-individual-needs/
name: Monroe Community College microcredentials
extends: suny
source:
  title: New microcredentials aim to meet area employers' workforce demands
  url: https://sites.monroecc.edu/news/2022/08/12/new-microcredentials-aim-to-meet-area-employers-workforce-demands-and-individual-needs/
  date: 2022-08-12
rules:
  credit-range: {severity: error, min: 6, max: 14, cite: MCC microcredentials}
  noncredit-hours: {severity: error, min: 90, max: 180, cite: MCC microcredentials}
  vague-partner: {severity: off}
"""


def test_every_built_in_profile_follows_the_profile_schema():
    validator = Draft202012Validator(json.loads((SCHEMA / "policy.schema.json").read_text()))
    known = {r.id for r in RULES} | set(LINK_RULE_IDS)
    assert builtin_ids() == ["eu-2022", "minnstate-3.36.2", "suny", "suny-binghamton"]
    for path in BUILTIN.glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        assert [e.message for e in validator.iter_errors(data)] == [], path.name
        assert set(data.get("rules", {})) <= known, path.name


def test_no_profile_but_minnesota_cites_minnesota_parts():
    for profile_id in ("suny", "suny-binghamton", "eu-2022"):
        profile = builtin(profile_id)
        assert not profile.cites_builtin_parts
        cites = [s.cite for s in profile.settings.values() if s.cite]
        cites += [r.cite for r in profile.requirements]
        assert not [c for c in cites if c.startswith("Part ")], profile_id


def test_a_campus_profile_applies_its_own_limits(minimal):
    minimal.write("policies/monroe.yml", CAMPUS)
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: monroe")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:18:1: error [noncredit-hours] hours: 24 "
        "hours is less than the 90 hours Monroe Community College microcredentials requires "
        "of a non-credit micro-credential. Plan at least 90 hours of learning and assessment. "
        "(MCC microcredentials)"
    ]
    minimal.edit(COMM, "hours: 24", "hours: 200")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:18:1: error [noncredit-hours] hours: 200 "
        "hours is more than the 180 hours Monroe Community College microcredentials allows a "
        "non-credit micro-credential. Plan at most 180 hours, or split the micro-credential. "
        "(MCC microcredentials)"
    ]


def test_each_institution_can_name_its_own_profile(minimal):
    """One system catalog: Lakeside keeps Minnesota State's rules, a second college's
    credentials are checked against Binghamton's limits."""
    minimal.write(
        "institutions/hill.yml",
        "name: Hill University\nurl: https://hill.example.edu\nemail: mc@hill.example.edu\n"
        "policy: suny-binghamton\n",
    )
    text = minimal.path(COMM).read_text().replace("institution: lakeside", "institution: hill")
    minimal.write("credentials/hill-communication.md", text.replace(
        "title: Workplace Communication", "title: Hill Speaking and Listening"))  # fmt: skip
    messages = minimal.messages()
    assert [m for m in messages if "hill-communication" in m] == [
        "content/credentials/hill-communication.md:2:1: error [cost-and-aid] cost: `cost` is "
        "missing. Add `cost:` on its own line; below it, indented two spaces, `amount: …` and "
        "`currency: …` on the next lines: what the micro-credential costs the learner: one "
        "`amount`, prices for each audience (`tiers`), or only a `note` and `url` when the "
        "price is published elsewhere. (Binghamton, Charging of fees)",
        "content/credentials/hill-communication.md:2:1: error [cost-and-aid] financial_aid: "
        "`financial_aid` is missing. Add `financial_aid: ...`: the financial aid available, "
        "such as Workforce Pell. (Binghamton, Charging of fees)",
        "content/credentials/hill-communication.md:18:1: error [noncredit-hours] hours: 24 "
        "hours is less than the 127.5 hours Binghamton University microcredential guidance "
        "requires of a non-credit micro-credential. Plan at least 127.5 hours of learning and "
        "assessment. (Binghamton, Non-credit Bearing)",
    ]
    assert [m for m in messages if "office-communication" in m] == []


def test_an_unknown_profile_is_located_and_lists_the_choices(minimal):
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: sunny")
    assert minimal.messages() == [
        "content/site.yml:3:1: error [unknown-policy] policy: no policy profile `sunny` exists. "
        "Use one of `eu-2022`, `minnstate-3.36.2`, `suny`, `suny-binghamton`, or write "
        "content/policies/<id>.yml (docs/policies.md). (content format)"
    ]


def test_a_bad_profile_gets_located_messages(minimal):
    minimal.write(
        "policies/campus.yml",
        "name: Campus rules\nextends: sunny\nsource:\n  title: Campus policy\n"
        "  url: https://campus.example.edu/policy\nrules:\n  credit-rnage: {max: 12}\n"
        "  course-count: {severity: fatal}\nrequired:\n  - rule: campus-fields\n"
        "    fields: [finacial_aid]\n",
    )
    assert minimal.messages() == [
        "content/policies/campus.yml:8:18: error [allowed-values] rules.course-count.severity: "
        "`fatal` is not one of `error`, `warning`, `off`. Use one of `error`, `warning`, `off`. "
        "(policy profile format)",
    ]
    minimal.edit("policies/campus.yml", "severity: fatal", "severity: off")
    assert minimal.messages() == [
        "content/policies/campus.yml:2:1: error [profile-extends] extends: no profile `sunny` "
        "exists. Did you mean `suny`? (policy profile format)",
        "content/policies/campus.yml:7:3: error [profile-rule] rules.credit-rnage: no rule "
        "`credit-rnage` exists. Did you mean `credit-range`? (policy profile format)",
        "content/policies/campus.yml:11:14: error [profile-field] required[0].fields[0]: "
        "`finacial_aid` is not a field of a credential file. Did you mean `financial_aid`? "
        "(policy profile format)",
    ]


def test_a_profile_can_drop_a_requirement_it_inherits(minimal):
    minimal.write(
        "policies/no-inventory.yml",
        "name: Minnesota State without the inventory\nextends: minnstate-3.36.2\n"
        "source:\n  title: Procedure 3.36.2\n  url: https://www.minnstate.edu/board/procedure/336p2.html\n"
        "required:\n  - rule: approval-record\n    when: approved\n    fields: [approved]\n"
        "    cite: Part 7B\n",
    )  # fmt: skip
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: no-inventory")
    minimal.edit(COMM, "inventory_id: MC-1002\n", "")
    assert minimal.messages() == []


def test_the_worked_example_in_the_docs_does_what_it_says(minimal):
    from microcred.locations import DOCS

    text = (DOCS / "policies.md").read_text()
    example = text.split("`content/policies/monroe.yml`:\n\n```yaml\n")[1].split("```")[0]
    message = text.split("Then a 24-hour non-credit credential gets:\n\n```\n")[1].split("\n")[0]
    minimal.write("policies/monroe.yml", example)
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: monroe")
    assert message in minimal.messages()


def test_the_eu_profile_asks_for_annex_i_elements_in_the_files_that_hold_them(minimal):
    """A rule set that is not American: quality assurance on each credential, the issuer's
    country in the institution file; Minnesota's `type` and stacking are not required."""
    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: eu-2022")
    minimal.edit("institutions/lakeside.yml", "  country: US\n", "")
    minimal.edit(COMM, "type: transferable-skill\n", "")
    minimal.edit(COMM, "    via: prior-learning\n", "")
    minimal.edit(MIG, "inventory_id: MC-1001\n", "")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:2:1: error [eu-quality-assurance] "
        "quality_assurance: `quality_assurance` is missing. Add `quality_assurance: ...`: the "
        "type of quality assurance that underpins the micro-credential, such as the internal "
        "program review or an accreditor (required by the eu-2022 profile: Annex I, type of "
        "quality assurance). (Annex I (11) type of quality assurance)",
        "content/credentials/office-communication.md:2:1: error [eu-quality-assurance] "
        "quality_assurance: `quality_assurance` is missing. Add `quality_assurance: ...`: the "
        "type of quality assurance that underpins the micro-credential, such as the internal "
        "program review or an accreditor (required by the eu-2022 profile: Annex I, type of "
        "quality assurance). (Annex I (11) type of quality assurance)",
        "content/institutions/lakeside.yml:5:1: error [eu-issuer-country] location.country: "
        "`country` is missing. Add `country: ...`: the country the institution is in. "
        "(Annex I (3) country of the issuer)",
    ]
    for name in (MIG, COMM):
        minimal.edit(name, "status:", "quality_assurance: Internal program review every five "
                     "years under the college's quality policy\nstatus:")  # fmt: skip
    minimal.edit("institutions/lakeside.yml", "  region: MN\n", "  region: MN\n  country: US\n")
    assert minimal.messages() == []


def test_the_scaffold_follows_the_profile(minimal):
    from microcred.commands.new import scaffold

    minimal.edit("site.yml", "policy: minnstate-3.36.2", "policy: suny")
    path, _ = scaffold(minimal.content, "Robot Cell Operation", None, credit_bearing=True)
    text = path.read_text()
    assert "\ntype:" not in text
    assert "# Field reference: docs/fields.md. Policy: SUNY micro-credential guidance " in text
    messages = [m for m in minimal.messages() if "robot-cell" in m]
    assert messages and all("[placeholder]" in m for m in messages)


def _where_and_what(problem: Problem, n: int) -> Problem:
    """``problem`` in another file, line, field, message and fix."""
    return replace(
        problem, path=f"credentials/x{n}.md", line=n, column=n, field=f"f{n}", message="m", fix=""
    )


def _adjusted_by_more_than_rule_severity_and_part(profile) -> list[str]:
    """The rules whose findings ``profile`` adjusts differently in another place."""
    found = []
    for rule in sorted({r.id for r in RULES} | set(LINK_RULE_IDS)):
        for severity in ("error", "warning"):
            for part in ("", "Part 4.B", "YAML"):
                probe = Problem(severity, rule, "", 1, 1, "", "", "", part)
                expected = profile.adjust(probe)
                for n in (2, 3):
                    got = profile.adjust(_where_and_what(probe, n))
                    seen = None if got is None else (got.severity, got.part)
                    if seen != (None if expected is None else (expected.severity, expected.part)):
                        found.append(rule)
    return sorted(set(found))


def test_a_profile_adjusts_a_finding_by_its_rule_severity_and_part_alone():
    """The check works each adjustment out once per rule, severity and part
    (``check._Adjustments``); so the file, place and words must not change it."""
    for profile_id in builtin_ids():
        assert _adjusted_by_more_than_rule_severity_and_part(builtin(profile_id)) == []


def test_a_profile_that_reads_the_file_is_caught(monkeypatch):
    """Broken control: an adjustment that turns a rule off in one folder only."""
    real = Profile.adjust

    def by_folder(self, problem):
        return None if problem.path.endswith("x2.md") else real(self, problem)

    monkeypatch.setattr(Profile, "adjust", by_folder)
    assert "course-credits" in _adjusted_by_more_than_rule_severity_and_part(builtin())
