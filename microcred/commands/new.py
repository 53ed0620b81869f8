"""``new``: scaffold a proposed micro-credential that documents each field inline.

It infers what it can (slug from the title, the institution when there is only one,
the contact from git or the institution) and marks everything else with a ``TODO``
placeholder that ``check`` reports by name until it is filled in.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from microcred.content.load import slugify
from microcred.reporting.errors import BuildError
from microcred.rules.profile import DEFAULT, Profile, load_profiles

PLACEHOLDER = "TODO"

CREDIT_BEARING = """\
credit_bearing: true
# Part 6B: total credits, usually more than one course and under 16 credits.
credits: {todo}
# The courses; their credits must add up to `credits`.
courses:
  - code: {todo}
    title: {todo}
    credits: {todo}
  - code: {todo}
    title: {todo}
    credits: {todo}
# Part 6B Transferability: the programs it stacks into (program ids from
# content/institutions/*.yml), or replace this with `stacking_rationale:` text from
# industry saying why none applies.
stacks_into:
  - program: {program}
    credits_applied: {todo}
"""

NON_CREDIT = """\
credit_bearing: false
# Part 6C Timeframe: the specific hours of learning and assessment.
hours: {todo}
# Part 6C Transferability: how it earns credit in a program, via prior-learning
# (credit for prior learning evaluation) or articulation (an agreement).
stacks_into:
  - program: {program}
    via: prior-learning
    credits_applied: {todo}
"""

TEMPLATE = """\
---
# A proposed micro-credential. Replace every TODO with your own words.
# In GitHub's web editor: commit, then read the checks on the pull request.
# On your own computer: run `python build.py check`.
# Field reference: docs/fields.md. Policy: {policy}.
# yaml-language-server: $schema=../../schema/credential.schema.json

# Part 6A Titles: short, names the skill; not an academic program's name.
title: {title}
# One or two sentences (30-300 characters); it becomes the badge description.
summary: {todo} one or two sentences on what a learner can do after earning it
# Part 7A: the issuing institution's id (content/institutions/<id>.yml).
institution: {institution}
# Part 4: industry-specific-technical-skill or transferable-skill.
type: {todo} industry-specific-technical-skill or transferable-skill
# Part 6A Eligibility: who may enrol, in words a learner understands.
eligibility: {todo} who may enrol
# Part 6A Criteria: measurable outcomes (start with a verb such as identify, apply,
# demonstrate, write), each with the assessment that shows it. Attendance alone is
# not an assessment (Part 2).
outcomes:
  - outcome: {todo} what the learner can do
    assessment: {todo} how it is assessed
# Part 5: online, in-person and/or hybrid.
delivery: [online]
# Part 6A Employer Validated: the partners who shaped it and how.
employer_validation:
  partners: [{todo} an employer or advisory committee]
  method: {todo} how they validated the outcomes
# Part 8: proposed until approved; then active, suspended or closed.
status: proposed
# The criteria version: raise it whenever the requirements change.
version: 1
# Who answers learners' questions.
contact: {contact}
{credit_block}
# Once approved (Part 6A System Record Entry, Part 7B), add:
# inventory_id: … (the id of its record in the system's program inventory)
# approved: {{by: …, date: YYYY-MM-DD}} (from the approval record: who approved it, when)
#
# Optional: co_sponsors, prior_learning, skills, careers, level, duration, cost,
# financial_aid, review, effective, tags, badge, completion, language, supervision.
---

## What you will do

{todo} Describe the learning experience for a prospective learner.

## Who it is for

