"""Compiled code that no build has used for a month is removed from the cache.

Two parts of the build cache keep compiled code under a key of the code that made it:
``site/templates.py`` one folder of compiled templates per version of the generator, and
``build/validators.py`` one file per version of each schema. A new version adds a folder
or a file and nothing removed the old ones, so the cache the deploy workflow restores and
saves again on every push to main (``.github/workflows/deploy.yml``) grew by a few hundred
kilobytes with every change of the generator, forever.

Each of them now marks what it uses (``mark_used``: its modification time set to now)
and, when it is given its folder, removes what was last used more than ``UNUSED_DAYS``
ago (``prune``). Age, not "every version but this one", is the rule: two checkouts of
different code that share one cache (a side-by-side benchmark, two branches built on one
machine) keep each other's code, and neither compiles again because of the other.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

UNUSED_DAYS = 30
"""Compiled code unused for longer than this is removed."""


def mark_used(path: Path) -> None:
    """Note that ``path`` (a file or folder of kept code) was used just now."""
    with contextlib.suppress(OSError):  # a read-only cache is used, just never pruned
        os.utime(path)


def prune(folder: Path, now: float | None = None, days: float = UNUSED_DAYS) -> list[str]:
    """Remove the entries of ``folder`` last used (modified) more than ``days`` ago; the
    names removed, sorted. A missing folder or an entry that cannot be removed is left
    as it is: pruning saves space, it never fails a build."""
    cutoff = (time.time() if now is None else now) - days * 86400
    removed = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return removed
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed
