"""Reporters: problems and progress to the terminal, GitHub annotations, step summary.

Checks and stages return data; only this module writes to the user. The terminal
reporter prints one line per problem in the contract's format, then a summary. Under
GitHub Actions the same problems also become workflow annotations and a Markdown
table in ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from microcred.reporting.problems import Problem, count


class TerminalReporter:
    """Plain lines for logs and pipes; a little colour on a terminal unless NO_COLOR."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.colour = self.stream.isatty() and "NO_COLOR" not in os.environ

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            line = str(problem)
            if self.colour:
                word = problem.severity
                line = line.replace(
                    f" {word} [",
                    " " + self._paint(word, "1;31" if problem.is_error else "1;33") + " [",
                    1,
                )
            print(line, file=self.stream)

    def progress(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.stream, flush=True)

    def stage_started(self, name: str) -> None:
        """On a terminal, the stage now running; its finished line replaces it."""
        if not self.quiet and self.stream.isatty():
            print(f"  {name} …", end="", file=self.stream, flush=True)

    def stage_finished(self, name: str, files: int, unchanged: int, seconds: float) -> None:
        """One line per finished stage: what it produced and how long it took."""
        if self.quiet:
            return
        kept = f" ({unchanged:,} unchanged since the build before last)" if unchanged else ""
        line = f"  {name}: {files:,} files{kept} in {seconds:.2f}s"
        if self.stream.isatty():
            line = "\r\033[K" + line
        print(line, file=self.stream, flush=True)

    def summary(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)


def problem_counts(problems: Iterable[Problem]) -> str:
    errors, warnings = count(problems)
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


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


def step_summary(problems: Sequence[Problem], heading: str = "Catalog check") -> str:
    """A Markdown table of the problems for ``$GITHUB_STEP_SUMMARY``."""
    out = [f"## {heading}", "", f"**{problem_counts(problems)}**", ""]
    if problems:
        out += [
            "| | File | Line | Field | Problem | Fix | Procedure |",
            "|---|---|---|---|---|---|---|",
        ]
        for p in problems:
            icon = "❌" if p.is_error else "⚠️"
            out.append(
                f"| {icon} | `{_cell(p.path)}` | {p.line} | `{_cell(p.field)}` | "
                f"{_cell(p.message)} [`{p.rule}`] | {_cell(p.fix)} | {_cell(p.part)} |"
            )
    return "\n".join(out) + "\n"


def report_to_github(problems: Sequence[Problem], heading: str = "Catalog check") -> None:
    """Under GitHub Actions, annotate the pull request and write the step summary."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    sys.stdout.write(github_annotations(problems))
    sys.stdout.flush()
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(step_summary(problems, heading))
