"""Local preview: build, serve on localhost, rebuild when content or theme change.

Owns ``python build.py serve``. The site is built with proposals included (as a
pull-request preview is) into a temporary folder, with the local address as its base
URL, and served by a threaded ``http.server`` bound to 127.0.0.1 unless told
otherwise. Only files inside that folder are served; directories are never listed.
Every half second the modification times under ``content/``, ``theme/`` and
``docs/`` are compared, and a change rebuilds the site. Problems go to the terminal;
while the last build failed, every page is replaced by a page listing its problems,
which reloads itself until the build succeeds.
"""

from __future__ import annotations

import html
import io
import shutil
import sys
import tempfile
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

from microcred.build.cache import cache_dir, stamps_of
from microcred.build.reuse import KeptSite
from microcred.locations import DOCS, THEME
from microcred.pipeline import BuildOptions, build, summary_line
from microcred.reporting.errors import BuildError
from microcred.reporting.terminal import TerminalReporter, problem_counts

POLL_SECONDS = 0.5


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
        self.problems: list[str] = []
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
                self.problems = [str(error)]
                self.reporter.summary(f"error: {error}")
                return False
            self.reporter.problems(result.check.problems)
            if not result.built:
                self.problems = [str(p) for p in result.check.problems if p.is_error] or [
                    f"Not built: {problem_counts(result.check.problems)}"
                ]
                self.reporter.summary(
                    f"Not built: {problem_counts(result.check.problems)}; "
                    "the preview shows the problems until they are fixed"
                )
                return False
            self.problems = []
            self.reporter.summary(summary_line(result, self.output))
            return True

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


def problems_page(problems: list[str]) -> bytes:
    """The page shown in place of every page while the build fails."""
    items = "\n".join(f"<li><pre>{html.escape(problem)}</pre></li>" for problem in problems)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="refresh" content="2">\n'
        "<title>Build problems</title>\n</head>\n<body>\n<main>\n"
        "<h1>The catalog did not build</h1>\n"
        "<p>Fix these problems and save; this page reloads by itself.</p>\n"
        f"<ol>\n{items}\n</ol>\n</main>\n</body>\n</html>\n"
    ).encode()


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
        if self.preview.problems and self._is_page():
            body = problems_page(self.preview.problems)
            self.send_response(HTTPStatus.INTERNAL_SERVER_ERROR)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

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
