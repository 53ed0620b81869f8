"""Rebuilding only what changed: the build before last is the next build's starting point.

Owns the keys of units of output and the ledger that says which files each unit
left in a folder. A *unit* is what one piece of the catalog produces: a
credential's pages and badge images, its badge files, one list page, one
credential's share of ``catalog.json`` and the data package. Its *key* hashes
everything it is rendered from: the shared inputs (code, theme, schemas, guides,
library and Python versions, build options, and every content file that is not a
credential; see ``cache.fingerprints``) and the records the unit shows. A
credential's record is made from its own file alone, so it is hashed by that file's
bytes; other records by their ``repr``. A list page is keyed by what its context is made
from, not by the context (``SiteWriter.listed``), so that is neither made nor walked
when the page is kept.

Publishing swaps the staging folder with the output folder (``publish.py``), so
after a swap the old site stands where the staging folder was. With the cache on,
that old site is kept (``.cache/microcred/sites/<output>/previous``) with its
ledger, and the next build uses it as its staging folder: a unit whose key is in
the ledger keeps its files as they are, every other unit is rendered over them,
and every file no unit or stage of this build produced is removed before the
search index reads the pages. Files outside units (assets, guides, feeds' and
sitemap's neighbours, ``catalog.json``, the search bundle) are written every time.
The folder is two builds old, so first it catches up (``catch_up``): the units the
last build rendered again have their kept files replaced by hard links to the
published ones, and are then kept too (otherwise a change that renders every unit
would make the next edit render every unit again). The cache holds a second copy of
the site, or links to it.

When there is no usable kept folder (the second build ever, or a cache restored on
another machine) but the published site's ledger vouches for it, the staging folder
is made of hard links to the published site's unit files (``link_units``); a unit
rendered again has its old files unlinked first, and every file is written as a new
file (``writing.write_text``), so the live site is never written through a link. A
ledger vouches for a folder when the folder's device, inode and change time are the
ones it was written with, or, when they say nothing (a restore from a CI cache or a
copy makes every file anew), when the folder holds exactly the ledger's files, each of
the size it records (``holds``). A unit's key is the hash of
what it was rendered from, so a pull request's preview restored from its base
branch's cache re-renders only the units whose inputs the pull request changed.

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
own identity does not change), or in a restored one to the same size; a file of
the published site edited in place also changes its hard link in the kept folder.
Build with ``--no-cache`` after editing output by hand. ``tests/test_cache.py``
compares cached builds with clean ones byte for byte after series of edits, renames,
additions and deletions; ``tests/test_restored_cache.py`` does so after a restore.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
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
FORMAT = 3
"""Bumped when the ledger's layout changes (3: a unit's files as one string, with their
sizes beside them)."""
SEPARATOR = "\0"
"""Between the files of a unit in ``Unit``'s string: no path holds it."""

Unit = tuple[str, str, "tuple[int, ...] | None"]
"""A unit as the ledger holds it: its key, its files (relative to the folder, ``/``
between folders) joined by ``SEPARATOR``, and each file's size in bytes in that order
(None until the folder is published: ``KeptSite.published``). One string a unit, not one
a file: at 10,000 credentials the ledger lists 112,000 files in 32,000 units, and as
strings and a set of them with a dict of sizes it took 0.14 s to read and 0.12 s to
write in every build (docs/performance.md, *The ledger by unit*)."""


def unit_files(unit: Unit) -> list[str]:
    """The files of ``unit``."""
    return unit[1].split(SEPARATOR) if unit[1] else []


def joined(files: Iterable[str]) -> str:
    """Files as a ``Unit`` holds them."""
    return SEPARATOR.join(files)


