"""Local preview: build, serve on localhost, rebuild when content or theme change.

Owns ``python build.py serve``. The site is built with proposals included (as a
pull-request preview is) into a temporary folder, with the local address as its base
URL, and served by a threaded ``http.server`` bound to 127.0.0.1 unless told
otherwise. Only files inside that folder are served; directories are never listed.
Every half second the modification times under ``content/``, ``theme/`` and
``docs/`` are compared, and a change rebuilds the site. Problems go to the terminal and
to the browser: while the last build failed, every page is replaced by a report of its
errors and warnings, grouped by file and styled like the site, which reloads itself
after each rebuild until the build succeeds; after a build with warnings, each
credential's page shows its own warnings at the top (in the preview only: the built
files never hold them), and ``/_preview/problems/`` lists them all.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import sys
import tempfile
import threading
from functools import cache, partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from microcred.build.cache import cache_dir, stamps_of
from microcred.build.reuse import KeptSite
from microcred.locations import DOCS, THEME
from microcred.pipeline import BuildOptions, build, summary_line
from microcred.reporting.errors import BuildError
from microcred.reporting.problems import Problem, sort_problems
from microcred.reporting.terminal import TerminalReporter, problem_counts
from microcred.site.guides import field_reference_link

POLL_SECONDS = 0.5
PROBLEMS_PATH = "/_preview/problems/"
STATUS_PATH = "/_preview/status"
"""How many builds the preview has made: the report reloads when it changes."""
"""The preview's own report of every error and warning (never in a built site)."""
CREDENTIAL_PAGE = re.compile(r"^/credentials/(?P<slug>[a-z0-9-]+)/$")


class Preview:
    """One catalog built for local preview, and the outcome of its last build."""

    def __init__(
        self,
        content: Path,
        output: Path,
        base_url: str,
        search: bool = True,
        stream: TextIO | None = None,
    ):
        self.content = Path(content)
        self.output = Path(output)
        self.base_url = base_url
        self.search = search
        self.reporter = TerminalReporter(stream or sys.stderr)
        self.problems: list[Problem] = []
        """Every error and warning of the last build."""
        self.failure: str | None = None
        """Why the last build stopped before its check finished, when it did."""
        self.built = False
        self.generation = 0
        """Builds made so far (``STATUS_PATH``)."""
        self.watched = [self.content, THEME, DOCS]
        self._seen = self.snapshot()
        self._lock = threading.Lock()

    def snapshot(self) -> tuple:
        """Every watched file with its modification time and size."""
        return stamps_of(
            path
            for folder in self.watched
            for path in (sorted(folder.rglob("*")) if folder.is_dir() else ())
        )

    def rebuild(self) -> bool:
        """Build the site; remember its problems when it fails. True when it built."""
        with self._lock:
            self.generation += 1
            options = BuildOptions(
                content=self.content,
                output=self.output,
                base_url=self.base_url,
                include_proposed=True,
                search=self.search,
                cache=True,  # a save re-renders only what it changed (see reuse.py)
            )
            try:
                result = build(options, TerminalReporter(quiet=True))
            except BuildError as error:
                self.problems, self.failure, self.built = [], str(error), False
                self.reporter.summary(f"error: {error}")
                return False
            self.reporter.problems(result.check.problems)
            self.problems, self.failure = list(result.check.problems), None
            self.built = result.built
            if not result.built:
                self.reporter.summary(
                    f"Not built: {problem_counts(result.check.problems)}; "
                    "the preview shows the problems until they are fixed"
                )
                return False
            self.reporter.summary(summary_line(result, self.output))
            return True

    def warnings_on(self, page: str) -> list[Problem]:
        """The problems of the credential whose page is at URL path ``page``."""
        match = CREDENTIAL_PAGE.match(page)
        if not match:
            return []
        source = f"/credentials/{match['slug']}.md"
        return [p for p in self.problems if p.path.replace("\\", "/").endswith(source)]

    def poll(self) -> bool:
        """Rebuild when a watched file changed since the last look; True when it did."""
        seen = self.snapshot()
        if seen == self._seen:
            return False
        self._seen = seen
        self.reporter.summary("Change seen; rebuilding …")
        self.rebuild()
        return True

    def watch(self, stop: threading.Event) -> None:
        """Poll for changes every ``POLL_SECONDS`` until ``stop`` is set; runs on its own thread."""
        while not stop.wait(POLL_SECONDS):
            self.poll()


def problems_page(
    problems: list[Problem], failure: str | None = None, built: bool = False, generation: int = 0
) -> bytes:
    """The report shown in place of every page while the build fails (and at
    ``/_preview/problems/``): errors and warnings grouped by file, in the site's style."""
    files: dict[str, list[Problem]] = {}
    for problem in sort_problems(problems):
        files.setdefault(problem.path, []).append(problem)
    page = (
        _templates()
        .get_template("preview-problems.html")
        .render(
            failed=not built,
            failure=failure,
            counts=problem_counts(problems),
            files=list(files.items()),
            fields_guide=_field_reference,
            generation=generation,
            status_path=STATUS_PATH,
            stylesheet=Markup((THEME / "static" / "site.css").read_text(encoding="utf-8")),
        )
    )
    return page.encode()


FIELD_SECTIONS = (
    ("/credentials/", "micro-credential"),
    ("/versions/", "micro-credential"),
    ("/institutions/", "institution"),
    ("/pathways/", "micro-pathway"),
    ("site.yml", "catalog-settings"),
)
"""The section of the field reference (``/guide/fields/#…``) for each kind of content file."""


