"""The benchmark's catalog shapes are what docs/performance.md says they are.

``benchmarks/generate.py`` writes three shapes; every one must pass ``check`` without
errors (else the benchmark measures a build that stops), the default one without
warnings, and the college one with the warnings a college's own files carry: no
``ctid`` on any file, some outcomes that start with "Know".
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import TODAY

from microcred.content.markdown import _link_finder, links_in
from microcred.rules.check import check_catalog
from microcred.rules.crossfile import Records, titles_not_similar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import SHAPES, _titles, generate


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_passes_check(tmp_path, shape):
    content = generate(tmp_path / "content", 40, shape=shape)
    result = check_catalog(content, TODAY)
    assert result.errors == ()
    rules = Counter(p.rule for p in result.warnings)
    if shape == "college":
        assert rules["ctid-missing"] == 40
        # A college's files repeated with varied titles: some titles nearly match (issue 13's
        # similar-title warning), as a real system catalog's would.
        assert set(rules) <= {"ctid-missing", "measurable-outcome", "similar-title"}
        assert rules["measurable-outcome"] > 0
    else:
        assert rules == Counter()


def test_generated_titles_are_distinct_to_the_similar_title_rule():
    """At 10,000 (a benchmark size; too many to check whole catalogs here) no generated
    title is within a word of another: the shape has no warnings at any size the benchmark
    uses. Numbered titles ("X 2") were flagged by issue 13's rule at every repeat."""
    titles = _titles(random.Random(0), 10_000)
    credentials = tuple(
        SimpleNamespace(title=title, source=f"c/{n}.md") for n, (title, _) in enumerate(titles)
    )
    records = Records((), credentials, (), (), frozenset(), frozenset(), Path("."))
    assert len({title.casefold() for title, _ in titles}) == 10_000
    assert max(len(title) for title, _ in titles) <= 60
    assert list(titles_not_similar(records)) == []
    topics = Counter(topic for _, topic in titles)
    assert len(topics) == 30 and sorted(topics.values())[1] > 250  # about 333 each


def test_the_same_seed_gives_the_same_files(tmp_path):
    for shape in SHAPES:
        first = generate(tmp_path / "a", 30, shape=shape)
        second = generate(tmp_path / "b", 30, shape=shape)
        files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
        assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_long_bodies_are_long_and_college_bodies_link(tmp_path):
    words = {}
    for shape in SHAPES:
        content = generate(tmp_path / shape, 20, shape=shape)
        bodies = [p.read_text().split("\n---\n", 1)[1] for p in content.glob("credentials/*")]
        words[shape] = sum(len(b.split()) for b in bodies) / len(bodies)
        if shape == "college":
            assert all(links_in(body) for body in bodies)
    assert 250 < words["generated"] < 400
    assert 250 < words["college"] < 400
    assert words["long"] > 1200


def _whole_parse_links(text: str) -> list[tuple[str, str, int]]:
    """The links a whole markdown-it parse finds (what links_in did before it parsed
    inline only the blocks that may hold one)."""
    md = _link_finder().__class__("commonmark", {"html": False})
    md.validateLink = lambda url: True
    found = []
    for block in md.parse(text):
        for token in block.children or ():
            if token.type in ("link_open", "image"):
                attribute = "href" if token.type == "link_open" else "src"
                kind = "link" if token.type == "link_open" else "image"
                found.append((kind, token.attrGet(attribute) or "", (block.map or [0])[0]))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "See the [vc-data-model][] spec.\n\n[vc-data-model]: https://example.org/vc\n",
        "[a]\n\n[a]: javascript:alert(1)\n",
        "`[not](a-link)` but [this](https://example.org) is",
        "    [indented](code)\n\n[r][]\n\n[r]: http://example.org/r\n",
        "* item [l](u)\n  > quote ![i](data:image/png;base64,AA)\n",
        "<http://auto.example> and <javascript:bad>",
        "[split\nlabel](https://example.org/split)",
        "[![image](badge.png)](https://example.org)",
        "```\n[fenced](code)\n```\n\nafter [x](y)",
        "no links ] here [ at all",
    ],
)
def test_links_in_finds_what_a_whole_parse_finds(text):
    assert links_in(text) == _whole_parse_links(text)


def test_the_yes_no_schema_check_inlines_every_definition():
    """fastjsonschema compiles a ``$ref`` to a call that formats an error name with
    ``str.format(**locals())`` on every call (70 calls a file on the long shape); the
    inlined schema has none, and a definition that refers to itself stays a reference."""
    from microcred.rules.schema import _as_draft7, _inline_refs, load_schema

    for kind in ("site", "institution", "credential", "pathway"):
        schema = _as_draft7(load_schema(kind))
        assert "$ref" not in str(_inline_refs(schema, schema.get("$defs", {})))
    tree = {"tree": {"items": {"$ref": "#/$defs/tree"}}}
    assert _inline_refs({"$ref": "#/$defs/tree"}, tree) == {"items": {"$ref": "#/$defs/tree"}}
