"""The build, read top to bottom: check everything, then render each output, then publish.

Nothing is written until the whole catalog has been loaded, checked and linked.
Each output stage writes into a staging folder and is timed; the staging folder
replaces the output folder only when every stage has succeeded.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from microcred.build import lean, manifest, shards, workers
from microcred.build.cache import Record
from microcred.build.checked import Pickler as RecordPickler
from microcred.build.incremental import Incremental, Output
from microcred.build.linkcheck import check_site
from microcred.build.publish import check_output_folder
from microcred.build.reuse import Reuse
from microcred.build.shards import EVERYTHING, SPANNING_ONLY, Scope
from microcred.content.model import Catalog
from microcred.reporting.errors import BuildError, UsageError
from microcred.reporting.terminal import TerminalReporter, problem_counts
from microcred.rules.check import CheckResult, Share, check_catalog
from microcred.site import (
    catalog_data,
    ctdl,
    data_parts,
    guides,
    open_badges,
    pages,
    search,
    templates,
)


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
    institutions: tuple[str, ...] = ()
    """Build only these institutions' part (an institution job, ``shards.py``); () is all."""
    spanning_part: bool = False
    """Build the outputs that span institutions as a part (a sharded build's spanning job)."""


@dataclass
class BuildResult:
    """What a build did: its check, the files and seconds of each stage, new URLs."""

    check: CheckResult
    """The check's result; its catalog is let go once the site is built with search
    (``_let_catalog_go``), so read the counts here, not the records."""
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
    """The URL paths the site publishes (what the manifest records); taken only with
    ``--update-manifest``, the one thing that reads them (empty otherwise)."""
    left_out: int = 0
    """Proposed credentials not published (shown with ``--include-proposed`` or ``serve``)."""
    part: tuple[str, ...] = ()
    """The institutions of the part an institution job built (``shards.py``)."""
    parts: int = 0
    """How many parts an assemble joined."""


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
    """Check the catalog in ``options.content`` and, when it passes, publish its site
    (with ``options.institutions``, only those institutions' part: ``build_part``)."""
    if options.institutions or options.spanning_part:
        return build_part(options, reporter)
    started = time.perf_counter()
    _refuse_conflicting(options)
    memory = Incremental(
        options.content,
        options.output,
        _settings(options),
        extra_files=(_manifest_file(options),),
        enabled=options.cache and not options.update_manifest,
        said=_said_settings(options),
    )
    if (last := memory.last_build()) is not None:
        return _reused(last, started)
    # An edit's build validates its changed data rows at the end: their interpreter
    # starts now, beside the check (a cold build, at its memory peak then, does not).
    with workers.ready_interpreter(*catalog_data.VALIDATED_WITH, wanted=memory.has_kept_site):
        return _checked_and_written(options, memory, started, reporter)


def _checked_and_written(
    options: BuildOptions, memory: Incremental, started: float, reporter: TerminalReporter
) -> BuildResult:
    """The rest of ``build``: the check, then the output stages, published."""
    result, catalog = _checked(options, memory, started, reporter)
    if catalog is None:
        return result

    with memory.output() as out:
        indexing: search.Indexing | None = None
        try:
            with workers.background_jobs():  # the data package is validated meanwhile
                for name, write in _output_stages():
                    if name == lean.HELD_FROM:
                        catalog = _hold_bodies_out(catalog, result, out.reuse)
                    _run_stage(name, write, catalog, out, reporter, result)
                    if name == lean.BODY_READERS[-1]:
                        catalog = _let_bodies_go(catalog, result, out.reuse)
                    if name == "pages" and options.search:
                        # Pagefind starts on the finished credential pages while the badge
                        # and CTDL stages run; a shard whose pages are all unchanged stays.
                        search.keep_unchanged(catalog, out.reuse)
                        indexing = search.Indexing(out.folder, catalog, out.reuse)
            if options.search and indexing is None:  # no pages stage (a test replaced it)
                search.keep_unchanged(catalog, out.reuse)
            out.sweep()  # the files no unit produced (Pagefind writes beside them)
            result.unchanged = out.reuse.kept_files
            base_url = catalog.site.base_url
            if options.search:
                early = _index_early(indexing)
                if indexing is not None:  # Pagefind has what it needs from the catalog
                    catalog = None
                    _let_catalog_go(result, out.reuse)
                _run_stage("search", early, catalog, out, reporter, result)
        finally:
            if indexing is not None:
                indexing.stop()
        _finish(options, base_url, out, result)
        memory.remember(result.check.problems, result.check.files, result.credentials, result.files)
    result.built = True

    if options.update_manifest:
        result.new_urls = manifest.update_manifest(_manifest_file(options), result.published)
    result.seconds["total"] = time.perf_counter() - started
    return result


