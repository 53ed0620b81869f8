"""Files a pull request changed that the catalog will never read: a proposal put in the
wrong place, or a template edited where it should have been copied.

``diff`` runs this beside its comparison. A credential written at the repository's top,
under ``docs/`` or anywhere outside ``content/``, passes every check because no check
reads it, and the pull request would go green with nothing proposed. So a changed file
outside the content folder that starts with front matter naming a ``title``, and any
change to ``docs/templates/``, is an error on that file, with where it belongs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from microcred.content.load import display_path
from microcred.reporting.problems import ERROR, Problem

TEMPLATES = "docs/templates/"
"""The templates staff copy (``python build.py docs`` writes them); never edited in place."""


def changed_files(folder: Path, base: str) -> list[Path] | None:
    """The files changed since ``base`` and still present (None when git cannot tell)."""
    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            check=False,
        )
        names = subprocess.run(
            ["git", "-C", str(folder), "diff", "--name-only", "--diff-filter=d", f"{base}...HEAD"],
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if top.returncode or names.returncode:
        return None
    root = Path(top.stdout.decode().strip())
    return [root / name for name in names.stdout.decode("utf-8", "replace").splitlines() if name]


def misplaced(content: Path, base: str) -> list[Problem]:
    """An error for each file the change since ``base`` put where the catalog never reads
    it: a templates edit, or a credential-like file outside ``content``."""
    content = Path(content).resolve()
    problems = []
    for path in changed_files(content, base) or ():
        resolved = path.resolve()
        if resolved.is_relative_to(content) or not path.is_file():
            continue
        shown = display_path(path)
        if shown.startswith(TEMPLATES) or f"/{TEMPLATES}" in shown:
            problems.append(
                _problem(
                    shown,
                    "the templates in docs/templates/ are for copying; the catalog never reads "
                    "them, so a credential written here is not proposed",
                    "Put the template back as it was, and save your text as a new file "
                    "content/credentials/<slug>.md (in GitHub: Add file, Create new file, and "
                    "type the whole path as its name)",
                )
            )
        elif path.suffix in (".md", ".yml", ".yaml") and _looks_like_content(path):
            problems.append(
                _problem(
                    shown,
                    "this file looks like a credential, but it is outside the content folder, "
                    "so the catalog never reads it and nothing is proposed",
                    f"Move it to content/credentials/{path.stem}.md (in GitHub's editor, "
                    "rename it by typing `content/credentials/` before its name)",
                )
            )
    return problems


def _looks_like_content(path: Path) -> bool:
    """Front matter with a ``title:`` and an ``institution:`` or ``summary:`` field."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return False
    if not head.startswith("---"):
        return False
    fields = {line.split(":", 1)[0].strip() for line in head.splitlines() if ":" in line}
    return "title" in fields and bool(fields & {"institution", "summary", "outcomes"})


def _problem(path: str, message: str, fix: str) -> Problem:
    return Problem(ERROR, "misplaced-file", path, 1, 1, "", message, fix)
