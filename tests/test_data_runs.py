"""An edit build copies the unchanged credentials' parts of the data files a stretch at a
time (issue 18, fifth session; docs/performance.md, *Edit builds: the smaller parts*).

Credentials that are unchanged and were neighbours in the last build too have each
column's parts copied from the last build's file at once (``LastParts.copy``), not read
one credential at a time; the ends recorded for them are the last build's, shifted. The
data files must be the bytes a clean build writes, after edits in the middle, at either
end, a credential added and one removed; and the comparison catches a copy that is off
by one byte (the control).
"""

from __future__ import annotations

import shutil

import pytest
from conftest import SITES, TODAY, data_files_of

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.site import catalog_data

CREDENTIALS = "credentials"


def _build(content, output, cache: bool = True):
    options = BuildOptions(content=content, output=output, search=False, today=TODAY, cache=cache)
    assert build(options, TerminalReporter(quiet=True)).built


def _edit(content, name: str, note: str) -> None:
    path = content / CREDENTIALS / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nsummary: ", f"\nsummary: {note} ", 1), encoding="utf-8")


def _equals_clean(tmp_path, content) -> bool:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    _build(content, clean, cache=False)
    return data_files_of(tmp_path / "_site") == data_files_of(clean)


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    """A copy of the multi-institution catalog (ten credentials) built twice with a cache;
    every copied stretch is noted in ``catalog.runs`` as (column, first, final)."""
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(SITES / "multi-institution" / "content", content)
    _build(content, tmp_path / "_site")
    _edit(content, "arc-welding-safety.md", "Warm-up.")
    _build(content, tmp_path / "_site")
    runs: list[tuple[int, int, int]] = []
    original = catalog_data.LastParts.copy

    def noted(self, which, first, final, into):
        runs.append((which, first, final))
        return original(self, which, first, final, into)

    monkeypatch.setattr(catalog_data.LastParts, "copy", noted)
    return content, runs


def test_an_edit_in_the_middle_copies_the_stretches_on_either_side(tmp_path, catalog):
    content, runs = catalog
    _edit(content, "electrical-safety-basics.md", "Edited.")
    _build(content, tmp_path / "_site")
    stretches = sorted({(first, final) for which, first, final in runs if which == 0})
    copied = [i for first, final in stretches for i in range(first, final + 1)]
    # The kept site, two builds old, caught up with the warm-up build first
    # (``reuse.catch_up``): only the edited credential is made again.
    assert len(stretches) == 2 and len(copied) == len(set(copied)) == 9
    columns = {which for which, _, _ in runs}
    assert len(columns) > 1, "catalog.json and the per-credential tables"
    for column in columns:
        assert sorted((f, t) for w, f, t in runs if w == column) == stretches
    assert _equals_clean(tmp_path, content)


def test_edits_at_either_end_an_addition_and_a_removal_give_a_clean_builds_bytes(tmp_path, catalog):
    content, runs = catalog
    for step in range(4):
        if step == 0:
            _edit(content, "arc-welding-safety.md", "First.")
            _edit(content, "jobsite-safety-refresher.md", "Last.")
        elif step == 1:
            text = (content / CREDENTIALS / "drone-flight-safety.md").read_text()
            (content / CREDENTIALS / "drone-flight-safety-two.md").write_text(
                text.replace("title: Drone Flight Safety", "title: Drone Flight Safety Two")
            )
        elif step == 2:
            (content / CREDENTIALS / "greenhouse-safety-practices.md").unlink()
        else:
            _edit(content, "forklift-safety-operator.md", "Again.")
        runs.clear()
        _build(content, tmp_path / "_site")
        assert runs, f"step {step}: nothing copied"
        assert _equals_clean(tmp_path, content), f"step {step}"


def test_control_a_copy_one_byte_short_is_caught(tmp_path, catalog, monkeypatch):
    content, _ = catalog

    def short(self, which, first, final, into):
        ends = self.layout.ends[which]
        began = 0 if first == 0 else ends[first - 1] + len(catalog_data._separator(which))
        count = max(ends[final] - began - 1, 0)
        start = self.layout.files[which][1]
        into.write(catalog_data.os.pread(self.handles[which], count, start + began))
        return began, count

    monkeypatch.setattr(catalog_data.LastParts, "copy", short)
    _edit(content, "electrical-safety-basics.md", "Edited.")
    _build(content, tmp_path / "_site")
    assert not _equals_clean(tmp_path, content)
