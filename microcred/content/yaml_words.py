"""YAML mistakes in plain words: what a parser error means, on the line that has the mistake.

PyYAML reports where it noticed a problem, in its own terms ("could not find expected
':'", "found character that cannot start any token"), often a line after the mistake.
``explain`` turns a ``MarkedYAMLError`` and the YAML text into the line, column, field,
message and fix a person editing the file by hand can act on: the tab, the line without
a colon, the quote never closed, the curly quotes, the colon inside a value, the line
indented unlike its neighbours. ``quoted`` writes a value the way the fixes show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

CURLY = "\u201c\u201d\u2018\u2019"
KEY_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-\s+)?(?P<key>[^\s:#\"'][^:#]*?):(\s|$)")
NUMBERED = re.compile(r"^(?P<indent> *)(?P<number>\d{1,3}[.)])\s+\S")
BLOCK_START = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$")
GENERIC_FIX = (
    "Check the indentation and colons; put text containing `: ` or "
    "starting with a special character in quotes"
)


@dataclass(frozen=True, slots=True)
class Explained:
    """A YAML syntax problem as the author should read it (1-based line and column)."""

    line: int
    column: int
    field: str
    message: str
    fix: str
    repaired: str | None = None
    """The line as the fix writes it, where the fix says exactly (``load._compose`` reads
    the file again with it, to find the next mistake)."""


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML value (backslashes and quotes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(line: str) -> str:
    match = KEY_LINE.match(line)
    return match.group("key").strip() if match else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def explain(
    error: yaml.MarkedYAMLError, text: str, line_offset: int, fields: frozenset[str] = frozenset()
) -> Explained:
    """The author's account of ``error`` in ``text`` (lines numbered after ``line_offset``);
    ``fields`` are the file's field names, which tell a field from a line of text."""
    lines = text.split("\n")
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    at = mark.line if mark else 0
    column = mark.column if mark else 0
    start = error.context_mark.line if error.context_mark else at

    def line_of(index: int) -> str:
        return lines[index] if 0 <= index < len(lines) else ""

    def result(
        index: int, col: int, message: str, fix: str, field: str = "", repaired=None
    ) -> Explained:
        return Explained(index + 1 + line_offset, col + 1, field, message, fix, repaired)

    for index in (*range(start, at + 1), at):
        tab = line_of(index)
        if "\t" in tab[: len(tab) - len(tab.lstrip(" \t"))]:
            repaired, like = _indented_like_above(lines, index, tab.lstrip(" \t"))
            spaces = _indent(repaired)
            return result(
                index,
                tab.index("\t"),
                "this line is indented with a tab character; YAML indents with spaces only",
                f"Replace the tab at the start of the line with {spaces} spaces ({like})"
                if spaces
                else "Delete the tab at the start of the line, so it starts in column 1 like "
                "the line above",
                _key(tab.replace("\t", " ")),
                repaired,
            )
    numbered = _numbered_item(lines, start, at)
    if numbered is not None:
        here = line_of(numbered)
        marker = NUMBERED.match(here)
        rest = here[marker.end("number") :].strip()
        return result(
            numbered,
            _indent(here),
            f"this list item starts with `{marker.group('number')}`; YAML lists start each "
            "item with `- ` instead of a number",
            f"Replace `{marker.group('number')}` with `-`: `- {rest}`, and do the same on the "
            "other items",
            _key(f"- {rest}"),
            f"{marker.group('indent')}- {rest}",
        )
    if "cannot start any token" in problem:
        here = line_of(at)
        char = here[column : column + 1] or "?"
        key = _key(here)
        value = here.split(":", 1)[1].strip() if key else here.strip()
        return result(
            at,
            column,
            f"a value cannot start with `{char}` in YAML",
            f"Put the value in quotes: `{key}: {quoted(value)}`" if key else GENERIC_FIX,
            key,
            _rewritten(here, key, value),
        )
    if "could not find expected ':'" in problem:
        return _no_colon(lines, start, result, line_offset, fields)
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, at, column, result)
    if "while scanning a quoted scalar" in context:
        opened = line_of(start)
        quote = opened[error.context_mark.column : error.context_mark.column + 1] or '"'
        inner = (
            'write a `"` inside the text as `\\"`'
            if quote == '"'
            else "write an apostrophe inside the text twice (`''`)"
        )
        return result(
            start,
            error.context_mark.column,
            f"the quote `{quote}` that starts this value is never closed",
            f"Add the closing `{quote}` at the end of the value; {inner}",
            _key(opened),
        )
    if "while scanning a block scalar" in context:
        here = line_of(start)
        return result(
            start,
            column,
            "nothing may follow `|` or `>` on the same line: the text of the block starts "
            "on the next line",
            "Move the text to the next line, indented two spaces more than "
            f"`{_key(here) or 'the field'}`",
            _key(here),
        )
    if problem.startswith("did not find expected key") or "expected <block end>" in problem:
        return _misaligned(lines, at, column, result, line_offset)
    if "did not find expected '-' indicator" in problem:
        item = line_of(start)
        here = line_of(at)
        first = _key(item)
        dash = re.match(r"^( *)-([^\s-].*)$", here)
        if dash:
            return result(
                at,
                _indent(here),
                "there is no space after the `-` that starts this list item, so YAML reads "
                f"`-{_key(dash.group(2)) or dash.group(2).strip()}` as one word",
                f"Put a space after the `-`: `- {dash.group(2).strip()}`",
                _key(dash.group(2)),
                f"{dash.group(1)}- {dash.group(2)}",
            )
        item_at = _item_above(lines, at, error.context_mark.column)
        if item_at is not None:
            start, first = item_at, _key(line_of(item_at))
        return result(
            at,
            _indent(here),
            f"`{_key(here) or here.strip()}` is indented differently from the fields of the "
            f"list item on line {start + 1 + line_offset} (`{first}`), so it belongs to neither "
            "that item nor the next",
            f"Line it up under `{first}` (column {error.context_mark.column + 3}) to add it to "
            "that item, or start a new item with `- `",
            _key(here),
        )
    if (
        "did not find expected ',' or ']'" in problem
        or "did not find expected ',' or '}'" in problem
    ):
        opened = line_of(start)
        where = error.context_mark.column if error.context_mark else 0
        bracket, what = ("]", "a list") if "']'" in problem else ("}", "a mapping")
        key = _key(opened)
        value = opened.split(":", 1)[1].strip() if key else opened.strip()
        return result(
            start,
            where,
            f"the value starts with `{opened[where : where + 1]}`, which YAML reads as the "
            f"start of {what}, and it is not closed with `{bracket}` (or an item in it holds "
            "a `,`, `:` or `#` without quotes)",
            (
                f"If it is text, put it in quotes: `{key}: {quoted(value)}`; if it is "
                if key
                else "If it is "
            )
            + f"{what}, end it with `{bracket}` and quote any item containing `,` `:` or `#`",
            key,
        )
    what = problem or context or "invalid YAML"
    return result(at, column, f"this is not valid YAML: {what}", GENERIC_FIX, _key(line_of(at)))