def _field_reference(path: str, field: str = "") -> str:
    """The field reference's row for ``field`` of the content file at ``path`` (or its
    section, when the reference has no row for the field)."""
    posix = path.replace("\\", "/")
    anchor = next((a for part, a in FIELD_SECTIONS if part in posix), "")
    return field_reference_link(anchor, field)


def warnings_banner(problems: list[Problem]) -> str:
    """The note a previewed credential page starts with when its file has warnings."""
    items = "".join(
        f"<li><p>Line {p.line}{_field_link(p.field)}: {code_spans(_sentence(p.message))}</p>"
        + (f'<p><span class="label">Fix:</span> {code_spans(_sentence(p.fix))}</p>' * bool(p.fix))
        + "</li>"
        for p in problems
    )
    count = f"{len(problems)} warning{'s' if len(problems) != 1 else ''}"
    return (
        '<aside class="banner banner--suspended wrap" role="note" aria-label="Preview warnings">'
        f"<p><strong>Preview only: {count} in this file.</strong> The published page will not "
        f'show this. <a href="{PROBLEMS_PATH}">All problems</a></p><ul>{items}</ul></aside>'
    )


def _field_link(field: str) -> str:
    """``, field`` linked to its row of the field reference, for the credential banner."""
    if not field:
        return ""
    href = html.escape(_field_reference("/credentials/", field))
    return f', <a href="{href}"><code>{html.escape(field)}</code></a>'


def _sentence(text: str) -> str:
    """``text`` ending as a sentence does (a message and its fix are shown apart)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


def code_spans(text: str) -> Markup:
    """A message as HTML: escaped, with its `backticked` names as ``<code>``."""
    return Markup(re.sub(r"`([^`\n]+)`", r"<code>\1</code>", html.escape(text, quote=False)))


@cache
def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(THEME / "templates"), autoescape=True, keep_trailing_newline=True
    )
    env.filters["code"] = code_spans
    return env


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the built site, or the problems page in place of its pages."""

    preview: Preview

    def __init__(self, *args, preview: Preview, **kwargs):
        self.preview = preview
        super().__init__(*args, directory=str(preview.output), **kwargs)

    def _is_page(self) -> bool:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        name = path.rsplit("/", 1)[-1]
        return path.endswith("/") or name.endswith(".html") or "." not in name

    def send_head(self):
        """The problems page (status 500) in place of a page while the last build failed;
        otherwise the file, as usual."""
        preview, page = self.preview, self.path.split("?", 1)[0].split("#", 1)[0]
        if page == STATUS_PATH:
            return self._send(HTTPStatus.OK, str(preview.generation).encode(), "text/plain")
        report = partial(problems_page, preview.problems, preview.failure)
        if page == PROBLEMS_PATH:
            return self._send(HTTPStatus.OK, report(preview.built, preview.generation))
        if not preview.built and self._is_page() and not self._guide_kept(page):
            body = report(False, preview.generation)
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body)
        warnings = preview.warnings_on(page) if self._is_page() else []
        if warnings:
            file = Path(self.translate_path(page)) / "index.html"
            if file.is_file():
                text = file.read_text(encoding="utf-8")
                opening = re.search(r"<main\b[^>]*>", text)
                if opening:
                    at = opening.end()
                    text = text[:at] + warnings_banner(warnings) + text[at:]
                    return self._send(HTTPStatus.OK, text.encode())
        return super().send_head()

    def _guide_kept(self, page: str) -> bool:
        """A guide page from the last good build stays readable while the build fails, so
        the report's links to the field reference work."""
        folder = Path(self.translate_path(page))
        return page.startswith("/guide/") and (folder / "index.html").is_file()

    def _send(self, status: HTTPStatus, body: bytes, kind: str = "text/html"):
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        """The file for a URL path, or a path that does not exist when it leaves the site."""
        translated = Path(super().translate_path(path))
        root = Path(self.directory).resolve()
        try:
            resolved = translated.resolve()
        except ValueError:
            return str(root / ".outside-the-site")
        if resolved != root and not resolved.is_relative_to(root):
            return str(root / ".outside-the-site")
        return str(translated)

    def list_directory(self, path):
        """Never list a folder: one without an index page is not found (404)."""
        self.send_error(HTTPStatus.NOT_FOUND, "No such page")
        return None

    def end_headers(self) -> None:
        """Add ``Cache-Control: no-store``, so the browser always shows the latest build."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal is for build problems, not one line per request."""


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """A threaded server for ``preview`` on ``host:port`` (port 0: any free port)."""
    try:
        server = ThreadingHTTPServer((host, port), partial(PreviewHandler, preview=preview))
    except OSError as error:
        raise BuildError(
            f"cannot serve on {host}:{port} ({error.strerror}); choose another --port"
        ) from None
    server.daemon_threads = True
    return server


def serve(content: Path, host: str = "127.0.0.1", port: int = 8000, search: bool = True) -> int:
    """Build, serve and rebuild until interrupted."""
    folder = Path(tempfile.mkdtemp(prefix="microcred-preview-"))
    try:
        preview = Preview(content, folder / "site", "", search)
        server = make_server(preview, host, port)
        preview.base_url = f"http://{host}:{server.server_address[1]}"
        preview.rebuild()
        stop = threading.Event()
        threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
        print(
            f"Serving the catalog at {preview.base_url}/ (proposals included); "
            "press Ctrl+C to stop",
            file=sys.stderr,
            flush=True,
        )
        try:
            server.serve_forever(poll_interval=POLL_SECONDS)
        finally:
            stop.set()
            server.server_close()
    finally:
        # The preview's folder is new each session: drop the site kept for it (reuse.py).
        place = KeptSite.for_output(cache_dir(content), folder / "site", create=False)
        if place is not None:
            place.forget()
        shutil.rmtree(folder, ignore_errors=True)
    return 0
