"""The faster paths of ``check`` (issue 18) give exactly what the slower ones gave.

Each shortcut taken for speed is held here to the result of the plain way, on the
benchmark's own shapes (college descriptions as colleges write them, long files) and on
generated text: the links of a description (``links_in`` parses inline text only from
its first possible link), the tags YAML gives each value (``_QuickLoader``), and the
similar-title findings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_benchmark_shapes import _whole_parse_links

from microcred.content import load
from microcred.content.markdown import _plain_blocks, _simple_links, links_in
from microcred.rules.schema import (
    EXAMPLE_VALUES,
    _may_hold_placeholder,
    _placeholder_leaves,
    check_placeholders,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate

MARKDOWN = st.lists(
    st.sampled_from([*"ab !\\[]()<>`*_:/#\n&;.-", "http://x", "![", "](", "\n\n", "    "]),
    max_size=40,
).map("".join)


@pytest.mark.parametrize(
    "text",
    [
        "escaped \\[not a link](u) then [a](b)",
        "escaped image \\![alt](i.png) and ![real](r.png)",
        "double \\\\[link](u)",
        "bang!\\[x](y)",
        "&#91;entity](not-a-link) [yes](https://example.org)",
        "*emphasis [inside* link](u)* and `code [x](y)` after",
        "text `unclosed [x](y)",
        "<b>[x](y)</b> <https://a.example/[b]>",
        "a paragraph\nwith [a link\nover lines](https://example.org/x) in it",
    ],
)
def test_links_from_the_first_opener_are_those_of_the_whole_text(text):
    assert links_in(text) == _whole_parse_links(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_any_text_gives_the_links_a_whole_parse_gives(text):
    assert links_in(text) == _whole_parse_links(text)


LINES = st.sampled_from(
    [
        "",
        "Plain text with [a link](https://example.org/a) in it.",
        "A line [split",
        "label](https://example.org/split) ends here",
        "## A heading [with a link](u)",
        "# Heading",
        "###### Six",
        "####### seven",
        "#no space",
        "## closed ##",
        "(Parenthesis) and 'quotes' [r][]",
        '"Quoted" ![image](i.png)',
        "   indented [x](y)",
        "    code [x](y)",
        "- item [x](y)",
        "1. item [x](y)",
        "> quote [x](y)",
        "```",
        "===",
        "---",
        "[r]: https://example.org/ref",
        "Trailing spaces  ",
        "tab\there [x](y)",
        " ",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(LINES, max_size=8).map("\n".join))
def test_texts_of_lines_give_the_links_a_whole_parse_gives(text):
    """Headings, paragraphs and every line that makes markdown-it parse the blocks."""
    assert links_in(text) == _whole_parse_links(text)


SIMPLE_PIECES = st.sampled_from(
    [
        "[a form](https://example.edu/apply)",
        "[two words](http://Example.EDU/a/b?x=1&y=2#top)",
        "[x](https://example.edu/%41%zz)",
        "[x](https://bücher.example/ä)",
        "[x](https://example.edu/a(b))",
        "[x](https://example.edu/a\\_b)",
        '[x](https://example.edu/a "title")',
        "[x]( https://example.edu/)",
        "[x] (https://example.edu/)",
        "[x](javascript:alert(1))",
        "[*bold*](https://example.edu/)",
        "[a\nb](https://example.edu/)",
        "![img](https://example.edu/i.png)",
        "\\[no](https://example.edu/)",
        "`[code](https://example.edu/)`",
        "<https://example.edu/auto>",
        "[r][]",
        "]",
        "!",
        "&#91;x](https://example.edu/)",
        " text, **bold** and _it_. ",
        "\n",
        "Questions? Contact us.",
    ]
)


@pytest.mark.parametrize(
    "text",
    [
        "Apply with the [registration form](https://www.example.edu/apply). Questions?",
        "[one](https://a.example/1) and [two](https://b.example/2) and **bold**",
        "[one](https://a.example/1) then ![image](https://a.example/i.png)",
        "[one](https://a.example/1) then \\[escaped](https://a.example/2)",
        "[one](https://a.example/1) then `code [x](https://a.example/3)`",
        "[upper](HTTPS://EXAMPLE.EDU/Path)",
        "[percent](https://example.edu/a%20b%2)",
    ],
)
def test_simple_links_are_those_of_the_whole_parse(text):
    """The shortcut past markdown-it's inline parse (``_simple_links``) and where it hands
    the text back to markdown-it give the same links as a whole parse."""
    assert links_in(text) == _whole_parse_links(text)


def test_a_college_link_takes_the_shortcut():
    text = "Complete the [registration form](https://www.example.edu/apply). Contact **us**."
    assert _simple_links(text[text.index("[") :]) == ["https://www.example.edu/apply"]
    assert _simple_links("[x](https://example.edu/a b)") is None


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SIMPLE_PIECES, max_size=6).map("".join))
def test_texts_of_simple_links_give_the_links_a_whole_parse_gives(text):
    assert links_in(text) == _whole_parse_links(text)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("shapes")
    return {shape: generate(root / shape, 60, shape=shape) for shape in ("college", "long")}


@pytest.mark.parametrize("shape", ["college", "long"])
def test_descriptions_of_the_shapes_give_the_same_links(shapes, shape):
    bodies = [
        load._split_front_matter(path.read_text(encoding="utf-8"))[1]
        for path in sorted((shapes[shape] / "credentials").glob("*.md"))
    ]
    assert [links_in(body) for body in bodies] == [_whole_parse_links(body) for body in bodies]
    if shape == "college":  # a college's description is read line by line, not block-parsed
        assert all(_plain_blocks(body) is not None for body in bodies)


def _tags(node) -> list:
    """Every node's tag, value (for scalars) and position, in document order."""
    found = [(node.tag, node.start_mark.line, node.start_mark.column)]
    if isinstance(node, yaml.ScalarNode):
        found.append(node.value)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found += _tags(key) + _tags(value)
    else:
        for item in node.value:
            found += _tags(item)
    return found


