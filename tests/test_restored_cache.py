"""A build cache restored on another machine is used: a preview re-renders only what changed.

This is what the pull-request workflow does (``.github/workflows/pr.yml``): the deploy
workflow saves ``.cache/microcred`` and the preview it built; a pull request's job
restores them into a fresh checkout, where every file is new (new inodes, new times),
edits arrive with the pull request, and the preview is built again. The tests copy a
built project the way ``actions/cache`` restores it (every file created anew, then
touched to a new time), edit one credential, build, and check which files were rendered
again and that the result equals a clean build byte for byte.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SITES, TODAY, files_of

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter

EDITED = "payroll-accounting"
"""The credential the pull request edits (a pathway and its institution show it)."""
SUMMARY = "summary: >-\n  "
"""Where its summary starts."""


def _build(content: Path, output: Path, cache: bool = True):
    options = BuildOptions(
        content=content,
        output=output,
        search=False,
        today=TODAY,
        cache=cache,
        include_proposed=True,
        base_url="http://localhost:8000",
    )
    result = build(options, TerminalReporter(quiet=True))
    assert result.built, "\n".join(str(p) for p in result.check.problems)
    return result


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _restore(saved: Path, into: Path) -> None:
    """What a cache restore leaves: the same bytes in files made anew, all with a new time."""
    for name in (".cache", "_preview"):
        shutil.copytree(saved / name, into / name, copy_function=shutil.copyfile)
    later = os.stat(saved / "_preview" / "index.html").st_mtime + 3600
    for path in [into / ".cache", into / "_preview", *(into / ".cache").rglob("*")]:
        os.utime(path, (later, later))
    for path in (into / "_preview").rglob("*"):
        os.utime(path, (later, later))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The full fixture catalog as main's deploy job leaves it: built into ``_preview`` with
    the preview's options, its cache in ``.cache/microcred`` beside the content."""
    base = tmp_path / "base"
    shutil.copytree(SITES / "full" / "content", base / "content")
    monkeypatch.delenv("MICROCRED_CACHE", raising=False)
    monkeypatch.chdir(base)
    _build(Path("content"), Path("_preview"))
    return tmp_path


def _pull_request(project: Path, monkeypatch) -> Path:
    """A fresh checkout with the restored cache and the pull request's edit."""
    checkout = project / "checkout"
    checkout.mkdir()
    # The same path as the base build (a runner's workspace is the same for every job of a
    # repository): move the base project aside and restore into a new folder in its place.
    (project / "base").rename(project / "saved")
    checkout.rename(project / "base")
    checkout = project / "base"
    shutil.copytree(project / "saved" / "content", checkout / "content")
    _restore(project / "saved", checkout)
    credential = checkout / "content" / "credentials" / f"{EDITED}.md"
    _edit(credential, SUMMARY, f"{SUMMARY}Now online. ")
    monkeypatch.chdir(checkout)
    return checkout


def test_a_restored_cache_re_renders_only_what_the_pull_request_changed(project, monkeypatch):
    checkout = _pull_request(project, monkeypatch)
    restored = _inodes(checkout / "_preview")
    saved_inodes = _inodes(project / "saved" / "_preview")
    assert not set(restored.items()) & set(saved_inodes.items()), "every file is new"

    result = _build(Path("content"), Path("_preview"))

    site = checkout / "_preview"
    after = _inodes(site)
    kept = {path for path, inode in after.items() if restored.get(path) == inode}
    rendered = set(after) - kept
    # The build says how many files it left as they were, and that is what it did.
    assert result.unchanged == len(kept) > 0
    # Every other credential's pages and badge files are the restored files, untouched.
    files = (checkout / "content" / "credentials").glob("*.md")
    others = [p.stem for p in files if p.stem != EDITED]
    assert others
    for slug in others:
        assert f"credentials/{slug}/index.html" in kept
        assert f"credentials/{slug}/badgeclass.json" in kept
    # The edited credential's pages, and the pages that list it, were rendered again.
    assert f"credentials/{EDITED}/index.html" in rendered
    assert f"credentials/{EDITED}/badgeclass.json" in rendered
    assert "pathways/accounting-technician-pathway/index.html" in rendered
    saved = files_of(project / "saved" / "_preview")
    now = files_of(site)
    changed = {path for path in now if saved.get(path) != now[path]}
    assert changed <= rendered
    # Most of the site was not rendered again.
    assert len(rendered) < len(after) / 2

    # Byte for byte what a clean build of the edited content gives.
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(Path("content"), Path("clean"), cache=False)
    assert now == files_of(checkout / "clean")


def test_a_restored_site_missing_a_file_is_not_trusted(project, monkeypatch):
    checkout = _pull_request(project, monkeypatch)
    (checkout / "_preview" / "credentials" / "cnc-operator-ii" / "index.html").unlink()
    result = _build(Path("content"), Path("_preview"))
    assert result.unchanged == 0, "a folder unlike its ledger is built from nothing"
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(Path("content"), Path("clean"), cache=False)
    assert files_of(checkout / "_preview") == files_of(checkout / "clean")


def test_a_restored_file_of_another_size_is_not_trusted(project, monkeypatch):
    checkout = _pull_request(project, monkeypatch)
    page = checkout / "_preview" / "index.html"
    page.write_bytes(page.read_bytes() + b"\n")
    result = _build(Path("content"), Path("_preview"))
    assert result.unchanged == 0
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    _build(Path("content"), Path("clean"), cache=False)
    assert files_of(checkout / "_preview") == files_of(checkout / "clean")


def test_building_from_links_never_writes_through_to_the_published_site(project, monkeypatch):
    """The second build starts from hard links to the published site's files; the site it
    replaces (now the kept folder) must still be exactly the first build."""
    base = project / "base"
    first = files_of(base / "_preview")
    credential = base / "content" / "credentials" / f"{EDITED}.md"
    _edit(credential, SUMMARY, f"{SUMMARY}Edited. ")
    result = _build(Path("content"), Path("_preview"))
    assert result.unchanged > 0
    (kept,) = (base / ".cache" / "microcred" / "sites").glob("*/previous")
    assert files_of(kept) == first
    _edit(credential, f"{SUMMARY}Edited. ", SUMMARY)
    again = _build(Path("content"), Path("_preview"))
    assert again.unchanged > 0
    assert files_of(base / "_preview") == first
