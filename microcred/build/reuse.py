"""Rebuilding only what changed: the build before last is the next build's starting point.

Owns the keys of units of output and the ledger that says which files each unit
left in a folder. A *unit* is what one piece of the catalog produces: a
credential's pages and badge images, its badge files, one list page, one
credential's share of ``catalog.json`` and the data package. Its *key* hashes
everything it is rendered from: the shared inputs (code, theme, schemas, guides,
library and Python versions, build options, and every content file that is not a
credential; see ``cache.fingerprints``) and the records the unit shows. A
credential's record is made from its own file alone, so it is hashed by that file's
bytes; other records by their ``repr``.

Publishing swaps the staging folder with the output folder (``publish.py``), so
after a swap the old site stands where the staging folder was. With the cache on,
that old site is kept (``.cache/microcred/sites/<output>/previous``) with its
ledger, and the next build uses it as its staging folder: a unit whose key is in
the ledger keeps its files as they are, every other unit is rendered over them,
and every file no unit or stage of this build produced is removed before the
search index reads the pages. Files outside units (assets, guides, feeds' and
sitemap's neighbours, ``catalog.json``, the search bundle) are written every time.
The folder is two builds old, so what the last build changed is rendered again;
that is the price of never touching the live site. The cache holds a second copy
of the site.

What keeps a cached build equal to a clean one:

- the ledger is removed before its folder changes, so a failed or killed build
  leaves nothing that looks reusable;
- a build locks the place (``KeptSite.claim``); a second build into the same output
  meanwhile builds without reuse;
- the content files' times and sizes are compared before and after the build; a
  file saved meanwhile (the build may have read other bytes than it hashed) means
  nothing of this build is kept;
- an output folder replaced since the last build is noticed just before the swap;
- ``--no-cache`` builds from scratch and drops the kept folder and its ledgers.

Not detected: a file edited by hand deep inside the published site (the folder's
own identity does not change). Build with ``--no-cache`` after editing output by
hand. ``tests/test_cache.py`` compares cached builds with clean ones byte for byte
after series of edits, renames, additions and deletions.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from microcred.build.writing import (
    folder_identity,
    output_key,
    read_pickle,
    replace_atomically,
    write_pickle,
)
from microcred.content.model import Credential, Institution, Pathway, Site

T = TypeVar("T")
RECORD_TYPES = (Credential, Institution, Pathway, Site)
"""Records of the catalog, each hashed once per build through its ``repr``."""
FORMAT = 1
"""Bumped when the ledger's layout changes."""


@dataclass
class Ledger:
    """What a build left in its folder: each unit's key and files, and every file."""

    units: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    files: frozenset[str] = frozenset()
    values: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """Results kept between builds (a credential's share of ``catalog.json``), by name."""


class Keys:
    """Hashes of what units are rendered from: the shared inputs, then each part given."""

    def __init__(self, shared: str, files: dict[str, str] | None = None):
        self.shared = shared.encode()
        self.files = files or {}
        """The hash of each credential file, by slug (``cache.fingerprints``)."""
        self._digests: dict[int, bytes] = {}
        self._alive: list[object] = []

    def of(self, *parts: Any) -> str:
        """The key of a unit rendered from ``parts`` (and the shared inputs)."""
        pieces = [self.shared]
        for part in parts:
            self._collect(pieces, part)
        return hashlib.blake2b(b"".join(pieces), digest_size=16).hexdigest()

    def _collect(self, pieces: list[bytes], value: Any) -> None:
        kind = type(value)
        if kind is str:
            data = value.encode()
            pieces.append(b"s%d:" % len(data))
            pieces.append(data)
        elif kind in RECORD_TYPES:
            pieces.append(self._digests.get(id(value)) or self._record(value))
        elif kind is list or kind is tuple:
            pieces.append(b"[")
            for item in value:
                if type(item) in RECORD_TYPES:  # the common case, without a call
                    pieces.append(self._digests.get(id(item)) or self._record(item))
                else:
                    self._collect(pieces, item)
            pieces.append(b"]")
        elif kind is dict:
            pieces.append(b"{")
            for name in sorted(value, key=str):
                self._collect(pieces, str(name))
                self._collect(pieces, value[name])
            pieces.append(b"}")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            pieces.append(f"{kind.__name__}(".encode())
            for item in dataclasses.fields(value):
                self._collect(pieces, getattr(value, item.name))
            pieces.append(b")")
        else:
            data = f"{kind.__name__}:{value!r}".encode()
            pieces.append(b"v%d:" % len(data))
            pieces.append(data)

    def _record(self, record: object) -> bytes:
        """A record's digest, computed once per build: by its file for a credential (whose
        record is made from its file alone), else by its ``repr``. The records are kept
        alive with their digests, so an ``id`` is never reused within a build."""
        file = None
        if isinstance(record, Credential):
            source = record.source.replace(os.sep, "/")
            if source.endswith(f"credentials/{record.slug}.md"):  # not a frozen version
                file = self.files.get(record.slug)
        if file is not None:
            value = f"f{record.source}\0{file}".encode()
        else:
            value = b"r" + hashlib.blake2b(repr(record).encode(), digest_size=16).digest()
        self._digests[id(record)] = value
        self._alive.append(record)
        return value


