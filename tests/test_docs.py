"""Guides: the field reference is generated from schema/, and the guides are site pages."""

from __future__ import annotations

import json
from pathlib import Path

from microcred.commands.docs import FIELDS_FILE, fields_reference, templates
from microcred.locations import SCHEMA


def test_the_field_reference_is_up_to_date_with_the_schemas():
    assert FIELDS_FILE.read_text(encoding="utf-8") == fields_reference(), (
        "docs/fields.md is stale: run `python build.py docs` and commit it"
    )


def test_every_credential_field_is_in_the_reference():
    schema = json.loads((SCHEMA / "credential.schema.json").read_text())
    reference = fields_reference()
    missing = [name for name in schema["properties"] if f"| `{name}` |" not in reference]
    assert missing == []


def test_the_reference_states_conditional_requirements_with_their_part():
    reference = fields_reference()
    assert "- The micro-credential is non-credit: `hours` required (Part 6C)." in reference
    assert "- `stacks_into`, `stacks_into[].via` (non-credit) — Part 6C." in reference


def test_the_propose_guide_is_a_page_of_the_site(sample_site):
    page = (sample_site / "guide/propose/index.html").read_text()
    assert "<title>How to propose a micro-credential | " in page
    assert "<h1>How to propose a micro-credential</h1>" in page
    assert 'href="/guide/fields/"' in page
    assert (sample_site / "guide/fields/index.html").is_file()


def test_the_web_editor_templates_are_up_to_date_with_the_scaffold():
    for path, text in templates(Path(__file__).resolve().parent.parent / "content").items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run `python build.py docs` and commit it"
        )


def test_a_template_pasted_as_it_is_reports_each_value_to_fill_in_and_nothing_else(minimal):
    """Route A of the proposal guide: copy docs/templates/non-credit.md into a new file."""
    source = next(
        p for p in templates(Path(__file__).parent.parent / "content") if p.name == "non-credit.md"
    )
    (minimal.content / "credentials" / "team-leading.md").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    found = [m for m in minimal.messages() if "team-leading.md" in m]
    assert len(found) == 15
    assert all("error [placeholder]" in m for m in found)
    assert any("stacks_into[0].program: still holds the placeholder" in m for m in found)


def test_the_field_reference_page_renders_tables_and_shows_no_markup(sample_site):
    page = (sample_site / "guide" / "fields" / "index.html").read_text(encoding="utf-8")
    assert page.count("<table") >= 4
    assert "| --- |" not in page
    assert "&lt;!--" not in page
    assert '<h2 id="micro-credential">' in page
    assert '<div class="table-wrap" role="region" aria-label="Table: Micro-credential' in page