@dataclass
class Ledger:
    """What a build left in its folder: each unit's key and files, and the other files."""

    units: dict[str, Unit] = field(default_factory=dict)
    outside: tuple[str, ...] = ()
    """The files no unit holds (written by every build)."""
    values: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """Results kept between builds (a credential's share of ``catalog.json``), by name."""
    outside_sizes: tuple[int, ...] | None = None
    """The size of each of ``outside``, as a unit's: with them, what a folder must hold for
    the ledger to describe it when its inode says nothing (restored from a CI cache,
    copied)."""
    elsewhere: str | None = None
    """Where the files this ledger lists but no unit holds (the data files: see
    ``Reuse.described``) are, when not in the folder built in: the published site, for a
    ledger of links to it (``link_units``). Never stored."""

    @property
    def files(self) -> frozenset[str]:
        """Every file of the folder, relative to it: worked out each time it is asked for
        (once a build, for the URL manifest), not kept, since its 112,000 strings at 10,000
        credentials are copies of the units' (about 16 MB at the end of a cold build)."""
        found = {path for unit in self.units.values() for path in unit_files(unit)}
        found.update(self.outside)
        return frozenset(found)

    def sizes(self) -> dict[str, int] | None:
        """Each file's size, by its path; None when some are unknown."""
        if self.outside_sizes is None:
            return None
        found = dict(zip(self.outside, self.outside_sizes, strict=True))
        for unit in self.units.values():
            if unit[2] is None:
                return None
            found.update(zip(unit_files(unit), unit[2], strict=True))
        return found

    def stored(self) -> dict[str, Any]:
        """What ``KeptSite`` pickles: the fields, not the files worked out from them."""
        return {
            "units": self.units,
            "outside": self.outside,
            "values": self.values,
            "outside_sizes": self.outside_sizes,
        }


