"""`build` says what it left out of the public site and how to see it."""

from __future__ import annotations

from pathlib import Path

from microcred.pipeline import BuildOptions, build, summary_line
from microcred.reporting.terminal import TerminalReporter


def test_build_says_how_many_proposals_it_left_out_and_how_to_preview_them(minimal, tmp_path):
    minimal.edit("credentials/mig-welding.md", "status: active", "status: proposed")
    result = build(
        BuildOptions(content=Path("content"), output=tmp_path / "_site"),
        TerminalReporter(quiet=True),
    )
    assert result.built
    assert summary_line(result, tmp_path / "_site").splitlines()[1] == (
        "1 proposal (status: proposed) was left out, as on the public site; to preview, run "
        "`python build.py serve` or `python build.py build --include-proposed`"
    )
