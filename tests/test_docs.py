"""Guides: the field reference is generated from schema/, and the guides are site pages."""

from __future__ import annotations

import json

from microcred.commands.docs import FIELDS_FILE, fields_reference
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
