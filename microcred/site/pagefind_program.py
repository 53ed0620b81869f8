"""Running the Pagefind program over a site's pages into one shard, and checking what it
wrote: the part of the search stage (``search.py``) that runs beside the build.

``search.Indexing`` runs ``index_shards`` in an interpreter of its own while the badge
and CTDL stages write their files, so this module imports nothing of the catalog, of
Jinja2 or of Pagefind's Python package (which brings in asyncio): an interpreter that
imported ``search.py`` held about 25 MB beside Pagefind's processes at the build's peak,
one that imports this about 14 MB (docs/performance.md, *Equal strings shared, and nothing
held while Pagefind runs*).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from microcred.reporting.errors import BuildError


def get_executable() -> Path | None:
    """The Pagefind program, found as ``pagefind.service.get_executable`` finds it: the
    ``PAGEFIND_BINARY_PATH`` variable, else the first of the ``pagefind_bin_extended`` and
    ``pagefind_bin`` wheels installed, else ``pagefind_extended`` or ``pagefind`` on the
    ``PATH``; None when there is none, and when the installed wheel lacks its program
    (where ``pagefind.service`` raises; here the build says the program is missing).
    Not through ``pagefind.service`` itself, which imports asyncio."""
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen is not None:
        return Path(chosen)
    for wheel in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = __import__(wheel)
        except ImportError:
            continue
        try:
            return Path(module.get_executable())
        except FileNotFoundError:
            return None
    external = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(external) if external else None


UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces, which the catalog does not load (``search.js`` uses
the JS API): removed from every shard rather than published once per institution."""


def pattern(slugs: Iterable[str]) -> str:
    """A Pagefind (wax) glob matching exactly the pages of ``slugs``."""
    slugs = sorted(slugs)
    if len(slugs) == 1:
        return f"credentials/{slugs[0]}/index.html"
    return "credentials/{" + ",".join(slugs) + "}/index.html"


INDEXED = re.compile(r"^\s*Indexed (\d+) pages?$", re.M)
"""Pagefind's line counting the pages it indexed."""


def run(site: Path, bundle: Path, glob: str) -> int:
    """Run the Pagefind program over the pages of ``site`` matching ``glob`` into
    ``bundle``; the pages it indexed. Errors in words.

    The program itself rather than Pagefind's Python API: the API waits 0.1 s before
    reading each answer of its Pagefind service (three per shard, plus starting it),
    and stopped the service while files were still being written. The options go in a
    ``pagefind.json`` in a folder of its own (a glob of a large institution's slugs is
    too long for one command-line argument, and no other ``pagefind.yml`` is read).
    """
    program = get_executable()
    if program is None:
        raise BuildError(
            "Search could not be built: the Pagefind program is missing. "
            "Install it with `pip install 'pagefind[bin]'`."
        )
    config = {"site": str(site), "glob": glob, "output_path": str(bundle)}
    with tempfile.TemporaryDirectory(prefix="microcred-pagefind-") as folder:
        Path(folder, "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        try:
            ran = subprocess.run(
                [str(program)], cwd=folder, capture_output=True, text=True, check=False
            )
        except OSError as error:
            raise BuildError(f"Search could not be built: Pagefind failed ({error}).") from error
    said = (ran.stdout + ran.stderr).strip()
    if ran.returncode != 0:
        last = said.splitlines()[-1] if said else f"exit status {ran.returncode}"
        raise BuildError(f"Search could not be built: Pagefind failed ({last}).")
    found = INDEXED.findall(ran.stdout)
    return int(found[-1]) if found else 0


def files(folder: Path) -> list[Path]:
    """Every file under ``folder``, in order."""
    return sorted(path for path in folder.rglob("*") if path.is_file())


ATTEMPTS = 3
"""Times a shard is indexed before its bundle is given up as broken (``broken``)."""
COMPRESSED = (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")


def broken(bundle: Path, pages: int) -> str:
    """What is wrong with a written bundle, or "" when it is whole.

    Pagefind 1.5.2's Python API (used before ``run`` ran the program) stopped the
    Pagefind process as soon as it answered that the files were written, and now and then
    a file was still being written: seen as an empty ``pagefind-entry.json`` in 2 of 50
    shards at 10,000 credentials on a loaded machine. So every bundle is still checked: no
    empty file, every compressed file complete, and an entry that names an existing
    metadata file and counts every page.
    """
    for path in files(bundle):
        if path.stat().st_size == 0:
            return f"{path.name} is empty"
        if path.suffix in COMPRESSED:
            try:
                gzip.decompress(path.read_bytes())
            except (OSError, EOFError) as error:
                return f"{path.name} is incomplete ({error})"
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"].values()
        counted = sum(language["page_count"] for language in languages)
        needed = [f"pagefind.{language['hash']}.pf_meta" for language in languages]
        needed += [f"wasm.{language['wasm']}.pagefind" for language in languages]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return f"pagefind-entry.json cannot be read ({error})"
    needed += ["pagefind.js", "pagefind-worker.js"]
    if missing := [name for name in needed if not (bundle / name).is_file()]:
        return f"{', '.join(missing)} is missing"
    if counted != pages:
        return f"pagefind-entry.json counts {counted} pages, not {pages}"
    return ""


def index_into(site: Path, institution_id: str, slugs: list[str], bundle: Path) -> list[Path]:
    """Index the credential pages of ``slugs`` under ``site`` into ``bundle`` (anywhere:
    ``search.Indexing`` writes it beside ``pagefind/`` until the sweep is done), indexed
    again when Pagefind leaves it broken; the bundle's files. Errors in words."""
    if not slugs:
        raise BuildError(
            f"Search could not be built: institution {institution_id!r} has no published "
            "credential to index."
        )
    for _ in range(ATTEMPTS):
        shutil.rmtree(bundle, ignore_errors=True)
        pages = run(site, bundle, pattern(slugs))
        if pages != len(slugs):
            raise BuildError(
                f"Search could not be built: Pagefind indexed {pages} of institution "
                f"{institution_id!r}'s {len(slugs)} credential pages (each needs "
                "data-pagefind-body and its file under credentials/<slug>/index.html)."
            )
        problem = broken(bundle, pages)
        if not problem:
            break
    else:
        raise BuildError(
            f"Search could not be built: Pagefind wrote a broken index for institution "
            f"{institution_id!r} {ATTEMPTS} times ({problem}). Build again."
        )
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return files(bundle)


def index_shards(
    site: Path, shards: list[tuple[str, list[str]]], side: Path, parallel: int
) -> None:
    """Index each ``(institution id, slugs)`` of ``shards`` into ``side/<id>/``, ``parallel``
    at a time (the body of ``search.Indexing``'s process)."""
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(lambda shard: index_into(site, *shard, side / shard[0]), shards))
