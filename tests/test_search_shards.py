"""The search index in shards: one Pagefind bundle per institution under ``/pagefind/``.

On ``tests/sites/multi-institution`` (three institutions): each shard holds exactly its
institution's current credential pages; ``shards.json`` lists them; two builds give the
same ``/pagefind/`` except the files Pagefind itself writes in a random order
(docs/reproducibility.md); a shard indexed in a folder holding only its institution's
pages is the shard of the whole build; and with the build cache an edit re-indexes only
the edited credential's institution. The browser side is tests/browser/test_shards.py.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
from conftest import SITES, TODAY, build_site

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.rules.check import check_catalog
from microcred.site import pagefind_program, search

MULTI = SITES / "multi-institution" / "content"
UNORDERED = (
    "pagefind/*/filter/*.pf_filter",
    "pagefind/*/pagefind.*.pf_meta",
    "pagefind/*/pagefind-entry.json",
)
"""The files Pagefind 1.5.2 writes in hash-map order (docs/reproducibility.md)."""


def bundle(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted((site / "pagefind").rglob("*"))
        if p.is_file()
    }


def unordered(name: str) -> bool:
    return any(fnmatch(name, pattern) for pattern in UNORDERED)


def fragment_urls(shard: Path) -> set[str]:
    urls = set()
    for fragment in (shard / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(fragment.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        urls.add(json.loads(raw[len(b"pagefind_dcd") :])["url"])
    return urls


def filter_contents(files: dict[str, bytes]) -> dict[str, list[bytes]]:
    """Each shard's filter files, decompressed and with their bytes sorted: their content
    without the order Pagefind wrote it in."""
    found: dict[str, list[bytes]] = {}
    for name, data in files.items():
        if fnmatch(name, "pagefind/*/filter/*.pf_filter"):
            found.setdefault(name.split("/")[1], []).append(bytes(sorted(gzip.decompress(data))))
    return {shard: sorted(contents) for shard, contents in found.items()}


@pytest.fixture(scope="module")
def catalog():
    return check_catalog(MULTI).catalog.published()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    first = build_site(MULTI, tmp_path_factory.mktemp("first") / "_site", cache=False)
    second = build_site(MULTI, tmp_path_factory.mktemp("second") / "public", cache=False)
    return first, second


def test_each_shard_holds_only_its_institutions_current_pages(sites, catalog):
    site, _ = sites
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == [
        "iron-range",
        "north-shore",
        "shards.json",
        "valley",
    ]
    for institution in catalog.institutions:
        expected = {c.url for c in catalog.credentials_of(institution.id)}
        assert fragment_urls(site / "pagefind" / institution.id) == expected
        assert len(expected) >= 3


def test_the_shard_list_names_every_shard_in_id_order(sites):
    site, _ = sites
    assert (site / "pagefind" / "shards.json").read_text(encoding="utf-8") == (
        "{\n"
        '  "format": 1,\n'
        '  "shards": [\n'
        '    {\n      "id": "iron-range",\n      "pages": 3\n    },\n'
        '    {\n      "id": "north-shore",\n      "pages": 4\n    },\n'
        '    {\n      "id": "valley",\n      "pages": 3\n    }\n'
        "  ]\n"
        "}\n"
    )


def test_a_shard_carries_only_what_search_js_loads(sites):
    site, _ = sites
    names = {p.name for p in (site / "pagefind" / "valley").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"} <= names
    assert not names & set(pagefind_program.UNUSED)


def test_two_builds_write_the_same_search_bundle_but_pagefinds_unordered_files(sites):
    first, second = (bundle(site) for site in sites)
    stable = sorted(name for name in first if not unordered(name))
    assert stable == sorted(name for name in second if not unordered(name))
    assert [name for name in stable if first[name] != second[name]] == []
    assert "pagefind/shards.json" in stable
    assert any(fnmatch(name, "pagefind/*/fragment/*") for name in stable)
    assert any(fnmatch(name, "pagefind/*/index/*") for name in stable)
    assert filter_contents(first) == filter_contents(second)
    assert sum(map(unordered, first)) == sum(map(unordered, second))


def test_a_shard_indexed_alone_is_the_shard_of_the_whole_build(sites, catalog, tmp_path):
    """``index_institution`` reads only its institution's pages: a job that has only
    those pages writes the same shard."""
    site, _ = sites
    alone = tmp_path / "alone"
    for credential in catalog.credentials_of("north-shore"):
        page = f"credentials/{credential.slug}/index.html"
        (alone / page).parent.mkdir(parents=True)
        shutil.copy(site / page, alone / page)
    files = search.index_institution(alone, catalog, "north-shore")
    assert files and all(
        f.is_relative_to((alone / "pagefind" / "north-shore").resolve()) for f in files
    )
    assert sorted(p.name for p in (alone / "pagefind").iterdir()) == ["north-shore"]
    whole = {k: v for k, v in bundle(site).items() if k.startswith("pagefind/north-shore/")}
    mine = bundle(alone)
    assert {k for k in mine if not unordered(k)} == {k for k in whole if not unordered(k)}
    assert all(mine[k] == whole[k] for k in mine if not unordered(k))
    assert filter_contents(mine) == filter_contents(whole)


def test_an_institution_without_published_credentials_is_told_in_words(sites, catalog):
    site, _ = sites
    with pytest.raises(Exception, match=r"institution 'nowhere' has no published credential"):
        search.index_institution(site, catalog, "nowhere")


def _cached_build(content: Path, output: Path):
    options = BuildOptions(content=content, output=output, today=TODAY, cache=True)
    result = build(options, TerminalReporter(quiet=True))
    assert result.built, "\n".join(str(p) for p in result.check.problems)
    return result


def test_an_edit_reindexes_only_its_institutions_shard(tmp_path, monkeypatch):
    """The kept folder is two builds old, so the edit is made twice: the second build
    after it has a kept site whose pages show it, like every later build."""
    content = tmp_path / "content"
    shutil.copytree(MULTI, content)
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    output = tmp_path / "_site"
    _cached_build(content, output)
    _cached_build(content, output)  # from now on a kept folder exists
    before = bundle(output)
    edited = content / "credentials" / "hospital-patient-safety.md"  # north-shore
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("employers in the region", "hospitals in the region"))
    _cached_build(content, output)
    edited.write_text(edited.read_text().replace("hospitals in the region", "clinics nearby"))
    _cached_build(content, output)
    after = bundle(output)
    changed = {name.split("/")[1] for name in set(before) ^ set(after)}
    changed |= {
        name.split("/")[1] for name in before.keys() & after.keys() if before[name] != after[name]
    }
    assert changed == {"north-shore"}
    assert "clinics nearby" in " ".join(
        json.loads(gzip.decompress(data)[len(b"pagefind_dcd") :])["content"]
        for name, data in after.items()
        if name.startswith("pagefind/north-shore/fragment/")
    )
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    clean = bundle(build_site(content, tmp_path / "clean"))
    assert {k for k in after if not unordered(k)} == {k for k in clean if not unordered(k)}
    assert all(after[k] == clean[k] for k in after if not unordered(k))


def test_a_title_change_that_reorders_the_catalog_reindexes_every_shard(tmp_path, monkeypatch):
    """Every page carries its rank in each sort order across the catalog, so a new title
    that reorders others changes their pages, and their shards are indexed again."""
    content = tmp_path / "content"
    shutil.copytree(MULTI, content)
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    output = tmp_path / "_site"
    _cached_build(content, output)
    _cached_build(content, output)
    before = bundle(output)
    edited = content / "credentials" / "industrial-machine-safety.md"  # valley's, now first
    for _ in range(2):  # twice: see the test above
        text = edited.read_text(encoding="utf-8")
        edited.write_text(
            text.replace("title: Industrial Machine Safety", "title: Aa Machine Safety")
        )
        _cached_build(content, output)
    after = bundle(output)
    changed = {
        name.split("/")[1] for name in before.keys() & after.keys() if before[name] != after[name]
    }
    changed |= {name.split("/")[1] for name in set(before) ^ set(after)}
    assert changed == {"iron-range", "north-shore", "valley"}


def test_a_bundle_pagefind_left_half_written_is_found_and_indexed_again(
    sites, catalog, tmp_path, monkeypatch
):
    """Pagefind's Python API can stop Pagefind while it still writes a file (an empty
    ``pagefind-entry.json`` was seen in 2 of 50 shards); such a bundle is indexed again."""
    site, _ = sites
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    real, calls = pagefind_program.run, []

    def interrupted(folder, shard, glob):
        pages = real(folder, shard, glob)
        calls.append(shard)
        if len(calls) == 1:
            (shard / "pagefind-entry.json").write_text("")
        return pages

    monkeypatch.setattr(pagefind_program, "run", interrupted)
    search.index_institution(copy, catalog, "valley")
    assert len(calls) == 2
    shard = copy / "pagefind" / "valley"
    assert pagefind_program.broken(shard, 3) == ""
    entry = (shard / "pagefind-entry.json").read_bytes()
    (shard / "pagefind-entry.json").write_text("")
    assert pagefind_program.broken(shard, 3) == "pagefind-entry.json is empty"
    (shard / "pagefind-entry.json").write_bytes(entry)
    (shard / "pagefind.js").unlink()
    assert pagefind_program.broken(shard, 3) == "pagefind.js is missing"


def test_a_missing_or_failing_pagefind_program_is_one_sentence(
    sites, catalog, tmp_path, monkeypatch
):
    """Search runs the Pagefind program (``pagefind[bin]``); without it, or when it fails,
    the build stops with a sentence saying so, not a traceback."""
    site, _ = sites
    monkeypatch.setattr(pagefind_program, "get_executable", lambda: None)
    with pytest.raises(search.BuildError) as missing:
        search.index_institution(site, catalog, "valley")
    assert str(missing.value) == (
        "Search could not be built: the Pagefind program is missing. "
        "Install it with `pip install 'pagefind[bin]'`."
    )
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: no site' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind_program, "get_executable", lambda: failing)
    with pytest.raises(search.BuildError) as failed:
        search.index_institution(site, catalog, "valley")
    assert str(failed.value) == "Search could not be built: Pagefind failed (Error: no site)."


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page's fragment (its URL, text, filters and metadata), by URL."""
    found = {}
    for fragment in sorted((site / "pagefind").glob("*/fragment/*.pf_fragment")):
        entry = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
        found[entry["url"]] = entry
    return found


