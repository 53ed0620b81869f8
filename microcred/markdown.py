"""Markdown to safe HTML: markdown-it-py with raw HTML off and only safe link schemes.

Content comes from pull requests, so it is untrusted: raw HTML is escaped, links and
images may only use http, https, mailto or a relative path, and links that leave
the site get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_URL = re.compile(r"^(https?:|mailto:|[^:]*$)", re.IGNORECASE)
"""http(s), mailto, or a relative URL (no scheme at all before the first ``/?#``)."""


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs; False for javascript:, data: and the like."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url)
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    return bool(SAFE_URL.match(head))


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = is_safe_url
    default_link_open = md.renderer.rules.get("link_open")

    def link_open(tokens, idx, options, env):
        token = tokens[idx]
        if re.match(r"^https?:", token.attrGet("href") or "", re.IGNORECASE):
            token.attrSet("rel", "noopener noreferrer")
        if default_link_open:
            return default_link_open(tokens, idx, options, env)
        return md.renderer.renderToken(tokens, idx, options, env)

    md.renderer.rules["link_open"] = link_open
    return md


def render_markdown(text: str) -> Markup:
    """Render learner-facing Markdown to HTML that is safe to put in a page."""
    return Markup(_parser().render(text or ""))
