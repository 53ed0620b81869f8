"""Structural checks: each document against its JSON Schema in ``schema/``.

The schemas are the single statement of the content format: fields, types, allowed
values, lengths and the conditional requirements (credit-bearing, non-credit,
approved). This module turns each schema violation into a ``Problem`` a faculty
member can act on: the field, what is wrong, how to fix it, and the procedure part
(read from the schema's ``x-part`` and ``x-rule`` annotations).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache, partial
from typing import TYPE_CHECKING

import fastjsonschema
import yaml

from microcred.build import validators
from microcred.content.load import Document
from microcred.content.yaml_words import quoted
from microcred.locations import SCHEMA
from microcred.reporting.problems import ERROR, Problem, field_name

if TYPE_CHECKING:  # jsonschema is imported only to explain a document fastjsonschema rejects
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

PLACEHOLDER = "TODO"
EXAMPLE_VALUES = frozenset(
    {
        "…",
        "...",
        "YYYY-MM-DD",
        "MC-00000",
        "MC-00123",
        "President or designee",
        "Vice President of Academic Affairs",
        "Business and Technical Communication Advisory Committee",
        "Outcomes reviewed by the advisory committee",
    }
)
"""Values that scaffolds and fix hints show (or once showed) as examples: pasted in, they
are placeholders like ``TODO``, never real values."""
SCHEMA_FILES = {
    "site": "site.schema.json",
    "institution": "institution.schema.json",
    "credential": "credential.schema.json",
    "version": "credential.schema.json",
    "pathway": "pathway.schema.json",
    "policy": "policy.schema.json",
}

TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "`true` or `false`",
    "array": "a list",
    "object": "a group of fields",
    "null": "empty",
}

PATTERN_HINTS = (
    (
        "^[a-z0-9]+(-[a-z0-9]+)*$",
        "an id (small letters a-z, digits and single hyphens)",
        "such as `north-star-college`",
    ),
    ("@", "an email address", "such as `microcredentials@example.edu`"),
    ("\\d{4}-\\d{2}-\\d{2}", "a date in the form YYYY-MM-DD", "such as `2026-08-15`"),
    ("^https://", "an https URL", "such as `https://catalog.example.edu`"),
    (
        "^https?://",
        "a web address starting with http:// or https://",
        "such as `https://www.onetonline.org/`",
    ),
    (
        "^ce-",
        "a Credential Engine id: `ce-` followed by a UUID",
        "such as `ce-5f8d1f0e-2c3b-4a5d-9e6f-7a8b9c0d1e2f`",
    ),
    ("\\d{2}-\\d{4}", "a Standard Occupational Classification code", "such as `15-1232`"),
    ("[A-Z]{3}", "a three-letter currency code", "such as `USD`"),
    (
        "png|svg",
        "a path to a .png or .svg file inside content/ (no `..`, no leading `/`)",
        "such as `images/technical-writing.svg`",
    ),
    ("\\S", "text that is not blank", "write the text"),
    ("[a-zA-Z]{2,3}", "a language tag (BCP 47)", "such as `en` or `es-US`"),
)


MEANINGS = {
    "approved": "active",
    "approve": "active",
    "published": "active",
    "live": "active",
    "current": "active",
    "open": "active",
    "draft": "proposed",
    "pending": "proposed",
    "submitted": "proposed",
    "in review": "proposed",
    "new": "proposed",
    "paused": "suspended",
    "on hold": "suspended",
    "inactive": "suspended",
    "retired": "closed",
    "discontinued": "closed",
    "ended": "closed",
    "archived": "closed",
    "face-to-face": "in-person",
    "face to face": "in-person",
    "in person": "in-person",
    "onsite": "in-person",
    "on-site": "in-person",
    "remote": "online",
    "blended": "hybrid",
}
"""Words authors use for an allowed value, by the value they mean."""
MEANINGS_WHY = {
    "active": "An approved micro-credential that is offered is `active`; "
    "`proposed` is for one still awaiting approval.",
    "proposed": "A micro-credential awaiting approval is `proposed`.",
    "suspended": "One not offered for now, but expected back, is `suspended`.",
    "closed": "One no longer offered is `closed`.",
}


@cache
def load_schema(kind: str) -> dict:
    """The JSON Schema for a document kind, read once."""
    return json.loads((SCHEMA / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


@cache
def _validator(kind: str, text: str | None = None) -> Draft202012Validator:
    """jsonschema's validator for a kind (or a profile's schema text), made when a document
    is rejected: importing jsonschema was a quarter of a second of every ``check``."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(text) if text else load_schema(kind))


