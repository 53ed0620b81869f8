"""Writing the build's files: output pages and data, and the cache's own records.

Writes are synchronous on purpose: handing them to threads was measured to make
stages two to three times slower, because each thread takes the GIL back after
every system call while the rendering thread holds it (a convoy).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pickle
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any


def write_text(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8 with ``\\n`` line ends, or bytes) to ``path``.

    The folder is made only when the file cannot be created without it: most files go
    into a folder that exists already (a credential's badge files into the folder its
    page was written to, by another worker), and asking for it first cost a failed
    ``mkdir`` each (docs/performance.md, *Where the cold build's processor time goes*).
    """
    try:
        _create(path, data)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _create(path, data)
    return path


def _create(path: Path | str, data: str | bytes) -> None:
    """A new file at ``path`` holding ``data``: one already there is unlinked first, never
    written through. In a kept folder a file may be a hard link to the published site's
    (``reuse.link_units``, ``reuse.catch_up``); a page that moved from a unit gone to
    another one (an old slug's page becoming a redirect) written in place changed the
    live site during the build, and the site kept after it."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        handle = open(path, "xb")  # noqa: SIM115 - closed below
    except FileExistsError:
        os.unlink(path)
        handle = open(path, "xb")  # noqa: SIM115 - closed below
    with handle:
        handle.write(payload)


def copy_file(source: Path | str, target: Path | str) -> Path:
    """Copy ``source`` to a new file at ``target`` (as ``write_text``, never through one
    already there); the target."""
    return write_text(Path(target), Path(source).read_bytes())


def compact_json(value: Any) -> str:
    """``value`` as compact JSON with sorted keys, as ``/catalog.json`` is written."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def write_json(path: Path, document: Any, indent: bool = False) -> Path:
    """Write ``document`` as JSON with sorted keys; return ``path``.

    Compact by default: Python's JSON encoder is about ten times slower when it
    indents, and a build writes four badge documents per credential (browsers show
    JSON indented anyway). ``indent`` is for the files people open in an editor.
    """
    if indent:
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2)
    else:
        text = compact_json(document)
    return write_text(path, text + "\n")


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV lines with ``\\n`` line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write a UTF-8 CSV with a header row and ``\\n`` line ends; return ``path``."""
    return write_text(path, csv_text([header]) + csv_text(rows))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def relative_to(root: Path, paths: Sequence[Path]) -> list[str]:
    """``paths`` under ``root`` as relative POSIX strings: cheap to send between processes."""
    prefix = len(str(root)) + 1
    return [str(path)[prefix:].replace(os.sep, "/") for path in paths]


# --- the cache's records -----------------------------------------------------------


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: a half-written record is never read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


def write_pickle(path: Path, value: Any) -> None:
    """Keep ``value`` at ``path`` for the next build, atomically."""
    replace_atomically(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def read_pickle(path: Path) -> Any:
    """What ``write_pickle`` kept at ``path``; None when it is missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a truncated, foreign or outdated file means "nothing kept"
        return None


def folder_identity(path: Path) -> list[int] | None:
    """Device, inode and change time of ``path``: different once it is replaced or changed."""
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_ctime_ns]


def output_key(output: Path) -> str:
    """A short, stable name for an output folder, for the records kept about it."""
    return hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:24]


def library_versions(names: tuple[str, ...]) -> str:
    """Python's version and each named distribution's (``-`` when not installed), as one
    line: what a cache key needs to notice an upgrade."""
    versions = [f"python={sys.version}"]
    for name in names:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return ",".join(versions)