def _item_above(lines, at: int, column: int) -> int | None:
    """The nearest line above ``at`` that starts a list item (``- ``) in ``column``."""
    for index in range(at - 1, -1, -1):
        line = lines[index]
        if _indent(line) == column and line[column:].startswith("- "):
            return index
        if line.strip() and _indent(line) < column:
            return None
    return None


def _numbered_item(lines, start: int, at: int) -> int | None:
    """The first line from ``start`` to ``at`` (or just above them) written as a numbered
    list item (``1. outcome: …``), outside any ``|`` or ``>`` text block."""
    for index in range(max(0, min(start, at) - 3), min(at, len(lines) - 1) + 1):
        if NUMBERED.match(lines[index]) and _block_above(lines, index) is None:
            return index
    return None


GLUED = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*)$")
"""A field whose value follows its colon with no space (``hours:40``)."""


def _no_colon(lines, start, result, offset, fields=frozenset()) -> Explained:
    here = lines[start] if start < len(lines) else ""
    glued = GLUED.match(here)
    if glued:
        key, value = glued.group("key"), glued.group("value").strip()
        lead = glued.group("indent") + (glued.group("dash") or "")
        return result(
            start,
            _indent(here),
            f"there is no space after the `:` of `{key}`, so YAML reads `{key}:{value}` as "
            "one word",
            f"Put a space after the colon: `{key}: {value}`",
            key,
            f"{lead}{key}: {value}",
        )
    above = _block_above(lines, start)
    if above is not None:
        return result(
            start,
            _indent(here),
            f"this line is less indented than the text block of `{_key(lines[above])}` "
            f"(line {above + 1 + offset}), so it is not part of that text",
            "Indent it like the lines of the text above it",
            _key(lines[above]),
        )
    words = here.strip().split(None, 1)
    name = words[0].rstrip(":") if words else ""
    rest = words[1] if len(words) > 1 else "..."
    continued = _previous_key_line(lines, start)
    if continued is not None and fields and name not in fields and _indent(here) == 0:
        above = lines[continued]
        key = _key(above)
        value = above.split(":", 1)[1].strip()
        if value and value[0] not in "\"'[{|>&*!":
            return result(
                start,
                0,
                f"this line has no `:` and `{name}` is not a field, so it looks like the rest "
                f"of the text of `{key}` on line {continued + 1 + offset}, which YAML reads as "
                "a new field",
                f"Join it to the end of line {continued + 1 + offset}, or indent it with two "
                f"spaces so it continues the text of `{key}`",
                key,
                "  " + here.strip(),
            )
    below = next((line for line in lines[start + 1 :] if line.strip()), "")
    if len(words) == 1 and _indent(below) > _indent(here):  # its value is on the lines below
        return result(
            start,
            _indent(here),
            f"this line has no `:` after the field name `{name}`",
            f"Write `{name}:` (with the colon), and keep the lines below it as they are",
            name,
            f"{here.rstrip()}:",
        )
    return result(
        start,
        _indent(here),
        f"this line has no `:` after the field name `{name}`",
        f"Write `{name}: {rest}`; if the line continues the value above, indent it",
        name,
    )


