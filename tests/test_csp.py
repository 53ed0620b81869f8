"""Page security: every page allows only the site's own code, and no content can add any.

Each HTML page of the built sample (published and preview) carries one
Content-Security-Policy meta tag, first in its head, allowing only ``'self'`` (plus
``'wasm-unsafe-eval'`` for Pagefind's WebAssembly); no inline script other than
JSON-LD data, no ``on*`` handler, no ``style`` attribute, no ``javascript:`` or other
unsafe URL, and ``rel="noopener noreferrer"`` on every link that leaves the site.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from microcred.content.markdown import is_safe_url

ALLOWED_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
"""Directives a page may set, and the only sources each may allow."""

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href"}


@dataclass
class Page:
    """The elements of one HTML page: (tag, attributes) in order, and each script's text."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        self.page.elements.append((tag, values))
        if tag in ("script", "title", "h1"):
            self._open.append((tag, values, []))

    def handle_data(self, data):
        for _, _, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _, attrs, parts = self._open.pop()
            if tag == "script":
                self.page.scripts.append((attrs, "".join(parts)))
            else:
                self.page.text.setdefault(tag, "".join(parts))


def parse_page(path: Path) -> Page:
    """The elements, scripts, title and h1 of the page at ``path``."""
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name] = sources
    return directives


@pytest.fixture(scope="module", params=["sample_site", "preview_site"])
def site(request) -> Path:
    return request.getfixturevalue(request.param)


def _is_policy(tag: str, attrs: dict[str, str]) -> bool:
    return tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy"


def test_every_page_has_one_csp_meta_tag_before_anything_it_loads(site):
    for path in html_pages(site):
        elements = parse_page(path).elements
        positions = [i for i, (tag, attrs) in enumerate(elements) if _is_policy(tag, attrs)]
        loads = [i for i, (tag, _) in enumerate(elements) if tag in ("link", "script", "img")]
        assert len(positions) == 1, path
        assert positions[0] < min(loads, default=len(elements)), path


def test_the_policy_allows_only_the_site_itself_and_pagefind_webassembly(site):
    for path in html_pages(site):
        (policy,) = [a["content"] for t, a in parse_page(path).elements if _is_policy(t, a)]
        assert csp_directives(policy) == ALLOWED_DIRECTIVES, path


def test_no_page_has_inline_code_handlers_or_style_attributes(site):
    for path in html_pages(site):
        page = parse_page(path)
        for tag, attrs in page.elements:
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, (path, tag, handlers)
            assert "style" not in attrs, (path, tag)
            assert tag not in ("iframe", "object", "embed", "base"), (path, tag)
        for attrs, body in page.scripts:
            if attrs.get("type") == "application/ld+json":
                json.loads(body)
                assert "</" not in body, path
            else:
                assert attrs.get("src"), (path, "inline script")
                assert not body.strip(), (path, "inline script")


def test_every_url_in_a_page_is_http_https_mailto_or_relative(site):
    for path in html_pages(site):
        for tag, attrs in parse_page(path).elements:
            for name in URL_ATTRIBUTES & attrs.keys():
                assert is_safe_url(attrs[name]), (path, tag, name, attrs[name])
            if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
                assert "url=/" in attrs["content"].replace(" ", ""), (path, attrs)


def test_links_that_leave_the_site_have_noopener_noreferrer(site):
    external = 0
    for path in html_pages(site):
        for attrs in parse_page(path).all("a"):
            if attrs.get("href", "").lower().startswith(("http://", "https://")):
                external += 1
                assert set(attrs.get("rel", "").split()) >= {"noopener", "noreferrer"}, (
                    path,
                    attrs,
                )
    assert external > 0


def test_scripts_and_stylesheets_come_only_from_the_site(site):
    for path in html_pages(site):
        page = parse_page(path)
        for attrs, _ in page.scripts:
            assert attrs.get("src", "/").startswith("/"), (path, attrs)
        for attrs in page.all("link"):
            if "stylesheet" in attrs.get("rel", "").split():
                assert attrs["href"].startswith("/"), (path, attrs)