def _as_draft7(node):
    """The schema for fastjsonschema, which speaks draft 7, where keywords beside a
    ``$ref`` are ignored: wrap such a ``$ref`` in ``allOf`` to keep 2020-12's meaning."""
    if isinstance(node, list):
        return [_as_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_draft7(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        node["allOf"] = [*node.get("allOf", []), {"$ref": node.pop("$ref")}]
    return node


DRAFT7 = "http://json-schema.org/draft-07/schema#"


def _inline_refs(node, defs: dict, seen: tuple[str, ...] = ()):
    """``node`` with each ``{"$ref": "#/$defs/NAME"}`` replaced by that definition.

    fastjsonschema compiles a ``$ref`` to a call that formats the field's name for an
    error message on every call, with ``str.format(**locals())`` over a function of
    hundreds of locals: 70 calls per file, a fifth of the whole check of a catalog with
    many outcomes, skills and courses. Inlined, the same checks run with no call. A
    definition that refers to itself stays a ``$ref``.
    """
    if isinstance(node, list):
        return [_inline_refs(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
        name = ref.removeprefix("#/$defs/")
        if name in defs and name not in seen:
            return _inline_refs(defs[name], defs, (*seen, name))
    return {key: _inline_refs(value, defs, seen) for key, value in node.items()}


@cache
def _is_valid(kind: str, text: str | None = None):
    """A compiled yes/no check of a document against its schema.

    Nearly every document in a catalog is valid; fastjsonschema answers for those in a
    fraction of jsonschema's time. Only documents it rejects are walked by jsonschema,
    which names every error. ``tests/test_schema_docs.py`` holds the two to the same
    verdicts.
    """
    draft7 = _as_draft7(json.loads(text) if text else load_schema(kind))
    schema = {**_inline_refs(draft7, draft7.get("$defs", {})), "$schema": DRAFT7}
    validate = validators.compiled(schema, use_default=False, use_formats=False)

    def is_valid(data) -> bool:
        try:
            validate(data)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return is_valid


def compile_schema(kind: str, schema_text: str | None = None) -> None:
    """Compile the schema check ``check_structure`` uses for ``kind`` (or ``schema_text``)
    now rather than on its first document (so that forked workers inherit it)."""
    _is_valid(kind, schema_text)


def check_structure(document: Document, schema_text: str | None = None) -> list[Problem]:
    """Every schema violation of one document, as problems.

    ``schema_text`` is the JSON of a schema to use instead of the kind's own: a policy
    profile's, with its required fields compiled in (``rules/profile.py``).
    """
    if _is_valid(document.kind, schema_text)(document.data):
        return []
    schema = json.loads(schema_text) if schema_text else load_schema(document.kind)
    errors = list(_validator(document.kind, schema_text).iter_errors(document.data))
    mistyped = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    errors = [  # a value of the wrong type breaks the field's other rules too: say it once
        error
        for error in errors
        if error.validator == "type" or tuple(error.absolute_path) not in mistyped
    ]
    found = (problem for error in errors for problem in _problems(document, schema, error))
    return list(dict.fromkeys(found))


def is_placeholder(value) -> bool:
    """Whether ``value`` is text starting, after any spaces, with the ``TODO`` placeholder,
    or is one of the ``EXAMPLE_VALUES``."""
    if not isinstance(value, str):
        return False
    return value.lstrip().startswith(PLACEHOLDER) or value.strip() in EXAMPLE_VALUES


_SPACE_IN_REPR = r"(?:\s|\\[ntrxuU][0-9a-fA-F]*)*"
EXAMPLE_TEXT = re.compile(
    f"['\"]{_SPACE_IN_REPR}(?:"
    + "|".join(re.escape(example) for example in sorted(EXAMPLE_VALUES, key=len, reverse=True))
    + f"){_SPACE_IN_REPR}['\"]"
)
"""An ``EXAMPLE_VALUES`` value as a whole text in a ``repr``: between quotes, with only
spaces (or the escapes ``repr`` writes for other white space) around it. A long credential
file names its approver "Vice President of Academic Affairs (designee)", which holds an
example value but is none: every such file was walked leaf by leaf."""


def _may_hold_placeholder(document: Document) -> bool:
    text = repr(document.data)
    return (
        PLACEHOLDER in text
        or PLACEHOLDER in document.body
        or (any(example in text for example in EXAMPLE_VALUES) and bool(EXAMPLE_TEXT.search(text)))
    )


def check_placeholders(document: Document) -> list[Problem]:
    """Every ``TODO`` left by ``python build.py new``, in the fields and the body."""
    if not _may_hold_placeholder(document):
        return []
    found = [
        Problem(
            ERROR,
            "placeholder",
            document.path,
            *document.where(path),
            field_name(path),
            f'still holds the placeholder "{_short(value)}"',
            "Replace it with the real value",
        )
        for path, value in _placeholder_leaves(document.data, (), [])
    ]
    for offset, line in enumerate(document.body.splitlines()):
        if line.lstrip().startswith(PLACEHOLDER):
            found.append(
                Problem(
                    ERROR,
                    "placeholder",
                    document.path,
                    document.body_line + offset,
                    line.index(PLACEHOLDER) + 1,
                    "description",
                    "the description still holds a placeholder",
                    "Write the learner-facing description",
                )
            )
    return found


def _placeholder_leaves(value, path: tuple, found: list) -> list[tuple[tuple, object]]:
    """Each value below ``value`` that ``is_placeholder``, with its path, in document order
    into ``found``: one call per value, and a path made only for a placeholder. A generator
    of every leaf and its path took 7% of checking a long credential file (each names its
    approver with words that hold an ``EXAMPLE_VALUES`` value, so every file takes this
    walk)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list):
                _placeholder_leaves(item, (*path, key), found)
            elif is_placeholder(item):
                found.append(((*path, key), item))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict | list):
                _placeholder_leaves(item, (*path, index), found)
            elif is_placeholder(item):
                found.append(((*path, index), item))
    elif is_placeholder(value):
        found.append((path, value))
    return found


def _problems(document: Document, schema: dict, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if error.validator != "required" and is_placeholder(error.instance):
        return
    rule, part = _annotations(schema, error)
    handler = _HANDLERS.get(error.validator, _other)
    if error.validator == "type" and path in document.scalars:
        handler = partial(_type_as_written, document.scalars[path])
    elif error.validator == "enum" and path in document.scalars:
        handler = partial(_enum, written=document.scalars[path])
    elif error.validator == "additionalProperties":
        handler = partial(_additional, document=document)
    because = _condition(schema, error, document)
    for field_path, rule_id, message, fix in handler(schema, error, path):
        line, column = document.where(field_path)
        if because:
            message = f"{message}; {because[0]}"
            if len(field_path) <= 1:
                line, column = because[1]
            if because[2].get("status") not in (None, "proposed"):
                fix = f"{fix}. If it is not approved yet, write `status: proposed` instead"
        yield Problem(
            ERROR,
            rule or rule_id,
            document.path,
            line,
            column,
            field_name(field_path),
            message,
            fix,
            field_schema(schema, field_path).get("x-part") or part or _part_of(schema, field_path),
        )


def _annotations(schema: dict, error: ValidationError) -> tuple[str, str]:
    """The innermost ``x-rule``/``x-part`` on the schema path of a conditional error."""
    rule = part = ""
    node = schema
    for step in error.absolute_schema_path:
        if not isinstance(node, (dict, list)):
            break
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "x-rule" in node:
            rule, part = node["x-rule"], node.get("x-part", part)
    return rule, part


def _condition(schema: dict, error: ValidationError, document: Document):
    """Why a field is required when the requirement follows from another field's value:
    the words (naming that field, its value and its line), the line to report on, and
    the values the requirement follows from."""
    steps = list(error.absolute_schema_path)
    if error.validator not in ("required", "anyOf") or "then" not in steps:
        return None
    node = schema
    for step in steps[: len(steps) - 1 - steps[::-1].index("then")]:
        node = node[step]
    condition = node.get("if", {}).get("properties", {}) if isinstance(node, dict) else {}
    reasons, where, values = [], None, {}
    for name in condition:
        if name not in document.data or not isinstance(document.data[name], (str, bool, int)):
            continue
        value = document.data[name]
        shown = str(value).lower() if isinstance(value, bool) else value
        line, column = document.where((name,))
        reasons.append(f"`{name}` is `{shown}` (line {line})")
        values[name] = value
        where = where or (line, column)
    if not reasons:
        return None
    return f"it is required because {' and '.join(reasons)}", where, values


def _resolve(schema: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        target = schema
        for step in node["$ref"][2:].split("/"):
            target = target.get(step, {})
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def field_schema(schema: dict, path: tuple) -> dict:
    """The schema of the field at ``path`` (list indexes step into ``items``)."""
    node = _resolve(schema, schema)
    for step in path:
        key = "items" if isinstance(step, int) else None
        node = _resolve(schema, node.get(key) if key else node.get("properties", {}).get(step))
        if not isinstance(node, dict):
            return {}
    return node


def _part_of(schema: dict, path: tuple) -> str:
    for end in range(len(path), 0, -1):
        part = field_schema(schema, path[:end]).get("x-part")
        if part:
            return part
    return ""


def example_of(schema: dict, path: tuple) -> str:
    """A short example value for a field, for fixes and scaffolds."""
    node = field_schema(schema, path)
    if "x-example" in node:
        return yaml_inline(node["x-example"])
    if "enum" in node:
        return str(node["enum"][0])
    return {"array": "[...]", "object": "{...}", "boolean": "true", "integer": "1"}.get(
        node.get("type", ""), "..."
    )


def yaml_inline(value) -> str:
    """A value as one line of YAML, the way an author would type it."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False
    )
    return text.strip().removesuffix("...").strip()


def shape_of(value):
    """An example value with every text and number replaced by ``…``: the shape a fix
    shows, so that no hint offers a value that could pass for a real one (``…`` is a
    placeholder, see ``EXAMPLE_VALUES``)."""
    if isinstance(value, dict):
        return {key: shape_of(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape_of(value[0])] if value else []
    if isinstance(value, bool) or value in EXAMPLE_VALUES:
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return "YYYY-MM-DD"
    return "…"


def _required(schema, error, path):
    name = re.match(r"^'(.+)' is a required property$", error.message)
    field = name.group(1) if name else str(error.validator_value)
    node = {
        **field_schema(schema, (*path, field)),
        **error.schema.get("properties", {}).get(field, {}),
    }
    if "enum" in node:
        choices = ", ".join(f"`{choice}`" for choice in node["enum"])
        fix = f"Add `{field}: …`, one of {choices}"
    else:
        example = node.get("x-example")
        fields = _group_shape(node, example)
        if fields:
            fix = _group_fix(field, fields, is_list=node.get("type") == "array")
        else:
            shape = (
                yaml_inline(shape_of(example))
                if example is not None
                else example_of(schema, (*path, field))
            )
            fix = f"Add `{field}: {shape}`"
    source = node.get("x-source")
    meaning = (node.get("description") or "").strip().split(". ")[0].rstrip(".")
    if source:
        fix += f"{',' if fields else ''} from {source}"
    elif meaning:
        fix += f": {meaning[0].lower()}{meaning[1:]}"
    yield (*path, field), "required-field", f"`{field}` is missing", fix


def _group_shape(node: dict, example) -> list[str]:
    """The fields of a group (or of each item of a list of groups) as lines to write, from
    the example's shape or else the required and first properties; empty for a field
    holding one value."""
    if isinstance(example, list) and example and isinstance(example[0], dict):
        example = example[0]
    if isinstance(example, dict):
        return [f"{name}: {yaml_inline(shape_of(value))}" for name, value in example.items()]
    item = node.get("items", {}) if node.get("type") == "array" else node
    if item.get("type") != "object" or not item.get("properties"):
        return []
    required = list(item.get("required", ()))
    return [f"{name}: …" for name in dict.fromkeys([*required, *list(item["properties"])[:2]])][:3]


def _group_fix(field: str, lines: list[str], is_list: bool) -> str:
    """How to add a group of fields, as lines (a coordinator cannot read ``{a: …}``);
    ``lines`` are each field as it is written (``date: YYYY-MM-DD``)."""
    first, *others = lines
    rest = " and ".join(f"`{line}`" for line in others)
    if is_list:
        fix = f"Add `{field}:` on its own line; below it, indented two spaces, `- {first}`"
        name = first.split(":")[0]
        return fix + (f", with {rest} on the next lines, lined up under `{name}`" if rest else "")
    fix = f"Add `{field}:` on its own line; below it, indented two spaces, `{first}`"
    return fix + (f" and {rest} on the next lines" if rest else "")


def _additional(schema, error, path, document: Document | None = None):
    allowed = sorted(error.schema.get("properties", {}))
    for key in sorted(k for k in error.instance if k not in allowed):
        shown = f"`{key}`" if str(key).strip() else "an empty field name"
        dedented = _dedented(schema, document, error.instance, path, key) if document else None
        if dedented:
            yield (*path, key), "unknown-field", *dedented
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        fix = (
            f"Did you mean `{close[0]}`?"
            if close
            else ("Remove it, or use one of the fields in the content format (docs/fields.md)")
        )
        yield (*path, key), "unknown-field", f"{shown} is not a field of this file", fix


def _dedented(schema, document: Document, mapping: dict, path: tuple, key) -> tuple | None:
    """(message, fix) when ``key`` is a field of the field just above it (of its last list
    item, or of its mapping) but was indented too little, so YAML read it as a field here."""
    line, column = document.where((*path, key))
    above = [
        (document.where((*path, other))[0], other)
        for other in mapping
        if other != key and document.where((*path, other))[0] < line
    ]
    if not above:
        return None
    owner = max(above)[1]
    value = mapping[owner]
    inside = (*path, owner)
    if isinstance(value, list) and value and isinstance(value[-1], dict):
        inside = (*inside, len(value) - 1)
        value = value[-1]
    if not isinstance(value, dict) or not value:
        return None
    if key not in field_schema(schema, inside).get("properties", {}):
        return None
    first = next(iter(value))
    first_line, first_column = document.where((*inside, first))
    read_as = f"a field of `{field_name(path)}`" if path else "a field of the file"
    if isinstance(inside[-1], int):
        part_of = f"the item of `{owner}` that starts on line {first_line}"
    else:
        part_of = f"`{owner}` (line {document.where((*path, owner))[0]})"
    return (
        f"`{key}` starts in column {column}, so YAML reads it as {read_as}; it looks like "
        f"part of {part_of}, indented too little",
        f"Indent `{key}` to column {first_column}, under `{first}` on line {first_line}",
    )


def _type(schema, error, path):
    wanted = error.validator_value
    names = " or ".join(
        TYPE_NAMES.get(t, t) for t in (wanted if isinstance(wanted, list) else [wanted])
    )
    yield (
        path,
        "field-type",
        f"must be {names}, not {_kind_of(error.instance)}",
        _type_fix(schema, path, names, error.instance),
    )


def _type_as_written(written, schema, error, path):
    """A type error on an unquoted value YAML read as a number, `true`/`false`, a date or
    empty: say what was typed and how YAML read it; where text is wanted, quote it."""
    wanted = error.validator_value
    wanted = wanted if isinstance(wanted, list) else [wanted]
    names = " or ".join(TYPE_NAMES.get(t, t) for t in wanted)
    if error.instance is None and not written.strip():
        yield path, "field-type", "has no value", _type_fix(schema, path, names)
        return
    read_as = _kind_of(error.instance)
    message = f"must be {names}, but YAML reads `{written}` as {read_as}"
    if "string" in wanted:
        key = path[-1] if path and isinstance(path[-1], str) else None
        shown = f"{key}: {quoted(written)}" if key else f"- {quoted(written)}"
        yield path, "field-type", message, f"Put it in quotes: `{shown}`"
    else:
        yield path, "field-type", message, _type_fix(schema, path, names)


def _type_fix(schema, path, names, instance=None):
    node = field_schema(schema, path)
    if node.get("properties") and isinstance(instance, str | int | float):
        return _fields_fix(node, path, instance)
    if node.get("type") == "array" and isinstance(instance, str) and path:
        return _list_fix(path, instance)
    if node.get("type") in ("number", "integer") and isinstance(instance, str):
        number = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z ]*)", instance)
        key = path[-1] if path and isinstance(path[-1], str) else "the field"
        if number and number.group(2).strip():
            unit = number.group(2).strip()
            return f"Write the number alone, without `{unit}`: `{key}: {number.group(1)}`"
        if number:
            return f"Remove the quotes, so YAML reads a number: `{key}: {number.group(1)}`"
    example = example_of(schema, path)
    return f"Write {names}, for example {example}" if example != "..." else f"Write {names}"


BULLETS = "•◦▪·‣–—*"
"""Bullet characters a word processor writes before list items."""


def _list_fix(path: tuple, instance: str) -> str:
    """How to write as a list what was written as text: its items (split at bullets or
    commas, as the author separated them) in brackets, or one per line after ``- ``."""
    key = path[-1] if isinstance(path[-1], str) else "the field"
    bullet = next((char for char in BULLETS if instance.lstrip().startswith(char)), None)
    if bullet:
        items = [item.strip() for item in instance.split(bullet) if item.strip()]
        return (
            f"Start each item on its own line with `- ` instead of `{bullet}`, or write "
            f"`{key}: {yaml_inline(items)}`"
        )
    if "," in instance:
        items = [item.strip() for item in instance.split(",") if item.strip()]
        return f"Put the list in brackets: `{key}: {yaml_inline(items)}`"
    return (
        f"Write it as a list, even of one item: `{key}: {yaml_inline([instance])}`, or each "
        "item on its own line below, starting with `- `"
    )


TEXT_FIELDS = ("note", "name", "method")
"""Where text written in place of a group of fields most likely belongs."""


def _fields_fix(node: dict, path: tuple, instance) -> str:
    """How to write a group of fields where a single value was written: the field alone
    on its line, its fields indented below it (two of them shown, as shapes, never as
    values to paste), and where text like the one written can go."""
    properties = node["properties"]
    text = next(
        (name for name in TEXT_FIELDS if properties.get(name, {}).get("type") == "string"), None
    )
    required = list(node.get("required", ()))
    names = list(dict.fromkeys([*required, *list(properties)[:1], *([text] if text else [])]))
    shown = [f"{name}: …" for name in names[:2]]
    if path and isinstance(path[-1], int) and required and isinstance(instance, str):
        first, *others = required
        fix = f"Each item of `{path[-2]}` is a group of fields: write `- {first}: {instance}`"
        if others:
            fix += f", and `{others[0]}: …` on the next line, lined up under `{first}`"
        return fix
    key = path[-1] if path and isinstance(path[-1], str) else "the field"
    fix = (
        f"Write `{key}:` alone on its line, and its fields on the lines below it, each "
        "indented two spaces, such as " + " and ".join(f"`{line}`" for line in shown)
    )
    if text and isinstance(instance, str):
        fix += f"; text like yours goes in `{text}: {quoted(instance)}`"
    return fix


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return "empty"


def _enum(schema, error, path, written=None):
    options = [str(o) for o in error.validator_value]
    shown = ", ".join(f"`{o}`" for o in options)
    typed = str(error.instance).strip().casefold()
    meant = {o.casefold(): o for o in options}.get(typed) or MEANINGS.get(typed)
    if meant in options:
        fix = f"Did you mean `{meant}`?"
        if typed in MEANINGS:
            fix += f" {MEANINGS_WHY.get(meant, '')}".rstrip()
    else:
        close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.5)
        fix = f"Did you mean `{close[0]}`?" if close else f"Use one of {shown}"
    if written is not None:
        read_as = _kind_of(error.instance)
        yield (
            path,
            "allowed-values",
            f"YAML reads `{written}` as {read_as}, which is not one of {shown}",
            fix,
        )
        return
    yield path, "allowed-values", f"`{_short(error.instance)}` is not one of {shown}", fix


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _min_items(schema, error, path):
    n = error.validator_value
    yield (
        path,
        "min-items",
        f"needs at least {n} item{'s' if n != 1 else ''}",
        "Add the missing entries",
    )


def _length(schema, error, path):
    n, actual = error.validator_value, len(error.instance)
    if error.validator == "maxLength":
        yield path, "text-length", f"is {actual} characters; at most {n} are allowed", "Shorten it"
    else:
        yield path, "text-length", f"is {actual} characters; at least {n} are needed", "Say more"


LANGUAGES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "french": "fr",
    "german": "de",
    "somali": "so",
    "hmong": "hmn",
    "vietnamese": "vi",
    "chinese": "zh",
    "mandarin": "zh",
    "arabic": "ar",
    "russian": "ru",
    "portuguese": "pt",
    "korean": "ko",
    "japanese": "ja",
    "ojibwe": "oj",
    "dakota": "dak",
}
"""Language names authors write, with their BCP 47 tag."""


