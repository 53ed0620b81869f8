"""Problems found in content: what every check returns and every reporter prints.

A problem names where (file, line, column, field), what is wrong, how to fix it and
the rule's source: the policy's part that requires it, "YAML" for syntax, or the
content format for the file contract itself. Checks return problems as data; only
``report`` prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
CONTENT_FORMAT = "content format"
"""The source of rules that no policy sets: the file contract in docs/content-format.md,
shown on the site as the field reference (file names, front matter, field names and types)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about one field of one file: where, which rule, what is wrong, the fix."""

    severity: str
    rule: str
    path: str
    line: int
    column: int
    field: str
    message: str
    fix: str = ""
    part: str = ""

    @property
    def source(self) -> str:
        """Where the rule comes from: the policy's part or section, "YAML" for syntax, else
        the content format."""
        return self.part or CONTENT_FORMAT

    @property
    def is_error(self) -> bool:
        """True for an error (blocks the build), False for a warning."""
        return self.severity == ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity} [{self.rule}] "
        if self.field:
            text += f"{self.field}: "
        text += _sentence(self.message)
        if self.fix:
            text += " " + _sentence(self.fix)
        return text + f" ({self.source})"


def field_name(path: tuple) -> str:
    """A field path as messages show it: ``outcomes[2].assessment``."""
    text = ""
    for step in path:
        name = str(step)
        if not name.isprintable() or not name.strip():
            name = repr(name)
        text += f"[{step}]" if isinstance(step, int) else (f".{name}" if text else name)
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors first, then warnings; within each, by file, line and column."""
    return sorted(
        problems,
        key=lambda p: (not p.is_error, p.path, p.line, p.column, p.rule, p.field, p.message),
    )


def count(problems: Iterable[Problem]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for problem in problems:
        if problem.is_error:
            errors += 1
        else:
            warnings += 1
    return errors, warnings
