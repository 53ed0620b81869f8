"""From the pages stage on, the build holds no credential's Markdown body in memory: each is
a ``HeldBody`` (an empty string carrying the digest of the body the check read), and the
worker rendering a credential's page reads the body back from its file (``build/lean.py``;
docs/performance.md, *Memory on the long shape: bodies out of the parent*).

A page never shows a body the check did not read. When a credential file changes, or goes,
between the check and its page, the build stops with one line naming the file and what to
do, and the last site stays as it was (the build writes into a staging folder). The pages
themselves are unchanged by all this: tests/test_output_digest.py holds them to their digests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from datetime import date
from pathlib import Path

import pytest

from microcred import cli, pipeline
from microcred.build import lean
from microcred.pipeline import BuildOptions, build
from microcred.reporting.errors import BuildError
from microcred.reporting.terminal import TerminalReporter
from microcred.rules.check import check_catalog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

TODAY = date(2026, 1, 15)
CHANGED = "An unchecked sentence that no page may show."


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder``: its relative path and a hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _content(tmp_path: Path, forked: bool) -> Path:
    """A generated catalog: 80 credentials render in forked workers (``workers.start_chunks``
    forks from 64 items), 20 in this process."""
    return generate(tmp_path / "content", 80 if forked else 20, shape="long")


def _build(content: Path, output: Path, cache: bool = False):
    options = BuildOptions(content=content, output=output, search=False, today=TODAY, cache=cache)
    return build(options, TerminalReporter(quiet=True))


def _changing_before_pages(monkeypatch, change):
    """Make ``change()`` happen just before the pages stage: after the check has read every
    file and the data stage has written ``catalog.json``."""
    stages = pipeline._output_stages()

    def wrapped(name, write):
        if name != "pages":
            return name, write

        def pages(*args, **kwargs):
            change()
            return write(*args, **kwargs)

        return name, pages

    monkeypatch.setattr(pipeline, "_output_stages", lambda: [wrapped(*s) for s in stages])


def _first_credential(content: Path) -> Path:
    return sorted((content / "credentials").glob("*.md"))[0]


def _edit_body(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\n{CHANGED}\n", encoding="utf-8")


def _shown(output: Path) -> bool:
    return any(
        CHANGED in page.read_text(encoding="utf-8")
        for page in (output / "credentials").glob("*/index.html")
    )


@pytest.mark.parametrize("forked", [False, True], ids=["in-process", "forked workers"])
@pytest.mark.parametrize("how", ["changed", "deleted"])
def test_a_file_changed_after_the_check_stops_the_build(tmp_path, monkeypatch, forked, how):
    content = _content(tmp_path, forked)
    output = tmp_path / "public" / "_site"
    assert _build(content, output).built
    before = snapshot(output)
    victim = _first_credential(content)
    change = (lambda: _edit_body(victim)) if how == "changed" else victim.unlink
    _changing_before_pages(monkeypatch, change)

    with pytest.raises(BuildError) as raised:
        _build(content, output)

    what = "changed" if how == "changed" else "can no longer be read"
    assert str(raised.value) == (
        f"{victim.as_posix()}:1:1: error [changed-during-build] the file {what} while the "
        "site was being built, after the check had read it, so its page would not show what "
        "was checked. Build again once the file is saved; nothing was published, the last "
        "site is unchanged. (build)"
    )
    assert snapshot(output) == before, "the last site is as it was"
    assert not _shown(output)


def test_the_command_says_it_in_one_line_and_exits_1(tmp_path, monkeypatch, capsys):
    content = _content(tmp_path, forked=True)
    output = tmp_path / "_site"
    victim = _first_credential(content)
    _changing_before_pages(monkeypatch, lambda: _edit_body(victim))
    argv = ["build", "--content", str(content), "--output", str(output), "--no-search"]

    status = cli.main(argv)

    err = capsys.readouterr().err
    assert status == 1
    lines = [line for line in err.splitlines() if "changed-during-build" in line]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err
    assert not output.exists(), "no site was published"


def test_control_without_the_digest_the_unchecked_text_is_published(tmp_path, monkeypatch):
    """The broken control: with every digest alike (the check of the body read back turned
    off), the same change goes through and its page shows the sentence the check never
    read. So the test above can tell a build that verifies the body from one that does not."""
    content = _content(tmp_path, forked=True)
    output = tmp_path / "_site"
    victim = _first_credential(content)
    _changing_before_pages(monkeypatch, lambda: _edit_body(victim))
    monkeypatch.setattr(lean, "body_digest", lambda body: b"same")

    assert _build(content, output).built
    assert _shown(output)


def test_a_build_with_held_bodies_equals_one_that_held_them(tmp_path, monkeypatch):
    """The pages are the same whether the bodies are held out or kept in memory (the
    forked workers render from the files)."""
    content = _content(tmp_path, forked=True)
    assert _build(content, tmp_path / "held").built
    monkeypatch.setattr(lean, "held_out", lambda catalog, memo=None: catalog)
    assert _build(content, tmp_path / "kept").built

    assert snapshot(tmp_path / "held") == snapshot(tmp_path / "kept")


def test_held_out_changes_only_the_bodies(tmp_path):
    content = _content(tmp_path, forked=False)
    catalog = check_catalog(content, TODAY).catalog
    held = lean.held_out(catalog)

    for before, after in zip(catalog.credentials, held.credentials, strict=True):
        assert isinstance(after.body, lean.HeldBody) and after.body == ""
        assert after.body.digest == lean.body_digest(before.body)
        assert repr(after.body) == f"HeldBody({lean.body_digest(before.body).hex()})"
        assert lean.restored(after) == before, "read back, the record is the checked one"
    assert [p.body for p in held.pathways] == [p.body for p in catalog.pathways]
    assert all(not v.body for vs in held.earlier_versions.values() for v in vs)
    assert list(held.credential_by_slug) == list(catalog.credential_by_slug)


def test_a_record_with_another_body_is_what_dataclasses_replace_makes(tmp_path):
    """``lean.with_body`` is ``dataclasses.replace(record, body=...)`` without its checks, so
    it holds only while the records it copies have no ``__post_init__`` and no field left
    out of ``__init__``: both are asserted here, with the copies compared to ``replace``'s."""
    catalog = check_catalog(_content(tmp_path, forked=False), TODAY).catalog
    records = [*catalog.credentials, *catalog.pathways]
    for kind in {type(record) for record in records}:
        assert not hasattr(kind, "__post_init__")
        assert all(item.init for item in dataclasses.fields(kind))
    for record in records:
        copy = lean.with_body(record, "Another body.")
        assert copy == dataclasses.replace(record, body="Another body.")
        assert type(copy) is type(record) and copy is not record
        assert record.body != "Another body.", "the record itself is left as it was"


