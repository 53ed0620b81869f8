"""The GitHub step summary, rendered as GitHub renders Markdown, shows no stray markup.

The check's table and the diff's summary are appended to the same
``$GITHUB_STEP_SUMMARY`` file one after the other; rendered with markdown-it-py
(CommonMark plus tables, as GitHub's GFM), no heading may show as literal ``##`` and no
cell as a literal pair of backticks.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from microcred.commands.diff import diff_catalog, write_step_summary
from microcred.reporting.github import report_to_github
from microcred.reporting.problems import ERROR, Problem


def visible_text(html: str) -> str:
    """The text a reader sees: tags and code spans removed."""
    html = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def test_the_summary_of_a_check_then_a_diff_renders_without_stray_markup(
    minimal, tmp_path, monkeypatch
):
    import subprocess

    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.edu"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    minimal.edit("credentials/mig-welding.md", "version: 1", "version: 2")
    minimal.edit("credentials/mig-welding.md", "delivery: [in-person]", "delivery: [hybrid]")
    write_step_summary(diff_catalog(Path("content"), "HEAD"))
    report_to_github(
        [
            Problem(ERROR, "yaml", "content/credentials/x.md", 3, 1, "", "no field named", "Fix"),
            Problem(ERROR, "format", "content/credentials/x.md", 4, 1, "contact", "`x` | y", ""),
        ]
    )
    write_step_summary(diff_catalog(Path("content"), "HEAD"))
    html = MarkdownIt("commonmark").enable("table").render(summary.read_text())
    text = visible_text(html)
    assert "##" not in text
    assert "`" not in text
    assert html.count("<h2>") == 3
    assert "<td></td>" in html  # the problem without a field has an empty Field cell
