"""Which of several content files came last: the one a cross-file finding belongs to.

When two files clash (the same title), the finding is reported on the file that
introduced the clash, so that a pull request's annotation lands on its author's own
file. In a pull request (GitHub sets ``GITHUB_BASE_REF``) the files it changes are the
newest; otherwise a file came later when git first saw it later, and uncommitted files
are newest of all; without git, the later slug is.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, check=False, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def oldest_first(root: Path) -> Callable[[Iterable[str]], list[str]]:
    """A function ordering source paths (as messages show them) oldest first."""
    root = Path(root).resolve()

    @cache
    def top() -> Path | None:
        shown = _git(root, "rev-parse", "--show-toplevel")
        return Path(shown.strip()) if shown else None

    @cache
    def changed() -> frozenset[str]:
        base = os.environ.get("GITHUB_BASE_REF", "").strip()
        if not base or top() is None:
            return frozenset()
        for ref in (f"origin/{base}", base):
            names = _git(root, "diff", "--name-only", f"{ref}...HEAD")
            if names is not None:
                return frozenset(str((top() / n).resolve()) for n in names.splitlines() if n)
        return frozenset()

    @cache
    def additions() -> dict[str, float]:
        """When git last saw each file of the folder added, by its resolved path: one
        ``git log`` for the whole folder (newest first, so a file's first appearance is its
        latest addition, as ``git log --diff-filter=A -1 -- FILE`` gives it). Before, each
        file asked git on its own, at every comparison: thousands of processes on a real
        catalog's check. Renames count as additions (``--no-renames``), as they do for a
        log of one file."""
        shown = _git(
            root, "log", "--diff-filter=A", "--no-renames", "--name-only", "-z",
            "--format=%x00%ct", "--", ".",
        )  # fmt: skip
        found: dict[str, float] = {}
        if not shown:
            return found
        tokens, when = shown.split("\0"), None
        for before, token in zip(["", *tokens], tokens, strict=False):
            if not before:  # the commit's time follows the empty field each commit begins with
                when = float(token) if token.strip().isdigit() else None
            elif token and when is not None:
                found.setdefault(str(top() / token.lstrip("\n")), when)
        return found

    def added(path: str) -> float:
        if top() is None:
            return 0.0
        return additions().get(path, float("inf"))

    @cache
    def folder(name: str) -> str:
        return os.path.realpath(name)

    def resolved(source: str) -> str:
        """``str(Path(source).resolve())``, resolving each folder once: at 10,000
        credentials a resolve per file (a look-up of every part of its path) was most of
        the time of a title finding; and as a string, since a ``Path`` made for each file
        was most of the rest."""
        parent, name = os.path.split(source)
        if name in ("", ".", "..") or os.path.islink(source):
            return str(Path(source).resolve())
        return os.path.join(folder(parent or "."), name)

    @cache
    def key(source: str) -> tuple:
        if top() is None:  # not in git: no file is changed or added; the slug decides
            return (False, 0.0, _stem(source))
        path = resolved(source)
        return (path in changed(), added(path), _stem(source))

    return lambda sources: sorted(sources, key=key)


def _stem(source: str) -> str:
    """``Path(source).stem``, without making a ``Path``: the file's name without its last
    suffix (a name starting with its only dot, or ending in one, has none)."""
    name = os.path.basename(source)
    if name in ("", ".", ".."):  # a folder's path: as ``Path`` reads it
        return Path(source).stem
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name