def test_the_index_holds_a_pages_own_text_not_its_boilerplate(sites):
    """The dates-and-how-to-apply and cost sections and the criteria's context, approval
    and policy lines are left out of the word index (``data-pagefind-ignore``); the
    credential's own text is in it, and its filters and metadata are all still there."""
    site, _ = sites
    page = fragments(site)["/credentials/hospital-patient-safety/"]
    text = page["content"]
    assert "Apply the safety procedures of hospital work on a real task" in text
    assert "Practical task observed and scored by the instructor with a rubric" in text
    for left_out in (
        "Dates and how to apply",
        "Cost and financial aid",
        "Issued by",
        "Approved by",
        "Checked against",
    ):
        assert left_out not in text
    assert {"availability", "cost", "credit", "delivery", "institution"} <= page["filters"].keys()
    assert {"title", "summary", "cost", "institution", "rank_title", "rank_cost"} <= page[
        "meta"
    ].keys()


def test_the_search_indexed_beside_the_render_leaves_nothing_beside_pagefind(sites):
    """Pagefind starts after the pages stage and writes each shard beside ``pagefind/``
    (``search.Indexing``); the published site holds only ``pagefind/`` and its shards.
    (The second build: tests above index shards of the first one again.)"""
    _, site = sites
    assert not (site / search.SIDE).exists()
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == [
        "iron-range",
        "north-shore",
        "shards.json",
        "valley",
    ]


