"""The build, read top to bottom: check everything, then render each output, then publish.

Nothing is written until the whole catalog has been loaded, checked and linked.
Each output stage writes into a staging folder and is timed; the staging folder
replaces the output folder only when every stage has succeeded.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from microcred.build import manifest, workers
from microcred.build.cache import Record
from microcred.build.incremental import Incremental, Output
from microcred.build.linkcheck import check_site
from microcred.build.publish import check_output_folder
from microcred.build.reuse import Reuse
from microcred.content.model import Catalog
from microcred.reporting.errors import BuildError
from microcred.reporting.terminal import TerminalReporter, problem_counts
from microcred.rules.check import CheckResult, check_catalog
from microcred.site import catalog_data, ctdl, guides, open_badges, pages, search


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build and how: the command line's ``build`` options."""

    content: Path = Path("content")
    output: Path = Path("_site")
    base_url: str | None = None
    strict: bool = False
    include_proposed: bool = False
    search: bool = True
    today: date | None = None
    check_links: bool = False
    update_manifest: bool = False
    manifest: Path | None = None
    """The URL manifest; by default ``urls.json`` beside the content folder."""
    cache: bool = False
    """Reuse the last build when no input changed (see ``cache.py``); the CLI turns it on."""


@dataclass
class BuildResult:
    """What a build did: its check, the files and seconds of each stage, new URLs."""

    check: CheckResult
    built: bool = False
    files: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    credentials: int = 0
    new_urls: list[str] = field(default_factory=list)
    reused: bool = False
    """True when nothing had changed since the last build, so nothing was written."""
    unchanged: int = 0
    """Files left as the build before last wrote them (see ``reuse.py``)."""
    published: list[str] = field(default_factory=list)
    """The URL paths the site publishes (what the manifest records)."""
    left_out: int = 0
    """Proposed credentials not published (shown with ``--include-proposed`` or ``serve``)."""


def _output_stages() -> list[tuple[str, Callable]]:
    """Each output stage and the function that writes it, in order (looked up at each
    build, so a test can replace one)."""
    return [
        ("data", catalog_data.write_data),  # /catalog.json and the data package in /data/
        ("pages", pages.write_pages),  # every HTML page, feed, sitemap, robots.txt, assets
        ("guides", guides.write_guides),  # /guide/ pages from docs/
        ("badges", open_badges.write_badges),  # badge images, Open Badges JSON, bulk-issue CSV
        ("ctdl", ctdl.write_ctdl),  # Credential Engine exports
    ]


def build(options: BuildOptions, reporter: TerminalReporter) -> BuildResult:
    """Check the catalog in ``options.content`` and, when it passes, publish its site."""
    started = time.perf_counter()
    _refuse_conflicting(options)
    memory = Incremental(
        options.content,
        options.output,
        _settings(options),
        extra_files=(_manifest_file(options),),
        enabled=options.cache and not options.update_manifest,
    )
    if (last := memory.last_build()) is not None:
        return _reused(last, started)

    kept = memory.checked_files()
    checked = check_catalog(options.content, options.today, kept)
    memory.keep_checked(kept)
    result = BuildResult(check=checked)
    result.seconds["check"] = time.perf_counter() - started
    reporter.stage_finished("check", checked.files, 0, result.seconds["check"])
    if checked.catalog is None or checked.blocks(options.strict):
        return result
    catalog = _for_publishing(checked.catalog, options)
    result.credentials = len(catalog.credentials)
    result.left_out = len(checked.catalog.credentials) - len(catalog.credentials)

    with memory.output() as out:
        with workers.background_jobs():  # the data package is validated meanwhile
            for name, write in _output_stages():
                out.add(_run_stage(name, write, catalog, out, reporter, result))
        if options.search:  # a shard whose pages are all unchanged stays
            search.keep_unchanged(catalog, out.reuse)
        out.sweep()  # before the search index reads the pages
        result.unchanged = out.reuse.kept_files
        if options.search:
            out.add(_run_stage("search", _index, catalog, out, reporter, result))
        if options.check_links:
            _check_links(out.folder, catalog, result)
        result.published = manifest.check_manifest(_manifest_file(options), out.folder, out.files)
        memory.remember(checked.problems, checked.files, result.credentials, result.files)
    result.built = True

    if options.update_manifest:
        result.new_urls = manifest.update_manifest(_manifest_file(options), result.published)
    result.seconds["total"] = time.perf_counter() - started
    return result


