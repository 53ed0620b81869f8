"""Problems and progress on the terminal.

Checks and stages return data; only ``reporting/`` writes to the user. The terminal
reporter prints one line per problem in the contract's format, a line per finished
stage, then a summary. Under GitHub Actions the same problems also go to
``github.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from microcred.reporting.problems import Problem, count

LINES_PER_WRITE = 1000
"""Problem lines joined into one write (``TerminalReporter.problems``)."""


class TerminalReporter:
    """Plain lines for logs and pipes; a little colour on a terminal unless NO_COLOR."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.colour = self.stream.isatty() and "NO_COLOR" not in os.environ

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def problems(self, problems: Sequence[Problem]) -> None:
        """Print every problem, one line each, errors first.

        The lines go out a thousand at a time: stderr writes each ``print`` at once, and a
        catalog with tens of thousands of warnings spent half a second in those writes."""
        lines = []
        for problem in problems:
            line = str(problem)
            if self.colour:
                word = problem.severity
                line = line.replace(
                    f" {word} [",
                    " " + self._paint(word, "1;31" if problem.is_error else "1;33") + " [",
                    1,
                )
            lines.append(line + "\n")
            if len(lines) == LINES_PER_WRITE:
                self.stream.write("".join(lines))
                lines.clear()
        self.stream.write("".join(lines))
        self.stream.flush()

    def progress(self, message: str) -> None:
        """Show how far a long stage has got (on a terminal only)."""
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
        kept = f" ({unchanged:,} unchanged since the last build)" if unchanged else ""
        line = f"  {name}: {files:,} files{kept} in {seconds:.2f}s"
        if self.stream.isatty():
            line = "\r\033[K" + line
        print(line, file=self.stream, flush=True)

    def summary(self, text: str) -> None:
        """Print the closing summary line."""
        if not self.quiet:
            print(text, file=self.stream, flush=True)


def problem_counts(problems: Iterable[Problem]) -> str:
    """``2 errors, 1 warning``: the counts as a person reads them."""
    errors, warnings = count(problems)
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def unread_note(problems: Iterable[Problem]) -> str:
    """What a run could not check yet: the files whose YAML could not be read, whose
    other checks (fields, policy) run only once those lines are fixed; empty if none."""
    unread = sorted({p.path for p in problems if p.is_error and p.part == "YAML"})
    if not unread:
        return ""
    files = ", ".join(unread[:3]) + (f" and {len(unread) - 3} more" if len(unread) > 3 else "")
    one = len(unread) == 1
    return (
        f"Could not read the YAML of {files}: fix {'its' if one else 'their'} YAML problems "
        f"first; the other checks of {'that file' if one else 'those files'} run once "
        f"{'it reads' if one else 'they read'}."
    )