def _fix_from_value(pattern: str, written: str) -> tuple[str, str] | None:
    """(what is wanted, the fix) made from the author's own value, for the common ways of
    writing a date, a web address or a language that a pattern refuses; None otherwise."""
    if "\\d{4}-\\d{2}-\\d{2}" in pattern:
        slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", written)
        if slashed:
            month, day, year = slashed.groups()
            return "a date in the form YYYY-MM-DD", (
                f"Write `{year}-{int(month):02d}-{int(day):02d}` (year, month, day; if "
                f"{month} is the day, swap them)"
            )
    if pattern.startswith("^https") and re.fullmatch(r"(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?", written):
        return "a web address starting with https://", f"Write `https://{written}`"
    if written.casefold() in LANGUAGES and re.match(r"^\^\[a-z", pattern, re.IGNORECASE):
        tag = LANGUAGES[written.casefold()]
        return "a language tag", f"Write the language's code: `{tag}` for {written}"
    return None


def _pattern(schema, error, path):
    written = str(error.instance)
    if "@" in error.validator_value and written.casefold().startswith("mailto:"):
        yield (
            path,
            "format",
            f"`{_short(written)}` starts with `mailto:`",
            (f"Write the address alone: `{written[len('mailto:') :].strip()}`"),
        )
        return
    if "@" in error.validator_value and "@" in written and " " in written.strip():
        address = next((word for word in written.split() if "@" in word), "").strip("<>(),;")
        yield (
            path,
            "format",
            f"`{_short(written)}` is more than an email address",
            (f"Write the address alone: `{address}`"),
        )
        return
    if fix := _fix_from_value(error.validator_value, written.strip()):
        yield path, "format", f"`{_short(written)}` is not {fix[0]}", fix[1]
        return
    for needle, what, example in PATTERN_HINTS:
        if needle in error.validator_value:
            yield (
                path,
                "format",
                f"`{_short(error.instance)}` is not {what}",
                f"Write {what}, {example}",
            )
            return
    yield (
        path,
        "format",
        f"`{_short(error.instance)}` is not in the expected form",
        error.schema.get("description") or "Compare it with docs/fields.md",
    )


