"""Checked credential files kept between builds, by the hash of each file's bytes.

Owns ``CheckedFiles``: what checking each credential file gave last time (its record,
its problems, where its top-level fields stand), kept under the hash of the file's
bytes. ``rules/check.py`` asks it before checking a file and tells it what it found
for each file it did check, so an edit re-reads and re-checks only the files that
changed; every record, kept or fresh, still goes through the rules across files.

A kept result is used only when all of these are as they were:

- the file's bytes (``cache.fingerprints``' hash of each credential file) and its path
  (problems name it, and the file name is checked);
- the code (every file of ``microcred/``, the schemas, the theme and the guides, as in
  ``cache.fingerprints``) and the versions of Python and of the libraries the checks
  use;
- the policy the checks apply (``job``, given by ``rules/check.py``), and the working
  folder (messages show paths relative to it). Not the date: the rules that compare with
  it run over every record in every check (``policy.Rule.dated``), so a kept result holds
  on any day.

A file that is a symbolic link is always checked again (where it points is part of its
check). The kept results are ``BUCKETS`` files,
``.cache/microcred/checked/<key>.<NN>.pickle``, each holding the files whose names fall
in its range (``Bounds``): each entry's path, digest and job, and one pickle of all their
results (``{path: result}``, in the order of the file names), unpickled once, when the
first of them is asked for. One pickle for a bucket's results, rather than one for each,
shares what their files have in common (classes, rule ids, institution names, field
names): loading 10,000 college checks took about 0.21 s of processor time, against
0.28-0.31 s one by one. The buckets are contiguous ranges of file names, their
``BUCKETS - 1`` boundaries kept in ``<key>.index.pickle``: chosen at a full save (no
bucket file of this code readable, or no index) and again only when one bucket grows
to more than ``UNEVEN`` times its share, so a file stays in its bucket from build to
build. The check asks for the files in the order of their names, so the buckets are
unpickled in that order too and the records lie in memory in the order the pages stage
walks them (with buckets by a hash of the path, neighbouring records lay far apart, and
the pages stage of an edit build at 10,000 took 0.1-0.2 s longer: docs/performance.md,
*The pages stage, slower with the second cut*). The boundaries only say where a save
puts an entry: an entry is found in whichever bucket file holds it. A save
replaces, atomically (``writing.write_pickle``) and only when no content file was saved
while the build read them, only the buckets whose entries changed, so an edit rewrites
about 1/64 of the kept checks, not all of them (at 10,000 long credentials, 0.5 s of an
edit build). Each entry
is checked on its own when used (path, digest, job) under its bucket's context, so
buckets written by different builds may sit side by side. They hold only the files of
the last build, so renamed and deleted files leave nothing behind. ``--no-cache`` and
``MICROCRED_CACHE=off`` turn it off with the rest of the cache;
``MICROCRED_CACHE_CHECKED=off`` turns off only this part (the benchmark uses it to
measure an edit with and without it in one run).

A kept result also holds its record's index entry for the rules across files
(``crossfile.Entry``), and ``CheckedFiles.positions`` keeps, beside the buckets, where the
fields that cross-file findings named stand in each file (``kept_positions.py``), under
the same hashes and context and saved with them; ``CheckedFiles.parses`` keeps the parsed
text of the other content files (``kept_parses.py``), under the same context. A kept
record's Markdown body is kept as its digest (``lean.HeldBody``, ``_KeptPickler``) and read
back from its file when shown (``lean.body_of``): the file's bytes are the ones the result
was kept under.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import gc
import hashlib
import io
import os
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from microcred.build import lean, slotted
from microcred.build.kept_parses import KeptParses
from microcred.build.kept_positions import KeptPositions
from microcred.build.writing import library_versions, output_key, read_pickle, write_pickle
from microcred.content import load
from microcred.content.model import Credential

FORMAT = 7
"""Bumped when what is kept changes shape (7: a credential's index entry for the rules
across files, ``crossfile.Entry``)."""
BUCKETS = 64
"""How many files the kept checks are spread over (``Bounds``)."""
UNEVEN = 2.0
"""The boundaries of the buckets are chosen again when one holds more than this many
times its share of the files (and more than ``UNEVEN_FLOOR``)."""
UNEVEN_FLOOR = 32
"""A bucket this small never counts as uneven (a small catalog keeps its boundaries)."""
LIBRARIES = ("pyyaml", "jsonschema", "fastjsonschema", "markdown-it-py")
"""The libraries whose behaviour a credential's check depends on."""


def enabled() -> bool:
    """False when ``MICROCRED_CACHE_CHECKED=off`` (the rest of the cache stays on)."""
    chosen = os.environ.get("MICROCRED_CACHE_CHECKED", "").lower()
    return chosen not in ("off", "0", "no", "false")