class Keys:
    """Hashes of what units are rendered from: the shared inputs, then each part given."""

    def __init__(self, shared: str, files: dict[str, str] | None = None):
        self.shared = shared.encode()
        self.files = files or {}
        """The hash of each credential file, by slug (``cache.fingerprints``)."""
        self._digests: dict[int, bytes] = {}
        self._alive: list[object] = []
        self._by_file: dict[tuple[str, str], bytes] = {}
        """Credentials' digests by source and slug: they depend on nothing else, so they
        outlive ``forget`` (each record is digested by the pages, badges and CTDL stages,
        30,000 digests at 10,000 credentials)."""
        self._folders: dict[str, str] = {}
        """Each records' folder, made absolute once (``os.path.abspath`` for each of
        30,000 records was a fifth of the time units' keys took)."""

    def of(self, *parts: Any) -> str:
        """The key of a unit rendered from ``parts`` (and the shared inputs).

        The parts most units are keyed by (a name, a record, an empty tuple) are taken here
        as ``_collect`` takes them, without a call for each: 42,000 keys at 10,000
        credentials."""
        pieces = [self.shared]
        digests = self._digests
        for part in parts:
            kind = type(part)
            if kind is str:
                data = part.encode()
                pieces.append(b"s%d:" % len(data))
                pieces.append(data)
            elif kind in RECORD_TYPES:
                pieces.append(digests.get(id(part)) or self._record(part))
            elif kind is tuple and not part:
                pieces.append(b"[]")
            else:
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

    def _credential(self, record: Credential) -> bytes:
        """A credential's digest: by its file's bytes and absolute path when it is a file
        of ``credentials/`` (not a frozen version), else by its ``repr``."""
        source = self._absolute(record.source)
        file = None
        if source.replace(os.sep, "/").endswith(f"credentials/{record.slug}.md"):
            file = self.files.get(record.slug)
        if file is None:
            located = dataclasses.replace(record, source=source)
            return b"r" + hashlib.blake2b(repr(located).encode(), digest_size=16).digest()
        value = self._by_file[(record.source, record.slug)] = f"f{source}\0{file}".encode()
        return value

    def _absolute(self, source: str) -> str:
        """``os.path.abspath(source)``, its folder made absolute once."""
        folder, name = os.path.split(source)
        if name in ("", ".", ".."):
            return os.path.abspath(source)
        absolute = self._folders.get(folder)
        if absolute is None:
            absolute = self._folders[folder] = os.path.abspath(folder or ".")
        return os.path.join(absolute, name)

    def forget(self) -> None:
        """Let go of the records digested so far (``_record`` keeps them alive): after the
        stages that read the bodies, the build's records are replaced by copies without
        them (``lean.without_bodies``), whose digests are computed again when asked."""
        self._digests.clear()
        self._alive.clear()

    def release(self) -> None:
        """Let go of every digest, the credentials' too, once the catalog is let go (before
        the search stage): ``_by_file`` holds each credential's source and slug, strings
        of its record, and 20,000 of them kept alive scattered across the catalog's memory
        kept that memory from being handed back (about 30 MB at 10,000 long credentials,
        while Pagefind runs). A digest asked for later is computed again."""
        self.forget()
        self._by_file.clear()
        self._folders.clear()

    def _record(self, record: object) -> bytes:
        """A record's digest, computed once per build: by its file for a credential (whose
        record is made from its file alone), else by its ``repr``. The records are kept
        alive with their digests, so an ``id`` is never reused within a build.

        A record names its file as messages do, relative to the working folder; it is
        keyed by the file's absolute path, so a build from another folder keeps the units
        (no output shows the path)."""
        if isinstance(record, Credential):
            value = self._by_file.get((record.source, record.slug)) or self._credential(record)
        else:
            located = record
            if getattr(record, "source", None) is not None:  # a Site has none
                located = dataclasses.replace(record, source=self._absolute(record.source))
            value = b"r" + hashlib.blake2b(repr(located).encode(), digest_size=16).digest()
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
        self.units: dict[str, Unit] = {}
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
            self.kept_files += before[1].count(SEPARATOR) + 1 if before[1] else 0
            return True
        if before is not None:
            # The file may be a hard link to the live site's (``link_units``): never write
            # through it, make a new one.
            for stale in unit_files(before):
                _unlink(self.out / stale)
        self._pending[name] = key
        return False

    def made(self, name: str, files: Iterable[Path | str]) -> None:
        """Record the files unit ``name`` was rendered to, under the key ``kept`` computed."""
        key = self._pending.pop(name, None)
        if key is not None:
            self.units[name] = (key, joined(self.relative(f) for f in files), None)

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

    @property
    def described(self) -> Path:
        """The folder the last build's ledger describes as a whole, so the one to read a
        kept value's files from (``last_value``): the folder built in, which is the kept
        site, or the published site when the folder built in holds links to its units."""
        elsewhere = self.previous.elsewhere
        return self.out if elsewhere is None else Path(elsewhere)

    def last_value(self, name: str) -> Any | None:
        """What the last build kept as ``name`` (``keep_value``), whatever its inputs were;
        None when it kept nothing by that name (or nothing is recorded). For a result that
        carries its own keys and is checked part by part (``catalog_data.JoinedData``)."""
        if not self.recording:
            return None
        before = self.previous.values.get(name)
        return None if before is None else before[1]

    def keep_value(self, name: str, value: Any) -> None:
        """Keep ``value`` for the next build's ``last_value(name)`` (when recording)."""
        if self.recording:
            self.values[name] = ("", value)

    def key_of_value(self, name: str) -> str | None:
        """The key ``value(name, ...)`` computed in this build (None before, or unrecorded)."""
        found = self.values.get(name)
        return None if found is None else found[0]

    def relative(self, file: Path | str) -> str:
        """``file`` relative to the output folder, with ``/`` separators."""
        text = str(file)
        for prefix in self._prefixes:
            if text.startswith(prefix):
                return text[len(prefix) :].replace(os.sep, "/")
        return text.replace(os.sep, "/")

    def finish(self, written: Iterable[str]) -> Ledger:
        """Remove what the folder held last time and this build did not produce; the ledger.
        ``written``: every file the stages wrote, relative to the folder (``relative``).

        Only the files of units not kept as they were (and the files outside units) can be
        left over: a kept unit's files are the ones it held. So the files of every unit are
        not gathered unless one of those may be a kept unit's."""
        previous, units = self.previous, self.units
        made: set[str] = set()  # the files of the units rendered in this build
        for name, unit in units.items():
            if previous.units.get(name) is not unit:
                made.update(unit_files(unit))
        # The stages report every file they wrote, the units' among them.
        outside = tuple(dict.fromkeys(path for path in written if path not in made))
        left = set(previous.outside)
        for name, unit in previous.units.items():
            if units.get(name) is not unit:
                left.update(unit_files(unit))
        left.difference_update(made)
        left.difference_update(outside)
        if left:  # a file no unit made again may belong to a kept one (moved between units)
            left.difference_update(Ledger(units).files)
        for stale in sorted(left, reverse=True):
            _remove(self.out, stale)
        # The sizes of the kept units' files are known; the others are taken on publishing.
        return Ledger(units, outside, self.values)


