"""The ledger of a kept folder: which files each unit left, which go, what vouches for it.

A build renders over the site of the build before last (``build/reuse.py``): a unit whose
key is unchanged keeps its files, every other unit is rendered again, and every file that
no unit or stage of this build produced is removed. These tests drive ``Reuse`` and
``KeptSite`` directly on small folders; ``test_cache.py`` and ``test_restored_cache.py``
hold whole builds to clean ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from microcred.build.reuse import KeptSite, Keys, Ledger, Reuse, catch_up, holds, unit_files


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _render(reuse: Reuse, name: str, inputs: str, files: dict[str, str]) -> list[str]:
    """Unit ``name`` from ``inputs``: kept, or its ``files`` written and reported; the files
    written, relative to the folder (as the build's ``Output`` notes them for
    ``Reuse.finish``)."""
    if reuse.kept(name, inputs):
        return []
    for relative, text in files.items():
        path = reuse.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    reuse.made(name, [reuse.out / relative for relative in files])
    return list(files)


def _first_build(out: Path) -> Ledger:
    reuse = Reuse(out, Keys("shared"))
    written = _render(reuse, "page:a", "a1", {"a/index.html": "A", "a/badge.svg": "<svg/>"})
    written += _render(reuse, "page:b", "b1", {"b/index.html": "B"})
    (out / "robots.txt").write_text("User-agent: *")
    return reuse.finish([*written, "robots.txt"])


def test_kept_units_keep_their_files_and_a_unit_gone_leaves_nothing(tmp_path):
    out = tmp_path / "site"
    ledger = _first_build(out)
    assert ledger.files == {"a/index.html", "a/badge.svg", "b/index.html", "robots.txt"}
    assert unit_files(ledger.units["page:a"]) == ["a/index.html", "a/badge.svg"]
    assert ledger.outside == ("robots.txt",), "a unit's files are not also listed outside"

    reuse = Reuse(out, Keys("shared"), ledger)
    _render(reuse, "page:a", "a1", {"a/index.html": "not written: kept"})
    (out / "robots.txt").write_text("User-agent: *")
    after = reuse.finish(["robots.txt"])

    assert reuse.kept_files == 2
    assert _files(out) == {"a/index.html", "a/badge.svg", "robots.txt"}
    assert not (out / "b").exists(), "the emptied folder goes with its last file"
    assert (out / "a" / "index.html").read_text() == "A"
    assert after.files == {"a/index.html", "a/badge.svg", "robots.txt"}


def test_a_unit_rendered_again_keeps_only_the_files_it_makes_now(tmp_path):
    out = tmp_path / "site"
    ledger = _first_build(out)
    reuse = Reuse(out, Keys("shared"), ledger)
    _render(reuse, "page:a", "a2", {"a/index.html": "A2"})  # no badge this time
    _render(reuse, "page:b", "b1", {})
    reuse.finish([])
    assert _files(out) == {"a/index.html", "b/index.html"}
    assert (out / "a" / "index.html").read_text() == "A2"


def test_a_file_another_unit_makes_now_is_not_removed(tmp_path):
    """``b/index.html`` moves from the unit that went to a unit made in this build."""
    out = tmp_path / "site"
    ledger = _first_build(out)
    reuse = Reuse(out, Keys("shared"), ledger)
    _render(reuse, "page:a", "a1", {})
    _render(reuse, "page:c", "c1", {"b/index.html": "C at b"})
    reuse.finish([])
    assert _files(out) == {"a/index.html", "a/badge.svg", "b/index.html"}
    assert (out / "b" / "index.html").read_text() == "C at b"


def test_a_file_a_kept_unit_also_lists_stays_when_the_other_unit_goes(tmp_path):
    """Two units of the last build listed one file: the one kept still holds it (and the
    control: the same file goes when no unit of this build holds it)."""
    out = tmp_path / "site"
    reuse = Reuse(out, Keys("shared"))
    _render(reuse, "page:a", "a1", {"shared.css": "x"})
    _render(reuse, "page:b", "b1", {"shared.css": "x"})
    ledger = reuse.finish([])

    kept = Reuse(out, Keys("shared"), ledger)
    _render(kept, "page:a", "a1", {})
    kept.finish([])
    assert _files(out) == {"shared.css"}

    control = Reuse(out, Keys("shared"), kept.finish([]))
    control.finish([])
    assert _files(out) == set()


def test_a_published_ledger_is_read_back_and_vouches_for_a_copy_of_its_folder(tmp_path):
    """As a restored CI cache: new inodes and times, the same files with their sizes. A
    file of another size, or one more file, and the ledger no longer describes the copy."""
    output = tmp_path / "site"
    place = KeptSite(tmp_path / "cache", output)
    place.root.mkdir(parents=True)
    place.published(_first_build(output))
    read = place._ledger_of("output")
    assert read is not None
    assert read.files == {"a/index.html", "a/badge.svg", "b/index.html", "robots.txt"}
    assert read.sizes() == {
        "a/index.html": 1,
        "a/badge.svg": 6,
        "b/index.html": 1,
        "robots.txt": 13,
    }

    copy = tmp_path / "restored"
    shutil.copytree(output, copy)
    assert holds(copy, read)
    (copy / "b" / "index.html").write_text("BB")
    assert not holds(copy, read), "a file of another size"
    (copy / "b" / "index.html").write_text("B")
    (copy / "extra.html").write_text("")
    assert not holds(copy, read), "a file the ledger does not list"


def test_a_ledger_whose_sizes_are_not_taken_vouches_for_nothing(tmp_path):
    out = tmp_path / "site"
    ledger = _first_build(out)  # not published: no sizes yet
    assert ledger.sizes() is None
    assert not holds(out, ledger)


def _build_of(out: Path, units: dict[str, tuple[str, dict[str, str]]]) -> Ledger:
    """A build from scratch into ``out`` of ``units`` (name: inputs, files), with
    ``robots.txt`` outside them."""
    reuse = Reuse(out, Keys("shared"))
    written = ["robots.txt"]
    for name, (inputs, files) in units.items():
        written += _render(reuse, name, inputs, files)
    (out / "robots.txt").write_text("User-agent: *")
    return reuse.finish(written)


def test_the_kept_folder_catches_up_with_the_published_site(tmp_path):
    """The kept folder is two builds old; the units the last build rendered again or added
    become links to the published files, so the next build renders neither again."""
    kept, published = tmp_path / "kept", tmp_path / "site"
    old = _build_of(
        kept,
        {
            "page:a": ("a1", {"a/index.html": "A", "a/v1/index.html": "A, version 1"}),
            "page:b": ("b1", {"b/index.html": "B"}),
            "page:gone": ("g1", {"g/index.html": "G"}),
        },
    )
    new = _build_of(
        published,
        {
            "page:a": ("a2", {"a/index.html": "A2"}),
            "page:b": ("b1", {"b/index.html": "B"}),
            "page:c": ("c1", {"c/index.html": "C"}),
        },
    )
    before_b = (kept / "b" / "index.html").stat().st_ino

    ledger = catch_up(kept, old, published, new)

    assert ledger is not None
    assert (kept / "a" / "index.html").read_text() == "A2"
    assert (kept / "a" / "index.html").stat().st_ino == (published / "a/index.html").stat().st_ino
    assert (kept / "c" / "index.html").read_text() == "C"
    assert (kept / "b" / "index.html").stat().st_ino == before_b, "an unchanged unit is untouched"
    assert ledger.units["page:a"] == new.units["page:a"]
    assert ledger.units["page:gone"] == old.units["page:gone"], "its files still stand for it"
    assert ledger.outside == ("robots.txt",)
    assert not (kept / "a" / "v1").exists(), "a file the unit no longer has goes, its folder too"

    reuse = Reuse(kept, Keys("shared"), ledger)
    for name, inputs in (("page:a", "a2"), ("page:b", "b1"), ("page:c", "c1")):
        assert reuse.kept(name, inputs), name
    (kept / "robots.txt").write_text("User-agent: *")
    reuse.finish(["robots.txt"])
    assert _files(kept) == _files(published)
    assert (published / "a" / "index.html").read_text() == "A2", "never written through"


def test_a_page_that_moved_from_a_unit_gone_to_a_new_one_is_followed(tmp_path):
    """A credential renamed with a redirect: its old page's file now belongs to the new
    unit. The old unit, which the last build no longer had, goes with its files."""
    kept, published = tmp_path / "kept", tmp_path / "site"
    old = _build_of(
        kept,
        {"page:a": ("a1", {"a/index.html": "A", "a/v1/index.html": "A1"}), "page:x": ("x1", {})},
    )
    new = _build_of(
        published,
        {"page:b": ("b1", {"b/index.html": "B", "a/index.html": "to B"}), "page:x": ("x1", {})},
    )
    ledger = catch_up(kept, old, published, new)
    assert ledger is not None
    assert set(ledger.units) == {"page:b", "page:x"}
    assert (kept / "a" / "index.html").read_text() == "to B"
    assert not (kept / "a" / "v1").exists()
    assert _files(kept) == _files(published)


def test_a_file_that_changed_hands_between_kept_units_means_a_folder_made_afresh(tmp_path):
    """The new unit holds a file that a unit both builds have also lists: linking it
    would change that unit's file, so there is no catching up (the control: the same
    site without the move catches up)."""
    kept, published = tmp_path / "kept", tmp_path / "site"
    old = _build_of(
        kept,
        {"page:a": ("a1", {"a/index.html": "A"}), "page:b": ("b1", {"b/index.html": "B"})},
    )
    moved = _build_of(
        published,
        {
            "page:a": ("a1", {"a/index.html": "A"}),
            "page:b": ("b1", {"b/index.html": "B"}),
            "page:c": ("c1", {"b/index.html": "C"}),
        },
    )
    assert catch_up(kept, old, published, moved) is None
    assert (kept / "b" / "index.html").read_text() == "B", "nothing changed meanwhile"

    shutil.rmtree(published)
    control = _build_of(
        published,
        {"page:a": ("a1", {"a/index.html": "A"}), "page:c": ("c1", {"c/index.html": "C"})},
    )
    assert catch_up(kept, old, published, control) is not None