def build_part(options: BuildOptions, reporter: TerminalReporter) -> BuildResult:
    """An institution job (or the spanning job): check the whole catalog (as a full build
    does), then write only the outputs of ``options.institutions`` (or those spanning
    institutions, ``options.spanning_part``) and a record of the part (``shards.py``) into
    ``options.output``, published as a whole site is. It reuses no kept site; with the
    cache on, it starts from the kept checks of credential files."""
    started = time.perf_counter()
    _refuse_conflicting(options)
    if options.check_links or options.update_manifest:
        raise UsageError(
            "--check-links and --update-manifest need the whole site; pass them to "
            "`python build.py assemble`, not to a part (--institution, --spanning)"
        )
    memory = _parts_memory(options)
    share = Share(frozenset(options.institutions), strays=options.spanning_part)
    result, catalog = _checked(options, memory, started, reporter, share)
    if catalog is None:
        return result
    known = [institution.id for institution in catalog.institutions]
    for wanted in options.institutions:
        if wanted not in known:
            raise UsageError(shards.unknown_institution(wanted, known))
    # The institution jobs write their credentials' pieces of the data files, which
    # assemble joins: the spanning job does no per-credential data work (data_parts.py).
    scope = shards.Scope(frozenset(options.institutions), options.spanning_part, True)
    result.credentials = len(scope.of(catalog.credentials))
    result.part = (*sorted(set(options.institutions)), *(["spanning"] * options.spanning_part))
    with memory.output() as out:
        with workers.background_jobs():
            for name, write in _output_stages():
                if name == "data":
                    write = data_parts.write_data
                if name == lean.HELD_FROM:
                    catalog = _hold_bodies_out(catalog, result, out.reuse)
                _run_stage(name, write, catalog, out, reporter, result, scope)
                if name == lean.BODY_READERS[-1]:
                    catalog = _let_bodies_go(catalog, result, out.reuse)
        out.sweep()
        if options.search:  # its institutions' search shards; the spanning job's shard list
            _run_stage("search", _index, catalog, out, reporter, result, scope)
        about = {
            "institutions": known,
            "credentials": len(catalog.credentials),
            "base_url": catalog.site.base_url,
        }
        shards.write_part_record(out.folder, scope, memory.prints.whole, out.files, about)
    result.built = True
    result.seconds["total"] = time.perf_counter() - started
    return result


def assemble(
    options: BuildOptions, part_folders: Sequence[Path], reporter: TerminalReporter
) -> BuildResult:
    """Join the parts of institution jobs into the site: check the catalog, make sure the
    parts cover every institution once and were built from the same inputs, write what
    spans institutions, copy the parts in, then check URLs and publish as ``build`` does.

    When one part is the spanning job's (``build --spanning``), that job has checked the
    catalog and written the spanning outputs: assemble then only makes sure every part was
    built from this checkout's inputs (the digest) and joins them.

    Search: parts' ``pagefind/`` folders are copied through; when no part has one, the
    assembled site is indexed whole, as a one-machine build does (unless ``--no-search``).
    """
    started = time.perf_counter()
    if not part_folders:
        raise UsageError(
            "assemble needs the part folders to join: the --output of each "
            "`python build.py build --institution ID` job"
        )
    _refuse_conflicting(options)
    parts = [shards.read_part(folder) for folder in part_folders]
    memory = _parts_memory(options)
    spanning = next((part for part in parts if part.spanning), None)
    if spanning is None:
        result, catalog = _checked(options, memory, started, reporter)
        if catalog is None:
            return result
        ids, base_url = [i.id for i in catalog.institutions], catalog.site.base_url
    else:  # the spanning job checked this content (the digests say it is this content)
        result, catalog = BuildResult(check=CheckResult(None, (), 0)), None
        ids, base_url = spanning.catalog["institutions"], spanning.catalog["base_url"]
        result.credentials = spanning.catalog["credentials"]
    shards.check_parts(parts, ids, memory.prints.whole)
    result.parts = len(parts)
    with memory.output() as out:
        if catalog is not None:
            with workers.background_jobs():
                for name, write in _output_stages():
                    _run_stage(name, write, catalog, out, reporter, result, SPANNING_ONLY)
        reporter.stage_started("parts")
        began = time.perf_counter()
        taken = set(out.written)  # relative to the folder, as noted
        copied = shards.copy_parts(parts, out.folder, taken)
        out.add(copied)
        if spanning is not None:  # the data files, joined from the jobs' pieces
            out.add(data_parts.join_pieces(out.folder, spanning, parts))
        result.seconds["parts"] = time.perf_counter() - began
        result.files["parts"] = len(copied)
        reporter.stage_finished("parts", len(copied), 0, result.seconds["parts"])
        out.sweep()
        if options.search:
            _search_of_parts(catalog, out, reporter, result)
        _finish(options, base_url, out, result)
    result.built = True
    if options.update_manifest:
        result.new_urls = manifest.update_manifest(_manifest_file(options), result.published)
    result.seconds["total"] = time.perf_counter() - started
    return result


