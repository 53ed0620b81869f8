"""Atomic publish: a build that fails or is killed at any point leaves the last site as it was.

Each test publishes the minimal catalog, changes the content (so a completed build
would change the site), then breaks the next build in one place: each output stage
in turn, the swap itself, or a SIGKILL of the build process in the middle. The
published folder must be byte-for-byte what it was, file by file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microcred.build import publish
from microcred.pipeline import BuildOptions, build
from microcred.reporting.errors import BuildError
from microcred.reporting.terminal import TerminalReporter
from microcred.site import catalog_data, open_badges, pages, search

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "sites" / "minimal" / "content"

STAGES = {
    "pages": (pages, "write_pages"),
    "badges": (open_badges, "write_badges"),
    "data": (catalog_data, "write_data"),
    "search": (search, "index_site"),
}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: its relative path and a hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture
def published(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    """(content, output, snapshot): the minimal catalog built once, then its title changed."""
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    output = tmp_path / "public" / "_site"
    assert _build(content, output).built
    before = snapshot(output)
    credential = content / "credentials" / "mig-welding.md"
    text = credential.read_text(encoding="utf-8")
    credential.write_text(text.replace("MIG Welding Fundamentals", "MIG Welding Basics"))
    return content, output, before


def _build(content: Path, output: Path, search: bool = False, cache: bool = False):
    options = BuildOptions(content=content, output=output, search=search, cache=cache)
    return build(options, TerminalReporter(quiet=True))


def _failing(stage: str):
    module, name = STAGES[stage]
    original = getattr(module, name)

    def fail(*args, **options):
        out = args[0] if stage == "search" else args[1]  # (catalog, folder, reuse)
        if stage != "search":
            original(*args, **options)
        (Path(out) / "half-written.html").write_text("<p>partial</p>", encoding="utf-8")
        raise BuildError(f"the {stage} stage failed")

    return fail


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_a_failing_stage_leaves_the_published_site_untouched(published, monkeypatch, stage):
    content, output, before = published
    module, name = STAGES[stage]
    monkeypatch.setattr(module, name, _failing(stage))
    with pytest.raises(BuildError, match=f"the {stage} stage failed"):
        _build(content, output, search=stage == "search")
    assert snapshot(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["_site"]


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_an_unexpected_exception_in_a_stage_also_leaves_it_untouched(published, monkeypatch,
                                                                     stage):  # fmt: skip
    content, output, before = published
    module, name = STAGES[stage]

    def crash(*args, **options):
        raise RuntimeError("bug")

    monkeypatch.setattr(module, name, crash)
    with pytest.raises(RuntimeError):
        _build(content, output, search=stage == "search")
    assert snapshot(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["_site"]


def test_a_failing_swap_puts_the_previous_site_back(published, monkeypatch):
    """The two-rename fallback, used where the system has no atomic exchange."""
    content, output, before = published
    rename = Path.rename
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)

    def refuse_staging(self, target):
        if self.name.startswith("._site-build-"):
            raise OSError(28, "No space left on device")
        return rename(self, target)

    monkeypatch.setattr(publish.Path, "rename", refuse_staging)
    with pytest.raises(OSError, match="No space left"):
        _build(content, output)
    assert snapshot(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["_site"]


def test_on_linux_the_old_and_new_sites_are_exchanged_atomically(published, monkeypatch):
    content, output, before = published
    exchanges = []
    exchange = publish._exchange
    monkeypatch.setattr(publish, "_exchange", lambda a, b: exchanges.append(b) or exchange(a, b))
    monkeypatch.setattr(publish.Path, "rename", lambda *a: pytest.fail("renamed, not exchanged"))
    assert _build(content, output).built
    assert exchanges == [output.resolve()]
    assert snapshot(output) != before
    assert sorted(p.name for p in output.parent.iterdir()) == ["_site"]


def test_content_with_errors_never_reaches_the_output(published):
    content, output, before = published
    (content / "credentials" / "mig-welding.md").write_text("---\ntitle: [\n---\n")
    assert not _build(content, output).built
    assert snapshot(output) == before


def test_a_complete_build_replaces_the_site_and_leaves_nothing_beside_it(published):
    content, output, before = published
    assert _build(content, output).built
    after = snapshot(output)
    assert (
        after["credentials/mig-welding/index.html"] != before["credentials/mig-welding/index.html"]
    )
    assert sorted(p.name for p in output.parent.iterdir()) == ["_site"]


KILLABLE_BUILD = """
import sys, time
from pathlib import Path
from microcred.site import catalog_data
from microcred.cli import main

original = catalog_data.write_data

def slow_write_data(catalog, out, *rest, **options):
    written = original(catalog, out, *rest, **options)
    Path(sys.argv[3]).write_text("writing")
    time.sleep(60)
    return written

catalog_data.write_data = slow_write_data
sys.exit(main(["build", "--content", sys.argv[1], "--output", sys.argv[2], "--quiet",
              "--no-search"]))
"""


def test_a_build_killed_mid_way_leaves_the_published_site_untouched(published, tmp_path):
    content, output, before = published
    marker = tmp_path / "in-data-stage"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_BUILD, str(content), str(output), str(marker)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "the build never reached the data stage"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(output) == before
    # The killed build was building in the cache's kept folder (see reuse.py), nothing
    # beside the output; its ledger went before the folder changed, so the next build
    # starts that folder over and equals a clean build.
    assert sorted(p.name for p in output.parent.iterdir()) == ["_site"]
    assert _build(content, output, cache=True).built
    assert snapshot(output) != before
    assert _build(content, tmp_path / "clean").built
    assert snapshot(output) == snapshot(tmp_path / "clean")
