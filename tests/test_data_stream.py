"""The data stage writes ``catalog.json`` and the per-credential CSVs one credential after
another (issue 18, "Memory as a budget"; docs/performance.md, "The data stage part by
part"): no column of the data is ever held whole, the layout it keeps says where each
credential's part ends, and an edit build reads the kept parts one at a time from the
last build's files, falling back to making a part when a file is not as it was.
"""

from __future__ import annotations

import io
import json
import shutil

from conftest import SITES, TODAY, data_files_of

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.site import catalog_data
from microcred.site.catalog_data import DataLayout, LastParts


def _build(content, output, cache: bool = False):
    options = BuildOptions(content=content, output=output, search=False, today=TODAY, cache=cache)
    assert build(options, TerminalReporter(quiet=True)).built


def _never_joined(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a column of the data was joined whole")

    monkeypatch.setattr(catalog_data, "_join_parts", refuse)
    monkeypatch.setattr(catalog_data, "joined_data", refuse)


def test_a_cold_build_writes_the_data_without_joining_a_column(tmp_path, monkeypatch):
    content = SITES / "multi-institution" / "content"
    _build(content, tmp_path / "first")  # (the bytes themselves: tests/test_output_digest.py)
    _never_joined(monkeypatch)
    _build(content, tmp_path / "streamed")
    data = data_files_of(tmp_path / "streamed")
    assert data == data_files_of(tmp_path / "first")
    entries = json.loads(data["catalog.json"])["credentials"]
    assert len(entries) > 1


def test_the_kept_layout_says_where_each_credentials_part_ends(tmp_path, monkeypatch):
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    shutil.copytree(SITES / "multi-institution" / "content", tmp_path / "content")
    kept: dict = {}
    original = catalog_data.Reuse.keep_value
    monkeypatch.setattr(
        catalog_data.Reuse,
        "keep_value",
        lambda self, name, value: kept.update({name: value}) or original(self, name, value),
    )
    _build(tmp_path / "content", tmp_path / "_site", cache=True)
    layout = kept["data:layout"]
    assert isinstance(layout, DataLayout)
    parts = LastParts.open(tmp_path / "_site", layout)
    assert parts is not None
    try:
        document = json.loads((tmp_path / "_site" / "catalog.json").read_text())
        for slug, key, entry in zip(
            layout.slugs, layout.keys, document["credentials"], strict=True
        ):
            found = _entry(parts, slug, key)
            assert found is not None and json.loads(found) == entry
            assert parts.index(slug, None) is None, "a key of None never matches"
            assert parts.index(slug, "another key") is None
    finally:
        parts.close()


def _entry(parts: LastParts, slug: str, key: str) -> bytes | None:
    """``slug``'s entry of ``catalog.json`` as the last build's file holds it (``copy``)."""
    at = parts.index(slug, key)
    if at is None:
        return None
    into = io.BytesIO()
    parts.copy(0, at, at, into)
    return into.getvalue()


def test_kept_parts_are_not_read_from_a_file_shorter_than_its_layout(tmp_path):
    (tmp_path / "catalog.json").write_bytes(b'[{"a":1},{"b":2}]')
    layout = DataLayout(("a", "b"), ("ka", "kb"), ((7, 15),), (("catalog.json", 1, 15),))
    parts = LastParts.open(tmp_path, layout)
    assert parts is not None
    assert _entry(parts, "b", "kb") == b'{"b":2}'
    assert _entry(parts, "a", "ka") == b'{"a":1}'
    parts.close()
    (tmp_path / "catalog.json").write_bytes(b'[{"a":1},{"b"')
    assert LastParts.open(tmp_path, layout) is None
    (tmp_path / "catalog.json").unlink()
    assert LastParts.open(tmp_path, layout) is None
    assert LastParts.open(tmp_path, None) is None