def _index(catalog: Catalog, folder: Path, reuse: Reuse) -> list[Path]:
    """The search stage: a Pagefind index per institution over the finished pages."""
    return search.index_site(folder, catalog, reuse)


def _run_stage(name: str, write: Callable, catalog, out: Output, reporter, result) -> list:
    """One output stage, timed, with its line of progress; the files it wrote."""
    reporter.stage_started(name)
    began, kept_before = time.perf_counter(), out.reuse.kept_files
    files = list(write(catalog, out.folder, out.reuse) or ())
    result.seconds[name] = time.perf_counter() - began
    kept = out.reuse.kept_files - kept_before
    result.files[name] = len(files) + kept
    reporter.stage_finished(name, result.files[name], kept, result.seconds[name])
    return files


def _refuse_conflicting(options: BuildOptions) -> None:
    """Stop before anything is read when the options cannot be honoured together."""
    check_output_folder(options.output, options.content)
    if options.update_manifest and options.include_proposed:
        raise BuildError(
            "--update-manifest records what is published, so it cannot be used "
            "with --include-proposed"
        )


def _settings(options: BuildOptions) -> dict:
    """The options that shape the output (and the date the checks compare with)."""
    return {
        "base_url": options.base_url,
        "strict": options.strict,
        "include_proposed": options.include_proposed,
        "search": options.search,
        "check_links": options.check_links,
        "today": (options.today or date.today()).isoformat(),
        "messages_relative_to": str(Path.cwd()),
    }


def _reused(previous: Record, started: float) -> BuildResult:
    """The answer to a build whose inputs and output are as the last build left them."""
    checked = CheckResult(None, previous.problems, previous.files_read)
    result = BuildResult(
        check=checked,
        built=True,
        files=dict(previous.files),
        credentials=previous.credentials,
        reused=True,
    )
    result.seconds["total"] = time.perf_counter() - started
    return result


def _check_links(stage: Path, catalog: Catalog, result: BuildResult) -> None:
    """Stop before publishing when the built site links to something it does not hold."""
    began = time.perf_counter()
    broken = check_site(stage, catalog.site.base_url)
    if broken:
        listing = "\n".join(f"  {message}" for message in broken)
        raise BuildError(f"{len(broken)} broken links; the output is unchanged:\n{listing}")
    result.seconds["links"] = time.perf_counter() - began


def _manifest_file(options: BuildOptions) -> Path:
    return options.manifest or manifest.manifest_path(options.content)


def _for_publishing(catalog: Catalog, options: BuildOptions) -> Catalog:
    catalog = catalog.published(options.include_proposed)
    if options.base_url:
        site = dataclasses.replace(catalog.site, base_url=options.base_url.rstrip("/"))
        catalog = dataclasses.replace(catalog, site=site)
    return catalog


def summary_line(result: BuildResult, output: Path) -> str:
    """One line a person reads at the end: what was built, problems, seconds per stage."""
    stages = ", ".join(
        f"{name} {seconds:.2f}s" for name, seconds in result.seconds.items() if name != "total"
    )
    verb = "Unchanged since the last build:" if result.reused else "Built"
    return (
        f"{verb} {result.credentials} credentials into {output}: "
        f"{result.files.get('pages', 0)} pages, {result.files.get('badges', 0)} badge files, "
        f"{result.files.get('data', 0)} data files"
        + (f" ({result.unchanged} unchanged)" if result.unchanged else "")
        + f"; {problem_counts(result.check.problems)}; "
        f"{result.seconds.get('total', 0):.2f}s ({stages})"
    ) + _left_out(result.left_out)


def _left_out(count: int) -> str:
    """Where the proposals went: not published, and how to see them."""
    if not count:
        return ""
    which = (
        "1 proposal (status: proposed) was"
        if count == 1
        else (f"{count} proposals (status: proposed) were")
    )
    return (
        f"\n{which} left out, as on the public site; to preview, run "
        "`python build.py serve` or `python build.py build --include-proposed`"
    )


__all__ = ["BuildError", "BuildOptions", "BuildResult", "build", "summary_line"]