PLAIN_VALUES = [
    "yes", "No", "on", "OFF", "true", "~", "null", "", "1120", "0o17", "0x1F", "1_000",
    "+12", "-3.5", ".inf", "-.Inf", ".nan", "1e3", "2026-3-1", "2026-03-01",
    "2026-03-01T10:00:00Z", "12:30:00", "1.10", "O*NET", "text", "=", "<<", "y", "n",
]  # fmt: skip


@pytest.mark.parametrize("value", PLAIN_VALUES)
def test_the_quick_loader_gives_every_value_the_tag_of_the_safe_loader(value):
    text = f"a: {value}\nb: [{value}, '{value}']\nc:\n  - {value}\n"
    try:
        expected = _tags(yaml.compose(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            load._QuickLoader(text).get_single_node()
        return
    twice = [_tags(load._QuickLoader(text).get_single_node()) for _ in range(2)]
    assert twice == [expected, expected]  # the second time from what it remembered


@pytest.mark.parametrize("shape", ["college", "long"])
def test_the_quick_loader_composes_the_shapes_as_the_safe_loader(shapes, shape):
    for path in sorted((shapes[shape] / "credentials").glob("*.md"))[:20]:
        text = load._split_front_matter(path.read_text(encoding="utf-8"))[0]
        quick = load._QuickLoader(text).get_single_node()
        assert _tags(quick) == _tags(yaml.compose(text, Loader=yaml.CSafeLoader))


SPACES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2002", "\u3000"]
PIECES = st.sampled_from([*sorted(EXAMPLE_VALUES), *SPACES, "'", '"', "\\", "x", " (designee)"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=5).map("".join), min_size=1, max_size=4))
def test_a_file_whose_value_is_an_example_is_always_walked(texts):
    """The quick look at the whole file never misses a value ``is_placeholder`` finds."""
    data = {"title": texts[0], "outcomes": [{"outcome": text} for text in texts[1:]]}
    document = load.Document("credential", "c.md", "c", data, body="text\n")
    walked = _placeholder_leaves(data, (), [])
    assert not walked or _may_hold_placeholder(document)
    assert bool(walked) == bool(check_placeholders(document))


def test_an_approver_named_with_an_example_inside_is_not_walked():
    by = "Vice President of Academic Affairs (designee)"
    document = load.Document("credential", "c.md", "c", {"approved": {"by": by}}, body="t\n")
    assert not _may_hold_placeholder(document)
    document = load.Document("credential", "c.md", "c", {"approved": {"by": by[:34]}}, body="")
    assert check_placeholders(document)[0].field == "approved.by"


def test_the_check_workers_inherit_the_compiled_schemas(monkeypatch):
    """What every worker needs and would make on its first file (each profile's compiled
    schema, the link finder) is made before the workers are forked: a worker compiles
    nothing (issue 18, *The college check's wait*: each round's fresh forks compiled the
    credential schema again)."""
    from microcred.build import workers
    from microcred.content import markdown
    from microcred.rules import check, schema

    compiled_in_workers = []
    running = workers.map_chunks

    def watched(function, shared, items, minimum=64):
        if function is not check._check_files:
            return running(function, shared, items, minimum)
        schemas, finders = schema._is_valid.cache_info(), markdown._link_finder.cache_info()
        found = [function(shared, items)]
        compiled_in_workers.append(
            (
                schema._is_valid.cache_info().misses - schemas.misses,
                markdown._link_finder.cache_info().misses - finders.misses,
            )
        )
        return found

    schema._is_valid.cache_clear()
    markdown._link_finder.cache_clear()
    monkeypatch.setattr(workers, "map_chunks", watched)
    content = Path(__file__).parent / "sites" / "three-campuses" / "content"
    result = check.check_catalog(content)
    assert result.catalog is not None and result.catalog.credentials
    assert compiled_in_workers == [(0, 0)]