class CheckedFiles:
    """The kept results of checking each credential file of one content folder."""

    def __init__(self, store: Path, content: Path, digests: dict[str, str], code: str):
        key = output_key(content)
        self.folder = os.path.abspath(Path(content) / "credentials")
        self.digests = digests
        # Which YAML loader reads the files (PyYAML's C one when libyaml is installed)
        # shapes what a file is read as, as its version does.
        loader = load.Loader.__name__
        self.context = hashlib.sha256(
            "\0".join(
                (str(FORMAT), code, library_versions(LIBRARIES), loader, os.getcwd())
            ).encode()
        ).hexdigest()
        self.paths = [store / "checked" / f"{key}.{n:02d}.pickle" for n in range(BUCKETS)]
        self.old_path = store / "checked" / f"{key}.pickle"  # one file, before FORMAT 4
        self.index_path = store / "checked" / f"{key}.index.pickle"
        self.positions = KeptPositions(
            store / "checked" / f"{key}.positions.pickle", self.context, self.digest_of
        )
        """Where the fields cross-file findings name stand, by file (``kept_positions``)."""
        self.parses = KeptParses(
            store / "checked" / f"{key}.parses.pickle", self.context, load.is_parse
        )
        """The parsed content files other than credentials, by their text (``kept_parses``)."""
        self.bounds = Bounds.read(self.index_path)
        """Where each bucket's range of file names begins (None: no index kept)."""
        self._digest_of: dict[str, str | None] = {}
        """``digest_of`` by path: asked for each file by the check and by its positions."""
        self.kept: dict[str, tuple[str, str, int]] = {}
        """(digest, job, bucket) by path."""
        self.kept_in: list[frozenset[str] | None] = []
        """The paths each bucket file held (None: missing, unreadable or of other code)."""
        self._pickled: list[bytes | None] = []
        """Each bucket's results, pickled as one ``{path: result}`` (None: none kept)."""
        self._results: dict[int, dict[str, Any]] = {}
        """The results of the buckets unpickled so far."""
        for n, path in enumerate(self.paths):
            found = _entries(read_pickle(path), self.context)
            if found is not None:
                entries, results = found
                self.kept.update((p, (digest, job, n)) for p, (digest, job) in entries.items())
                self.kept_in.append(frozenset(entries))
                self._pickled.append(results)
            else:
                self.kept_in.append(None)
                self._pickled.append(None)
        self.now: dict[str, tuple[str, str, Any]] = {}
        """(digest, job, result) by path, of this build: what a save keeps."""
        self.put_paths: set[str] = set()
        """The paths of the results checked (not kept) in this build."""
        self.reused = 0

    def digest_of(self, path: Path | str) -> str | None:
        """The hash of a credential file's bytes, or None when it is not to be kept."""
        text = os.fspath(path)
        found = self._digest_of.get(text, False)
        if found is False:
            folder, name = os.path.split(text)
            if self._absolute(folder) != self.folder or name in self._links():
                found = None
            else:
                found = self.digests.get(os.path.splitext(name)[0])
            self._digest_of[text] = found
        return found

    @functools.cache  # noqa: B019 (one object a build; the folder of every file is one)
    def _absolute(self, folder: str) -> str:
        return os.path.abspath(folder)

    @functools.cache  # noqa: B019
    def _links(self) -> frozenset[str]:
        """The names of the credential files that are symbolic links (one listing of the
        folder, rather than a look-up for each of 10,000 files)."""
        try:
            with os.scandir(self.folder) as entries:
                return frozenset(entry.name for entry in entries if entry.is_symlink())
        except OSError:
            return frozenset()

    def answerable(self) -> int:
        """How many credential files the kept results would answer if the job is the same
        (their bytes unchanged since the last build): without unpickling any of them."""
        digests = self.digests
        return sum(
            1
            for path, entry in self.kept.items()
            if digests.get(os.path.splitext(os.path.basename(path))[0]) == entry[0]
        )

    def get(self, path: Path, job: str) -> Any | None:
        """What checking ``path`` under ``job`` gave last time, if its bytes are the same."""
        text = os.fspath(path)
        entry = self.kept.get(text)
        if entry is None or entry[1] != job:
            return None
        digest = self.digest_of(text)
        if digest is None or entry[0] != digest:
            return None
        result = self._bucket(entry[2]).get(text)
        if result is None:
            return None
        self.now[text] = (digest, job, result)
        self.reused += 1
        return result

    def _bucket(self, n: int) -> dict[str, Any]:
        """The results bucket ``n`` keeps, unpickled once; none when they cannot be read
        (written by other code: its files are checked again)."""
        results = self._results.get(n)
        if results is None:
            try:
                results = pickle.loads(self._pickled[n] or b"")
            except Exception:
                results = None
            if not isinstance(results, dict):
                results = {}
            self._results[n] = results
            self._pickled[n] = None
        return results

    def put(self, path: Path, job: str, result: Any) -> None:
        """Keep what checking ``path`` under ``job`` gave."""
        digest = self.digest_of(path)
        if digest is not None:
            self.now[str(path)] = (digest, job, result)
            self.put_paths.add(str(path))

    def save(self) -> None:
        """Replace the kept results with this build's (atomically), bucket by bucket: only
        the buckets that hold a result checked in this build, or whose paths differ from
        what the bucket's file held (a file added, renamed or deleted; a file missing,
        unreadable or of other code). The boundaries of the buckets are chosen afresh
        (``Bounds.chosen``) when there is no index, when no bucket file was of this code
        (every bucket is written anyway) or when one bucket is uneven; every bucket is then
        written and the index with them."""
        names = {path: os.path.basename(path) for path in self.now}
        bounds = self.bounds
        fresh = bounds is None or all(held is None for held in self.kept_in)
        placed = {} if fresh else {path: bounds.of(name) for path, name in names.items()}
        if fresh or bounds.uneven(placed.values()):
            bounds = self.bounds = Bounds.chosen(names.values())
            bounds.write(self.index_path)
            placed = {path: bounds.of(name) for path, name in names.items()}
        now: list[dict[str, tuple[str, str, Any]]] = [{} for _ in self.paths]
        for path in sorted(self.now, key=names.__getitem__):
            now[placed[path]][path] = self.now[path]
        put_in = {placed[path] for path in self.put_paths if path in placed}
        for n, (path, entries) in enumerate(zip(self.paths, now, strict=True)):
            if n in put_in or self.kept_in[n] != frozenset(entries):
                # The kept results are pickled again from what they were unpickled to:
                # nothing changes a result once made (frozen records and problems).
                results = dumps({p: entry[2] for p, entry in entries.items()}, False)
                meta = {p: entry[:2] for p, entry in entries.items()}
                write_pickle(path, {"context": self.context, "entries": meta, "results": results})
        if self.old_path.exists():
            self.old_path.unlink()
        self.positions.save()
        self.parses.save()

    def release(self) -> None:
        """Let go of the pickled results (about 4.5 KB a file) and of the unpickled ones: the
        rest of the build never reads them here, and the render stages' workers should not
        inherit them."""
        self.kept, self.now, self._pickled, self._results = {}, {}, [], {}
        self._digest_of = {}
        self.positions.release()
        self.parses.release()


