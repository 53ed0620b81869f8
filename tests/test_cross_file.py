"""Rules across files: references that must exist, ids that must be unique, pathway sums."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from microcred.content import history

MIG = "credentials/mig-welding.md"
COMM = "credentials/office-communication.md"
PATHWAY = "pathways/into-welding.md"


def test_an_unknown_institution_lists_the_known_ones(minimal):
    minimal.edit(MIG, "institution: lakeside", "institution: lakeshore")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:4:1: error [unknown-institution] institution: no "
        "institution `lakeshore` exists. Did you mean `lakeside`? Write the institution's id: "
        "its file name in content/institutions/ without `.yml`. (Part 7A)"
    ]


def test_an_institution_written_by_name_is_one_message_naming_the_id(minimal):
    """As the walkthrough wrote it: the college's name where its id belongs."""
    minimal.edit(MIG, "institution: lakeside", "institution: Lakeside")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:4:1: error [unknown-institution] institution: no "
        "institution `Lakeside` exists. Did you mean `lakeside`? Write the institution's id: "
        "its file name in content/institutions/ without `.yml`. (Part 7A)"
    ]


def test_stacking_names_an_existing_program(minimal):
    minimal.edit(MIG, "program: welding-diploma", "program: welding-certificate")
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:29:5: error [unknown-program] "
        "stacks_into[0].program: no academic program `welding-certificate` exists. Use a "
        "program id from content/institutions/*.yml: `office-aas`, `welding-diploma`. "
        "(Part 6B)"
    ]


def test_program_ids_are_unique_across_the_catalog(minimal):
    minimal.write(
        "institutions/hilltop.yml",
        "name: Hilltop College\n"
        "url: https://hilltop.example.edu\nemail: info@hilltop.example.edu\n"
        "programs:\n  - id: office-aas\n    name: Office Careers\n"
        "    award: associate\n",
    )
    assert minimal.messages() == [
        "content/institutions/lakeside.yml:14:5: error [duplicate-program] programs[1].id: "
        "the program id `office-aas` is already used in content/institutions/hilltop.yml. "
        "Program ids are unique across the catalog: choose another id; leave the other file "
        "as it is. (Part 3)"
    ]


def test_a_pathway_step_names_an_existing_credential(minimal):
    minimal.edit(PATHWAY, "credential: mig-welding", "credential: tig-welding")
    assert minimal.messages() == [
        "content/pathways/into-welding.md:10:5: error [unknown-credential] steps[1].credential: "
        "no credential `tig-welding` exists. Use the file name (without .md) of a file in "
        "content/credentials/. (Part 3, Micro-pathway)"
    ]


def test_a_pathway_leads_to_an_existing_award(minimal):
    minimal.edit(PATHWAY, "award: welding-diploma", "award: welding-degree")
    assert minimal.messages() == [
        "content/pathways/into-welding.md:5:1: error [unknown-award] award: no academic "
        "program `welding-degree` exists. Use a program id: `office-aas`, `welding-diploma`. "
        "(Part 3, Micro-pathway)"
    ]


def test_a_step_applies_no_more_credits_than_its_credential_has(minimal):
    minimal.edit(PATHWAY, "credits_applied: 6", "credits_applied: 7")
    assert minimal.messages() == [
        "content/pathways/into-welding.md:11:5: error [step-credits] steps[1].credits_applied: "
        "applies 7 credits from `mig-welding`, which carries only 6. Apply at most 6 credits. "
        "(Part 3, Micro-pathway)"
    ]


def test_a_non_credit_step_says_how_it_earns_credit(minimal):
    minimal.edit(PATHWAY, "    via: prior-learning\n", "")
    assert minimal.messages() == [
        "content/pathways/into-welding.md:7:5: error [step-via] steps[0]: "
        "`office-communication` is non-credit, so the step must say how it earns credit. Add "
        "`via: prior-learning` or `via: articulation` to the step. (Part 6C)"
    ]


def test_a_suspended_step_warns(minimal):
    minimal.edit(MIG, "status: active", "status: suspended")
    assert minimal.messages() == [
        "content/pathways/into-welding.md:10:5: warning [step-inactive] steps[1].credential: "
        "`mig-welding` is suspended; new learners cannot take this step. Replace the step, or "
        "tell enrolled learners how they can still finish. (Part 8)"
    ]


def test_a_proposed_step_warns(minimal):
    minimal.edit(COMM, "status: active", "status: proposed")
    assert minimal.messages() == [
        "content/pathways/into-welding.md:7:5: warning [step-proposed] steps[0].credential: "
        "`office-communication` is only proposed, so the published pathway shows a step "
        "learners cannot take yet. Approve the credential first, or add this step in the same "
        "pull request that approves it. (Part 3, Micro-pathway)"
    ]


def test_a_missing_institution_is_reported_once(minimal):
    minimal.edit(MIG, "institution: lakeside\n", "")
    assert [m.split("] ")[0] for m in minimal.messages()] == [
        "content/credentials/mig-welding.md:2:1: error [required-field"
    ]


def test_steps_applying_more_than_the_award_warn(minimal):
    minimal.edit("institutions/lakeside.yml", "credits: 48", "credits: 7")
    assert minimal.messages() == [
        "content/pathways/into-welding.md:6:1: warning [pathway-credits] steps: the steps "
        "apply 8 credits, more than the 7 of `welding-diploma`. Check the credits applied at "
        "each step. (Part 3, Micro-pathway)"
    ]


def test_a_redirect_may_not_take_another_credentials_slug(minimal):
    minimal.edit(COMM, "hours: 24", "redirect_from: [mig-welding]\nhours: 24")
    assert minimal.messages() == [
        "content/credentials/office-communication.md:18:17: error [duplicate-slug] "
        "redirect_from[0]: `mig-welding` is the slug of content/credentials/mig-welding.md; "
        "one URL cannot serve both. Remove it from `redirect_from`, or rename the other file. "
        "(URLs are permanent)"
    ]


def test_a_badge_image_must_exist(minimal):
    minimal.edit(
        MIG, "inventory_id:", "badge:\n  image: images/mig.svg\n  alt: MIG badge\ninventory_id:"
    )
    assert minimal.messages() == [
        "content/credentials/mig-welding.md:32:3: error [missing-image] badge.image: the image "
        "`images/mig.svg` does not exist. Give a path relative to content/, such as "
        "`images/my-badge.svg`. (Part 6A Digital Badges)"
    ]


def test_structural_and_policy_problems_come_in_one_round(minimal):
    minimal.edit(MIG, "version: 1", "version: 0")
    minimal.edit(
        MIG,
        "assessment: Weld coupons inspected against AWS D1.1 criteria",
        "assessment: Participation",
    )
    minimal.edit(MIG, "institution: lakeside", "institution: nowhere")
    rules = [m.split("[")[1].split("]")[0] for m in minimal.messages()]
    assert rules == ["unknown-institution", "participation-only", "number-range"]


@given(st.lists(st.sampled_from(["a", "b.md", ".", "..", "", ".md", "c.", "d.tar.gz"]), max_size=4))
def test_a_sources_stem_is_the_one_pathlib_gives(parts):
    """The slug that orders files outside git (``history._stem``) is ``Path(source).stem``,
    worked out without making a ``Path`` for each of 10,000 files."""
    for source in ("/".join(parts), "/" + "/".join(parts), "/".join(parts) + "/"):
        assert history._stem(source) == Path(source).stem