def _parts_memory(options: BuildOptions) -> Incremental:
    """What a part or an assemble keeps between builds: only the checks of credential files
    (when the cache is on); each writes into a fresh folder. Its fingerprint of the inputs
    that shape a part (``_part_settings``) is the digest parts are matched by: taken here,
    before anything is read, so a checkout changed during the job cannot be recorded under
    it (with the cache off, ``Incremental`` would otherwise hash the inputs only when asked)."""
    memory = Incremental(
        options.content,
        options.output,
        _part_settings(options),
        enabled=False,
        checks=options.cache,
    )
    memory.prints  # noqa: B018 - the digest, now
    return memory


def _checked(
    options: BuildOptions,
    memory: Incremental,
    started: float,
    reporter: TerminalReporter,
    share: Share | None = None,
):
    """Check the whole catalog (cross-file rules see every record); the result and the
    catalog to publish, or None when the check blocks the build. With ``share`` (a job of
    a sharded build), only the credential files it owns get the rules of one file."""
    # Compiled templates are kept in the cache when it is on (``templates.keep_compiled``).
    templates.keep_compiled(memory.store if options.cache else None)
    kept = memory.checked_files()

    def check() -> CheckResult:
        found = check_catalog(options.content, options.today, kept, share)
        memory.keep_checked(kept)
        return found

    # A large catalog's check runs in a process of its own and its result is read back
    # packed (``workers.compacted``): the render stages' forked workers share less. Not
    # when kept checks answer most files (an edit): see ``_compacts``. Nor in a job of a
    # sharded build, which renders a share of the pages: at 10,000 credentials the round
    # trip took 1.1 s of an institution job's 8 s, and its peak (the check's workers)
    # stayed as it was.
    # Pickled as the kept checks are: equal strings of different files come back as one.
    compacts = share is None and _compacts(options.content, kept)
    checked = workers.compacted(check, RecordPickler) if compacts else check()
    result = BuildResult(check=checked)
    result.seconds["check"] = time.perf_counter() - started
    reporter.stage_finished("check", checked.files, 0, result.seconds["check"])
    if checked.catalog is None or checked.blocks(options.strict):
        return result, None
    catalog = _for_publishing(checked.catalog, options)
    result.credentials = len(catalog.credentials)
    result.left_out = len(checked.catalog.credentials) - len(catalog.credentials)
    return result, catalog


COMPACTED_FROM = 1000
"""Credential files from which the check runs in a process of its own (``_checked``):
below, the memory it leaves is small and the check stays where a test can watch it."""