def _unlink(path: Path) -> None:
    with suppress(FileNotFoundError, IsADirectoryError):
        path.unlink()


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

    def _ledger_of(self, which: str) -> Ledger | None:
        stored = read_pickle(self._file(which, ".pickle"))
        if isinstance(stored, dict) and stored.get("format") == FORMAT:
            fields = stored.get("ledger")
            try:
                return Ledger(**fields) if isinstance(fields, dict) else None
            except TypeError:
                return None
        return None

    def _vouched(self, which: str, folder: Path) -> Ledger | None:
        """The ledger ``which`` when ``folder`` is the one it describes: the same folder
        (device, inode, change time) as when it was written, or else a folder holding
        exactly the ledger's files with their sizes (``holds``), as a folder restored
        from a CI cache or copied elsewhere does (new inodes, new times)."""
        ledger = self._ledger_of(which)
        if ledger is None:
            return None
        if self._identity_of(which) == folder_identity(folder) or holds(folder, ledger):
            return ledger
        return None

    def note_output(self) -> None:
        """Just before the swap: is the output folder the one the last ledger describes?
        (Another build, or a hand, may have replaced it since.)"""
        known = self._identity_of("output")
        self._old_known = self._old_known or (
            known is not None and known == folder_identity(self.output)
        )

    def take(self) -> Ledger | None:
        """The ledger of the folder to build in, removed from disk first: it is about to
        change.

        That folder is the kept one when its ledger vouches for it, caught up with the
        published site when that site is untouched since its build (``catch_up``; when a
        file changed hands between units, it is made afresh as below). Otherwise, when the
        published site's ledger vouches for it (a second build, or a site restored from
        a CI cache with its ledger), the kept folder is made afresh of hard links to the
        published site's unit files (``link_units``). Otherwise it is emptied and None
        returned: the build starts from nothing, as it does when the published site lacks
        a file its ledger lists (removed by hand).
        """
        ledger = self._vouched("previous", self.folder)
        for suffix in (".json", ".pickle"):
            self._file("previous", suffix).unlink(missing_ok=True)
        if ledger is not None:
            published = self._untouched_output()
            if published is None:
                return ledger
            with suppress(FileNotFoundError):  # a file it lists is gone: made afresh below
                caught_up = catch_up(self.folder, ledger, self.output, published)
                if caught_up is not None:  # ``note_output`` still looks before the swap
                    return caught_up
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        published = self._vouched("output", self.output)
        if published is None:
            return None
        try:
            linked = link_units(self.output, self.folder, published)
        except FileNotFoundError:  # a file of the published site was removed by hand
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
            return None
        self._old_known = True  # the site that will be swapped out is the one described
        return linked

    def has_site(self) -> bool:
        """Whether a build published a site here with its ledger (none after ``forget``)."""
        return self._file("output", ".pickle").is_file()

    def _untouched_output(self) -> Ledger | None:
        """The published site's ledger when the folder is the very one it was written with
        (its device, inode and change time; never a walk of every file, as ``holds`` is:
        this is asked in every build)."""
        if self._identity_of("output") != folder_identity(self.output):
            return None
        return self._ledger_of("output")

    def published(self, ledger: Ledger) -> None:
        """After the swap the old site is the kept folder: its ledger becomes the previous
        one. The new ledger gets the size of every file whose size it does not know."""
        output = self.output
        if self._old_known and self.folder.is_dir() and self._file("output", ".pickle").is_file():
            os.replace(self._file("output", ".pickle"), self._file("previous", ".pickle"))
            identity = json.dumps(folder_identity(self.folder)).encode()
            replace_atomically(self._file("previous", ".json"), identity)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)
        units = {
            name: unit if unit[2] is not None else (*unit[:2], _sizes(output, unit_files(unit)))
            for name, unit in ledger.units.items()
        }
        ledger = Ledger(units, ledger.outside, ledger.values, _sizes(output, ledger.outside))
        stored = {"format": FORMAT, "ledger": ledger.stored()}
        write_pickle(self._file("output", ".pickle"), stored)
        identity = json.dumps(folder_identity(Path(output))).encode()
        replace_atomically(self._file("output", ".json"), identity)

    def forget(self) -> None:
        """Drop the kept folder and the ledgers."""
        for which in ("previous", "output"):
            for suffix in (".json", ".pickle"):
                self._file(which, suffix).unlink(missing_ok=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _sizes(folder: Path, files: Iterable[str]) -> tuple[int, ...]:
    """The size of each of ``files`` in ``folder`` (-1 for one that cannot be read, which
    no folder then holds: ``holds``)."""
    found = []
    for path in files:
        try:
            found.append(os.stat(folder / path).st_size)
        except OSError:
            found.append(-1)
    return tuple(found)


def holds(folder: Path, ledger: Ledger) -> bool:
    """Whether ``folder`` holds exactly the files ``ledger`` lists, each of its size.

    What vouches for a folder whose inode and times say nothing (a CI cache restore makes
    every file anew): the files are the ones some unit's key (the hash of its inputs)
    stands for, and no file is missing, truncated or left over. A file edited by hand
    to the same size is not noticed, as in a folder whose inode is known.
    """
    sizes = ledger.sizes()
    if not sizes:
        return False
    found = 0
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            try:
                if sizes.get(relative) != os.lstat(path).st_size:
                    return False
            except OSError:
                return False
            found += 1
    return found == len(sizes)


def link_units(source: Path, folder: Path, ledger: Ledger) -> Ledger:
    """Make ``folder`` hold each unit's files of ``source`` as hard links (a copy where
    links cannot be made); the ledger of what it holds.

    Linking costs a directory entry per file instead of a rendering; the published site
    is never written through the links, since a unit rendered again has its files
    unlinked first (``Reuse.kept``). Files outside units are written by every build, so
    they are not linked.
    """
    link = _Linker(source, folder)
    for unit in ledger.units.values():
        for relative in unit_files(unit):
            link(relative)
    return Ledger(dict(ledger.units), (), ledger.values, (), elsewhere=str(source))


def catch_up(folder: Path, kept: Ledger, source: Path, published: Ledger) -> Ledger | None:
    """Bring the kept ``folder`` (the build before last's site, as ``kept`` lists it) up to
    the published site ``source``: each unit the last build rendered again, or added, has
    its kept files replaced by hard links to the published ones. The ledger of what the
    folder then holds; None when a file changed hands between units that both builds
    have, or to or from the files outside units, and the folder is better made afresh
    (``link_units``).

    Without it the next build renders again everything the last one did: after a change
    that renders every unit (code, theme, an institution) the next edit renders the whole
    site a second time (at 10,000 college credentials, 83 s; caught up, 35 s, nearly all
    of it the file system's unlinks and links). Units only the
    kept folder has stay with their files, which still stand for their keys; the values
    (``Reuse.value``) and the data files they point into are the published site's.
    """
    units = dict(kept.units)
    behind = {
        name: unit
        for name, unit in published.units.items()
        if (before := units.get(name)) is None or before[:2] != unit[:2]
    }
    moved: set[str] = set()  # files that a unit of ``behind`` gains or loses
    for name, unit in behind.items():
        before = units.get(name)
        old = set(unit_files(before)) if before is not None else set()
        new = set(unit_files(unit))
        moved.update(old ^ new)
    if moved:
        # A unit the last build no longer had (a renamed credential's) gives its files up
        # to the unit that has them now (its redirect's): it goes, whole. A file moved
        # from or to a unit both builds kept, or from outside units, cannot be followed.
        gone = {name for name in units if name not in published.units}
        others = Ledger(
            {n: u for n, u in units.items() if n not in behind and n not in gone}, kept.outside
        )
        held = others.files
        if not moved.isdisjoint(held):
            return None
        for name in [n for n in gone if not moved.isdisjoint(unit_files(units[n]))]:
            for stale in unit_files(units.pop(name)):
                if stale not in held:
                    _remove(folder, stale)
    for name, unit in behind.items():  # every stale file first: one unit's may be another's
        if name in units:
            now = set(unit_files(unit))
            for stale in unit_files(units[name]):
                if stale in now:
                    _unlink(folder / stale)
                else:  # gone from the site: its emptied folders go too
                    _remove(folder, stale)
    link = _Linker(source, folder)
    for name, unit in behind.items():
        for relative in unit_files(unit):
            link(relative)
        units[name] = unit
    return Ledger(units, kept.outside, published.values, elsewhere=str(source))


class _Linker:
    """Hard links from files of ``source`` into ``folder`` by relative path (a copy where
    a link cannot be made), making folders as needed."""

    def __init__(self, source: Path, folder: Path):
        self.source = source
        self.folder = folder
        self._made: set[str] = set()

    def __call__(self, relative: str) -> None:
        target = self.folder / relative
        parent = str(target.parent)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        try:
            os.link(self.source / relative, target)
        except FileExistsError:
            pass
        except OSError:
            shutil.copyfile(self.source / relative, target)