def test_a_cached_build_with_held_bodies_equals_a_clean_build(tmp_path):
    content = _content(tmp_path, forked=True)
    assert _build(content, tmp_path / "cached", cache=True).built
    _edit_body(_first_credential(content))  # an edit build: its page is rendered again
    assert _build(content, tmp_path / "cached", cache=True).built
    assert _build(content, tmp_path / "clean").built

    assert snapshot(tmp_path / "cached") == snapshot(tmp_path / "clean")
    assert _shown(tmp_path / "cached")


def _rebuilt_from_kept_checks(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A cached build, then a change to the site file (every page and ``catalog.json``
    made again, every credential answered from the kept checks), and a clean build."""
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    content = _content(tmp_path, forked=True)
    _edit_body(_first_credential(content))
    assert _build(content, tmp_path / "cached", cache=True).built
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("title: ", "title: New ", 1))
    assert _build(content, tmp_path / "cached", cache=True).built
    assert _build(content, tmp_path / "clean").built
    return tmp_path / "cached", tmp_path / "clean"


def test_kept_checks_hold_no_body_and_a_build_from_them_reads_each_back(tmp_path, monkeypatch):
    """Kept checks keep a credential's body as its digest (``checked._KeptPickler``): a
    build that renders every page from them reads each body back from its file
    (``lean.body_of``) and equals a clean build, ``catalog.json`` included."""
    cached, clean = _rebuilt_from_kept_checks(tmp_path, monkeypatch)
    kept = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("checked/*.pickle"))
    assert kept and CHANGED.encode() not in kept
    assert snapshot(cached) == snapshot(clean)
    assert CHANGED in (cached / "catalog.json").read_text(encoding="utf-8")
    assert _shown(cached)


def test_control_a_held_body_not_read_back_is_caught(tmp_path, monkeypatch):
    """The broken control: a held body taken as it is (an empty string) leaves the pages
    and ``catalog.json`` of a build from kept checks without it."""
    monkeypatch.setattr(lean, "body_of", lambda credential: credential.body)
    cached, clean = _rebuilt_from_kept_checks(tmp_path, monkeypatch)
    assert snapshot(cached) != snapshot(clean)
    assert CHANGED not in (cached / "catalog.json").read_text(encoding="utf-8")
