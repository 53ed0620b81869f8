"""The parsed site, institution, pathway and frozen-version files, kept by their text's hash.

Every build's check reads the site file, the institution files, the micro-pathway files
and the frozen versions itself, in its own process (``rules/check.py``: only the
credential files are spread over the cores and kept as checked results,
``build/checked.py``). At 10,000 credentials a catalog may hold 500 pathways and 50
institutions: parsing them took 0.23 s of every edit build's check stage, for files an
edit rarely touches (``python build.py check`` keeps nothing, and policy profiles are
few: both parse as before). What
``content/load.py`` makes of a file's text (its fields, body, positions and notes) depends
only on that text, on the kind of file and on the code, so it is kept here under a hash
of the three, and a file whose text is unchanged is not parsed again: its bytes are still
read, decoded and hashed (how else to know it is unchanged), which is a tenth of the
cost.

A kept parse is a shortcut only. It is used when the hash of the kind, whether the file
has a body and the text is the one it was kept under, and the code, libraries and YAML
loader are the same (the kept checks' context, ``CheckedFiles.context``); a missing,
unreadable or foreign file, or a kept parse that does not unpickle to what a parse gives
(``valid``), means that file is parsed again. Each parse is kept pickled and unpickled afresh
for each use, so nothing a build does with what it was given can change what the next
build is given. A file that cannot be parsed is not kept (its problem is found again).
The file holds only the parses this build used, and is written with the kept checks
(``CheckedFiles.save``), only when what it holds changed.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from microcred.build.writing import read_pickle, write_pickle


def _any(result: Any) -> bool:
    return True


class KeptParses:
    """Parsed content files by the hash of their kind, whether they have a body, and their
    text (``content.load.Parses``)."""

    def __init__(self, path: Path, context: str, valid: Callable[[Any], bool] = _any):
        self.path = path
        self.context = context
        self.valid = valid
        """Whether what a kept parse unpickled to is of the shape a parse gives."""
        self.kept = _held(read_pickle(path), context)
        """Each parse, pickled, by its key, as the last build left them."""
        self.now: dict[str, bytes] = {}
        """The same, of the files this build read: what a save keeps."""
        self.parsed_again = 0
        """How many files this build parsed (not kept, or changed)."""

    def parsed(self, kind: str, with_body: bool, text: str, parse: Callable[[], Any]) -> Any:
        """What ``parse()`` gives for ``text``, a file of ``kind``: kept when the same text
        was parsed before, else parsed now (and kept for the next build)."""
        key = hashlib.blake2b(
            f"{kind}\0{int(with_body)}\0{text}".encode(), digest_size=16
        ).hexdigest()
        pickled = self.now.get(key) or self.kept.get(key)
        if pickled is not None:
            try:
                result = pickle.loads(pickled)
            except Exception:  # damaged in the file: parsed again, as if not kept
                pickled = None
            else:
                pickled = pickled if self.valid(result) else None
        if pickled is None:
            result = parse()  # a file that cannot be parsed raises: it is not kept
            pickled = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
            self.parsed_again += 1
        self.now[key] = pickled
        return result

    def save(self) -> None:
        """Keep this build's parses, when they differ from those kept."""
        if self.now != self.kept:
            write_pickle(self.path, {"context": self.context, "parses": self.now})
            self.kept = dict(self.now)

    def release(self) -> None:
        """Let go of the kept parses."""
        self.kept, self.now = {}, {}


def _held(value: Any, context: str) -> dict[str, bytes]:
    """The parses ``read_pickle`` gave, when they were kept under ``context``."""
    if not (isinstance(value, dict) and value.get("context") == context):
        return {}
    parses = value.get("parses")
    if not isinstance(parses, dict):
        return {}
    return {k: v for k, v in parses.items() if isinstance(k, str) and isinstance(v, bytes)}