def _compacts(content: Path, kept) -> bool:
    """Whether the check runs in a process of its own (``workers.compacted``): for a large
    catalog, unless kept checks (``build/checked.py``) answer more than half its files.

    An edit reads and checks one file; its check is unpickling the kept results and the
    rules across files. Sending that result back from another process (pickling the whole
    catalog there, unpickling it here) took longer than the check itself: at 10,000
    credentials 1.5 s and 0.7 s against 1.2 to 1.9 s (see docs/performance.md, *An edit
    build without the round trip*). The scattered working set ``compacted`` avoids is
    mostly the reading and checking of files, which an edit does not do."""
    files = _credential_files(content)
    if files < COMPACTED_FROM:
        return False
    return kept is None or kept.answerable() * 2 <= files


def _credential_files(content: Path) -> int:
    """How many entries the catalog's ``credentials/`` folder has (without reading them)."""
    try:
        with os.scandir(Path(content) / "credentials") as entries:
            return sum(1 for _ in entries)
    except OSError:
        return 0


def _hold_bodies_out(catalog: Catalog, result: BuildResult, reuse: Reuse) -> Catalog:
    """The catalog for the pages stage (``lean.held_out``): the current credentials' bodies
    held out of memory, read back from their files as their pages are rendered (see
    docs/performance.md, *Memory on the long shape: bodies out of the parent*)."""
    return _remade(catalog, result, reuse, lean.held_out)


def _let_bodies_go(catalog: Catalog, result: BuildResult, reuse: Reuse) -> Catalog:
    """The catalog for the stages after the last that reads the Markdown bodies (``lean``):
    the same records without them; the memory they took is handed back (see
    docs/performance.md, *The bodies let go after the pages*)."""
    return _remade(catalog, result, reuse, lean.without_bodies)


def _remade(catalog: Catalog, result: BuildResult, reuse: Reuse, remake) -> Catalog:
    """``remake(catalog)``, put in ``result.check`` too (one record remade once for both),
    and the records the keys' digests held let go, so that nothing holds the old bodies."""
    memo: dict[int, object] = {}
    remade = remake(catalog, memo)
    checked = result.check.catalog
    if checked is not None:
        kept = remade if checked is catalog else remake(checked, memo)
        result.check = dataclasses.replace(result.check, catalog=kept)
    reuse.keys.forget()  # it kept the records of the data stage alive, bodies and all
    return remade


def _let_catalog_go(result: BuildResult, reuse: Reuse) -> None:
    """Let go of what the build still holds of the catalog while it waits for Pagefind,
    which has what it needs (``search.Indexing``): the checked catalog in ``result.check``
    and the records the keys' digests keep alive (the caller drops its own), and hand the
    memory back. On the long shape at 10,000 this wait was the build's peak; it gains less
    than it frees, since freed memory stays in arenas that still hold a live object
    (docs/performance.md, *Equal strings shared, and nothing held while Pagefind runs*)."""
    result.check = dataclasses.replace(result.check, catalog=None)
    reuse.keys.release()
    workers.give_back_free_memory()


def _finish(options: BuildOptions, base_url: str, out: Output, result: BuildResult) -> None:
    """Before a whole site is published: its links (when asked) and its URL manifest."""
    if options.check_links:
        _check_links(out.folder, base_url, result)
    if options.update_manifest:  # the published paths are what it records
        result.published = manifest.check_manifest(_manifest_file(options), out.folder, out.files)
    else:  # the manifest checked from its side, with no URL path for each of the site's files
        manifest.check_served(_manifest_file(options), out.files)


def _index(catalog: Catalog, folder: Path, reuse: Reuse, scope: Scope = EVERYTHING) -> list[Path]:
    """The search stage: Pagefind over the finished pages, one shard per institution.

    A one-machine build indexes every shard (keeping unchanged ones) and writes the shard
    list; an institution job indexes its own institutions' shards, the same bytes a
    one-machine build writes for them; the spanning job writes the shard list.
    """
    if scope.whole:
        return search.index_site(folder, catalog, reuse)
    files: list[Path] = []
    for institution_id in search.shard_ids(catalog):
        if scope.renders(institution_id) and scope.institutions:
            files += search.index_institution(folder, catalog, institution_id)
    if scope.spanning:
        files.append(search.write_shard_list(folder, search.shard_counts(catalog)))
    return files


def _index_early(indexing: search.Indexing | None) -> Callable:
    """The search stage of a one-machine build: the wait for ``search.Indexing``, started
    after the pages stage, and its shards moved into place (or all of it now, ``_index``,
    when nothing started it)."""

    def index(catalog: Catalog, folder: Path, reuse: Reuse, scope: Scope = EVERYTHING):
        if indexing is None:
            return _index(catalog, folder, reuse, scope)
        return search.index_site(folder, catalog, reuse, started=indexing)

    return index


