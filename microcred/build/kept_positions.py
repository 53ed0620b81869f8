"""Where the fields that cross-file findings name stand in each credential file, kept.

A finding of the rules across files (``rules/crossfile.py``) names a file and a field;
``rules/check.py`` turns it into a problem at that field's line and column. On a catalog
where most files have such a finding (the college shape: a ``ctid-missing`` and a
``similar-title`` warning in most of its 10,000 files), finding them unpacked every kept
check's positions (``marshal.loads``, about 0.35 s of processor time at 10,000, or the file
read again for a nested field) at every edit build. The positions a field has depend only
on its file's bytes, so they are kept here by source path under the hash of the file's
bytes (the same hashes as the kept checks, ``build/checked.py``), and looked up again only
for a file whose hash changed or a field not asked for before.

A kept position is a shortcut only: it is used when the file's hash is the one it was
kept under and the code is the same (the kept checks' context); a missing, unreadable or
foreign file means every position is found again. Symbolic links and files outside
``credentials/`` have no hash here (``CheckedFiles.digest_of``) and are always looked up.
The file is written with the kept checks (``CheckedFiles.save``, only when no content file
was saved while the build read them) and only when what it holds changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from microcred.build.writing import read_pickle, write_pickle

Position = tuple[int, int]


class KeptPositions:
    """The positions of fields named by cross-file findings, by source path and field."""

    def __init__(self, path: Path, context: str, digest_of: Callable[[str], str | None]):
        self.path = path
        self.context = context
        self.digest_of = digest_of
        self.kept = _held(read_pickle(path), context)
        """(digest, {field: position}) by source path, as the last build left them."""
        self.now: dict[str, tuple[str, dict[tuple, Position]]] = {}
        """The same, of the files asked about in this build: what a save keeps."""
        self.changed = False
        """Whether this build found a position that was not kept."""

    def where(self, source: str, field: tuple, find: Callable[[str, tuple], Position]):
        """Line and column of ``field`` in ``source``: kept when its file's hash is the
        same, else ``find(source, field)`` (and kept for the next build)."""
        mine = self.now.get(source)
        if mine is None:
            digest = self.digest_of(source)
            if digest is None:
                return find(source, field)
            held = self.kept.get(source)
            if held is not None and held[0] == digest:
                mine = held  # its positions are this file's: all of them still hold
            else:
                mine, self.changed = (digest, {}), True
            self.now[source] = mine
        at = mine[1].get(field)
        if not (type(at) is tuple and len(at) == 2):  # none kept, or not a position
            at = mine[1][field] = find(source, field)
            self.changed = True
        return at

    def save(self) -> None:
        """Keep this build's positions (atomically), when they differ from what was kept:
        a file's new hash, a field not kept before, or files gone."""
        if self.changed or self.now.keys() != self.kept.keys():
            write_pickle(self.path, {"context": self.context, "positions": self.now})
            self.kept, self.changed = self.now, False

    def release(self) -> None:
        """Let go of every position (the render stages' workers need none)."""
        self.kept, self.now = {}, {}


def _held(held, context: str) -> dict[str, tuple[str, dict[tuple, Position]]]:
    """The positions a kept file holds; none when it is missing, of other code (another
    context) or not of this shape."""
    if not (isinstance(held, dict) and held.get("context") == context):
        return {}
    positions = held.get("positions")
    if not isinstance(positions, dict):
        return {}
    for source, entry in positions.items():
        if not (
            isinstance(source, str)
            and isinstance(entry, tuple)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and isinstance(entry[1], dict)
        ):
            return {}
    return positions