def _block_above(lines, index) -> int | None:
    """The line of the ``|``/``>`` field whose text block ``lines[index]`` seems to leave."""
    here = _indent(lines[index]) if index < len(lines) else 0
    for number in range(index - 1, -1, -1):
        line = lines[number]
        if not line.strip():
            continue
        if BLOCK_START.search(line) and _key(line):
            return number if _indent(line) <= here else None
        if _indent(line) <= here:
            return None
    return None


def _colon_in_value(lines, at, column, result) -> Explained:
    here = lines[at] if at < len(lines) else ""
    key = _key(here)
    if any(c in here for c in CURLY):
        value = here.split(":", 1)[1].strip() if key else here.strip()
        straight = value.strip(CURLY)
        return result(
            at,
            column,
            "the value is in curly quotes (“ ” or ‘ ’, as word processors write them), "
            "which YAML does not read as quotes, so the `: ` inside it starts a new field",
            f"Use straight quotes: `{key}: {quoted(straight)}`",
            key,
            _rewritten(here, key, straight),
        )
    first_colon = here.find(": ")
    if first_colon < 0 and here.rstrip().endswith(":"):
        first_colon = len(here.rstrip()) - 1
    if key and first_colon >= column - 1 and _indent(here) > 0:
        above = _previous_key_line(lines, at)
        if above is not None:
            return result(
                at,
                _indent(here),
                f"`{key}` is indented more than `{_key(lines[above])}` on the line above, so "
                f"it reads as part of that field's value",
                f"Start `{key}` in the same column as the field it sits beside",
                key,
            )
    value = here.split(":", 1)[1].strip() if key else here.strip()
    return result(
        at,
        column,
        f"the value of `{key or 'this field'}` has a `: ` in it (column {column + 1}), "
        "which YAML reads as the start of another field",
        f"Put the whole value in quotes: `{key}: {quoted(value)}`" if key else GENERIC_FIX,
        key,
        _rewritten(here, key, value),
    )


def _indented_like_above(lines, index: int, text: str) -> tuple[str, str]:
    """``text`` indented as a field beside the line above it (or inside it, when that
    line's value starts on the next line), and how that indent is found, in words."""
    for number in range(index - 1, -1, -1):
        above = lines[number]
        if above.strip() and not above.lstrip().startswith("#") and "\t" not in above:
            if above.rstrip().endswith(":"):
                name = _key(above) or "the line above"
                return " " * (_indent(above) + 2) + text, f"two more than `{name}` above"
            return " " * _indent(above) + text, "like the line above"
    return text, "like the line above"


def _rewritten(line: str, key: str, value: str) -> str | None:
    """``line`` with its value in double quotes (its indent and any list dash kept)."""
    if not key:
        return None
    match = KEY_LINE.match(line)
    lead = (match.group("indent") + (match.group("dash") or "")) if match else ""
    return f"{lead}{key}: {quoted(value)}"


def _previous_key_line(lines, at) -> int | None:
    for number in range(at - 1, -1, -1):
        if lines[number].strip() and not lines[number].lstrip().startswith("#"):
            return number if _key(lines[number]) and not BLOCK_START.search(lines[number]) else None
    return None


def _misaligned(lines, at, column, result, offset) -> Explained:
    here = lines[at] if at < len(lines) else ""
    before = here[:column]
    quote = next((q for q in "\"'" if before.rstrip().endswith(q) and before.count(q) >= 2), None)
    key = _key(here)
    if quote and column > 0 and here[column:].strip():
        inside = here.split(":", 1)[1].strip() if key else here.strip()
        return result(
            at,
            column,
            f"there is text after the closing quote `{quote}` of the value",
            f"Put the whole value inside the quotes: `{key}: {quoted(inside.replace(quote, ''))}`",
            key,
            _rewritten(here, key, inside.replace(quote, "")),
        )
    above = _block_above(lines, at)
    if above is not None:
        return result(
            at,
            _indent(here),
            f"this line is less indented than the text block of `{_key(lines[above])}` "
            f"(line {above + 1 + offset}), so it is not part of that text",
            "Indent it like the lines of the text above it",
            _key(lines[above]),
        )
    return result(
        at,
        _indent(here),
        "this line does not line up with the fields around it",
        "Start each field of the same level in the same column, with spaces",
        key,
    )
