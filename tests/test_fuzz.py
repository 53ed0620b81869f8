"""Property-based fuzzing: no content a pull request can hold crashes ``check`` or ``build``.

Each example starts from the valid ``tests/sites/minimal`` catalog and breaks one file:
one field (top-level or nested, known or unknown) gets an arbitrary YAML value of any
type; or the front matter becomes arbitrary text, a wrong shape or a tricky YAML
construct; or the whole file becomes arbitrary bytes. The properties: no exception,
and every problem names a file and a line and column of at least 1, and a field
unless the file as a whole could not be read.

The quick profile runs in the normal suite. The long profile runs with
``FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py`` (the build test runs a tenth as
many examples, since each one that passes ``check`` renders a whole site).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, timedelta, timezone
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.pipeline import BuildOptions, build
from microcred.reporting.errors import BuildError
from microcred.reporting.problems import Problem
from microcred.reporting.terminal import TerminalReporter
from microcred.rules.check import check_catalog

TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "sites" / "minimal" / "content"
SCHEMAS = TESTS.parent / "schema"
TODAY = date(2026, 11, 23)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
BUILD_EXAMPLES = max(12, EXAMPLES // 10)

FILES = {
    "credentials/mig-welding.md": "credential",
    "credentials/office-communication.md": "credential",
    "pathways/into-welding.md": "pathway",
    "institutions/lakeside.yml": "institution",
    "site.yml": "site",
}

NAMELESS_RULES = {
    "content-folder", "missing-file", "file-name", "outside-content", "file-size",
    "unreadable", "encoding", "empty", "yaml", "front-matter", "not-a-mapping",
    "too-large", "too-deep",
}  # fmt: skip
"""Rules about a file as a whole:
the only problems that may name no field."""


def _schema_fields(kind: str) -> list[str]:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return sorted(schema["properties"])


FIELDS = {kind: _schema_fields(kind) for kind in set(FILES.values())}

# Values of every YAML type: the shapes safe_dump can write, then loads back.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.text(st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(["", " ", "0", "-1", "1e400", "yes", "no", "null", "~", "NaN", "2026-02-30",
                     "javascript:alert(1)", "<script>alert(1)</script>", "\u202e", "\ufeff",
                     "a" * 400, "../../etc/passwd", "/etc/passwd", "https://", "mailto:"]),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-5))])),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(["id", "url", "date"])),
                        inner, max_size=4),
    ),
    max_leaves=12,
)  # fmt: skip

TRICKY_YAML = st.sampled_from([
    "a: &x [1, 2]\nb: *x\n",
    "title: !!python/object/apply:os.system ['echo hacked']\n",
    "title: !custom value\n",
    "title: !!binary aGVsbG8=\n",
    "title: !!set {a, b}\n",
    "title: !!omap [a: 1]\n",
    "<<: {title: x}\n",
    "? [a, b]\n: value\n",
    "? {a: 1}\n: value\n",
    "1: one\n",
    "null: nothing\n",
    "title: a\ntitle: b\n",
    "title: x\n---\nsecond: document\n",
    "%YAML 1.1\n---\ntitle: x\n",
    "title: 0o777\nversion: 0x10\n",
    "version: 1_000\n",
    "title: '\\x00'\n",
    "[1, 2, 3]\n",
    "just a sentence\n",
    "- a\n- b\n",
    "'unterminated\n",
    "title: [unclosed\n",
    "\ttitle: tab\n",
    "a: &a [*a]\n",
    "a: &a\n  b: *a\n",
    "x: " + "[" * 200 + "]" * 200 + "\n",
    "x: " + "{a: " * 80 + "1" + "}" * 80 + "\n",
])  # fmt: skip


@contextmanager
def _catalog_copy() -> Iterator[Path]:
    """A fresh copy of the minimal catalog, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        content = Path(folder) / "content"
        shutil.copytree(MINIMAL, content)
        yield content


