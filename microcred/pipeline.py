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
from functools import partial
from pathlib import Path

from microcred.build import cache, linkcheck, manifest, reuse, workers
from microcred.build.publish import check_output_folder, staging
from microcred.content.model import Catalog
from microcred.reporting.errors import BuildError
from microcred.reporting.terminal import TerminalReporter, problem_counts
from microcred.rules.check import CheckResult, check_catalog
from microcred.site import data, guides, open_badges, pages, redirects, search


@dataclass(frozen=True, slots=True)
class BuildOptions:
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


def _output_stages(with_search: bool, reusing: reuse.Reuse) -> list[tuple[str, Callable]]:
    stages: list[tuple[str, Callable]] = [
        ("data", partial(data.write_data, reuse=reusing)),
        ("pages", partial(pages.write_pages, reuse=reusing)),
        ("guides", guides.write_guides),
        ("badges", partial(open_badges.write_badges, reuse=reusing)),
        ("redirects", redirects.write_redirects),
    ]
    if with_search:
        stages.append(("search", lambda catalog, out: search.index_site(out)))
    return stages


def build(options: BuildOptions, reporter: TerminalReporter) -> BuildResult:
    started = time.perf_counter()
    check_output_folder(options.output, options.content)
    if options.update_manifest and options.include_proposed:
        raise BuildError(
            "--update-manifest records what is published, so it cannot be used "
            "with --include-proposed"
        )
    use_cache = options.cache and not options.update_manifest
    store = cache.cache_dir(options.content)
    stamps = cache.stamps(options.content)
    prints = cache.fingerprints(options.content, (_manifest_file(options),), _settings(options))
    previous = cache.previous_build(store if use_cache else None, options.output, prints.whole)
    if previous is not None:
        return _reused(previous, started)
    cache.forget_build(store, options.output)
    checked = check_catalog(options.content, options.today)
    result = BuildResult(check=checked)
    result.seconds["check"] = time.perf_counter() - started
    reporter.stage_finished("check", checked.files, 0, result.seconds["check"])
    if checked.catalog is None or checked.blocks(options.strict):
        return result
    catalog = _for_publishing(checked.catalog, options)
    result.credentials = len(catalog.credentials)
    with reuse.Place.claim(store, options.output, create=use_cache) as place:
        ledger = _publish(catalog, options, reporter, prints, place if use_cache else None, result)
        unchanged_inputs = cache.stamps(options.content) == stamps
        if place is not None:
            if use_cache and unchanged_inputs:
                place.published(ledger)
            else:  # a build from scratch, or content saved while it ran: keep nothing
                place.forget()
    if use_cache and unchanged_inputs:
        cache.record_build(
            store,
            options.output,
            cache.Record(
                prints.whole,
                (0, 0),
                checked.problems,
                checked.files,
                result.credentials,
                result.files,
            ),
        )
    if options.update_manifest:
        result.new_urls = manifest.update_manifest(_manifest_file(options), result.published)
    result.seconds["total"] = time.perf_counter() - started
    return result


def _publish(
    catalog: Catalog,
    options: BuildOptions,
    reporter: TerminalReporter,
    prints: cache.Fingerprints,
    place: reuse.Place | None,
    result: BuildResult,
) -> reuse.Ledger:
    """Run every output stage into a staging folder and swap it into place.

    With a ``place`` the staging folder is the site kept from the build before last,
    and only changed units are rendered (``reuse.py``). The search index is built
    after the files no unit or stage produced are swept, so it indexes this build's
    pages only.
    """
    ledger = place.take() if place else None
    into = place.folder if place else None
    with staging(options.output, into=into, before_swap=place and place.note_output) as stage:
        keys = reuse.Keys(prints.shared, prints.credentials) if place else None
        reusing = reuse.Reuse(stage, keys, ledger)
        written: list = []
        stages = _output_stages(options.search, reusing)
        with workers.background_jobs():
            for name, write in stages[:-1] if options.search else stages:
                written += _run_stage(name, write, catalog, stage, reusing, reporter, result)
        result.unchanged = reusing.kept_files
        finished = reusing.finish(written)
        if options.search:
            name, write = stages[-1]
            files = _run_stage(name, write, catalog, stage, reusing, reporter, result)
            finished.files = finished.files | set(reusing.relative(f) for f in files)
        if options.check_links:
            began = time.perf_counter()
            _check_links(stage, catalog)
            result.seconds["links"] = time.perf_counter() - began
        result.published = manifest.check_manifest(_manifest_file(options), stage, finished.files)
    result.built = True
    return finished


def _run_stage(name, write, catalog, stage, reusing, reporter, result) -> list:
    """One output stage, timed, with its line of progress; the files it wrote."""
    reporter.stage_started(name)
    began, kept_before = time.perf_counter(), reusing.kept_files
    files = list(write(catalog, stage) or ())
    result.seconds[name] = time.perf_counter() - began
    kept = reusing.kept_files - kept_before
    result.files[name] = len(files) + kept
    reporter.stage_finished(name, result.files[name], kept, result.seconds[name])
    return files


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


def _reused(previous: cache.Record, started: float) -> BuildResult:
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


def _check_links(stage: Path, catalog: Catalog) -> None:
    """Stop before publishing when the built site links to something it does not hold."""
    broken = linkcheck.check_site(stage, catalog.site.base_url)
    if broken:
        listing = "\n".join(f"  {message}" for message in broken)
        raise BuildError(f"{len(broken)} broken links; the output is unchanged:\n{listing}")


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
    )


__all__ = ["BuildError", "BuildOptions", "BuildResult", "build", "summary_line"]
