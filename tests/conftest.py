"""Shared fixtures: the sample catalog, the sample site built once, editable fixture catalogs."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.rules.check import CheckResult, check_catalog

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
TODAY = date(2026, 11, 23)
"""The date the rule tests run on, so an overdue review stays overdue."""


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, with its bytes (two sites compare
    equal when they hold the same files, byte for byte)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(Path(root).rglob("*"))
        if p.is_file()
    }


def data_files_of(root: Path) -> dict[str, bytes]:
    """``files_of`` for the data files alone: ``catalog.json`` and the data package."""
    return {
        name: body
        for name, body in files_of(root).items()
        if name == "catalog.json" or name.startswith("data/")
    }


def build_site(content: Path, output: Path, **options) -> Path:
    """Build ``content`` into ``output`` with the real pipeline; fail the test on problems."""
    result = build(
        BuildOptions(content=content, output=output, **options), TerminalReporter(quiet=True)
    )
    assert result.built, "\n".join(str(p) for p in result.check.problems)
    return output


@pytest.fixture(scope="session")
def sample_catalog():
    result = check_catalog(ROOT / "content")
    assert result.catalog is not None, "\n".join(str(p) for p in result.problems)
    return result.catalog


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample catalog as published (no proposals), built once per test run."""
    return build_site(ROOT / "content", tmp_path_factory.mktemp("sample") / "_site")


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory) -> Path:
    """The sample catalog as a pull-request preview: proposals included."""
    return build_site(
        ROOT / "content", tmp_path_factory.mktemp("preview") / "_site", include_proposed=True
    )


class FixtureCatalog:
    """A copy of a fixture catalog in a temporary folder, edited inline by a test.

    Messages name files relative to the folder holding ``content/``, as an author
    running ``python build.py check`` there would see them.
    """

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"

    def path(self, name: str) -> Path:
        return self.content / name

    def write(self, name: str, text: str) -> None:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        text = self.path(name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        self.write(name, text.replace(old, new, 1))

    def check(self, today: date = TODAY) -> CheckResult:
        return check_catalog(Path("content"), today)

    def messages(self, today: date = TODAY) -> list[str]:
        return [str(problem) for problem in self.check(today).problems]


@pytest.fixture
def minimal(tmp_path, monkeypatch) -> FixtureCatalog:
    """The valid ``tests/sites/minimal`` catalog, copied so a test can break it."""
    shutil.copytree(SITES / "minimal", tmp_path / "minimal")
    monkeypatch.chdir(tmp_path / "minimal")
    return FixtureCatalog(tmp_path / "minimal")


def assert_every_finding_as_recorded(folder: Path, monkeypatch) -> None:
    """``check`` of ``folder/content`` gives exactly ``folder/expected.txt``, line for line
    (``UPDATE_GOLDEN=1`` rewrites the file, to be read and committed)."""
    monkeypatch.chdir(folder)
    actual = "".join(f"{p}\n" for p in check_catalog(Path("content"), TODAY).problems)
    golden = folder / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")
