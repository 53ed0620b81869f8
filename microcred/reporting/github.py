"""Problems on GitHub: annotations on the pull request's lines and the job's step summary.

Under GitHub Actions (``GITHUB_ACTIONS=true``) every problem becomes a workflow
command that GitHub shows on the file and line it names, and a Markdown table is
appended to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from microcred.reporting.problems import Problem, count
from microcred.reporting.terminal import problem_counts, unread_note


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
    out += [f"{note}\n" for note in (unread_note(problems),) if note]
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


ANNOTATION_LIMIT = 10
"""GitHub shows at most this many error (and warning) annotations of a step on the files."""


def annotation_note(problems: Sequence[Problem]) -> str:
    """When GitHub will not show every problem on the files' lines, a sentence saying where
    all of them are; empty otherwise."""
    errors, warnings = count(problems)
    if errors <= ANNOTATION_LIMIT and warnings <= ANNOTATION_LIMIT:
        return ""
    return (
        f"GitHub shows only the first {ANNOTATION_LIMIT} errors and {ANNOTATION_LIMIT} "
        f"warnings as notes on the files' lines; all {errors + warnings} problems are listed "
        "on this run's Summary page."
    )


def report_to_github(problems: Sequence[Problem], heading: str = "Catalog check") -> None:
    """Under GitHub Actions, annotate the pull request and write the step summary."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    sys.stdout.write(github_annotations(problems))
    if note := annotation_note(problems):
        sys.stdout.write(f"{note}\n")
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
