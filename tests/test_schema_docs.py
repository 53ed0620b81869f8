"""The content-format page and the JSON Schemas state one truth: a test fails if they drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from microcred.rules.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = DOC.index(f"## {heading}")
    following = DOC.find("\n## ", start + 1)
    return DOC[start : following if following != -1 else None]


def documented_fields(heading: str) -> set[str]:
    """Field names in the first column of every table under a heading."""
    names = set()
    for row in re.findall(r"^\| (`[^|]+`) \|", section(heading), re.MULTILINE):
        names.update(re.findall(r"`([a-z_]+)`", row))
    return names


def institution_fields() -> set[str]:
    text = section("content/institutions/<id>.yml")
    paragraph = text.split("\n\n", 1)[1]
    fields = paragraph.split(", each")[0]
    return set(re.findall(r"`([a-z_]+)`", fields)) - {"city", "region", "country"}


@pytest.mark.parametrize(
    ("kind", "heading"),
    [
        ("site", "content/site.yml"),
        ("credential", "content/credentials/<slug>.md"),
        ("pathway", "content/pathways/<slug>.md"),
    ],
)
def test_every_documented_field_is_in_the_schema_and_back(kind, heading):
    assert documented_fields(heading) == set(load_schema(kind)["properties"])


def test_institution_fields_match_the_schema():
    fields = {"name", "url", "email", "description", "image", "ctid", "policy", "location"}
    fields |= {"programs"}
    assert set(load_schema("institution")["properties"]) == fields
    assert institution_fields() == fields


def test_documented_required_fields_are_required_by_the_schema():
    text = section("content/credentials/<slug>.md")
    required = text.split("Required for every credential:")[1].split("Required when")[0]
    names = set(re.findall(r"^\| `([a-z_]+)` \|", required, re.MULTILINE))
    assert names == set(load_schema("credential")["required"])


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("type", ["industry-specific-technical-skill", "transferable-skill"]),
        ("status", ["proposed", "active", "suspended", "closed"]),
        ("level", ["noncredit", "undergraduate", "graduate"]),
    ],
)
def test_documented_values_are_the_schema_enums(field, values):
    schema = load_schema("credential")["properties"][field]
    assert schema["enum"] == values
    row = re.search(rf"^\| `{field}` \|(.+)$", DOC, re.MULTILINE).group(1)
    assert all(f"`{v}`" in row for v in values)


@pytest.mark.parametrize("name", ["site", "institution", "credential", "pathway"])
def test_schemas_are_valid_and_describe_every_field(name):
    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    for field, spec in schema["properties"].items():
        assert spec.get("description"), f"{name}.{field} has no description"


def test_the_sample_files_point_editors_at_the_schema():
    for path in sorted((ROOT / "content" / "credentials").glob("*.md")):
        assert "$schema=../../schema/credential.schema.json" in path.read_text(), path.name


WRONG_VALUES = [
    None,
    0,
    -1,
    1.5,
    "",
    " ",
    "x" * 70,
    "2026-13-45",
    "not a slug!",
    [],
    [{}],
    {},
    {"x": 1},
    True,
    ["online", "online"],
]


def _documents():
    from microcred.content.load import load_content

    for root in (ROOT / "content", ROOT / "tests" / "sites" / "many-mistakes" / "content"):
        loaded = load_content(root)
        yield from (*loaded.institutions, *loaded.credentials, *loaded.pathways)


def test_the_fast_validity_check_agrees_with_jsonschema_on_every_broken_field():
    """The compiled fast path (fastjsonschema) and jsonschema give the same verdict."""
    import copy

    from microcred.rules.schema import _is_valid, _validator

    checked = 0
    for document in _documents():
        is_valid, full = _is_valid(document.kind), _validator(document.kind)
        variants = [document.data]
        for field in document.data:
            for wrong in WRONG_VALUES:
                variants.append({**document.data, field: copy.deepcopy(wrong)})
        for data in variants:
            assert is_valid(data) == (next(full.iter_errors(data), None) is None), (
                document.path,
                data,
            )
            checked += 1
    assert checked > 5000
