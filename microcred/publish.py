"""Publishing: build into a staging folder beside the output, then swap it into place.

A failed or killed build never touches the last good site: every stage writes into
the staging folder, and only a complete build replaces the output folder (two
renames on the same file system; the old site is removed afterwards).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildError


def check_output_folder(output: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy content or a repository."""
    output, content = output.resolve(), content.resolve()
    if output == Path(output.anchor) or output == Path.home():
        raise BuildError(f"refusing to replace {output}: choose an output folder such as _site")
    if content == output or content.is_relative_to(output):
        raise BuildError(f"the output folder {output} holds the content folder {content}; "
                         "choose another --output, such as _site")
    if (output / ".git").exists():
        raise BuildError(f"the output folder {output} is a git repository; "
                         "choose another --output, such as _site")


@contextmanager
def staging(output: Path) -> Iterator[Path]:
    """A fresh folder to build into; swapped into ``output`` when the block succeeds."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{output.name}-build-", dir=output.parent))
    try:
        yield stage
        stage.chmod(0o755)
        _swap(stage, output)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _swap(stage: Path, output: Path) -> None:
    if not output.exists():
        stage.rename(output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        stage.rename(output)
    except OSError:
        retired.rename(output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
