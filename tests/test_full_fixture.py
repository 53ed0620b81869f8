"""tests/sites/full is the catalog the conformance tests (test_standards.py) run on as well
as the sample: it must use every field the content format allows, so a new optional
field is held to the publishers' validators as soon as it exists. This test walks the
JSON Schemas in schema/ and fails on any field the fixture never sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FULL = Path(__file__).resolve().parent / "sites" / "full" / "content"
KINDS = {
    "credential.schema.json": ["credentials/*.md", "versions/*/*.md"],
    "institution.schema.json": ["institutions/*.yml"],
    "pathway.schema.json": ["pathways/*.md"],
    "site.schema.json": ["site.yml"],
}


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def schema_fields(schema: dict, node: dict | None = None, prefix: str = "") -> set[str]:
    """Every field path the schema allows (``cost.amount``, ``outcomes[].assessment``)."""
    node = _resolve(schema, schema if node is None else node)
    fields: set[str] = set()
    branches = [node, *node.get("allOf", []), *node.get("anyOf", []), *node.get("oneOf", [])]
    for branch in branches:
        branch = _resolve(schema, branch)
        for key in ("then", "else"):
            if key in branch:
                branches.append(branch[key])
        for name, child in branch.get("properties", {}).items():
            path = f"{prefix}{name}"
            fields.add(path)
            child = _resolve(schema, child)
            if child.get("type") == "array" or "items" in child:
                fields |= schema_fields(schema, child.get("items", {}), f"{path}[].")
            else:
                fields |= schema_fields(schema, child, f"{path}.")
    return fields


def used_fields(value, prefix: str = "") -> set[str]:
    """Every field path set in a document's data."""
    found: set[str] = set()
    if isinstance(value, dict):
        for name, child in value.items():
            found.add(f"{prefix}{name}")
            found |= used_fields(child, f"{prefix}{name}.")
    elif isinstance(value, list):
        for item in value:
            found |= used_fields(item, prefix[:-1] + "[]." if prefix else "")
    return found


def _data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("---", 2)[1]
    return yaml.safe_load(text) or {}


@pytest.mark.parametrize("schema_file", sorted(KINDS))
def test_the_full_fixture_sets_every_field_its_schema_allows(schema_file):
    schema = json.loads((ROOT / "schema" / schema_file).read_text(encoding="utf-8"))
    used: set[str] = set()
    for pattern in KINDS[schema_file]:
        for path in FULL.glob(pattern):
            used |= used_fields(_data(path))
    missing = sorted(schema_fields(schema) - used)
    assert not missing, f"tests/sites/full never sets these fields of {schema_file}: {missing}"


def test_the_walk_finds_nested_and_conditional_fields():
    """A negative control for the walk itself: nested, array and conditional fields count."""
    schema = {
        "$defs": {"text": {"type": "string"}},
        "properties": {"a": {"properties": {"b": {"$ref": "#/$defs/text"}}}},
        "allOf": [{"then": {"properties": {"c": {"type": "array", "items": {
            "properties": {"d": {"type": "string"}}}}}}}],
    }  # fmt: skip
    assert schema_fields(schema) == {"a", "a.b", "c", "c[].d"}
    assert used_fields({"c": [{"d": 1}], "a": {"b": "x"}}) == {"a", "a.b", "c", "c[].d"}
