"""The theme's Jinja2 environment, and the writer every page-making stage renders with.

``SiteWriter`` renders ``theme/templates`` into one output folder: the filters
templates use (``local``, ``absolute``, ``markdown``, ``time_tag``, ``link`` and the
labels), the Content Security Policy every page declares, and the JSON-LD script
that no content can break out of. Markdown from content goes through
``content/markdown.py`` (raw HTML off, safe links only).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

from microcred.build import pruning
from microcred.build.reuse import Reuse
from microcred.build.writing import write_text
from microcred.content.markdown import is_safe_url, render_markdown
from microcred.content.model import Catalog
from microcred.content.urls import badge_image_path
from microcred.locations import THEME
from microcred.site import enrolment
from microcred.site.labels import FILTERS, long_date, money

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
"""Only our own files; WebAssembly for Pagefind; no inline script or style."""

_compiled: list[Path | None] = [None]
"""Where compiled templates are kept between builds (``keep_compiled``); None: nowhere."""


def keep_compiled(cache: Path | None) -> None:
    """Keep the theme's compiled templates in ``cache``/``templates/`` from now on (the
    build cache, ``cache.cache_dir``), or nowhere (None: the cache is off).

    Compiling the theme's templates took a few tenths of a second in every build, most of
    a build that renders a handful of pages. Jinja2's bytecode cache stores each template's
    compiled code with the SHA-1 of the template's source, and compiles the template
    again whenever its source differs, so an edited template is never served stale.
    What else shapes the compiled code (the Jinja2 and Python versions, this module,
    which sets the environment's options, the names of its filters and tests, and the
    base URL, which filters given a constant fold into the code) keys the folder the
    code is kept in (``_compiled_folder``); the folders of other versions
    go once unused for a month (``pruning.py``)."""
    _compiled[0] = cache
    if cache is not None:
        pruning.prune(cache / "templates")


class _BytecodeCache(FileSystemBytecodeCache):
    """Jinja2's file cache of compiled templates; a cache that cannot be written is not
    an error (the template was compiled; the next build compiles it again)."""

    def dump_bytecode(self, bucket) -> None:
        """Store ``bucket``'s code, or nothing when the folder cannot be written."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_folder(env: Environment, base_url: str) -> Path | None:
    """The folder of ``env``'s compiled templates under the cache (``keep_compiled``), for
    a site at ``base_url``."""
    cache = _compiled[0]
    if cache is None:
        return None
    key = hashlib.sha256()
    for part in (
        jinja2.__version__,
        sys.version,
        sys.implementation.cache_tag or "",
        Path(__file__).read_bytes().decode(),
        " ".join(sorted(env.filters)),
        " ".join(sorted(env.tests)),
        str(THEME / "templates"),
        base_url,
    ):
        key.update(part.encode() + b"\0")
    folder = cache / "templates" / key.hexdigest()[:32]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    pruning.mark_used(folder)
    return folder


class SiteWriter:
    """Writes the pages of one catalog into one output folder."""

    def __init__(self, catalog: Catalog, out: Path, reuse: Reuse | None = None):
        self.catalog = catalog
        self.out = out
        self.reuse = reuse or Reuse(out, None)
        self.prefix = urlsplit(catalog.site.base_url).path.rstrip("/")
        self.env = self._environment()
        self.written: list[Path] = []

    def _environment(self) -> Environment:
        env = Environment(
            loader=FileSystemLoader(THEME / "templates"),
            autoescape=select_autoescape(("html", "xml")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(FILTERS)
        env.filters.update(
            local=self.local,
            absolute=self.catalog.site.url,
            markdown=body_html,
            time_tag=time_tag,
            link=link,
        )
        env.globals.update(
            site=self.catalog.site,
            catalog=self.catalog,
            csp=CSP,
            money=money,
            badge_image_path=badge_image_path,
            section="",
            today=enrolment.build_date(self.catalog),
            cost_summary=enrolment.cost_summary,
            next_offering=enrolment.next_offering,
            offering_label=enrolment.offering_label,
        )
        # Jinja2 works out a filter given a constant when it compiles (``'/'|absolute``),
        # so the compiled code holds the base URL the ``absolute`` and ``local`` filters
        # read: it keys the folder too.
        folder = _compiled_folder(env, self.catalog.site.base_url)
        if folder is not None:
            env.bytecode_cache = _BytecodeCache(str(folder))
        return env

    def local(self, path: str) -> str:
        """A site path as a link: under the base URL's path when the site is not at ``/``."""
        return self.prefix + path

    def page(self, path: str, template: str, **context: Any) -> None:
        """Render ``template`` to the file of site path ``path`` (``/x/`` → ``x/index.html``),
        unless the last build rendered it from the same template and context."""
        self.listed(path, template, (context,), lambda: context)

    def listed(
        self, path: str, template: str, inputs: tuple, context: Callable[[], dict[str, Any]]
    ) -> None:
        """Render ``template`` with ``context()`` to the file of site path ``path``, unless
        the last build rendered it from the same template and ``inputs``.

        For the list pages, whose context is costly to make and to walk: ``inputs`` is what
        the context is made from (the records the page shows, hashed by their files'
        digests, and every other value it depends on), so an unchanged page is neither given
        its context nor walked. ``inputs`` must decide ``context()`` entirely: a value the
        page shows that ``inputs`` leaves out is a stale page (``tests/test_list_page_keys.py``
        compares edit builds with clean ones to prove each page's inputs).
        """
        unit = f"page:{path}"
        if self.reuse.kept(unit, template, *inputs):
            return
        before = len(self.written)
        self.render(path, template, **context())
        self.reuse.made(unit, self.written[before:])

    def render(self, path: str, template: str, **context: Any) -> None:
        """Render ``template`` to the file of site path ``path``, always."""
        text = self.env.get_template(template).render(page_path=path, **context)
        self.write(path, text)

    def write(self, path: str, text: str) -> None:
        """Write ``text`` to the file of site path ``path`` (``/x/`` → ``x/index.html``), always."""
        relative = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        self.written.append(write_text(self.out / relative, text))


def time_tag(value: date) -> Markup:
    """A date in words that machines can read too: ``<time datetime="2025-01-13">``."""
    # Both parts are digits, a hyphen and an English month name: nothing to escape.
    return Markup(f'<time datetime="{value.isoformat()}">{long_date(value)}</time>')


def link(url: str | None, text: str) -> Markup:
    """``text`` linked to ``url`` when it is a safe URL; external links keep no opener."""
    if not url or not is_safe_url(url):
        return Markup.escape(text)
    external = urlsplit(url).scheme.lower() in ("http", "https")
    rel = Markup(' rel="noopener noreferrer"') if external else Markup("")
    return Markup('<a href="{}"{}>{}</a>').format(url, rel, text)


HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def body_html(text: str) -> Markup:
    """Markdown from content, its headings one level down: the page's own h2 sits above."""
    html = HEADING_TAG.sub(
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}>", str(render_markdown(text))
    )
    return Markup(html)


def jsonld_script(data: dict[str, Any]) -> Markup:
    """A ``<script type="application/ld+json">`` that no text in ``data`` can break out of."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return Markup(f'<script type="application/ld+json">{text}</script>')
