"""Values YAML reads as something other than what was typed, where the field accepts it.

``yes``, ``no``, ``on`` and ``off`` are read by YAML as ``true`` or ``false``, and
``2026-3-1`` as the date 2026-03-01. Where a field wants text, the schema check
already says so and offers the quoted form (``rules/schema.py``); this check covers
the fields that accept what YAML made of the value, so the change is still told.
"""

from __future__ import annotations

from microcred.content.load import Document
from microcred.reporting.problems import WARNING, Problem, field_name
from microcred.rules.schema import field_schema, load_schema

_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}


def check_yaml_values(document: Document) -> list[Problem]:
    """A warning for each unquoted value YAML turned into `true`/`false` or re-wrote as a
    date, in a field that accepts the result."""
    if not document.scalars:
        return []
    schema = load_schema(document.kind)
    found = []
    for path, written in document.scalars.items():
        value = _value_at(document.data, path)
        if (
            isinstance(value, bool)
            and written.casefold() in _BOOL_WORDS
            and _wants_boolean(schema, path)
        ):
            word = "true" if value else "false"
            message = f"YAML reads `{written}` as `{word}`"
            fix = f"Write `{word}`, so the file says what the catalog will show"
        elif isinstance(value, str) and value != written:
            message = f"YAML reads `{written}` as the date {value}"
            fix = f'Write `{value}`; if it is not a date, put it in quotes: `"{written}"`'
        else:
            continue
        found.append(
            Problem(
                WARNING,
                "yaml-value",
                document.path,
                *document.where(path),
                field_name(path),
                message,
                fix,
                "YAML",
            )
        )
    return found


def _wants_boolean(schema: dict, path) -> bool:
    """Whether the field at ``path`` accepts ``true``/``false`` (looked up only for a value
    YAML read as one: a file's numbers and dates need no look-up)."""
    wanted = field_schema(schema, path).get("type")
    return "boolean" in (wanted if isinstance(wanted, list) else [wanted])


def _value_at(data, path):
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data