{todo} Describe who benefits and what it leads to.
"""


TYPE_LINES = """\
# Part 4: industry-specific-technical-skill or transferable-skill.
type: {todo} industry-specific-technical-skill or transferable-skill
"""


def _profile(content: Path, institution: dict) -> Profile:
    """The policy profile the new credential will be checked against: its institution's,
    else the catalog's, else the default (an unknown id falls back to the default too)."""
    chosen = institution.get("policy")
    if not isinstance(chosen, str):
        try:
            site = yaml.safe_load((content / "site.yml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            site = None
        chosen = site.get("policy") if isinstance(site, dict) else None
    profiles = load_profiles(content)
    return profiles.get(chosen) or profiles.get(DEFAULT)


def _git_email() -> str | None:
    try:
        result = subprocess.run(
            ["git", "config", "user.email"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    email = result.stdout.strip()
    # GitHub's private addresses (…@users.noreply.github.com) receive no mail: a learner's
    # question sent there is lost, so such an address is never offered as the contact.
    return email if "@" in email and "noreply" not in email.casefold() else None


def _institutions(content: Path) -> dict[str, dict]:
    found = {}
    for path in sorted((content / "institutions").glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            data = None
        found[path.stem] = data if isinstance(data, dict) else {}
    return found


def _quote(text: str) -> str:
    return (
        yaml.safe_dump(text, default_flow_style=True, width=10_000)
        .strip()
        .removesuffix("...")
        .strip()
    )


def scaffold(
    content: Path, title: str, institution: str | None, credit_bearing: bool
) -> tuple[Path, list[str]]:
    """Write ``content/credentials/<slug>.md``; return its path and the placeholders left."""
    slug = slugify(title)
    if not slug:
        raise BuildError(
            "the title needs at least one Latin letter or digit for the file name; "
            'pass a title such as "Welding Basics" and change it in the file'
        )
    path = Path(content) / "credentials" / f"{slug}.md"
    if path.exists():
        raise BuildError(f"{path} already exists; edit it, or choose another title")
    institutions = _institutions(Path(content))
    if institution is None and len(institutions) == 1:
        institution = next(iter(institutions))
    if institution is not None and institution not in institutions:
        raise BuildError(
            f"no institution `{institution}`; use one of: " + ", ".join(institutions)
            if institutions
            else "create content/institutions/<id>.yml first"
        )
    info = institutions.get(institution or "", {})
    programs = [p.get("id") for p in info.get("programs") or () if isinstance(p, dict)]
    text = proposal_text(
        _quote(title),
        institution or f"{PLACEHOLDER} one of {', '.join(institutions) or 'your ids'}",
        _git_email() or info.get("email") or f"{PLACEHOLDER} an email address",
        credit_bearing,
        programs,
        _profile(Path(content), info),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    placeholders = [
        line.split(":")[0].strip(" -#")
        for line in text.splitlines()
        if f": {PLACEHOLDER}" in line or f"[{PLACEHOLDER}" in line
    ]
    return path, placeholders


def proposal_text(
    title: str,
    institution: str,
    contact: str,
    credit_bearing: bool,
    programs: list[str],
    profile: Profile,
) -> str:
    """The text of a new proposal: every field explained, ``TODO`` where a value is needed.

    Nothing is pre-filled that could pass for a real value: a program to stack into is a
    placeholder that lists the institution's program ids to choose from.
    """
    todo = PLACEHOLDER
    choices = f" ({', '.join(programs)})" if programs else ""
    block = (CREDIT_BEARING if credit_bearing else NON_CREDIT).format(
        todo=todo, program=f"{todo} a program id{choices}"
    )
    text = TEMPLATE.format(
        policy=f"{profile.name} (`{profile.id}`, docs/policies.md)",
        title=title,
        todo=todo,
        institution=institution,
        contact=contact,
        credit_block=block,
    )
    if not any("type" in r.fields for r in profile.requirements):
        text = text.replace(TYPE_LINES.format(todo=todo), "")
    if not profile.cites_builtin_parts:
        text = _without_minnesota_parts(text)
    return text


def _without_minnesota_parts(text: str) -> str:
    """The scaffold's comments cite Procedure 3.36.2's parts and limits, and its non-credit
    block says ``via`` (a 3.36.2 Part 6C rule): under another profile, neither applies."""
    text = re.sub(
        r"^# Part [0-9A-Z]+(?: [A-Za-z-]+)*: (.)",
        lambda m: "# " + m[1].upper(),
        text,
        flags=re.MULTILINE,
    )
    text = re.sub(r" \(Part [^)]*\)", "", text)
    text = text.replace(", usually more than one course and under 16 credits", "")
    text = text.replace("    via: prior-learning\n", "")
    return re.sub(
        r"^# how it earns credit in a program, via prior-learning\n# \(credit for prior "
        r"learning evaluation\) or articulation \(an agreement\)\.\n",
        "# The programs it can earn credit in.\n",
        text,
        flags=re.MULTILINE,
    )


def template_text(content: Path, credit_bearing: bool) -> str:
    """A blank proposal for authors who copy a file in GitHub's web editor instead of
    running ``new`` (``docs/templates/``): every value a ``TODO``."""
    return proposal_text(
        f"{PLACEHOLDER} the title",
        f"{PLACEHOLDER} your institution's id (a file name in content/institutions/)",
        f"{PLACEHOLDER} an email address for learners' questions",
        credit_bearing,
        [],
        _profile(Path(content), {}),
    )