def test_a_stage_failing_while_pagefind_runs_stops_it_and_publishes_nothing(tmp_path, monkeypatch):
    """The badge stage fails after Pagefind has started: the build stops with the
    stage's error, Pagefind's process is stopped, and no output folder appears."""
    from microcred.reporting.errors import BuildError
    from microcred.site import open_badges

    def fail(*args, **options):
        raise BuildError("the badges stage failed")

    monkeypatch.setattr(open_badges, "write_badges", fail)
    scratch = tmp_path / "tmp"  # where the indexing process makes Pagefind's config folders
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    output = tmp_path / "public" / "_site"
    with pytest.raises(BuildError, match="the badges stage failed"):
        build(BuildOptions(content=MULTI, output=output), TerminalReporter(quiet=True))
    assert not output.exists()
    assert list(output.parent.iterdir()) == []
    assert list(scratch.iterdir()) == []  # stopped, it cleaned up after itself
    assert not _pagefind_processes_in(scratch)  # and its Pagefind programs ended with it


def _pagefind_processes_in(folder: Path) -> list[int]:
    """Running processes whose working folder is under ``folder`` (Pagefind runs in its
    config folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(entry, "cwd").resolve().is_relative_to(folder):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _imported_by(statement: str) -> list[str]:
    """The modules of the catalog, its libraries and asyncio a new interpreter has imported
    after ``statement``."""
    names = ("microcred", "jinja2", "markdown_it", "yaml", "pagefind", "pagefind_bin", "asyncio")
    listed = f"sorted(m for m in sys.modules if m.split('.')[0] in {names!r})"
    shown = f"import json, sys; {statement}; print(json.dumps({listed}))"
    ran = subprocess.run([sys.executable, "-c", shown], capture_output=True, text=True, check=True)
    return json.loads(ran.stdout)


def test_the_interpreter_beside_the_build_runs_pagefind_without_the_catalog():
    """``Indexing`` runs Pagefind from an interpreter of its own while the badge and CTDL
    stages write: it imports only the fresh job's body and the Pagefind runner
    (``pagefind_program``), not the catalog, Jinja2 or Pagefind's Python package (asyncio),
    and finds the program all the same."""
    statement = (
        "from microcred.build.fresh import run; "
        "from microcred.site import pagefind_program; pagefind_program.get_executable()"
    )
    imported = _imported_by(statement)
    assert [name for name in imported if not name.startswith("pagefind_bin")] == [
        "microcred",
        "microcred.build",
        "microcred.build.fresh",
        "microcred.reporting",
        "microcred.reporting.errors",
        "microcred.site",
        "microcred.site.pagefind_program",
    ]
    assert {"pagefind_bin", "pagefind_bin_extended"} & set(imported), "the wheel's program"


@pytest.mark.parametrize("chosen", [None, "/opt/elsewhere/pagefind"])
def test_the_program_is_the_one_pagefinds_own_lookup_finds(monkeypatch, chosen):
    """``pagefind_program.get_executable`` finds the program as ``pagefind.service`` does
    (without importing it): the ``PAGEFIND_BINARY_PATH`` variable first, else the wheel."""
    from pagefind.service import get_executable as pagefinds_own

    if chosen is None:
        monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    else:
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", chosen)
    assert pagefind_program.get_executable() == pagefinds_own()
    assert pagefind_program.get_executable() is not None


def test_control_the_search_module_brings_the_catalog():
    assert "microcred.content.model" in _imported_by("from microcred.site import search")


def test_a_wheel_without_its_program_is_a_missing_program_not_another_one(monkeypatch):
    """An installed wheel that lacks its program is not passed over for a Pagefind of
    another version on the ``PATH``: the build says the program is missing."""
    import pagefind_bin

    def lacking():
        raise FileNotFoundError("Could not find any of [...]")

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setattr(pagefind_bin, "get_executable", lacking)
    monkeypatch.setenv("PATH", str(pagefind_bin.get_candidate_paths()[0].parent))
    assert pagefind_program.get_executable() is None
