"""Markdown to safe HTML: markdown-it-py with raw HTML off and only safe link schemes.

Content comes from pull requests, so it is untrusted: raw HTML is escaped, links and
images may only use http, https, mailto or a relative path, and links that leave
the site get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

try:  # the trim markdown-it-py's block rules use: its own since 4.x, ``str.strip`` before
    from markdown_it.common.utils import mdTrim
except ImportError:  # pragma: no cover - an older markdown-it-py than constraints.txt pins
    mdTrim = str.strip

SAFE_URL = re.compile(r"^(https?:|mailto:|[^:]*$)", re.IGNORECASE)
"""http(s), mailto, or a relative URL (no scheme at all before the first ``/?#``)."""


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs; False for javascript:, data: and the like."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url)
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    return bool(SAFE_URL.match(head))


def is_external(url: str) -> bool:
    """True for a link that leaves the site: http(s) or protocol-relative (``//host``)."""
    return bool(re.match(r"^(https?:)?//", url.strip(), re.IGNORECASE))


LINKISH = re.compile(r"\]\(|\]:|\]\[|<[a-zA-Z]|\]")
"""Text that may hold a link or image: ``](``, ``]:``, ``][``, ``<scheme:`` or a bare ``]``
(a reference link ``[text]`` or ``[text][]``)."""


def links_in(text: str) -> list[tuple[str, str, int]]:
    """Every link and image of a Markdown text: (``link`` or ``image``, URL, 0-based line).

    Links with unsafe schemes are included (the renderer drops them), so that ``check``
    can tell the author. The blocks are parsed first (that finds code blocks and
    reference definitions); only the blocks whose text may hold a link are then parsed
    inline, with the same references, which gives the tokens a whole parse would.
    """
    if not re.search(r"\]\(|\]:|\]\[|<[a-zA-Z]", text or ""):
        return []
    md, env, found = _link_finder(), {}, []
    blocks = _plain_blocks(text)
    if blocks is None:
        blocks = [
            (block.content, (block.map or [0])[0])
            for block in md.parse(text or "", env)
            if block.type == "inline"
        ]
    for content, line in blocks:
        if not LINKISH.search(content):
            continue
        cut = _from_first_opener(content)
        simple = _simple_links(cut)
        if simple is not None:
            found.extend(("link", href, line) for href in simple)
            continue
        children: list = []
        md.inline.parse(cut, md, env, children)
        for token in children:
            if token.type in ("link_open", "image"):
                attribute = "href" if token.type == "link_open" else "src"
                kind = "link" if token.type == "link_open" else "image"
                found.append((kind, token.attrGet(attribute) or "", line))
    return found


PLAIN_LINE = re.compile(r"|#{1,6} [^#\n]*[^#\s]|[A-Za-z\"'(][^\n]*")
"""A line that can begin no block but a paragraph or an ATX heading (and no heading with
closing ``#``): empty, ``#`` to ``######``, a space and text, or text starting with a
letter, a quote or a parenthesis (no indentation, list marker, ``>``, fence, rule, setext
underline, ``[`` of a reference definition or ``<`` of HTML)."""


def _plain_blocks(text: str) -> list[tuple[str, int]] | None:
    """The inline blocks of a text made only of ``PLAIN_LINE`` lines, as markdown-it's block
    parse gives them (content, first line), found line by line: paragraphs (runs of
    lines, ended by an empty line or a heading) and headings. ``None`` for any other text,
    which markdown-it parses. A college's description is such a text, and its block parse
    was half of finding its one link (``tests/test_check_speed.py`` holds the two alike)."""
    if "\r" in text or "\0" in text:
        return None
    lines = text.split("\n")
    if not all(PLAIN_LINE.fullmatch(line) for line in lines):
        return None
    blocks: list[tuple[str, int]] = []
    start = None
    for number, line in enumerate([*lines, ""]):
        if line and line[0] != "#":
            start = number if start is None else start
            continue
        if start is not None:
            blocks.append((mdTrim("\n".join(lines[start:number])), start))
            start = None
        if line:
            blocks.append((mdTrim(line[line.index(" ") :]), number))
    return blocks


OPENERS = re.compile(r"[\[<`]")
"""What can begin a link (``[``, ``![``, an autolink's ``<``) or hide one (a code span's
backtick): no link or image starts before the first of them."""


def _from_first_opener(content: str) -> str:
    """The inline text from the first character that can begin a link, code span or
    autolink, stepping back over the ``!`` and backslashes just before it (an image, an
    escape). Parsing only that gives the same links and images as the whole text: what
    comes before holds no bracket, ``<`` or backtick, so nothing there opens a link, a
    code span or an autolink that could reach past it, and emphasis never changes where a
    link is. In a college's description the one link closes the last paragraph: parsing
    from it is a fraction of parsing the paragraph (``tests/test_markdown_links.py``
    holds the two to the same tokens)."""
    found = OPENERS.search(content)
    if found is None:
        return ""
    start = found.start()
    while start and content[start - 1] in "!\\":
        start -= 1
    return content[start:]


SIMPLE_LINK = re.compile(r"\[[^\[\]\\`<>!&*_\n]+\]\((https?://[A-Za-z0-9._~:/?#@$+,;=%-]+)\)")
"""An inline link markdown-it reads without a choice to make: a label of plain words (no
bracket, escape, code span, autolink, entity, emphasis or line break in it) and an http(s)
address of plain characters (no space, parenthesis, escape or entity), right after the
``(`` and right before the ``)``."""


def _simple_links(cut: str) -> list[str] | None:
    """The addresses of the links of ``cut`` (an inline text from its first opener, see
    ``_from_first_opener``) when it is nothing but ``SIMPLE_LINK`` links and text in which
    nothing can begin another link, code span or autolink; else None (markdown-it parses it).

    What the inline parse would give, without it: a ``[`` that opens a ``SIMPLE_LINK`` is
    a link, whatever the emphasis around it; text with no ``[``, ``<`` or backtick opens
    nothing (an entity's bracket is text; a ``]``, ``!`` or ``\\`` alone is nothing). The
    address is markdown-it's own ``normalizeLink`` of the destination (``_normalized``). A
    college's description ends with one such link: this was most of finding it (the inline
    parse of the rest of its paragraph); ``tests/test_check_speed.py`` holds the two to the
    same links.
    """
    found: list[str] = []
    at = 0
    while True:
        link = SIMPLE_LINK.match(cut, at)
        if link is None:
            return None
        found.append(_normalized(link.group(1)))
        following = OPENERS.search(cut, link.end())
        if following is None:
            return found
        at = following.start()
        if cut[at - 1] in "!\\":  # an image, an escape: markdown-it decides
            return None


@lru_cache(maxsize=4096)
def _normalized(url: str) -> str:
    """markdown-it's ``normalizeLink`` of a link's destination (the ``href`` it gives)."""
    return _link_finder().normalizeLink(url)


HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*[\s/>]")


def html_in(text: str) -> list[tuple[str, int]]:
    """Every raw HTML tag of a Markdown text, as a parser that allowed HTML would read it
    (code spans and blocks left out): (the tag, 0-based line). The catalog's renderer
    shows such tags as text, so ``check`` can tell the author."""
    if not HTML_TAG.search(text or ""):
        return []
    found = []
    for block in _html_finder().parse(text or ""):
        if block.type == "html_block":
            found.append((block.content.strip().splitlines()[0], (block.map or [0])[0]))
        for token in block.children or ():
            if token.type == "html_inline":
                found.append((token.content, (block.map or [0])[0]))
    return found


@cache
def _html_finder() -> MarkdownIt:
    """A parser that reads raw HTML as HTML, only to find it (never to render)."""
    return MarkdownIt("commonmark", {"html": True})


def make_link_finder() -> None:
    """Make the parser ``links_in`` uses now rather than on its first text (so that forked
    workers inherit it)."""
    _link_finder()


@cache
def _link_finder() -> MarkdownIt:
    """A parser that keeps every link, safe or not (made once: making one per file was
    a fifth of ``check`` on a catalog whose descriptions link to their college)."""
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: True
    md.disable("inline")  # the core rule: links_in parses inline only where it may matter
    return md


@cache
def _parser(tables: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    if tables:
        md.enable("table")
    md.validateLink = is_safe_url
    default_link_open = md.renderer.rules.get("link_open")

    def link_open(tokens, idx, options, env):
        token = tokens[idx]
        if is_external(token.attrGet("href") or ""):
            token.attrSet("rel", "noopener noreferrer")
        if default_link_open:
            return default_link_open(tokens, idx, options, env)
        return md.renderer.renderToken(tokens, idx, options, env)

    md.renderer.rules["link_open"] = link_open
    return md


def render_markdown(text: str) -> Markup:
    """Render learner-facing Markdown to HTML that is safe to put in a page."""
    return Markup(_parser().render(text or ""))


def render_guide(text: str) -> Markup:
    """Render a guide of ``docs/`` (tables on; raw HTML still off, so an HTML comment in
    the source is dropped before rendering rather than shown)."""
    text = re.sub(r"<!--.*?-->[ \t]*\n?", "", text or "", flags=re.DOTALL)
    return Markup(_parser(tables=True).render(text))
