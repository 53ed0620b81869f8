"""``python build.py docs``: write ``docs/fields.md``, the field reference, from ``schema/``.

Every content field with its type, rule, procedure part and example, generated from
``schema/*.schema.json`` so the reference is never written twice by hand (a test
fails when the file is stale). The site publishes it at ``/guide/fields/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from microcred.commands.new import template_text
from microcred.locations import DOCS, SCHEMA
from microcred.rules.profile import DEFAULT, builtin, builtin_ids

FIELDS_FILE = DOCS / "fields.md"
"""The generated field reference."""
TEMPLATES = {
    DOCS / "templates" / "non-credit.md": False,
    DOCS / "templates" / "credit-bearing.md": True,
}
"""Blank proposals to copy in GitHub's web editor, each with its ``credit_bearing``."""

REFERENCED = (
    ("site.schema.json", "content/site.yml"),
    ("institution.schema.json", "content/institutions/<id>.yml"),
    ("credential.schema.json", "content/credentials/<slug>.md"),
    ("pathway.schema.json", "content/pathways/<slug>.md"),
)
"""The schemas of files authors write, in the order a new catalog needs them."""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _resolve(schema: dict, node: dict) -> dict:
    """``node`` merged with the local ``$ref`` it names (one level, as the schemas use)."""
    ref = node.get("$ref", "")
    if not ref.startswith("#/$defs/"):
        return node
    target = schema["$defs"][ref.removeprefix("#/$defs/")]
    return {**_resolve(schema, target), **{k: v for k, v in node.items() if k != "$ref"}}


def _type(schema: dict, node: dict) -> str:
    node = _resolve(schema, node)
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    kind = node.get("type", "")
    if kind == "array":
        items = _resolve(schema, node.get("items", {}))
        if "enum" in items:
            return "list of any of " + ", ".join(f"`{value}`" for value in items["enum"])
        inner = "objects" if items.get("type") == "object" else _type(schema, items) or "values"
        return f"list of {inner}"
    formats = {"date": "date (YYYY-MM-DD)", "email": "email address", "uri": "URL"}
    if kind == "string" and node.get("format") in formats:
        return formats[node["format"]]
    return {"string": "text", "integer": "whole number", "boolean": "true / false"}.get(kind, kind)


def _limits(node: dict) -> str:
    words = []
    for key, text in (
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("minItems", "at least {} item(s)"),
        ("minimum", "at least {}"),
        ("exclusiveMinimum", "more than {}"),
    ):
        if key in node and not (key == "minLength" and node[key] == 1):
            words.append(text.format(node[key]))
    return "; ".join(words)


def _example(node: dict) -> str:
    if "x-example" not in node:
        return ""
    return "`" + json.dumps(node["x-example"], ensure_ascii=False).replace("|", "\\|") + "`"


def _rows(schema: dict, node: dict, prefix: str = "") -> Iterator[str]:
    required = set(node.get("required", ()))
    for name, child in node.get("properties", {}).items():
        child = _resolve(schema, child)
        about = child.get("description", "")
        limits = _limits(child)
        if limits:
            about = f"{about} ({limits})" if about else limits
        yield (
            f"| `{prefix}{name}` | {'yes' if name in required else ''} | {_type(schema, child)} | "
            f"{_cell(about)} | {_cell(child.get('x-part', ''))} | {_example(child)} |"
        )
        items = _resolve(schema, child.get("items", {}))
        nested = child if child.get("type") == "object" else items
        if nested.get("properties"):
            marker = "[]." if child.get("type") == "array" else "."
            yield from _rows(schema, nested, f"{prefix}{name}{marker}")


def _required_in(then: dict) -> list[str]:
    """The fields a conditional rule requires, nested ones by their path."""
    needs = [f"`{name}`" for name in then.get("required", ())]
    if then.get("anyOf"):
        needs.append(" or ".join(f"`{n}`" for alt in then["anyOf"] for n in alt["required"]))
    for name, sub in then.get("properties", {}).items():
        needs += [f"`{name}.{inner}`" for inner in sub.get("required", ())]
        needs += [f"`{name}[].{inner}`" for inner in sub.get("items", {}).get("required", ())]
    return needs


def _conditions(schema: dict) -> Iterator[str]:
    for rule in schema.get("allOf", ()):
        condition = rule.get("if", {}).get("properties", {})
        when = " and ".join(
            value.get("description", name).rstrip(".") for name, value in condition.items()
        )
        then = rule.get("then", {})
        needs = _required_in(then)
        if when and needs:
            part = f" ({then['x-part']})" if then.get("x-part") else ""
            yield f"- {when}: {', '.join(needs)} required{part}."


def _section(file_name: str, where: str) -> list[str]:
    schema = json.loads((SCHEMA / file_name).read_text(encoding="utf-8"))
    lines = [
        f"## {schema.get('title', where)}: `{where}`",
        "",
        _cell(schema.get("description", "")),
        "",
        "| Field | Required | Type | Meaning | Procedure | Example |",
        "| --- | --- | --- | --- | --- | --- |",
        *_rows(schema, schema),
    ]
    conditions = list(_conditions(schema))
    if conditions:
        lines += ["", "Required only in some cases:", "", *conditions]
    return [*lines, ""]


def fields_reference() -> str:
    """``docs/fields.md``: every content field, generated from the JSON Schemas."""
    lines = [
        "# Field reference",
        "",
        "<!-- Generated from schema/*.schema.json by `python build.py docs`; do not edit. -->",
        "",
        "Every field a content file may hold. The JSON Schemas in `schema/` are the source: "
        "editors use them for completion, and `python build.py check` applies them with the "
        "procedure's rules. Unknown fields are errors.",
        "",
    ]
    for file_name, where in REFERENCED:
        lines += _section(file_name, where)
    lines += _profiles_section()
    return "\n".join(lines).rstrip("\n") + "\n"


def _profiles_section() -> list[str]:
    """What each built-in policy profile requires beyond the fields above (docs/policies.md)."""
    lines = [
        "## What each policy profile requires",
        "",
        "A credential is checked against its institution's profile (`policy:` in the "
        "institution file), else the catalog's (`policy:` in `site.yml`, default "
        f"`{DEFAULT}`). Each profile also sets its rules' limits and severities "
        "(`docs/policies.md`).",
        "",
    ]
    for profile_id in builtin_ids():
        profile = builtin(profile_id)
        extends = f", extends `{profile.chain[1]}`" if len(profile.chain) > 1 else ""
        lines += [
            f"### `{profile_id}`: {profile.name}",
            "",
            f"Source: [{_cell(profile.source['title'])}]({profile.source['url']}){extends}.",
            "",
            *(f"- {line}." for line in profile.required_fields()),
            "",
        ]
    return lines


def write_fields_reference(path: Path = FIELDS_FILE) -> bool:
    """Write ``docs/fields.md``; True when it changed."""
    text = fields_reference()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


# --- the guides stage ----------------------------------------------------------


def templates(content: Path) -> dict[Path, str]:
    """The text of each blank proposal in ``docs/templates/``, as ``new`` would write it
    for the catalog in ``content`` (its profile decides which fields are asked for)."""
    return {path: template_text(content, credit) for path, credit in TEMPLATES.items()}


def write_docs(content: Path) -> list[Path]:
    """Write the field reference and the blank proposals; the files that changed."""
    changed = [FIELDS_FILE] if write_fields_reference() else []
    for path, text in templates(content).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
