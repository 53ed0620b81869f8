"""Guides: the field reference is generated from schema/, and the guides are site pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import build_site

from microcred.commands.docs import FIELDS_FILE, fields_reference, templates
from microcred.locations import SCHEMA
from microcred.site.guides import field_reference_link


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


# --- the field reference on a phone, and links to a field's own row -------------------


def test_each_field_row_is_addressable_and_each_cell_carries_its_column_name(sample_site):
    """Below 600 px the rows become cards labelled from ``data-label`` (site.css); the
    header stays, so the elements are still one table to a screen reader."""
    page = (sample_site / "guide" / "fields" / "index.html").read_text(encoding="utf-8")
    row = page[page.index('<tr id="micro-credential--outcomes-assessment">') :]
    row = row[: row.index("</tr>")]
    assert '<td data-label="Field"><code>outcomes[].assessment</code></td>' in row
    assert '<td data-label="Required">yes</td>' in row
    assert '<td data-label="Meaning">How mastery of the outcome is assessed;' in row
    assert '<td data-label="Example"></td>' in row
    assert "<th>Meaning</th>" in page
    assert '<tr id="catalog-settings--base-url">' in page
    assert '<tr id="institution--programs-award">' in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "an id is used twice"


def test_a_problem_links_to_its_field_row_or_else_the_field_it_is_part_of():
    assert (
        field_reference_link("micro-credential", "outcomes[0].assessment")
        == "/guide/fields/#micro-credential--outcomes-assessment"
    )
    assert (
        field_reference_link("micro-credential", "courses[2].nonsense")
        == "/guide/fields/#micro-credential--courses"
    )
    assert field_reference_link("micro-credential", "colour") == "/guide/fields/#micro-credential"
    assert field_reference_link("") == "/guide/fields/"


def test_code_blocks_scroll_in_a_named_focusable_region_instead_of_wrapping(sample_site):
    page = (sample_site / "guide" / "propose" / "index.html").read_text(encoding="utf-8")
    assert (
        '<div class="code-wrap" role="region" aria-label="Commands, one per line" tabindex="0">'
        "<pre><code>python3 -m venv .venv\n"
    ) in page
    assert page.count("<pre>") == page.count('<div class="code-wrap"')


# --- the repository box (site.yml repository:) ----------------------------------------

REPOSITORY = "https://github.com/north-star-colleges/micro-credentials"


def test_with_a_repository_every_guide_links_to_it_to_add_a_file_and_to_each_template(
    sample_site,
):
    for guide in ("propose", "fields", "badge-platforms"):
        page = (sample_site / "guide" / guide / "index.html").read_text(encoding="utf-8")
        box = page[page.index('<section class="repo-box"') :]
        box = box[: box.index("</section>")]
        assert page.index("</h1>") < page.index('<section class="repo-box"')
        assert '<h2 id="guide-repository">This catalog on GitHub</h2>' in box
        rel = 'rel="noopener noreferrer"'
        shown = "github.com/north-star-colleges/micro-credentials"
        assert f'<a href="{REPOSITORY}" {rel}>{shown}</a>' in box
        assert (
            f'<a href="{REPOSITORY}/new/main/content/credentials" {rel}>Add a credential</a>' in box
        )
        for name in ("credit-bearing", "non-credit"):
            raw = f"{REPOSITORY}/raw/main/docs/templates/{name}.md"
            assert f'<a href="{raw}" {rel}>{name}</a>' in box


def test_the_repository_branch_setting_changes_the_links(minimal, tmp_path):
    minimal.edit(
        "site.yml",
        "language: en\n",
        "language: en\nrepository: https://github.com/lakeside/catalog/\n"
        "repository_branch: published\n",
    )
    site = build_site(minimal.content, tmp_path / "site", search=False)
    page = (site / "guide" / "propose" / "index.html").read_text(encoding="utf-8")
    new_file = "https://github.com/lakeside/catalog/new/published/content/credentials"
    assert f'href="{new_file}"' in page  # the trailing / of the setting is dropped
    assert "https://github.com/lakeside/catalog/raw/published/docs/templates/non-credit.md" in page


def test_without_a_repository_the_guide_has_no_box_and_says_whom_to_ask(minimal, tmp_path):
    site = build_site(minimal.content, tmp_path / "site", search=False)
    page = (site / "guide" / "propose" / "index.html").read_text(encoding="utf-8")
    assert "repo-box" not in page
    assert "This catalog on GitHub</h2>" not in page
    assert "Otherwise ask your catalog's maintainer for the address." in page
