"""Problems on GitHub: annotations on the pull request's lines and the job's step summary.

Under GitHub Actions (``GITHUB_ACTIONS=true``) every problem becomes a workflow
command that GitHub shows on the file and line it names, and a Markdown table is
appended to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from microcred.reporting.problems import Problem
from microcred.reporting.terminal import problem_counts


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: Sequence[Problem]) -> str:
    """Workflow commands that GitHub shows as annotations on the pull request's files."""
    lines = []
    for p in problems:
        title = _escape_property(f"[{p.rule}] {p.field}" if p.field else f"[{p.rule}]")
        text = str(p).split(f"[{p.rule}] ", 1)[1]
        lines.append(
            f"::{p.severity} file={_escape_property(p.path)},line={p.line},col={p.column},"
            f"title={title}::{_escape_data(text)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """A table cell in code style; empty when there is no text (never a bare ``` `` ```)."""
    return f"`{_cell(text)}`" if text.strip() else ""


def step_summary(problems: Sequence[Problem], heading: str = "Catalog check") -> str:
    """A Markdown table of the problems for ``$GITHUB_STEP_SUMMARY``."""
    out = [f"## {heading}", "", f"**{problem_counts(problems)}**", ""]
    if problems:
        out += [
            "| | File | Line | Field | Problem | Fix | Source |",
            "|---|---|---|---|---|---|---|",
        ]
        for p in problems:
            icon = "❌" if p.is_error else "⚠️"
            out.append(
                f"| {icon} | `{_cell(p.path)}` | {p.line} | {_code(p.field)} | "
                f"{_cell(p.message)} [`{p.rule}`] | {_cell(p.fix)} | {_cell(p.source)} |"
            )
    return "\n".join(out) + "\n"


def report_to_github(problems: Sequence[Problem], heading: str = "Catalog check") -> None:
    """Under GitHub Actions, annotate the pull request and write the step summary."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    sys.stdout.write(github_annotations(problems))
    sys.stdout.flush()
    append_step_summary(step_summary(problems, heading))


def append_step_summary(markdown: str) -> None:
    """Under GitHub Actions, add ``markdown`` to the job's step summary page."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if os.environ.get("GITHUB_ACTIONS") == "true" and summary:
        with open(summary, "a", encoding="utf-8") as handle:
            # A blank line first: after another step's `</details>` or table, a heading
            # would otherwise be read as part of that block and show as literal `##`.
            handle.write("\n" + markdown)