def _entries(held: Any, context: str) -> tuple[dict[str, tuple[str, str]], bytes] | None:
    """A bucket file's entries, ``(digest, job)`` by path, and its pickled results, as
    ``read_pickle`` gave the file; None when it is missing, of other code (another
    context) or not of this shape."""
    if not (isinstance(held, dict) and held.get("context") == context):
        return None
    entries, results = held.get("entries"), held.get("results")
    if not (isinstance(entries, dict) and isinstance(results, bytes)):
        return None
    for path, entry in entries.items():
        if not (isinstance(path, str) and isinstance(entry, tuple) and len(entry) == 2):
            return None
    return entries, results


@dataclasses.dataclass(frozen=True)
class Bounds:
    """Where each of the ``BUCKETS`` buckets' ranges of credential file names begins: the
    first name of buckets 1 to ``BUCKETS - 1`` (bucket 0 begins before every name). A name
    belongs to the last bucket whose first name is at or before it, so neighbours by name
    share a bucket, and a file stays in its bucket while the boundaries are kept."""

    starts: tuple[str, ...]

    @classmethod
    def chosen(cls, names: Iterable[str]) -> Bounds:
        """Boundaries that split ``names`` (in the order of names) into ``BUCKETS`` ranges
        of nearly the same size (a small catalog leaves some buckets empty)."""
        ordered = sorted(set(names))
        if not ordered:
            return cls(("",) * (BUCKETS - 1))
        count = len(ordered)
        return cls(tuple(ordered[min(count - 1, k * count // BUCKETS)] for k in range(1, BUCKETS)))

    def of(self, name: str) -> int:
        """The bucket of the credential file named ``name``."""
        return bisect.bisect_right(self.starts, name)

    @staticmethod
    def uneven(placed: Iterable[int]) -> bool:
        """Whether, with files in the buckets ``placed`` (one bucket a file), some bucket
        holds more than ``UNEVEN`` times its share of them (and more than ``UNEVEN_FLOOR``):
        files added in one range of names, say."""
        sizes = [0] * BUCKETS
        for n in placed:
            sizes[n] += 1
        return max(sizes) > max(UNEVEN * sum(sizes) / BUCKETS, UNEVEN_FLOOR)

    @classmethod
    def read(cls, path: Path) -> Bounds | None:
        """The boundaries kept at ``path``; None when missing, unreadable, of another
        format or number of buckets, or not in order."""
        held = read_pickle(path)
        if not (isinstance(held, dict) and held.get("format") == FORMAT):
            return None
        starts = held.get("starts")
        if not (isinstance(starts, tuple) and len(starts) == BUCKETS - 1):
            return None
        if not all(isinstance(start, str) for start in starts):
            return None
        if list(starts) != sorted(starts):
            return None
        return cls(starts)

    def write(self, path: Path) -> None:
        """Keep the boundaries at ``path`` (atomically) for the next builds."""
        write_pickle(path, {"format": FORMAT, "starts": self.starts})


@contextmanager
def paused_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile, and what was made kept out of its reach
    afterwards (``gc.freeze``, as ``workers._frozen`` does before a fork): unpickling
    10,000 kept checks makes a quarter of a million objects that live as long as the
    build, and the collector went over all of them again and again while they were made
    (a third of the time they took to load) and then in the next full collection."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


class Pickler(pickle.Pickler):
    """Pickles slotted dataclasses as a call with their values: a dataclass with slots
    unpickles through ``dataclasses.fields`` for every object (measured at 10,000 kept
    checks: 0.73 s of processor time to load them that way, 0.52 s this way).

    Equal strings among those values, and in tuples of them, are pickled once and
    unpickled as one object (``_shared``): each file's YAML is read into strings of its
    own, so 10,000 records held "O*NET", an assessment method or a rule's message
    thousands of times over. Measured at 10,000 credentials, the strings of the records
    and problems a build's parent received took 76 MB on the long shape and 44 MB on the
    college shape, of which 8 and 9 MB were distinct values (docs/performance.md,
    *Equal strings shared, and nothing held while Pagefind runs*)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._strings: dict[str, str] = {}

    def reducer_override(self, obj: Any) -> Any:
        """A slotted dataclass as a call with its (shared) values; anything else as
        pickle does."""
        kind = type(obj)
        if "__slots__" in kind.__dict__ and dataclasses.is_dataclass(kind):
            values = self._shared(slotted.values(obj))
            return (kind, values) if _plain(kind) else (slotted.made, (kind, values))
        return NotImplemented

    def _shared(self, values: Iterable[Any]) -> tuple:
        """``values`` with each string, also in a tuple, replaced by the first equal string
        this pickler met (pickle then writes it once and refers back to it)."""
        strings = self._strings
        shared = []
        for value in values:
            kind = type(value)
            if kind is str:
                value = strings.setdefault(value, value)
            elif kind is tuple and value and type(value[0]) is str:
                value = tuple(strings.setdefault(v, v) if type(v) is str else v for v in value)
            shared.append(value)
        return tuple(shared)


@functools.cache
def _plain(kind: type) -> bool:
    """Whether calling the dataclass with its field values remakes it (no ``__post_init__``,
    every field an argument): the quickest way, as it does no more than ``slotted.made``."""
    fields = dataclasses.fields(kind)
    return not hasattr(kind, "__post_init__") and all(f.init for f in fields)


class _KeptPickler(Pickler):
    """``Pickler`` for the kept checks: a credential's Markdown body is kept as a
    ``lean.HeldBody`` (its digest), not as its text. A kept record is read back in an edit
    build that renders only a few pages, so its body is read again from its file only
    when something shows it (``lean.body_of``: the credential's page, its share of
    ``/catalog.json``); the pages stage then need not copy every record to hold the bodies
    out (``lean.held_out``: a quarter of a second at 10,000), and the kept checks are
    smaller (a 9 KB body each on the long shape)."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Credential and obj.body and type(obj.body) is str:
            values = list(slotted.values(obj))
            values[_BODY] = lean.HeldBody(lean.body_digest(obj.body))  # not shared: unique
            return (Credential, self._shared(values))
        return super().reducer_override(obj)


_BODY = slotted.field_names(Credential).index("body")


class _UnsharedPickler(Pickler):
    """``Pickler`` without looking for equal strings: for a result read back only when
    nothing changed (the build record), where the look costs more than it saves."""

    def _shared(self, values: Iterable[Any]) -> tuple:
        return tuple(values)


def dumps(result: Any, bodies: bool = True, share: bool = True) -> bytes:
    """``result`` pickled (slotted dataclasses as ``Pickler`` pickles them); without
    ``bodies``, credentials' bodies held (``_KeptPickler``, which always shares equal
    strings); otherwise without ``share``, equal strings not looked for
    (``_UnsharedPickler``)."""
    buffer = io.BytesIO()
    kind = _KeptPickler if not bodies else Pickler if share else _UnsharedPickler
    kind(buffer, pickle.HIGHEST_PROTOCOL).dump(result)
    return buffer.getvalue()