def _search_of_parts(catalog: Catalog | None, out: Output, reporter, result) -> None:
    """Assemble's search: the parts' shards as copied in, with the shard list written here
    when no spanning part brought it; the whole site indexed when no part has a shard."""
    bundle = out.folder / search.BUNDLE
    if (bundle / search.SHARDS).exists():
        return
    if catalog is None:
        raise UsageError(
            "the parts were built without search (--no-search): build them with search, "
            "or assemble with --no-search"
        )
    if bundle.is_dir():
        out.add([search.write_shard_list(out.folder, search.shard_counts(catalog))])
    else:
        _run_stage("search", _index, catalog, out, reporter, result, EVERYTHING)


def _run_stage(
    name: str, write: Callable, catalog, out: Output, reporter, result, scope: Scope = EVERYTHING
) -> None:
    """One output stage, timed, with its line of progress; the files it wrote noted in
    ``out`` as the stage hands them over. ``scope`` says which institutions' outputs it
    renders (``shards.py``)."""
    reporter.stage_started(name)
    began, kept_before = time.perf_counter(), out.reuse.kept_files
    written = out.add(write(catalog, out.folder, out.reuse, scope=scope) or ())
    result.seconds[name] = time.perf_counter() - began
    kept = out.reuse.kept_files - kept_before
    result.files[name] = written + kept
    reporter.stage_finished(name, result.files[name], kept, result.seconds[name])


def _refuse_conflicting(options: BuildOptions) -> None:
    """Stop before anything is read when the options cannot be honoured together."""
    check_output_folder(options.output, options.content)
    if options.update_manifest and options.include_proposed:
        raise BuildError(
            "--update-manifest records what is published, so it cannot be used "
            "with --include-proposed"
        )


def _settings(options: BuildOptions) -> dict:
    """The options that shape the output: every unit of it is keyed by them."""
    return {
        "base_url": options.base_url,
        "include_proposed": options.include_proposed,
        "search": options.search,
    }


def _said_settings(options: BuildOptions) -> dict:
    """The options that shape only what the build says: its problems (the date the checks
    compare with, the folder messages name paths from) and whether they stop it. A build
    that changes one of them checks again but keeps the pages (pages show the build's date
    from the content, ``enrolment.build_date``, never the day they were built)."""
    return {
        "strict": options.strict,
        "check_links": options.check_links,
        "today": (options.today or date.today()).isoformat(),
        "messages_relative_to": str(Path.cwd()),
    }


def _part_settings(options: BuildOptions) -> dict:
    """The options that shape a part's files: parts joined by ``assemble`` must agree on
    them (their digest includes them, with the content, code and libraries)."""
    return {
        "base_url": options.base_url,
        "include_proposed": options.include_proposed,
        "sharded": shards.PART_FORMAT,
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


def _check_links(stage: Path, base_url: str, result: BuildResult) -> None:
    """Stop before publishing when the built site links to something it does not hold."""
    began = time.perf_counter()
    broken = check_site(stage, base_url)
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
    if result.part:
        names = [name for name in result.part if name != "spanning"]
        if len(names) < len(result.part):
            names.append("the outputs spanning institutions")
        verb = f"Built the part of {' and '.join(names)}:"
    elif result.parts:
        verb = f"Assembled {result.parts} parts ({result.files.get('parts', 0)} files):"
    return (
        f"{verb} {result.credentials} credentials into {output}: "
        f"{result.files.get('pages', 0)} pages, {result.files.get('badges', 0)} badge files, "
        f"{result.files.get('data', 0)} data files"
        + (f" ({result.unchanged} unchanged)" if result.unchanged else "")
        + f"; {problem_counts(result.check.problems)}; "
        f"{result.seconds.get('total', 0):.2f}s"
        + (f" ({stages})" if stages else "")  # an unchanged build ran no stage
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


__all__ = [
    "BuildError",
    "BuildOptions",
    "BuildResult",
    "assemble",
    "build",
    "build_part",
    "summary_line",
]
