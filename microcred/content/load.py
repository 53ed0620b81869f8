"""Read ``content/`` into documents: parsed fields with the line of every field.

Nothing here trusts its input. Each file is size-checked, decoded as UTF-8 (a BOM
and CRLF line endings are accepted), split into YAML front matter and Markdown, and
parsed with PyYAML's safe loader (the C one when present) into plain JSON-like
values. Every problem becomes a ``Problem``; no input raises.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

import yaml
from yaml.constructor import SafeConstructor

from microcred.content.yaml_words import CURLY, explain, quoted
from microcred.locations import SCHEMA
from microcred.reporting.problems import ERROR, WARNING, Problem, field_name

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _QuickLoader(Loader):  # type: ignore[misc, valid-type]
    """``Loader`` with its tag resolution done in fewer steps, the same tags given.

    The C parser asks Python for the tag of every value (``resolve``) and tells it of
    every step into and out of a collection (``descend_resolver``, ``ascend_resolver``):
    half a million calls over 2,000 long credential files, a third of composing them.
    The safe loader has no path resolvers, so the steps do nothing and a value's tag
    depends only on the value and whether it was written plain: the implicit resolvers
    for its first character (and those for any character) are joined once per
    character instead of at every value, and the tag of a plain value already seen
    (field names, ``true``, ``O*NET``) is remembered.
    """

    _resolvers: ClassVar[dict] = {}
    _plain: ClassVar[dict] = {}

    def descend_resolver(self, current_node, current_index) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        tag = self._plain.get(value)
        if tag is not None:
            return tag
        first = value[:1]
        resolvers = self._resolvers.get(first)
        if resolvers is None:
            table = self.yaml_implicit_resolvers
            resolvers = self._resolvers[first] = (*table.get(first, []), *table.get(None, []))
        tag = next(
            (tag for tag, regexp in resolvers if regexp.match(value)), self.DEFAULT_SCALAR_TAG
        )
        if len(value) <= 64:  # keys and short values repeat; long text rarely does
            if len(self._plain) > 50_000:  # a bound on what one process remembers
                self._plain.clear()
            self._plain[value] = tag
        return tag


if not Loader.yaml_path_resolvers:  # as the safe loaders are; else their own steps matter
    Loader = _QuickLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 50_000
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VERSION_FILE = re.compile(r"^v([1-9][0-9]{0,5})$")

FieldPath = tuple[str | int, ...]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
FRONT_MATTER_FIX = (
    "Start the file with a line `---`, then the YAML fields, then another `---` line, "
    "then the Markdown description"
)


@dataclass(frozen=True, slots=True)
class Document:
    """One content file: its fields as plain values and where each field stands."""

    kind: str
    path: str
    slug: str
    data: dict
    body: str = ""
    positions: Mapping[FieldPath, tuple[int, int]] = field(default_factory=dict)
    body_line: int = 1
    scalars: Mapping[FieldPath, str] = field(default_factory=dict)
    """The text as written of every unquoted value YAML did not read as text (``yes``,
    ``1120``, ``1.10``, ``2026-3-1``), for messages that show what was typed."""

    def where(self, field_path: FieldPath) -> tuple[int, int]:
        """Line and column of a field, or of its closest parent that exists."""
        for end in range(len(field_path), -1, -1):
            position = self.positions.get(tuple(field_path[:end]))
            if position:
                return position
        return (1, 1)


class _Invalid(Exception):
    """A file that cannot be read into a document; carries its one problem."""

    def __init__(self, line: int, column: int, message: str, fix: str, rule: str = "yaml"):
        super().__init__(message)
        self.line, self.column, self.message, self.fix, self.rule = line, column, message, fix, rule
        self.field: tuple = ()
        self.part = "YAML" if rule in ("yaml", "duplicate-field") else ""
        self.others: list[_Invalid] = []
        """Further YAML mistakes of the same file, found after this one (``_compose``)."""
        self.repaired: tuple | None = None
        """The node and text once those mistakes were set aside, when it then read."""
        self.notes: list = []
        """Notes (``_Converter.notes``) about the repaired text, reported with them."""


@dataclass(frozen=True, slots=True)
class Content:
    """Every document of a content folder, by kind, plus the problems met reading it."""

    root: Path
    site: Document | None
    institutions: tuple[Document, ...]
    credentials: tuple[Document, ...]
    pathways: tuple[Document, ...]
    versions: tuple[Document, ...]
    problems: tuple[Problem, ...]
    files: int
    unread: tuple[Path, ...] = ()
    """Credential files listed but left for the caller to read (``read_credentials=False``)."""


def slugify(text: str) -> str:
    """A slug for ``text``: accents dropped (é → e), and every run of anything else that
    is not an ASCII letter or digit a single hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def display_path(path: Path) -> str:
    """The path as messages show it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path.as_posix()
    return Path(relative).as_posix() if not relative.startswith("..") else path.as_posix()


class Parses(Protocol):
    """Parsed files kept between builds (``build/kept_parses.py``): what ``parse()`` gives
    for ``text``, a file of ``kind``, parsed again only when that text was not kept."""

    def parsed(self, kind: str, with_body: bool, text: str, parse: Callable[[], Any]) -> Any:
        """What ``parse()`` gives for ``text``: kept, or parsed now and kept."""


def is_parse(value: Any) -> bool:
    """Whether ``value`` has the shape of what parsing a file gives (for a kept parse read
    back: ``build/kept_parses.py``)."""
    return isinstance(value, tuple) and len(value) == 6 and isinstance(value[0], dict)


def load_content(
    root: Path, read_credentials: bool = True, parses: Parses | None = None
) -> Content:
    """Read a whole content folder. Missing or unreadable files become problems.

    With ``read_credentials=False`` the credential files are only listed (``unread``),
    for a caller that reads them on several cores (``rules/check.py``). With ``parses``,
    a file whose text was parsed before is not parsed again.
    """
    root = Path(root)
    _real_folder.cache_clear()  # folders are looked up afresh for each read of the folder
    unread: list[Path] = []
    problems: list[Problem] = []
    files = 0
    documents: dict[str, list[Document]] = {
        k: [] for k in ("institution", "credential", "pathway", "version")
    }
    site = None
    site_path = root / "site.yml"
    if not root.is_dir():
        problems.append(
            _problem(
                display_path(root),
                1,
                1,
                "content-folder",
                "the content folder does not exist",
                "Pass --content DIR naming a folder with site.yml",
            )
        )
    elif not site_path.is_file():
        problems.append(
            _problem(
                display_path(site_path),
                1,
                1,
                "missing-file",
                "the catalog has no site.yml",
                "Create content/site.yml with at least `title` and `base_url`",
            )
        )
    else:
        files += 1
        site = read_document(root, site_path, "site", problems, parses)
    for kind, pattern in (
        ("institution", "institutions/*"),
        ("credential", "credentials/*"),
        ("pathway", "pathways/*"),
        ("version", "versions/*/*"),
    ):
        for path in _content_files(root, pattern, problems):
            files += 1
            if kind == "credential" and not read_credentials:
                unread.append(path)
                continue
            document = read_document(root, path, kind, problems, parses)
            if document is not None:
                documents[kind].append(document)
    if root.is_dir():
        problems.extend(_unread_files(root))
    return Content(
        root=root,
        site=site,
        institutions=tuple(documents["institution"]),
        credentials=tuple(documents["credential"]),
        pathways=tuple(documents["pathway"]),
        versions=tuple(documents["version"]),
        problems=tuple(problems),
        files=files,
        unread=tuple(unread),
    )


SPECIAL_SPACES = "\u00a0\u2007\u202f\u2002\u2003\u2009\u3000"
"""Spaces a word processor writes that YAML does not indent with (no-break, figure, thin…)."""

FOLDERS = {
    "credentials": "credential files (`<slug>.md`)",
    "institutions": "institution files (`<id>.yml`)",
    "pathways": "micro-pathway files (`<slug>.md`)",
    "versions": "frozen versions (`versions/<slug>/<version>.md`)",
    "policies": "policy profiles (`<id>.yml`)",
    "images": "badge images",
}
"""The folders of a content folder the catalog reads, and what each holds."""
PROPOSAL_SUFFIXES = (".md", ".yml", ".yaml", ".txt")


def _unread_files(root: Path) -> Iterator[Problem]:
    """A file the catalog would never read: beside site.yml, or in a folder it does not
    know (``content/credential/``); a proposal put there would pass unseen."""
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.name in ("site.yml", "README.md"):
            continue
        if path.is_file() and path.suffix in PROPOSAL_SUFFIXES:
            yield _problem(
                display_path(path),
                1,
                1,
                "unread-file",
                "the catalog does not read files placed directly in the content folder",
                f"Move it into content/credentials/ (a credential, `{path.stem}.md`) or the "
                "folder for its kind: " + ", ".join(f"`{name}/`" for name in FOLDERS),
            )
        elif path.is_dir() and path.name not in FOLDERS:
            close = difflib.get_close_matches(path.name, list(FOLDERS), n=1, cutoff=0.6)
            for inside in sorted(path.rglob("*")):
                if inside.is_file() and inside.suffix in PROPOSAL_SUFFIXES:
                    yield _problem(
                        display_path(inside),
                        1,
                        1,
                        "unread-file",
                        f"the catalog does not read the folder `{path.name}/`",
                        f"Move the file into content/{close[0]}/"
                        if close
                        else "Move the file into the folder for its kind: "
                        + ", ".join(f"`content/{name}/`" for name in FOLDERS),
                    )


def _content_files(root: Path, pattern: str, problems: list[Problem]) -> Iterator[Path]:
    expected = ".yml" if pattern.startswith("institutions") else ".md"
    for path in _listed(root, pattern):
        if path.name.startswith("."):
            continue
        if path.suffix != expected:
            problems.append(
                _problem(
                    display_path(path),
                    1,
                    1,
                    "file-name",
                    f"this file is not read: files here end in `{expected}`",
                    f"Rename it to `{path.stem}{expected}`, or move it out of content/",
                    severity=WARNING,
                )
            )
            continue
        yield path


def _listed(root: Path, pattern: str) -> Iterator[Path]:
    """``sorted(root.glob(pattern))`` without folders; for a one-folder pattern
    (``credentials/*``), without a ``Path`` made, compared and looked up for each file
    of the folder: a directory entry knows whether it is a folder, and in one folder,
    paths sort as their names do. Listing 10,000 credential files the ``glob`` way took
    a third of a second in a check that reuses every file's result."""
    folder, _, last = pattern.rpartition("/")
    if last != "*" or any(mark in folder for mark in "*?["):
        yield from (path for path in sorted(root.glob(pattern)) if not path.is_dir())
        return
    try:
        with os.scandir(root / folder) as entries:
            names = [entry.name for entry in entries if not _is_folder(entry)]
    except OSError:
        return
    where = root / folder
    for name in sorted(names):
        yield where / name


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _problem(path, line, column, rule, message, fix, field="", severity=ERROR, part="") -> Problem:
    return Problem(severity, rule, path, line, column, field, message, fix, part)


def read_document(
    root: Path, path: Path, kind: str, problems: list[Problem], parses: Parses | None = None
) -> Document | None:
    """One content file as a document; None, with its problem added, when it cannot be
    read. With ``parses``, its text is parsed only when that text was not kept."""
    shown = display_path(path)
    slug = path.stem
    try:
        _check_name(root, path, kind)
        raw = _read_bytes(root, path)
        text = _decode(raw)
        with_body = path.suffix == ".md"

        def parse() -> tuple:
            return _parse(text, with_body=with_body, fields=field_names(kind))

        parsed = parse() if parses is None else parses.parsed(kind, with_body, text, parse)
        data, body, positions, body_line, notes, scalars = parsed
    except _Invalid as invalid:
        problems.extend(
            _problem(
                shown,
                each.line,
                each.column,
                each.rule,
                each.message,
                each.fix,
                field=field_name(each.field),
                part=each.part,
            )
            for each in (invalid, *invalid.others)
        )
        problems.extend(
            _problem(shown, *note[:5], field=field_name(note[5]), severity=note[6], part="YAML")
            for note in invalid.notes
        )
        return None
    problems.extend(
        _problem(shown, *note[:5], field=field_name(note[5]), severity=note[6], part="YAML")
        for note in notes
    )
    if kind == "version":
        slug = path.parent.name
    return Document(
        kind=kind,
        path=shown,
        slug=slug,
        data=data,
        body=body,
        positions=positions,
        body_line=body_line,
        scalars=scalars,
    )


def _check_name(root: Path, path: Path, kind: str) -> None:
    if kind == "site":
        return
    if kind == "version":
        if not SLUG.match(path.parent.name) or not VERSION_FILE.match(path.stem):
            raise _Invalid(
                1,
                1,
                "a frozen version is stored as versions/<slug>/v<N>.md",
                "Use `python build.py freeze SLUG` to write frozen versions",
                rule="file-name",
            )
        return
    if not SLUG.match(path.stem):
        suggestion = slugify(path.stem) or "name"
        raise _Invalid(
            1,
            1,
            f"the file name `{path.name}` cannot be a web address: it may hold only small "
            "letters a-z, digits and single hyphens, and it becomes the permanent URL of "
            "its page",
            f"Rename the file to `{suggestion}{path.suffix}` (in GitHub's editor: open the "
            "file, click the pencil, and change its name above the text)",
            rule="file-name",
        )


@functools.lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    """A folder's real path, remembered until the next ``load_content``."""
    return os.path.realpath(folder)


def _real_path(path: Path) -> str:
    """Where ``path`` really is: its folder's real path (looked up once per folder) and
    its name, unless the file itself is a link."""
    if os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_folder(str(path.parent)), path.name)


def _read_bytes(root: Path, path: Path) -> bytes:
    resolved = _real_path(path)
    if not resolved.startswith(_real_folder(str(root)) + os.sep):
        raise _Invalid(
            1,
            1,
            "this file is a link to a place outside the content folder",
            "Replace the link with the file itself",
            rule="outside-content",
        )
    try:
        with open(resolved, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise _Invalid(
                    1,
                    1,
                    f"the file is {size:,} bytes; content files are at most "
                    f"{MAX_FILE_BYTES:,} bytes",
                    "Shorten the description",
                    rule="file-size",
                )
            return handle.read()
    except OSError as error:
        raise _Invalid(
            1,
            1,
            f"the file cannot be read ({error.strerror})",
            "Check that the file exists and is readable",
            rule="unreadable",
        ) from None


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise _Invalid(
            1, 1, "the file is binary, not text", "Save it as UTF-8 text", rule="encoding"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _Invalid(
            line,
            1,
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x})",
            "Save the file as UTF-8",
            rule="encoding",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@functools.cache
def field_names(kind: str) -> frozenset[str]:
    """The fields a file of ``kind`` may have at its top level (from its JSON Schema), for
    telling a field name from a line of text."""
    schema = SCHEMA / f"{'credential' if kind == 'version' else kind}.schema.json"
    try:
        properties = json.loads(schema.read_text(encoding="utf-8")).get("properties", {})
    except (OSError, ValueError):
        return frozenset()
    return frozenset(properties)


def _parse(
    text: str, with_body: bool, fields: frozenset[str] = frozenset()
) -> tuple[dict, str, dict, int, list, dict]:
    if not text.strip():
        raise _Invalid(
            1,
            1,
            "the file is empty",
            FRONT_MATTER_FIX if with_body else "Add the YAML fields",
            rule="empty",
        )
    line_offset = 0
    body = ""
    body_line = 1
    if with_body:
        yaml_text, body, body_line = _split_front_matter(text)
        line_offset = 1
    else:
        yaml_text = text
    yaml_text, spaced = _ordinary_indents(yaml_text, line_offset)
    try:
        node = _compose(yaml_text, line_offset, fields)
    except _Invalid as invalid:
        if invalid.repaired is not None:  # the text read once its mistakes were set aside
            _also_check(invalid, *invalid.repaired, line_offset)
        invalid.notes = [*spaced, *invalid.notes]
        raise
    if node is None:
        raise _Invalid(
            1 + line_offset,
            1,
            "the front matter has no fields",
            "Add the YAML fields between the `---` lines",
            rule="empty",
        )
    positions: dict[FieldPath, tuple[int, int]] = {}
    converter = _Converter(line_offset, positions, yaml_text)
    data = converter.value(node, ())
    if not isinstance(data, dict):
        line, column = _mark(node, line_offset)
        raise _Invalid(
            line,
            column,
            f"the fields must be a mapping of `name: value`, not {_describe(data)}",
            "Write one `field: value` per line",
            rule="not-a-mapping",
        )
    return data, body, positions, body_line, [*spaced, *converter.notes], converter.scalars


def _ordinary_indents(yaml_text: str, line_offset: int) -> tuple[str, list]:
    """The YAML with the special spaces a word processor pasted at the start of lines
    turned into ordinary ones (so the lines sit where their author meant), and a note on
    each such line: the file must still be fixed, since YAML would not read it so."""
    if not any(space in yaml_text for space in SPECIAL_SPACES):
        return yaml_text, []
    notes, lines = [], yaml_text.split("\n")
    for index, line in enumerate(lines):
        lead = len(line) - len(line.lstrip(SPECIAL_SPACES + " "))
        if not any(char in SPECIAL_SPACES for char in line[:lead]):
            continue
        lines[index] = " " * lead + line[lead:]
        name = re.match(r"(?:- +)?([^:\s]+):", line[lead:])
        notes.append(
            (
                index + 1 + line_offset,
                1,
                "yaml",
                "this line is indented with special spaces (no-break spaces, as word "
                "processors paste them), which YAML does not read as indentation",
                "Delete the spaces at the start of the line and type ordinary ones",
                (name.group(1),) if name else (),
                ERROR,
            )
        )
    return "\n".join(lines), notes


def body_of(raw: bytes) -> str | None:
    """The Markdown body of a credential file's bytes ``raw``, exactly as the check reads
    it; None when they cannot be decoded or hold no front matter."""
    try:
        return _split_front_matter(_decode(raw))[1]
    except _Invalid:
        return None


def _split_front_matter(text: str) -> tuple[str, str, int]:
    """The YAML, the Markdown body, and the line the body starts on."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise _Invalid(1, 1, "the file has no front matter", FRONT_MATTER_FIX, rule="front-matter")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            rest = lines[number + 1 :]
            blank = next((i for i, text in enumerate(rest) if text.strip()), len(rest))
            body = "\n".join(rest).strip() + "\n"
            return "\n".join(lines[1:number]), body, number + 2 + blank
    raise _Invalid(
        1,
        1,
        "the front matter is not closed: no second `---` line",
        "Add a line `---` after the last field, before the Markdown",
        rule="front-matter",
    )


MAX_SYNTAX_PROBLEMS = 20
"""How many YAML mistakes of one file are reported in one run (each one found after the
lines of the ones before it are set aside)."""


def _compose(yaml_text: str, line_offset: int, fields: frozenset[str] = frozenset()):
    """The YAML's node tree; or, when it has syntax mistakes, every one of them at once.

    PyYAML stops at the first mistake. So that an author who edits in the web editor (a
    commit and a wait per run) sees them all together, the line of each explained mistake
    is set aside (written as its fix would write it, else left blank) and the text is read
    again, until it reads or a mistake repeats.
    """
    explained: list = []
    blanked: set[int] = set()
    text = yaml_text
    read = None
    while len(explained) < MAX_SYNTAX_PROBLEMS:
        loader = Loader(text)
        try:
            read = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            told = explain(error, text, line_offset, fields)
            index = told.line - line_offset - 1
            if any(told.line == seen.line for seen in explained):
                if index in blanked:  # its repair did not help, and neither did a blank
                    break
                blanked.add(index)
                text = _set_aside(text, index, None)
                continue
            explained.append(told)
            if told.repaired is None:
                blanked.add(index)
            text = _set_aside(text, index, told.repaired)
            continue
        except (yaml.YAMLError, RecursionError, MemoryError) as error:
            if explained:
                break
            raise _Invalid(
                1 + line_offset,
                1,
                f"this YAML cannot be read: {type(error).__name__}",
                "Simplify the YAML: no deep nesting",
            ) from None
        finally:
            loader.dispose()
        if not explained:
            return read
        break
    first, *others = (_syntax_problem(told) for told in explained)
    first.others = others
    if read is not None:
        first.repaired = (read, text)
    raise first


def _also_check(invalid: _Invalid, node, text: str, line_offset: int) -> None:
    """Add to ``invalid`` what reading ``node`` (the repaired text) finds besides syntax:
    a field given twice, text lost to ` #`, and the other notes, so they come in the same
    run as the syntax mistakes."""
    converter = _Converter(line_offset, {}, text)
    try:
        converter.value(node, ())
    except _Invalid as more:
        invalid.others.append(more)
    invalid.notes = converter.notes


def _syntax_problem(told) -> _Invalid:
    invalid = _Invalid(told.line, told.column, told.message, told.fix)
    invalid.field = (told.field,) if told.field else ()
    return invalid


def _set_aside(text: str, index: int, repaired: str | None) -> str:
    """``text`` with line ``index`` replaced by ``repaired`` (blank when there is none), so
    reading it again finds the next mistake; line numbers stay as they were."""
    lines = text.split("\n")
    if 0 <= index < len(lines):
        lines[index] = repaired if repaired is not None else ""
    return "\n".join(lines)


def _mark(node, line_offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


def _cut(text: str, tail: bool = False) -> str:
    text = text.strip()
    if len(text) <= 40:
        return text
    return "..." + text[-37:] if tail else text[:37] + "..."


def _describe(value) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"a single value ({value!r})"[:80]


class _Converter:
    """Turns a composed YAML node graph into plain values, noting each field's position.

    Walking the graph ourselves (rather than ``yaml.safe_load``) gives the positions,
    and bounds depth and size so that alias bombs and deep nesting are refused.
    """

    def __init__(self, line_offset: int, positions: dict, text: str = ""):
        self.line_offset = line_offset
        self.positions = positions
        self.nodes = 0
        self.constructor = SafeConstructor()
        self.text = text
        self.notes: list[tuple] = []
        """(line, column, rule, message, fix, field path, severity) of what YAML would
        otherwise drop or change without a word."""
        self.scalars: dict[FieldPath, str] = {}
        self.hashes = "#" in text
        """Whether the text has a ``#`` at all: without one, no value has a comment after it."""
        self.curly = any(quote in text for quote in CURLY)
        """Whether the text has a curly quote at all (``_curly`` looks for none otherwise)."""

    def value(self, node, path: FieldPath):
        self.nodes += 1
        mark = node.start_mark
        line, column = mark.line + 1 + self.line_offset, mark.column + 1
        if self.nodes > MAX_NODES:
            raise _Invalid(
                line,
                column,
                f"the document has more than {MAX_NODES:,} values "
                "(are YAML aliases repeating a large part?)",
                "Write each value out; anchors and aliases are not needed here",
                rule="too-large",
            )
        if len(path) > MAX_DEPTH:
            raise _Invalid(
                line,
                column,
                f"the document nests deeper than {MAX_DEPTH} levels",
                "Flatten the structure as the content format shows",
                rule="too-deep",
            )
        self.positions.setdefault(path, (line, column))
        if isinstance(node, yaml.ScalarNode):
            if node.style:  # quoted or a block: no comment after it, no curly quotes to note
                if node.tag == _STR_TAG:
                    return node.value
            else:  # plain (unquoted): the C loader says '', the Python one None
                self._comment_after(node, path)
                self._curly(node, path, line, column)
                if node.tag != _STR_TAG:
                    self.scalars[path] = node.value
            try:
                return self._scalar(node, line, column)
            except _Invalid as invalid:
                invalid.field = invalid.field or path
                raise
        if node.tag not in _COLLECTION_TAGS:
            raise _Invalid(
                line,
                column,
                f"the YAML tag `{node.tag}` is not supported here",
                "Remove the `!` tag and write a plain value",
            )
        if node.flow_style:
            self._comment_after(node, path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]

    def _comment_after(self, node, path: FieldPath) -> None:
        """Note a ``#`` comment after a value on its line: YAML drops it from the value."""
        if not self.hashes:
            return
        end = node.end_mark.index
        rest = self.text[end : self.text.find("\n", end) % (len(self.text) + 1)]
        comment = rest.lstrip(" ")
        if not comment.startswith("#") or not path:
            return
        line = node.end_mark.line + 1 + self.line_offset
        column = node.end_mark.column + 1 + len(rest) - len(comment)
        written = self.text[node.start_mark.index : end]
        whole = quoted(f"{written}{rest[: len(rest) - len(comment)]}{comment}".strip())
        key = path[-1] if isinstance(path[-1], str) else None
        shown = f"{key}: {whole}" if key else f"- {whole}"
        looks_like_text = len(comment) > 1 and not comment[1].isspace()
        if looks_like_text and isinstance(node, yaml.ScalarNode):
            self.notes.append(
                (
                    line,
                    column,
                    "yaml-comment",
                    f"`{_cut(comment)}` is not stored: in YAML, ` #` starts a comment, so the "
                    f"value ends at `{_cut(written, tail=True)}`",
                    f"Put the whole value in quotes: `{shown}`",
                    path,
                    ERROR,
                )
            )
        else:
            self.notes.append(
                (
                    line,
                    column,
                    "yaml-comment",
                    f"the comment `{_cut(comment)}` is not part of the value and appears nowhere",
                    f"Keep it only if it is a note for reviewers; if it belongs to the value, "
                    f"write `{shown}`",
                    path,
                    WARNING,
                )
            )

    def _curly(self, node, path: FieldPath, line: int, column: int) -> None:
        """Note an unquoted value wrapped in curly quotes: they would be kept as text."""
        if not self.curly:
            return
        value = node.value
        if len(value) >= 2 and value[0] in CURLY and value[-1] in CURLY:
            key = path[-1] if path and isinstance(path[-1], str) else None
            inner = quoted(value[1:-1])
            self.notes.append(
                (
                    line,
                    column,
                    "curly-quotes",
                    f"the curly quotes {value[0]} {value[-1]} around the value are not read as "
                    "quotes; they would show on the page as part of the text",
                    f"Use straight quotes: `{key}: {inner}`" if key else f"Write `- {inner}`",
                    path,
                    WARNING,
                )
            )

    def _mapping(self, node, path: FieldPath) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            line, column = _mark(key_node, self.line_offset)
            key = (
                self._scalar(key_node, line, column)
                if isinstance(key_node, yaml.ScalarNode)
                else None
            )
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Invalid(
                    line,
                    column,
                    "YAML merge keys (`<<`) are not supported",
                    "Write the fields out in full",
                )
            if not isinstance(key, str):
                raise _Invalid(
                    line,
                    column,
                    "field names must be text",
                    "Write the field name as a plain word, such as `title`",
                )
            if key.strip(SPECIAL_SPACES) != key and key.strip(SPECIAL_SPACES + " "):
                key = self._special_spaces(key, path, line, column)
            if key in result:
                first = self.positions.get((*path, key), (line, column))[0]
                twice = _Invalid(
                    line,
                    column,
                    f"the field `{key}` is given twice (first on line {first}); YAML would "
                    "keep only this one",
                    "Keep one of them: delete this line or the first, or merge their values",
                    rule="duplicate-field",
                )
                twice.field = (*path, key)
                raise twice
            self.positions[(*path, key)] = (line, column)
            result[key] = self.value(value_node, (*path, key))
        return result

    def _special_spaces(self, key: str, path: FieldPath, line: int, column: int) -> str:
        """``key`` without the no-break spaces a word processor pasted around it (YAML reads
        them as part of the name), with a note saying so."""
        name = key.strip(SPECIAL_SPACES + " ")
        self.notes.append(
            (
                line,
                column,
                "yaml",
                f"the spaces before or after `{name}` are special spaces (no-break spaces, as "
                "word processors paste them), which YAML reads as part of the field name",
                "Delete those spaces and type ordinary ones",
                (*path, name),
                ERROR,
            )
        )
        return name

    def _scalar(self, node, line: int, column: int):
        if node.tag == _STR_TAG:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise _Invalid(
                line,
                column,
                f"the YAML tag `{node.tag}` is not supported here",
                "Remove the `!` tag and write a plain value",
            )
        try:
            value = self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            raise _Invalid(
                line,
                column,
                f"this value cannot be read: {error}",
                "Write a plain number, date or quoted text",
            ) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise _Invalid(
                line,
                column,
                "numbers must be finite, not infinity or NaN",
                "Write an ordinary number",
                rule="number",
            )
        if isinstance(value, datetime):
            return value.date().isoformat() if not value.time() else value.isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return value
