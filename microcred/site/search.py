"""Full-text search: one Pagefind index per institution, merged in the browser.

Owns ``index_institution``, ``index_site`` and ``keep_unchanged``. After every page is
written, each institution that has current credentials gets its own Pagefind bundle,
``/pagefind/<institution-id>/``, built from only that institution's credential pages
(``/credentials/<slug>/index.html``, the only pages with ``data-pagefind-body``).
``/pagefind/shards.json`` lists the shards in id order; ``theme/static/search.js``
loads the first and merges the others (Pagefind's multisite ``mergeIndex``), and merges
sorted results itself, because Pagefind's merged search does not (docs/architecture.md,
*Search in shards*).

A one-machine build starts the indexing as soon as the credential pages are written
(``Indexing``), so Pagefind runs while the badge and CTDL stages write their files.

Shards are indexed two at a time (``PARALLEL``), each by its own Pagefind process, so
the peak memory is the two largest institutions' indexes, not the catalog's. A shard depends only on
its institution's pages: with the build cache on, a shard whose pages are all kept
unchanged (``build/reuse.py``) is kept too, and only the shards of changed pages are
indexed again. Which values become filters, metadata and sort keys is decided by the
``data-pagefind-*`` attributes in the templates.
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from microcred.build.reuse import Reuse
from microcred.build.workers import Started, start_job, workers
from microcred.build.writing import write_text
from microcred.content.model import Catalog
from microcred.reporting.errors import BuildError
from microcred.site import pagefind_program

BUNDLE = "pagefind"
SHARDS = "shards.json"
"""The list of shards, in ``/pagefind/``: what the browser merges."""
SHARDS_FORMAT = 1


def shard_ids(catalog: Catalog) -> list[str]:
    """The institutions that get a shard: those with at least one published credential,
    in id order (the first is the one the browser loads first)."""
    return [i.id for i in catalog.institutions if catalog.credentials_of(i.id)]


PARALLEL = 2
"""Shards indexed at once (each by its own Pagefind process), at most one per core:
Pagefind spends most of a shard on one core, so two at a time halve the stage on two
cores (``docs/performance.md``, *Cold build and sharded speed*)."""


def _parallel() -> int:
    """How many Pagefind processes run at once: ``PARALLEL``, at most one per core."""
    return max(1, min(PARALLEL, workers()))


def index_institution(site: Path, catalog: Catalog, institution_id: str) -> list[Path]:
    """Index institution ``institution_id``'s current credential pages under ``site`` into
    ``site/pagefind/<institution_id>/`` and return the shard's files.

    Pure in the folder: it reads only that institution's pages and writes only its
    shard (replaced whole), so ``site`` may hold the whole catalog or just this
    institution's pages (a build job per institution). It does not write
    ``shards.json`` (``write_shard_list``).
    """
    site = Path(site).resolve()
    slugs = [c.slug for c in catalog.credentials_of(institution_id)]
    return pagefind_program.index_into(site, institution_id, slugs, site / BUNDLE / institution_id)


def shard_counts(catalog: Catalog) -> list[tuple[str, int]]:
    """Every shard's institution id and page count, in id order (``shards.json``)."""
    return [(i, len(catalog.credentials_of(i))) for i in shard_ids(catalog)]


def write_shard_list(site: Path, counts: list[tuple[str, int]]) -> Path:
    """Write ``site/pagefind/shards.json``: every shard's id and page count
    (``shard_counts``), in id order (the same catalog always gives the same bytes)."""
    shards = [{"id": institution_id, "pages": pages} for institution_id, pages in counts]
    text = json.dumps({"format": SHARDS_FORMAT, "shards": shards}, indent=2, sort_keys=True)
    return write_text(Path(site) / BUNDLE / SHARDS, text + "\n")


def _unit(institution_id: str) -> str:
    return f"search:{institution_id}"


def keep_unchanged(catalog: Catalog, reuse: Reuse) -> list[str]:
    """Before the sweep of files no unit produced: keep the shard of every institution
    whose credential pages have the same unit keys as when the kept folder's shard was
    indexed (pages rendered from the same inputs; ``build/reuse.py``), so its files stay.
    Returns the kept shards' ids; ``index_site`` indexes the others again."""
    kept = []
    for institution_id in shard_ids(catalog):
        page_keys = [
            reuse.units.get(f"credential:{c.slug}", ("",))[0]
            for c in catalog.credentials_of(institution_id)
        ]
        if "" in page_keys:  # a page no unit made: index the shard again
            continue
        if reuse.kept(_unit(institution_id), institution_id, page_keys):
            kept.append(institution_id)
    return kept