class Reuse:
    """One build's view of the ledger of the folder it builds into.

    ``kept(name, *inputs)`` is True when unit ``name`` had the same key last time, and
    its files then stay; otherwise the caller renders the unit and reports its files
    with ``made(name, files)``. Without a ledger (a cold build, or the cache off)
    nothing is kept, and keys are only computed when a ledger will be recorded.
    """

    def __init__(self, out: Path, keys: Keys | None, previous: Ledger | None = None):
        self.out = Path(out)
        self.recording = keys is not None
        self.keys = keys or Keys("")
        self.previous = previous or Ledger()
        self.units: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.values: dict[str, tuple[str, Any]] = {}
        self.kept_files = 0
        self.computed: set[str] = set()
        """Names of the values computed afresh by this build."""
        self._pending: dict[str, str] = {}
        self._prefixes = tuple({f"{self.out}{os.sep}", f"{self.out.resolve()}{os.sep}"})

    def kept(self, name: str, *inputs: Any) -> bool:
        """Whether unit ``name``'s files from the last build stand for ``inputs``; when
        not, the caller renders it and reports its files with ``made``."""
        if not self.recording:
            return False
        key = self.keys.of(name, *inputs)
        before = self.previous.units.get(name)
        if before is not None and before[0] == key:
            self.units[name] = before
            self.kept_files += len(before[1])
            return True
        self._pending[name] = key
        return False

    def made(self, name: str, files: Iterable[Path | str]) -> None:
        """Record the files unit ``name`` was rendered to, under the key ``kept`` computed."""
        key = self._pending.pop(name, None)
        if key is not None:
            self.units[name] = (key, tuple(self.relative(f) for f in files))

    def value(self, name: str, inputs: tuple, compute: Callable[[], T]) -> T:
        """``compute()``, or its result from the last build when ``inputs`` are unchanged."""
        if not self.recording:
            self.computed.add(name)
            return compute()
        key = self.keys.of(name, *inputs)
        before = self.previous.values.get(name)
        if before is not None and before[0] == key:
            result = before[1]
        else:
            result = compute()
            self.computed.add(name)
        self.values[name] = (key, result)
        return result

    def relative(self, file: Path | str) -> str:
        """``file`` relative to the output folder, with ``/`` separators."""
        text = str(file)
        for prefix in self._prefixes:
            if text.startswith(prefix):
                return text[len(prefix) :].replace(os.sep, "/")
        return text.replace(os.sep, "/")

    def kept_paths(self) -> set[str]:
        """The files of every unit kept or made so far."""
        return {path for _, files in self.units.values() for path in files}

    def finish(self, written: Iterable[Path | str]) -> Ledger:
        """Remove what the folder held last time and this build did not produce; the ledger."""
        files = self.kept_paths()
        files.update(self.relative(f) for f in written)
        for stale in sorted(self.previous.files - files, reverse=True):
            _remove(self.out, stale)
        return Ledger(self.units, frozenset(files), self.values)


