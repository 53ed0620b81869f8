"""After the pages stage, the build holds no Markdown body: the stages after it (badges,
CTDL, search) get the catalog without them (``build/lean.py``; docs/performance.md, *The
bodies let go after the pages*). The pages and data files still show every body (the
output digests, tests/test_output_digest.py)."""

from __future__ import annotations

import gc
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from microcred import pipeline
from microcred.build import lean
from microcred.content.model import Credential
from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.site import search

SITES = Path(__file__).parent / "sites"
TODAY = date(2026, 1, 15)


def _bodies(catalog) -> list[str]:
    records = [*catalog.credentials, *catalog.pathways]
    records += [v for versions in catalog.earlier_versions.values() for v in versions]
    return [record.body for record in records if record.body]


@pytest.mark.parametrize("cache", [True, False])
def test_the_stages_after_the_pages_see_no_body(tmp_path, monkeypatch, cache):
    shutil.copytree(SITES / "multi-institution" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    seen: dict[str, list[str]] = {}
    held: dict[str, list[str]] = {}

    def watching(name, write):
        def stage(catalog, *args, **kwargs):
            seen[name] = _bodies(catalog)
            held[name] = [c.slug for c in catalog.credentials if isinstance(c.body, lean.HeldBody)]
            return write(catalog, *args, **kwargs)

        return name, stage

    stages = pipeline._output_stages()
    monkeypatch.setattr(pipeline, "_output_stages", lambda: [watching(*s) for s in stages])
    options = BuildOptions(
        content=tmp_path / "content",
        output=tmp_path / "site",
        search=False,
        today=TODAY,
        cache=cache,
    )
    result = build(options, TerminalReporter(quiet=True))

    assert result.built
    assert seen["data"], "the data stage reads the bodies"
    assert held["pages"], "the pages stage reads them back from their files (test_held_bodies)"
    assert held["data"] == [] and seen["pages"] == [], "no body in memory (no pathway here)"
    assert seen["badges"] == [] and seen["ctdl"] == [] and seen["guides"] == []
    assert _bodies(result.check.catalog) == [], "nor does the check's result keep them"
    page = (tmp_path / "site" / "credentials").glob("*/index.html")
    assert any("<p>" in p.read_text(encoding="utf-8") for p in page)


def test_without_bodies_changes_nothing_else():
    from microcred.rules.check import check_catalog

    catalog = check_catalog(SITES / "multi-institution" / "content", TODAY).catalog
    slim = lean.without_bodies(catalog)

    assert _bodies(catalog) and _bodies(slim) == []
    assert [c.slug for c in slim.credentials] == [c.slug for c in catalog.credentials]
    for before, after in zip(catalog.credentials, slim.credentials, strict=True):
        assert after == before.__class__(**{**_fields(before), "body": ""})
    assert list(slim.credential_by_slug) == list(catalog.credential_by_slug)
    assert list(slim.earlier_versions) == list(catalog.earlier_versions)
    assert slim.by_institution[0].keys() == catalog.by_institution[0].keys()
    assert dict(slim.policies) == dict(catalog.policies)


def _fields(record) -> dict:
    import dataclasses

    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def _credentials_alive(folder: Path) -> int:
    """How many credential records of files under ``folder`` this process holds (frozen
    objects included; other tests' records, kept by their fixtures, are not counted)."""
    gc.collect()
    gc.unfreeze()  # the kept checks' unpickling freezes what it made (checked.paused_collection)
    inside = str(folder)
    return sum(
        1
        for thing in gc.get_objects()
        if type(thing) is Credential and os.path.abspath(thing.source).startswith(inside)
    )


@pytest.mark.parametrize("cache", [True, False])
def test_while_pagefind_runs_the_build_holds_no_record(tmp_path, monkeypatch, cache):
    """The search stage waits for Pagefind, whose processes are the build's largest; the
    build lets the catalog go meanwhile (``pipeline._let_catalog_go``: on the long shape at
    10,000, the peak of the whole build)."""
    shutil.copytree(SITES / "multi-institution" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    alive: dict[str, int] = {}
    started, finish = search.Indexing.__init__, search.Indexing.finish

    def starting(self, *args, **kwargs):
        alive["when Pagefind starts"] = _credentials_alive(tmp_path)
        started(self, *args, **kwargs)

    def finishing(self):
        alive["while it runs"] = _credentials_alive(tmp_path)
        return finish(self)

    monkeypatch.setattr(search.Indexing, "__init__", starting)
    monkeypatch.setattr(search.Indexing, "finish", finishing)
    options = BuildOptions(
        content=tmp_path / "content", output=tmp_path / "site", today=TODAY, cache=cache
    )
    result = build(options, TerminalReporter(quiet=True))

    assert result.built and (tmp_path / "site" / "pagefind" / "shards.json").is_file()
    assert alive["when Pagefind starts"] > 0, "the control: the probe sees the records"
    assert alive["while it runs"] == 0
