"""Reproducible builds: the same content gives the same bytes, whoever builds it and when.

The sample catalog is built twice from scratch (no build cache), by two processes with
different hash seeds, into two differently named folders. Every file is byte-identical
except the three kinds of Pagefind file that Pagefind itself writes in a random order
(see docs/reproducibility.md): the filter files hold the same values in another order,
and the two files that name them by hash differ only in those names. No file carries
the build's date or time.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PAGEFIND_UNORDERED = (
    "pagefind/*/filter/*.pf_filter",
    "pagefind/*/pagefind.*.pf_meta",
    "pagefind/*/pagefind-entry.json",
)
"""The only files allowed to differ, in each institution's shard: Pagefind writes filter
values in hash-map order."""


def _build(output: Path, seed: str, **environment: str) -> Path:
    subprocess.run(
        [sys.executable, "build.py", "build", "--content", "content", "--output", str(output),
         "--quiet"],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed, "MICROCRED_CACHE": "off", **environment},
        check=True,
        capture_output=True,
    )  # fmt: skip
    return output


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    first = _build(tmp_path_factory.mktemp("first") / "_site", "1")
    second = _build(tmp_path_factory.mktemp("second") / "public", "2")
    return _files(first), _files(second)


def _unordered(name: str) -> bool:
    return any(fnmatch(name, pattern) for pattern in PAGEFIND_UNORDERED)


def test_every_file_outside_pagefinds_filters_is_byte_identical(builds):
    first, second = builds
    stable = {name for name in first if not _unordered(name)}
    assert stable == {name for name in second if not _unordered(name)}
    assert [name for name in sorted(stable) if first[name] != second[name]] == []
    assert "index.html" in stable and "credentials/technical-writing/v1/index.html" in stable
    assert "pagefind/shards.json" in stable
    assert any(fnmatch(name, "pagefind/*/fragment/*") for name in stable)
    assert any(fnmatch(name, "pagefind/*/index/*") for name in stable)


def _filters(files: dict[str, bytes]) -> dict[bytes, bytes]:
    """Each Pagefind filter's name → its decompressed bytes, sorted (order-free content)."""
    found = {}
    for name, data in files.items():
        if fnmatch(name, "pagefind/*/filter/*.pf_filter"):
            raw = gzip.decompress(data)
            key = re.match(rb"pagefind_dcd\x82[\x60-\x77]", raw)
            length = raw[key.end() - 1] - 0x60
            shard = name.split("/")[1].encode()
            found[shard + b" " + raw[key.end() : key.end() + length]] = bytes(sorted(raw))
    return found


def test_pagefind_filter_files_hold_the_same_values_in_some_order(builds):
    first, second = builds
    assert _filters(first) == _filters(second)
    shard = b"prairie-lakes-college "
    assert set(_filters(first)) >= {shard + f for f in (b"institution", b"credit", b"type")}
    assert sum(1 for n in first if _unordered(n)) == sum(1 for n in second if _unordered(n))


def _dates_in(text: str) -> set[str]:
    return set(re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text))


def test_no_file_carries_the_build_date(builds):
    first, _ = builds
    today = date.today()
    content_dates = set()
    for path in (ROOT / "content").rglob("*"):
        if path.is_file():
            content_dates |= _dates_in(path.read_text(encoding="utf-8"))
    spellings = {today.isoformat(), today.strftime("%B %-d, %Y"), today.strftime("%-d %B %Y")}
    if today.isoformat() in content_dates:
        pytest.skip("today's date is also a date in the sample content")
    for name, data in first.items():
        text = data.decode("utf-8", errors="replace")
        assert [s for s in spellings if s in text] == [], name


def test_the_sample_takes_every_date_from_content_not_source_date_epoch(tmp_path, builds):
    first, _ = builds
    stamped = _files(_build(tmp_path / "_site", "3", SOURCE_DATE_EPOCH="1700000000"))
    assert [n for n in first if not _unordered(n) and first[n] != stamped.get(n)] == []
