"""Link integrity of a built site: every internal link the site publishes resolves.

Owns ``check_site``. It reads every written HTML, JSON, XML and CSS file of an
output folder (and ``robots.txt``) and follows each internal reference: ``href``,
``src`` and ``srcset`` in pages, stylesheets, scripts, images, a redirect page's
``meta refresh``, the URLs inside JSON-LD, badge JSON (``id``, ``criteria.id``,
``issuer``, ``image``, ``url`` and every other value under the site's base URL),
the sitemap and feed, and ``url()`` in stylesheets. A reference is internal when it
is relative, root-relative, or absolute under ``base_url``; it must name a file in
the output (``/x/`` names ``x/index.html``), and a fragment on a page, such as
``#criteria``, must be an ``id`` in that page. External links are not fetched.

The result is a sorted list of plain messages, ``page → target: why``.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
"""Attributes that name a resource the browser fetches or the visitor follows."""

EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE)
REFRESH_URL = re.compile(r"^\s*\d+\s*[;,]\s*url\s*=\s*['\"]?([^'\"]*)", re.IGNORECASE)
SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass
class _Page:
    """What one HTML file links to and which fragment targets it defines."""

    references: list[tuple[str, bool]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    scripts: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    """Collects the references, ``id``s and JSON-LD blocks of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._json_ld: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        for name in LINK_ATTRIBUTES.get(tag, ()):
            if name in values:
                if name.endswith("srcset"):
                    self.page.references.extend((url, False) for url in _srcset(values[name]))
                else:
                    self.page.references.append((values[name], True))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = REFRESH_URL.match(values.get("content", ""))
            if match:
                self.page.references.append((match.group(1), True))
        if tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._json_ld = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._json_ld = None

    def handle_data(self, data: str) -> None:
        if self._json_ld is not None:
            self._json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json_ld is not None:
            self.page.scripts.append("".join(self._json_ld))
            self._json_ld = None


def _srcset(value: str) -> Iterator[str]:
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            yield parts[0]


class _Site:
    """The output folder, its base URL, and the ``id``s of each page (parsed once)."""

    def __init__(self, root: Path, base_url: str):
        self.root = root.resolve()
        self.base_url = base_url.rstrip("/")
        self.prefix = urlsplit(self.base_url).path.rstrip("/")
        self.pages: dict[str, _Page] = {}

    def page(self, relative: str) -> _Page:
        if relative not in self.pages:
            parser = _PageParser()
            parser.feed(_text(self.root / relative))
            parser.close()
            self.pages[relative] = parser.page
        return self.pages[relative]

    def site_path(self, url: str, source: str) -> tuple[str | None, str, str | None]:
        """(site path, fragment, why not) of an internal URL; path ``None`` when external."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme and not url.startswith(self.base_url + "/") and url != self.base_url:
            if scheme in EXTERNAL_SCHEMES:
                return None, "", None
            return None, "", f"the `{scheme}:` scheme is not allowed in a published page"
        if url.startswith("//"):
            return None, "", None
        if scheme:
            path = "/" + url[len(self.base_url) :].lstrip("/")
            path = urlsplit(path).path
        elif parts.path.startswith("/"):
            if self.prefix and not (parts.path + "/").startswith(self.prefix + "/"):
                return None, "", f"the link is outside the site's base path {self.prefix}/"
            path = parts.path[len(self.prefix) :] or "/"
        else:
            path = urlsplit(urljoin("/" + source, parts.path or posixpath.basename(source))).path
        return unquote(path), unquote(parts.fragment), None

    def resolve(self, path: str) -> tuple[str | None, str]:
        """The output file a site path names (relative to the root), or why there is none."""
        if _climbs_above_root(path):
            return None, "it points above the site's root"
        relative = posixpath.normpath(path).lstrip("/")
        target = self.root / relative
        if path.endswith("/") or target.is_dir():
            if not target.is_dir():
                return None, "no such folder in the output"
            target = target / "index.html"
            relative = posixpath.join(relative, "index.html") if relative else "index.html"
        if not target.is_file():
            return None, "no such file in the output"
        return relative, ""


def _climbs_above_root(path: str) -> bool:
    depth = 0
    for segment in path.split("/"):
        depth += -1 if segment == ".." else segment not in ("", ".")
        if depth < 0:
            return True
    return False


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def check_site(out: Path, base_url: str) -> list[str]:
    """Every broken internal reference in the site built into ``out``, as messages."""
    site = _Site(Path(out), base_url)
    broken: set[str] = set()
    for path in sorted(site.root.rglob("*")):
        if not path.is_file():
            continue
        source = path.relative_to(site.root).as_posix()
        for url, check_fragment in _references(site, path, source):
            why = _why_broken(site, source, url, check_fragment)
            if why:
                broken.add(f"{source} → {url}: {why}")
    return sorted(broken)


def _references(site: _Site, path: Path, source: str) -> Iterator[tuple[str, bool]]:
    """(URL, whether its fragment names an ``id``) for every reference in one file."""
    suffix = path.suffix.lower()
    if suffix == ".html":
        page = site.page(source)
        yield from page.references
        for block in page.scripts:
            yield from _json_references(site, block)
    elif suffix == ".json":
        yield from _json_references(site, _text(path))
    elif suffix == ".xml":
        yield from _xml_references(site, _text(path))
    elif suffix == ".css":
        for match in CSS_URL.finditer(_text(path)):
            url = match.group(2) if match.group(2) is not None else match.group(4)
            if url and not url.lower().startswith("data:"):
                yield url, False
    elif path.name == "robots.txt":
        yield from ((url, False) for url in SITEMAP_LINE.findall(_text(path)))


def _json_references(site: _Site, text: str) -> Iterator[tuple[str, bool]]:
    try:
        document = json.loads(text)
    except ValueError:
        return
    yield from _json_urls(site, document, "")


def _json_urls(site: _Site, value, key: str) -> Iterator[tuple[str, bool]]:
    """Every string under the base URL; fragments count except on JSON-LD ``@id`` names."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _json_urls(site, item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _json_urls(site, item, key)
    elif isinstance(value, str) and _under(site, value):
        yield value, not key.startswith("@")


def _xml_references(site: _Site, text: str) -> Iterator[tuple[str, bool]]:
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError:
        return
    for element in root.iter():
        values = [element.text or "", *element.attrib.values()]
        yield from ((value.strip(), False) for value in values if _under(site, value.strip()))


def _under(site: _Site, value: str) -> bool:
    return value == site.base_url or value.startswith(site.base_url + "/")


def _why_broken(site: _Site, source: str, url: str, check_fragment: bool) -> str:
    path, fragment, why = site.site_path(url.strip(), source)
    if why or path is None:
        return why or ""
    relative, why = site.resolve(path)
    if relative is None:
        return why
    wants_id = check_fragment and fragment and relative.endswith(".html")
    if wants_id and fragment not in site.page(relative).ids:
        return f"the page has no element with id `{fragment}`"
    return ""


__all__ = ["check_site"]