def _remove(root: Path, relative: str) -> None:
    path = root / relative
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(path, ignore_errors=True)
    parent = path.parent
    while parent != root:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


# --- the kept folder and its ledger ------------------------------------------------


class KeptSite:
    """Where the folder kept for an output lives, with its ledgers, for one build.

    ``claim`` locks it for the build, so two builds into the same output never share
    the kept folder (the second builds without reuse).
    """

    def __init__(self, root: Path, output: Path):
        self.root = root
        self.output = output
        self._old_known = False

    @classmethod
    def for_output(cls, cache: Path | None, output: Path, create: bool = True) -> KeptSite | None:
        """The place for ``output``; None when the cache is off, on another file system,
        or (without ``create``) not made by an earlier build."""
        if cache is None:
            return None
        output = Path(output).resolve()
        root = Path(cache) / "sites" / output_key(output)
        if not create and not root.is_dir():
            return None
        try:
            root.mkdir(parents=True, exist_ok=True)
            output.parent.mkdir(parents=True, exist_ok=True)
            if root.stat().st_dev != output.parent.stat().st_dev:
                return None
        except OSError:
            return None
        return cls(root, output)

    @classmethod
    @contextmanager
    def claim(
        cls, cache: Path | None, output: Path, create: bool = True
    ) -> Iterator[KeptSite | None]:
        """The place for ``output``, locked until the block ends; None when there is none
        or another build holds it."""
        place = cls.for_output(cache, output, create)
        if place is None:
            yield None
            return
        try:
            handle = open(place.root / "lock", "a+b")  # noqa: SIM115 - held for the block
        except OSError:
            yield None
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield None
                return
            try:
                yield place
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @property
    def folder(self) -> Path:
        """The kept site: the site the build before last published."""
        return self.root / "previous"

    def _file(self, which: str, suffix: str) -> Path:
        return self.root / f"{which}{suffix}"

    def _identity_of(self, which: str) -> list[int] | None:
        try:
            return json.loads(self._file(which, ".json").read_text())
        except (OSError, ValueError):
            return None

    def note_output(self) -> None:
        """Just before the swap: is the output folder the one the last ledger describes?
        (Another build, or a hand, may have replaced it since.)"""
        known = self._identity_of("output")
        self._old_known = known is not None and known == folder_identity(self.output)

    def take(self) -> Ledger | None:
        """The kept folder's ledger, removed from disk first: the folder is about to change.

        None when there is no such folder or it is not the one the ledger describes;
        the folder is then emptied, so the build starts from nothing.
        """
        ledger = None
        if self._identity_of("previous") == folder_identity(self.folder):
            stored = read_pickle(self._file("previous", ".pickle"))
            if isinstance(stored, dict) and stored.get("format") == FORMAT:
                ledger = stored.get("ledger")
        for suffix in (".json", ".pickle"):
            self._file("previous", suffix).unlink(missing_ok=True)
        if not isinstance(ledger, Ledger):
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
            return None
        return ledger

    def published(self, ledger: Ledger) -> None:
        """After the swap the old site is the kept folder: its ledger becomes the previous one."""
        output = self.output
        if self._old_known and self.folder.is_dir() and self._file("output", ".pickle").is_file():
            os.replace(self._file("output", ".pickle"), self._file("previous", ".pickle"))
            identity = json.dumps(folder_identity(self.folder)).encode()
            replace_atomically(self._file("previous", ".json"), identity)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)
        write_pickle(self._file("output", ".pickle"), {"format": FORMAT, "ledger": ledger})
        identity = json.dumps(folder_identity(Path(output))).encode()
        replace_atomically(self._file("output", ".json"), identity)

    def forget(self) -> None:
        """Drop the kept folder and the ledgers."""
        for which in ("previous", "output"):
            for suffix in (".json", ".pickle"):
                self._file(which, suffix).unlink(missing_ok=True)
        shutil.rmtree(self.folder, ignore_errors=True)