def _split(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        _, front, body = text.split("---\n", 2)
        return yaml.safe_load(front), body
    return yaml.safe_load(text), ""


def _join(name: str, front: str, body: str) -> str:
    return f"---\n{front}---\n{body}" if name.endswith(".md") else front


def _dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def _paths(value, prefix: tuple = ()) -> Iterator[tuple]:
    """Every field path in a document: the fields themselves and everything inside them."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _set(document: dict, path: tuple, value) -> None:
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@st.composite
def broken_files(draw) -> tuple[str, bytes]:
    """(file name, new bytes) for one file of the minimal catalog."""
    name = draw(st.sampled_from(sorted(FILES)))
    document, body = _split((MINIMAL / name).read_text(encoding="utf-8"))
    how = draw(st.sampled_from(["field", "field", "field", "new-field", "shape", "tricky",
                                "text", "body", "bytes"]))  # fmt: skip
    if how in ("field", "new-field"):
        if how == "field":
            path = draw(st.sampled_from(sorted(_paths(document), key=repr)))
        else:
            path = (draw(st.one_of(st.sampled_from(FIELDS[FILES[name]]), st.text(max_size=15))),)
        _set(document, path, draw(VALUES))
        text = _join(name, _dump(document), body)
    elif how == "shape":
        text = _join(name, _dump(draw(st.one_of(SCALARS, st.lists(VALUES, max_size=3)))), body)
    elif how == "tricky":
        text = _join(name, draw(TRICKY_YAML), body)
    elif how == "text":
        text = _join(name, draw(st.text(max_size=300)) + "\n", body)
    elif how == "body":
        text = _join(name, _dump(document), draw(st.text(max_size=500)))
    else:
        return name, draw(st.binary(max_size=600))
    return name, text.encode("utf-8", errors="surrogatepass")


TEXT_FIELDS = [
    ("title",), ("summary",), ("eligibility",), ("outcomes", 0, "outcome"),
    ("outcomes", 0, "assessment"), ("employer_validation", "method"),
    ("employer_validation", "partners", 0), ("approved", "by"), ("completion",),
    ("supervision",), ("duration",), ("prior_learning",), ("tags",), ("careers",),
]  # fmt: skip
"""Free-text fields of a credential that any text of 30 to 60 characters keeps valid."""

PRINTABLE = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=30, max_size=60
).filter(lambda text: text.strip() == text and "TODO" not in text)


@st.composite
def readable_edits(draw) -> tuple[str, bytes]:
    """A credential whose free text (and Markdown) is arbitrary but may well pass check."""
    name = "credentials/mig-welding.md"
    document, body = _split((MINIMAL / name).read_text(encoding="utf-8"))
    path = draw(st.sampled_from(TEXT_FIELDS))
    value = draw(PRINTABLE)
    if path in (("tags",), ("careers",)):
        value = [value] if path == ("tags",) else [{"title": value}]
    _set(document, path, value)
    body = draw(st.one_of(st.just(body), st.text(max_size=400)))
    return name, _join(name, _dump(document), body).encode("utf-8")


def _assert_structured(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        assert problem.path, problem
        assert problem.line >= 1 and problem.column >= 1, str(problem)
        assert problem.severity in ("error", "warning"), str(problem)
        assert problem.message.strip(), str(problem)
        assert problem.field or problem.rule in NAMELESS_RULES, str(problem)
        str(problem)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 1000,
)


@FUZZ
@given(broken_files())
def test_check_never_raises_and_every_problem_names_file_and_line(broken):
    name, data = broken
    with _catalog_copy() as content:
        (content / name).write_bytes(data)
        result = check_catalog(content, TODAY)
    _assert_structured(result.problems)
    assert result.catalog is None or not result.errors


@settings(FUZZ, max_examples=BUILD_EXAMPLES)
@given(st.one_of(readable_edits(), readable_edits(), broken_files()))
def test_build_never_raises_and_leaves_no_site_when_check_fails(broken):
    name, data = broken
    with _catalog_copy() as content:
        (content / name).write_bytes(data)
        output = content.parent / "_site"
        try:
            result = build(
                BuildOptions(content=content, output=output, search=False, today=TODAY),
                TerminalReporter(quiet=True),
            )
        except BuildError as error:
            raise AssertionError(f"content that passed check failed to build: {error}") from None
        _assert_structured(result.check.problems)
        assert result.built == (not result.check.blocks(False))
        assert output.is_dir() == result.built


def test_the_fuzzer_starts_from_a_catalog_that_builds():
    assert check_catalog(MINIMAL, TODAY).problems == ()


def test_each_kind_of_breakage_is_reported_as_a_problem():
    cases = {
        "credentials/mig-welding.md": b"\xff\xfe not text",
        "pathways/into-welding.md": b"---\n" + b"a: &x [1]\n" + b"---\n",
        "institutions/lakeside.yml": b"- a list\n- not fields\n",
        "site.yml": b"title: [unclosed\n",
    }
    for name, data in cases.items():
        with _catalog_copy() as content:
            (content / name).write_bytes(data)
            result = check_catalog(content, TODAY)
        assert result.errors, name
        assert any(p.path.endswith(name) for p in result.errors), name
        _assert_structured(result.problems)
