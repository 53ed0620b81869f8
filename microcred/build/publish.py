"""Publishing: build into a staging folder beside the output, then swap it into place.

A failed or killed build never touches the last good site: every stage writes into
the staging folder, and only a complete build replaces the output folder (an atomic
exchange of the two folders on Linux; the old site is removed afterwards).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from microcred.reporting.errors import BuildError


def check_output_folder(output: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy content or a repository."""
    output, content = output.resolve(), content.resolve()
    if output == Path(output.anchor) or output == Path.home():
        raise BuildError(f"refusing to replace {output}: choose an output folder such as _site")
    if content == output or content.is_relative_to(output):
        raise BuildError(
            f"the output folder {output} holds the content folder {content}; "
            "choose another --output, such as _site"
        )
    if (output / ".git").exists():
        raise BuildError(
            f"the output folder {output} is a git repository; "
            "choose another --output, such as _site"
        )


@contextmanager
def staging(
    output: Path, into: Path | None = None, before_swap: Callable[[], None] | None = None
) -> Iterator[Path]:
    """A folder to build into; swapped into ``output`` when the block succeeds.

    By default a fresh folder beside ``output``, and the old site is removed after
    the swap. With ``into`` (a folder on the same file system, see ``reuse.py``) the
    build goes into that folder and the old site is left there for the next build.
    A block that fails removes what it built either way. ``before_swap`` is called
    just before the swap.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = into or Path(tempfile.mkdtemp(prefix=f".{output.name}-build-", dir=output.parent))
    try:
        yield stage
        stage.chmod(0o755)
        if before_swap is not None:
            before_swap()
        _swap(stage, output)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if into is None:
        shutil.rmtree(stage, ignore_errors=True)


def _swap(stage: Path, output: Path) -> None:
    """Put ``stage`` at ``output``; the old site ends up at ``stage``.

    On Linux the two folders are exchanged in one atomic step (``renameat2`` with
    ``RENAME_EXCHANGE``), so there is no instant without a site; elsewhere two
    renames, with the old site put back if the second one fails.
    """
    if not output.exists():
        stage.rename(output)
        return
    if _exchange(stage, output):
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        stage.rename(output)
    except OSError:
        retired.rename(output)
        raise
    retired.rename(stage)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
