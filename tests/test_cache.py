"""The build cache never changes what is built: a cached build equals a clean one.

Each test copies the minimal fixture catalog, builds it twice in a row with the
cache on (the second build must reuse the first), then edits, renames or deletes
content and compares the cached build with a clean build (cache off) byte for byte.
"""

from __future__ import annotations

import io
import json
import pickle
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import SITES, TODAY, files_of

from microcred import pipeline
from microcred.build import cache, reuse
from microcred.build.reuse import KeptSite
from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter


def _build(content: Path, output: Path, **options):
    """A build with the cache on, without search, on ``TODAY`` unless ``options`` say."""
    settings = {"search": False, "today": TODAY, "cache": True, **options}
    result = build(
        BuildOptions(content=content, output=output, **settings), TerminalReporter(quiet=True)
    )
    assert result.built, "\n".join(str(p) for p in result.check.problems)
    return result


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    """A copy of the minimal catalog with its cache in the test's folder."""
    shutil.copytree(SITES / "minimal" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _same_as_clean(root: Path, monkeypatch) -> None:
    cached = _build(root / "content", root / "_site")
    assert not cached.reused
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(root / "content", root / "clean")
    monkeypatch.setenv("MICROCRED_CACHE", str(root / "cache"))
    assert files_of(root / "_site") == files_of(root / "clean")


def test_an_unchanged_catalog_is_not_rebuilt(catalog):
    first = _build(catalog / "content", catalog / "_site")
    before = {p: p.stat().st_mtime_ns for p in (catalog / "_site").rglob("*")}
    second = _build(catalog / "content", catalog / "_site")
    assert (first.reused, second.reused) == (False, True)
    assert (second.credentials, second.files) == (first.credentials, first.files)
    assert {p: p.stat().st_mtime_ns for p in (catalog / "_site").rglob("*")} == before
    line = pipeline.summary_line(second, catalog / "_site")
    assert line.startswith("Unchanged since the last build: ")
    assert line.endswith("s"), "no stage ran, so no stage timings (not an empty `()`)"
    assert pipeline.summary_line(first, catalog / "_site").endswith(")"), "the control"


@pytest.mark.parametrize("damage", ["cut after its head", "old layout", "not a pickle"])
def test_a_damaged_build_record_means_a_rebuild(catalog, damage):
    """The record of the last build is read past its head only when the head matches; a
    record cut short after its head, written in an earlier layout or garbled is no record.
    (Control: the same builds with the record left alone reuse the first.)"""
    first = _build(catalog / "content", catalog / "_site")
    (record,) = (catalog / "cache" / "builds").glob("*.pickle")
    data = record.read_bytes()
    head = pickle.dumps(pickle.load(io.BytesIO(data)), pickle.HIGHEST_PROTOCOL)
    record.write_bytes(
        {
            "cut after its head": data[: len(head) + 10],
            "old layout": data[len(head) :],  # the record alone, as before the head
            "not a pickle": b"\x00" * len(data),
        }[damage]
    )
    second = _build(catalog / "content", catalog / "_site")
    assert (first.reused, second.reused) == (False, False)
    assert _build(catalog / "content", catalog / "_site").reused


def test_an_edited_credential_is_built_as_a_clean_build_would(catalog, monkeypatch):
    _build(catalog / "content", catalog / "_site")
    source = catalog / "content" / "credentials" / "mig-welding.md"
    source.write_text(source.read_text().replace("MIG Welding Fundamentals", "MIG Welding Basics"))
    _same_as_clean(catalog, monkeypatch)
    assert (
        "MIG Welding Basics"
        in (catalog / "_site" / "pathways" / "into-welding" / "index.html").read_text()
    )


def test_a_renamed_credential_leaves_no_page_at_its_old_slug(catalog, monkeypatch):
    _build(catalog / "content", catalog / "_site")
    credentials = catalog / "content" / "credentials"
    (credentials / "mig-welding.md").rename(credentials / "mig-welding-gmaw.md")
    pathway = catalog / "content" / "pathways" / "into-welding.md"
    pathway.write_text(pathway.read_text().replace("mig-welding\n", "mig-welding-gmaw\n"))
    _same_as_clean(catalog, monkeypatch)
    assert not (catalog / "_site" / "credentials" / "mig-welding").exists()


def test_a_deleted_credential_disappears_from_the_site(catalog, monkeypatch):
    _build(catalog / "content", catalog / "_site")
    (catalog / "content" / "pathways" / "into-welding.md").unlink()
    (catalog / "content" / "credentials" / "office-communication.md").unlink()
    _same_as_clean(catalog, monkeypatch)
    assert not (catalog / "_site" / "credentials" / "office-communication").exists()


def test_a_theme_or_option_change_rebuilds(catalog, monkeypatch):
    _build(catalog / "content", catalog / "_site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert not _build(catalog / "content", catalog / "_site").reused
    result = _build(catalog / "content", catalog / "_site", base_url="https://other.example.edu")
    assert not result.reused
    assert "https://other.example.edu" in (catalog / "_site" / "sitemap.xml").read_text()


def test_another_day_or_folder_checks_again_and_keeps_every_page(catalog, monkeypatch):
    """The date the checks compare with and the folder messages name paths from shape what
    the build says, never a page (pages show the content's date): a build on another day,
    from another folder or with --strict checks every file again and renders no unit again;
    the site equals a clean build. The control, another base URL, renders every unit."""
    content, site = catalog / "content", catalog / "_site"
    _build(content, site)
    cache.forget_build(cache.cache_dir(content), site)
    every_unit = _build(content, site).unchanged
    assert every_unit > 0, "the second build starts from links to the first"
    elsewhere = catalog / "elsewhere"
    elsewhere.mkdir()
    for name, build_again in {
        "the next day": lambda: _build(content, site, today=TODAY + timedelta(days=1)),
        "from another folder": lambda: (
            monkeypatch.chdir(elsewhere),
            _build(content, site, today=TODAY + timedelta(days=1)),
        )[1],
        "with --strict": lambda: _build(
            content, site, today=TODAY + timedelta(days=1), strict=True
        ),
    }.items():
        result = build_again()
        assert not result.reused, f"{name}: its problems may differ, so it checks again"
        assert result.unchanged == every_unit, name
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(content, catalog / "clean")
    assert files_of(site) == files_of(catalog / "clean")

    monkeypatch.setenv("MICROCRED_CACHE", str(catalog / "cache"))
    assert _build(content, site, base_url="https://other.example.edu").unchanged == 0


def test_a_replaced_output_folder_is_rebuilt(catalog):
    _build(catalog / "content", catalog / "_site")
    shutil.rmtree(catalog / "_site")
    (catalog / "_site").mkdir()
    assert not _build(catalog / "content", catalog / "_site").reused
    assert (catalog / "_site" / "index.html").is_file()


def test_the_cache_can_be_turned_off(catalog, monkeypatch):
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(catalog / "content", catalog / "_site")
    assert not _build(catalog / "content", catalog / "_site").reused
    assert not (catalog / "cache").exists()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _add_credential(content: Path) -> None:
    source = (content / "credentials" / "office-communication.md").read_text(encoding="utf-8")
    new = source.replace("inventory_id: MC-", "inventory_id: MC-9")
    new = new.replace("title: ", "title: Advanced ", 1)
    new = "\n".join(line for line in new.splitlines() if not line.startswith("ctid:")) + "\n"
    (content / "credentials" / "advanced-office-communication.md").write_text(new, "utf-8")


def _rename_with_redirect(content: Path) -> None:
    credentials = content / "credentials"
    (credentials / "mig-welding.md").rename(credentials / "mig-welding-gmaw.md")
    _replace(
        credentials / "mig-welding-gmaw.md",
        "---\ntitle:",
        "---\nredirect_from: [mig-welding]\ntitle:",
    )
    _replace(content / "pathways" / "into-welding.md", "mig-welding\n", "mig-welding-gmaw\n")


CHANGES = {
    "a summary edited": lambda c: _replace(
        c / "credentials" / "mig-welding.md", "summary: Set up", "summary: Learn to set up"
    ),
    "a body edited": lambda c: _replace(
        c / "credentials" / "office-communication.md", "\n---\n", "\n---\nNew first line.\n\n"
    ),
    "a title that moves it in every sort order": lambda c: _replace(
        c / "credentials" / "mig-welding.md", "title: MIG", "title: Zinc-free MIG"
    ),
    "a credential added": _add_credential,
    "the summary edit undone": lambda c: _replace(
        c / "credentials" / "mig-welding.md", "summary: Learn to set up", "summary: Set up"
    ),
    "a pathway edited": lambda c: _replace(
        c / "pathways" / "into-welding.md", "title: Start Welding", "title: Begin Welding"
    ),
    "the institution renamed": lambda c: _replace(
        c / "institutions" / "lakeside.yml", "name: ", "name: The "
    ),
    "a body edited after everything was rendered": lambda c: _replace(
        c / "credentials" / "office-communication.md", "New first line.", "Another first line."
    ),
    "a credential renamed, with a redirect": _rename_with_redirect,
    "a credential deleted": lambda c: (
        c / "credentials" / "advanced-office-communication.md"
    ).unlink(),
}


def test_a_series_of_changes_builds_as_clean_builds_would(catalog, monkeypatch):
    """Each build starts from the build before last (reuse.py), the second from links to
    the first, and renders only what changed since then; after every change the site must
    equal a clean build byte for byte, with no file left over or missing."""
    content = catalog / "content"
    _build(content, catalog / "_site")
    unchanged = {}
    for name, change in CHANGES.items():
        change(content)
        cached = _build(content, catalog / "_site")
        unchanged[name] = cached.unchanged
        monkeypatch.setenv("MICROCRED_CACHE", "off")
        _build(content, catalog / "clean")
        monkeypatch.setenv("MICROCRED_CACHE", str(catalog / "cache"))
        assert files_of(catalog / "_site") == files_of(catalog / "clean"), f"after {name}"
    assert unchanged["a summary edited"] > 0, "the second build starts from links to the first"
    assert unchanged["a body edited"] > 0
    assert unchanged["the institution renamed"] == 0, "a shared input changes every key"
    assert unchanged["a body edited after everything was rendered"] > 0, (
        "the kept folder catches up with the site that renamed the institution"
    )
    assert unchanged["the summary edit undone"] > 0


def _search_pages(site: Path) -> int:
    total = 0
    for entry in (site / "pagefind").glob("*/pagefind-entry.json"):
        languages = json.loads(entry.read_text())["languages"]
        total += sum(language["page_count"] for language in languages.values())
    return total


def test_the_search_index_holds_only_this_builds_pages(catalog):
    """The kept folder still has pages a later build does not publish (here a proposal
    from a preview build); they are swept before Pagefind reads the site."""
    content, output = catalog / "content", catalog / "_site"
    proposal = content / "credentials" / "office-communication.md"
    _replace(proposal, "status: active", "status: proposed")
    for include_proposed in (True, False, False):
        _replace(content / "credentials" / "mig-welding.md", "summary: ", "summary: Again. ")
        _build(content, output, search=True, include_proposed=include_proposed)
    assert not (output / "credentials" / "office-communication").exists()
    assert _search_pages(output) == 1


def test_a_file_saved_during_a_build_leaves_nothing_to_reuse(catalog, monkeypatch):
    """The build read other bytes than it hashed: its ledger and record are not kept."""
    content = catalog / "content"
    source = content / "credentials" / "mig-welding.md"
    _build(content, catalog / "_site")
    kept_checks = {p: p.read_bytes() for p in (catalog / "cache" / "checked").glob("*")}
    real_check = pipeline.check_catalog

    def check_then_save(*args, **kwargs):
        checked = real_check(*args, **kwargs)
        _replace(source, "summary: ", "summary: Saved meanwhile. ")
        return checked

    monkeypatch.setattr(pipeline, "check_catalog", check_then_save)
    _replace(source, "summary: ", "summary: Edited. ")
    _build(content, catalog / "_site")
    monkeypatch.setattr(pipeline, "check_catalog", real_check)
    checks = catalog / "cache" / "checked"  # the first build's checked files stay as they were
    # The table of hashes by stat signature (``cache.Hashes``) pairs a file's bytes with the
    # signature it had when read, which a later save changes: it may stay.
    hashes = catalog / "cache" / "hashes"
    kept = [p for p in (catalog / "cache").rglob("*.pickle") if p.parent not in (checks, hashes)]
    assert not kept
    assert {p: p.read_bytes() for p in checks.glob("*")} == kept_checks
    _same_as_clean(catalog, monkeypatch)  # which also asserts the build was not skipped


def test_two_builds_never_share_the_kept_folder(catalog):
    with (
        KeptSite.claim(catalog / "cache", catalog / "_site") as first,
        KeptSite.claim(catalog / "cache", catalog / "_site") as second,
    ):
        assert first is not None and second is None


def test_an_unreadable_ledger_means_a_build_from_scratch(catalog, monkeypatch):
    content = catalog / "content"
    for _ in range(3):
        _build(content, catalog / "_site")
        _replace(content / "credentials" / "mig-welding.md", "summary: ", "summary: More. ")
    for ledger in (catalog / "cache").rglob("*.pickle"):
        ledger.write_bytes(b"\x80\x04cno_such_module\nThing\n.")
    _same_as_clean(catalog, monkeypatch)


def test_a_build_never_writes_through_a_link_into_the_live_site(catalog):
    """The kept folder's files are hard links to the published site's where a build made
    it of links or caught it up. A page that moves to another unit (here the old slug's
    page becomes the renamed credential's redirect) is written as a new file: written
    in place, it changed the live site during the build, and the site kept after it
    then held the redirect under the old page's key (the control: the old page, as it
    was, is what the kept site holds)."""
    content, site = catalog / "content", catalog / "_site"
    _build(content, site)
    _replace(content / "credentials" / "office-communication.md", "\n---\n", "\n---\nMore.\n\n")
    _build(content, site)  # the second build ever: made of links to the first
    old_page = site / "credentials" / "mig-welding" / "index.html"
    before = old_page.read_bytes()
    assert b'http-equiv="refresh"' not in before, "the control: the credential's own page"
    _rename_with_redirect(content)
    _build(content, site)
    assert b'http-equiv="refresh"' in old_page.read_bytes(), "the live site forwards now"
    place = KeptSite.for_output(catalog / "cache", site, create=False)
    assert place is not None
    kept = place.folder / "credentials" / "mig-welding" / "index.html"
    assert kept.read_bytes() == before, "the site swapped out is as it was published"


def test_the_build_after_a_rename_catches_up_and_gives_a_clean_builds_site(catalog, monkeypatch):
    """The renamed credential's redirect took over its old page's file: the kept folder
    follows it (the old unit goes) rather than being made afresh of links."""
    content, site = catalog / "content", catalog / "_site"
    _build(content, site)
    _build(content, site, base_url="https://other.example.edu")  # a kept site, every unit
    _rename_with_redirect(content)
    _build(content, site, base_url="https://other.example.edu")

    def not_made_afresh(*args):
        raise AssertionError("the kept folder was made afresh of links")

    monkeypatch.setattr(reuse, "link_units", not_made_afresh)
    _replace(content / "credentials" / "office-communication.md", "\n---\n", "\n---\nMore.\n\n")
    assert _build(content, site, base_url="https://other.example.edu").unchanged > 0
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(content, catalog / "clean", base_url="https://other.example.edu")
    assert files_of(site) == files_of(catalog / "clean")


@pytest.mark.parametrize(
    "gone, kept_site",
    [("office-communication", True), ("mig-welding", False)],
    ids=["while catching up", "while linking"],
)
def test_a_file_deleted_by_hand_from_the_live_site_means_a_build_from_scratch(
    catalog, monkeypatch, gone, kept_site
):
    """The published site's ledger lists a file that is gone (removed by hand): the kept
    folder can neither catch up with it (the edited credential's page is one to link)
    nor be made of links to it, so the build starts from nothing, as a clean build."""
    content, site = catalog / "content", catalog / "_site"
    _build(content, site)
    _replace(content / "credentials" / "office-communication.md", "\n---\n", "\n---\nMore.\n\n")
    _build(content, site)  # the second build ever: links, and the first site kept
    (site / "credentials" / gone / "index.html").unlink()
    if not kept_site:
        for folder in (catalog / "cache").rglob("previous"):
            shutil.rmtree(folder)
    _replace(content / "credentials" / "office-communication.md", "More.", "Again.")
    assert _build(content, site).unchanged == 0
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(content, catalog / "clean")
    assert files_of(site) == files_of(catalog / "clean")


def test_another_base_url_leaves_no_old_address_in_any_file(catalog, monkeypatch):
    """Jinja2 folds ``'/feed.xml'|absolute`` into the compiled template: the compiled code
    kept from a build at the content's address must not serve a build at another (the
    feed and the badge check page kept the old address; the control: a clean build)."""
    content, site = catalog / "content", catalog / "_site"
    _build(content, site)
    other = "https://other.example.edu"
    _build(content, site, base_url=other)
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(content, catalog / "clean", base_url=other)
    assert files_of(site) == files_of(catalog / "clean")
    assert other.encode() in (site / "feed.xml").read_bytes()
