"""Full-text search: Pagefind over the written site, in one directory call.

Owns ``index_site``. It runs after every page is written and indexes the output
folder with Pagefind's Python API: one ``add_directory`` over the current credential
pages, then ``write_files``, however many pages there are. Which values become
filters, metadata and sort keys is decided by the ``data-pagefind-*`` attributes in
the templates (only credential pages carry ``data-pagefind-body``). The bundle goes
to ``/pagefind/``.
"""

from __future__ import annotations

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import PagefindIndex

from microcred.reporting.errors import BuildError

BUNDLE = "pagefind"
SEARCHABLE = "credentials/*/index.html"
"""The only pages with ``data-pagefind-body``: Pagefind need not read the others
(versioned criteria, lists, redirects), which are most of the site's HTML."""


async def _index(site: Path) -> int:
    """Index ``site``; leaving the block writes the bundle to the configured output path."""
    async with PagefindIndex(config={"output_path": str(site / BUNDLE)}) as index:
        result = await index.add_directory(str(site), glob=SEARCHABLE)
    return result["page_count"]


def index_site(out: Path) -> list[Path]:
    """Index the pages under ``out``, write the search bundle to ``out/pagefind/``, and
    return its files. A bundle already there (a reused folder's) is replaced whole.

    The index runs on its own thread and event loop, so a caller that already runs
    one (a development server, Playwright's sync API) can call this too.
    """
    site = Path(out).resolve()
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
    try:
        with ThreadPoolExecutor(max_workers=1) as worker:
            pages = worker.submit(lambda: asyncio.run(_index(site))).result()
    except FileNotFoundError as error:
        raise BuildError(
            "Search could not be built: the Pagefind program is missing. "
            "Install it with `pip install 'pagefind[bin]'`."
        ) from error
    except Exception as error:
        raise BuildError(f"Search could not be built: Pagefind failed ({error}).") from error
    if pages == 0:
        raise BuildError(
            "Search could not be built: Pagefind found no page marked data-pagefind-body."
        )
    return sorted(path for path in (site / BUNDLE).rglob("*") if path.is_file())
