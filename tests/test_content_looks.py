"""A build notices a content file saved, added or removed while it ran, with later looks
that stat the files and folders first seen instead of walking the folder again (issue 18,
fifth session; ``cache.Look``; docs/performance.md, *Edit builds: the smaller parts*).

The guarantee is the one the three walks gave (``tests/test_cache.py``, *a file saved
during a build leaves nothing to reuse*): these tests hold the cheaper look to it, for
files added, removed and saved in place, in a new subfolder too, and show with a control
that the folders' times are what notices an added file.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import SITES, TODAY

from microcred import pipeline
from microcred.build import cache
from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter


@pytest.fixture
def content(tmp_path):
    """A small content folder: two credential files and an institution."""
    root = tmp_path / "content"
    (root / "credentials").mkdir(parents=True)
    (root / "institutions").mkdir()
    (root / "credentials" / "a.md").write_text("---\ntitle: A\n---\n")
    (root / "credentials" / "b.md").write_text("---\ntitle: B\n---\n")
    (root / "institutions" / "north.yml").write_text("name: North\n")
    return root


@pytest.fixture
def settled(monkeypatch):
    """Folder times count as settled at once (not within two seconds of the look), so a
    later look takes the cheap way; and every walk of the content folder is counted."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    walks: list[str] = []
    real_walk = cache._walk

    def counted(folder, folders=None):
        walks.append(str(folder))
        return real_walk(folder, folders)

    monkeypatch.setattr(cache, "_walk", counted)
    time.sleep(0.05)  # past the file system clock's tick of the files just written
    return walks


def test_an_untouched_folder_is_unchanged_without_a_second_walk(content, settled):
    look = cache.Look(content)
    assert not look.racy
    assert look.stamps == cache.stamps(content)
    settled.clear()
    assert look.unchanged() and look.unchanged()
    assert settled == []


@pytest.mark.parametrize(
    "change",
    [
        "saved in place",
        "added",
        "removed",
        "added in a new folder",
        "renamed",
    ],
)
def test_a_file_saved_added_or_removed_after_the_look_is_noticed(content, settled, change):
    look = cache.Look(content)
    credentials = content / "credentials"
    if change == "saved in place":
        (credentials / "a.md").write_text("---\ntitle: A, edited\n---\n")
    elif change == "added":
        (credentials / "c.md").write_text("---\ntitle: C\n---\n")
    elif change == "removed":
        (credentials / "b.md").unlink()
    elif change == "added in a new folder":
        (content / "pathways").mkdir()
        (content / "pathways" / "p.md").write_text("---\ntitle: P\n---\n")
    else:
        (credentials / "b.md").rename(credentials / "c.md")
    assert not look.unchanged()


def test_control_without_the_folders_times_an_added_file_goes_unnoticed(
    content, settled, monkeypatch
):
    look = cache.Look(content)
    monkeypatch.setattr(cache.Look, "_folders_unchanged", lambda self: True)
    (content / "credentials" / "c.md").write_text("---\ntitle: C\n---\n")
    assert look.unchanged(), "the files alone do not show an added file"


def test_a_file_made_and_removed_again_walks_and_finds_nothing_changed(content, settled):
    look = cache.Look(content)
    swap = content / "credentials" / ".a.md.swp"  # an editor's swap file, say
    swap.write_text("x")
    swap.unlink()
    settled.clear()
    assert look.unchanged()
    assert settled == [str(content)], "the folder's times changed: one walk"


def test_folders_changed_just_before_the_look_are_walked_every_time(content, monkeypatch):
    walks = []
    real_walk = cache._walk
    monkeypatch.setattr(cache, "_walk", lambda f, d=None: walks.append(f) or real_walk(f, d))
    look = cache.Look(content)  # its folders were made within two seconds (RACY_NS)
    assert look.racy
    walks.clear()
    assert look.unchanged()
    assert len(walks) == 1


def test_the_fingerprints_from_the_look_are_the_fingerprints_of_a_walk(content, tmp_path):
    look = cache.Look(content)
    assert cache.fingerprints(content, (), {}, look=look) == cache.fingerprints(content, (), {})
    known = cache.Hashes(tmp_path / "hashes.pickle")
    assert cache.fingerprints(content, (), {}, known, look) == cache.fingerprints(content, (), {})
    assert known.started <= look.started


def test_a_file_deleted_between_the_look_and_its_hash_is_left_out_and_noticed(content):
    """No traceback: the file is hashed as gone, and the later look sees it went."""
    look = cache.Look(content)
    (content / "credentials" / "b.md").unlink()
    assert cache.fingerprints(content, (), {}, look=look).credentials.keys() == {"a"}
    assert not look.unchanged()


def test_a_credential_added_during_a_build_leaves_nothing_to_reuse(tmp_path, monkeypatch):
    """As ``tests/test_cache.py`` saves a file during a build, with the cheap later looks."""
    shutil.copytree(SITES / "minimal" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_NS", 0)
    time.sleep(0.05)
    content = tmp_path / "content"
    source = content / "credentials" / "mig-welding.md"
    options = BuildOptions(
        content=content, output=tmp_path / "_site", search=False, today=TODAY, cache=True
    )
    assert build(options, TerminalReporter(quiet=True)).built
    real_check = pipeline.check_catalog

    def check_then_add(*args, **kwargs):
        checked = real_check(*args, **kwargs)
        text = source.read_text().replace("MIG Welding Fundamentals", "MIG Welding Two")
        (content / "credentials" / "mig-welding-two.md").write_text(text)
        return checked

    monkeypatch.setattr(pipeline, "check_catalog", check_then_add)
    source.write_text(source.read_text().replace("summary: ", "summary: Edited. ", 1))
    assert build(options, TerminalReporter(quiet=True)).built
    kept = [
        p
        for p in Path(tmp_path / "cache").rglob("*.pickle")
        if p.parent.name not in ("checked", "hashes")
    ]
    assert kept == [], "no ledger and no build record kept"