def _bound(schema, error, path):
    words = {
        "minimum": "at least",
        "exclusiveMinimum": "more than",
        "maximum": "at most",
        "exclusiveMaximum": "less than",
    }
    bound = f"{words[error.validator]} {error.validator_value}"
    yield (
        path,
        "number-range",
        f"is {error.instance}; it must be {bound}",
        f"Write a number {bound}",
    )


def _unique(schema, error, path):
    yield path, "duplicate-item", "lists the same value more than once", "Remove the repeat"


def _any_of(schema, error, path):
    options = [
        f"`{name}`" for option in error.validator_value for name in option.get("required", [])
    ]
    if options:
        yield path, "required-field", f"needs {' or '.join(options)}", f"Add {' or '.join(options)}"
    else:
        yield (
            path,
            "invalid-value",
            "does not match any allowed form",
            "Compare it with the content format",
        )


def _not(schema, error, path):
    together = (
        error.validator_value.get("required", []) if isinstance(error.validator_value, dict) else []
    )
    if together:
        names = " and ".join(f"`{name}`" for name in together)
        yield path, "invalid-value", f"gives {names} together", f"Keep only one of {names}"
    else:
        yield from _other(schema, error, path)


def _other(schema, error, path):
    yield path, "invalid-value", error.message[:200], "Compare it with the content format"


_HANDLERS = {
    "required": _required,
    "additionalProperties": _additional,
    "type": _type,
    "enum": _enum,
    "minItems": _min_items,
    "maxLength": _length,
    "minLength": _length,
    "pattern": _pattern,
    "minimum": _bound,
    "exclusiveMinimum": _bound,
    "maximum": _bound,
    "exclusiveMaximum": _bound,
    "uniqueItems": _unique,
    "anyOf": _any_of,
    "not": _not,
}
