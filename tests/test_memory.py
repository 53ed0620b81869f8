"""The check's result read back from a process of its own (``workers.compacted``), as a
large catalog's build does to keep its parent's memory packed (docs/performance.md,
"Memory under 400 MB")."""

from __future__ import annotations

import os
from types import MappingProxyType

import pytest

from microcred.build import checked, workers
from microcred.reporting.errors import BuildError
from microcred.reporting.problems import Problem


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setenv("MICROCRED_WORKERS", "2")


def _made_elsewhere() -> dict:
    shared = ["one", "two"]
    return {"pid": os.getpid(), "index": MappingProxyType({"a": shared}), "again": shared}


def test_the_result_comes_back_whole_with_its_read_only_mappings(two_workers):
    found = workers.compacted(_made_elsewhere)
    assert found["pid"] != os.getpid(), "made in a forked process"
    assert isinstance(found["index"], MappingProxyType)
    assert dict(found["index"]) == {"a": ["one", "two"]}
    assert found["index"]["a"] is found["again"], "shared objects stay shared"


def _fails() -> None:
    raise BuildError("the catalog cannot be built")


def test_what_the_check_raises_is_raised_in_the_build(two_workers):
    with pytest.raises(BuildError, match="the catalog cannot be built"):
        workers.compacted(_fails)


def test_with_one_worker_it_runs_here(monkeypatch):
    monkeypatch.setenv("MICROCRED_WORKERS", "1")
    assert workers.compacted(_made_elsewhere)["pid"] == os.getpid()


def _two_files_read_apart() -> list:
    """Two problems whose equal strings are separate objects, as two files' reads give."""
    return [
        Problem("warning", "ctid-missing", "a.md", 1, 1, "ctid", "".join(["no ", "ctid"])),
        Problem("warning", "ctid-missing", "b.md", 1, 1, "ctid", "".join(["no ", "ct", "id"])),
    ]


def test_with_the_records_pickler_equal_strings_come_back_as_one(two_workers):
    first, second = workers.compacted(_two_files_read_apart, checked.Pickler)
    assert first == _two_files_read_apart()[0]
    assert first.message is second.message


def test_control_with_a_plain_pickle_they_come_back_apart(two_workers):
    first, second = workers.compacted(_two_files_read_apart)
    assert first.message == second.message and first.message is not second.message