def index_site(
    out: Path, catalog: Catalog, reuse: Reuse | None = None, started: Indexing | None = None
) -> list[Path]:
    """Index every institution's shard under ``out/pagefind/``, ``PARALLEL`` at a time, write
    ``shards.json``, and return the files written. A shard ``keep_unchanged`` kept stays
    as it is; everything else once in ``pagefind/`` is replaced. With ``started`` (the
    same indexing, begun earlier: ``Indexing``), only what is left of it."""
    if started is not None:
        return started.finish()
    site = Path(out).resolve()
    ids = shard_ids(catalog)
    if not ids:
        raise BuildError("Search could not be built: there is no published credential to index.")
    kept = {i for i in ids if reuse is not None and _unit(i) in reuse.units}
    bundle = site / BUNDLE
    if bundle.is_dir():
        for entry in bundle.iterdir():
            if entry.name not in kept:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    written: list[Path] = []
    wanted = [institution_id for institution_id in ids if institution_id not in kept]
    with ThreadPoolExecutor(max_workers=_parallel()) as pool:
        indexed = pool.map(lambda i: index_institution(site, catalog, i), wanted)
        for institution_id, files in zip(wanted, indexed, strict=True):
            if reuse is not None:
                reuse.made(_unit(institution_id), files)
            written += files
    written.append(write_shard_list(site, shard_counts(catalog)))
    return written


SIDE = ".microcred-search"
"""The folder of the site where ``Indexing`` writes the shards while the build goes on;
moved into ``pagefind/`` and removed before the site is published."""


class Indexing:
    """The search stage, started as soon as the credential pages are written, so Pagefind
    runs while the badge and CTDL stages are still writing (``pipeline.build``).

    Pagefind reads only the current credential pages (its glob names them), which no later
    stage writes. It is driven from a new interpreter (``workers.start_job``: no thread of
    this process is left running when the badge stage forks its workers, and no fork
    keeps a second copy of what this process writes meanwhile), and writes each shard
    into ``SIDE``, not ``pagefind/``: the sweep of files the kept site
    held and this build did not produce comes later, and could name a file Pagefind has
    just written there. ``finish`` waits, moves the shards into ``pagefind/`` and writes
    ``shards.json``: the same files ``index_site`` writes. Call ``keep_unchanged`` first.
    It holds only the shards' ids and counts, not the catalog, which the build lets go
    while it waits (``pipeline.build``).
    """

    def __init__(self, out: Path, catalog: Catalog, reuse: Reuse | None = None):
        self.site = Path(out).resolve()
        self.counts, self.reuse = shard_counts(catalog), reuse
        ids = [institution_id for institution_id, _ in self.counts]
        if not ids:
            raise BuildError(
                "Search could not be built: there is no published credential to index."
            )
        self.kept = {i for i in ids if reuse is not None and _unit(i) in reuse.units}
        self.wanted = [i for i in ids if i not in self.kept]
        self.side = self.site / SIDE
        shutil.rmtree(self.side, ignore_errors=True)
        self.side.mkdir(parents=True)
        shards = [(i, [c.slug for c in catalog.credentials_of(i)]) for i in self.wanted]
        self.job: Started | None = start_job(
            pagefind_program.index_shards, self.site, shards, self.side, _parallel()
        )

    def finish(self) -> list[Path]:
        """Wait for Pagefind; move the shards into ``pagefind/`` (replacing everything there
        but the kept shards) and write ``shards.json``; the files written."""
        if self.job is not None:
            try:
                self.job.wait()  # interrupted, it stops the job itself
            except BaseException:
                shutil.rmtree(self.side, ignore_errors=True)
                raise
            finally:
                self.job = None
        bundle = self.site / BUNDLE
        if bundle.is_dir():
            for entry in bundle.iterdir():
                if entry.name not in self.kept:
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        bundle.mkdir(exist_ok=True)
        written: list[Path] = []
        for institution_id in self.wanted:
            (self.side / institution_id).rename(bundle / institution_id)
            files = pagefind_program.files(bundle / institution_id)
            if self.reuse is not None:
                self.reuse.made(_unit(institution_id), files)
            written += files
        self.side.rmdir()
        written.append(write_shard_list(self.site, self.counts))
        return written

    def stop(self) -> None:
        """Stop Pagefind and remove what it wrote (the build failed meanwhile)."""
        job, self.job = self.job, None
        if job is not None:
            job.stop()
        shutil.rmtree(self.side, ignore_errors=True)
