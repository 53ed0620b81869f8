"""The build cache: a rebuild whose inputs have not changed does no work.

Owns the fingerprint of a build and the record of the last build of each output
folder. The fingerprint is a SHA-256 over everything the build depends on: every
content file's path, size and BLAKE2b hash of its bytes, the URL manifest, every file of the code
(``microcred/``), the theme and the schemas, the versions of the libraries that
shape output, the build options, ``SOURCE_DATE_EPOCH``, and what shapes only the build's
messages: the date the checks compare with (the review-overdue and approval-date rules
read it), ``--strict``, ``--check-links`` and the working folder. A template, config or
code change therefore changes the fingerprint and invalidates everything; the units of
output (``reuse.py``) are keyed without the messages' settings (``fingerprints``' shared
hash).

After a successful build the fingerprint is recorded beside the identity of the
output folder that was published (its inode and modification time: the staging
folder renamed into place keeps them until something is added or removed at its
top level). The next build with the same fingerprint and the same, untouched
output folder is answered from the record: the problems found last time, the
counts, and no file rendered or rewritten. Anything else builds from scratch, so a
cached build can never differ from a clean one.

With the cache on, a file whose stat signature is as the last build recorded it (and was
not racy then) is not read again to be hashed (``Hashes``); a restored cache on a fresh
checkout has new signatures everywhere, so every file is read there.

The cache lives in ``.cache/microcred/`` beside the content folder (git-ignored);
``MICROCRED_CACHE=off`` disables it and ``MICROCRED_CACHE=DIR`` moves it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from microcred.build import checked
from microcred.build.writing import (
    folder_identity,
    library_versions,
    output_key,
    read_pickle,
    replace_atomically,
    write_pickle,
)
from microcred.locations import DOCS, PACKAGE, SCHEMA, THEME

CODE = {"microcred": PACKAGE, "theme": THEME, "schema": SCHEMA, "docs": DOCS}
"""The generator's own files: a change to any of them changes every fingerprint."""
"""Folders of the project whose files shape the output (``docs`` holds the guides)."""
LIBRARIES = (
    "jinja2",
    "markdown-it-py",
    "markupsafe",
    "pyyaml",
    "frictionless",
    "pagefind",
    "pagefind-bin",
)
FORMAT = 3
"""Bumped when the record's layout changes."""


@dataclass(frozen=True, slots=True)
class Record:
    """What a finished build leaves for the next one to reuse."""

    fingerprint: str
    output: list[int] | None
    """The output folder's identity when it was published (``folder_identity``)."""
    problems: tuple
    files_read: int
    credentials: int
    files: dict[str, int]


def cache_dir(content: Path) -> Path | None:
    """The cache folder for a content folder, or None when ``MICROCRED_CACHE=off``."""
    chosen = os.environ.get("MICROCRED_CACHE", "")
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen)
    return Path(content).resolve().parent / ".cache" / "microcred"


def _walk(folder: Path, folders: list | None = None) -> list[tuple[str, str]]:
    """Every file under ``folder`` (as ``sorted(folder.rglob("*"))`` orders them, files
    only, no ``__pycache__``): its path below ``folder`` in POSIX form, and its path.

    With ``os.scandir`` (a directory entry knows whether it is a file): ``rglob`` with
    ``Path.is_file`` took half a second at 10,000 credentials. With ``folders``, each
    folder walked is added to it with its stat result, taken before it is listed
    (``Look``)."""
    found: list[tuple[tuple[str, ...], str]] = []

    def visit(at: str, parts: tuple[str, ...]) -> None:
        try:
            if folders is not None:
                folders.append((at, os.stat(at)))
            entries = list(os.scandir(at))
        except OSError:
            return
        for entry in entries:
            try:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        visit(entry.path, (*parts, entry.name))
                elif entry.is_file():
                    found.append(((*parts, entry.name), entry.path))
            except OSError:
                continue

    if os.path.isdir(folder) and "__pycache__" not in Path(folder).parts:
        visit(os.fspath(folder), ())
    found.sort()
    return [("/".join(parts), path) for parts, path in found]


def stamps(content: Path) -> tuple[tuple[str, int, int], ...]:
    """Each content file's path, modification time and size. Taken before the files are
    hashed and again after the build: a file saved meanwhile means the build may have
    read other bytes than it hashed, so nothing of it is kept for reuse."""
    return stamps_of(path for _, path in _walk(Path(content)))


class Look:
    """A build's first look at its content folder: each file's stamp (``stamps``) and
    stat result, and each folder's, to tell at a later look whether a file was saved,
    added or removed meanwhile (``unchanged``).

    A later look stats the files first seen and then the folders instead of walking the
    folder again: a file added, removed or renamed changes its folder's modification and
    change times, and a file saved changes its own stamp. When a folder's times were
    within ``RACY_NS`` of the first look (a file added in the same tick of the file
    system's clock as the folder was listed may leave them as they were), or a folder's
    times or inode differ, the later look walks the whole folder again and compares the
    stamps, as every look did until issue 18's fifth session (at 10,000 credentials the
    walk is about 0.03 s of each look's 0.06 s). The files' stat results stand for the
    first stat of the hashing (``fingerprints``)."""

    def __init__(self, content: Path):
        self.content = Path(content)
        self.started = started = time.time_ns()
        """When the first look began (before any file's stat result was taken)."""
        folders: list[tuple[str, os.stat_result]] = []
        self.files = _walk(self.content, folders)
        """Each file's name below the folder and path, as ``_walk`` gives them."""
        infos, stamped = [], []
        for _, path in self.files:
            try:
                info = os.stat(path)
            except OSError:
                info = None
            infos.append(info)
            if info is not None:
                stamped.append((path, info.st_mtime_ns, info.st_size))
        self.infos: list[os.stat_result | None] = infos
        self.stamps = tuple(stamped)
        """What ``stamps`` gives for the folder, as first seen."""
        self.folders = [(path, _folder_signature(info)) for path, info in folders]
        self.racy = not folders or any(
            max(info.st_mtime_ns, info.st_ctime_ns) + RACY_NS >= started for _, info in folders
        )

    def unchanged(self) -> bool:
        """Whether every file of the folder has the stamp it had at the first look, and
        no file was added or removed since."""
        if not self.racy:
            paths = (path for (_, path), info in zip(self.files, self.infos, strict=True) if info)
            if stamps_of(paths) != self.stamps:  # a file saved or removed
                return False
            if self._folders_unchanged():  # (after the files: nothing added meanwhile)
                return True
        # A folder changed (an editor's swap file, say) or its times say nothing: walk.
        return stamps(self.content) == self.stamps

    def _folders_unchanged(self) -> bool:
        for path, signature in self.folders:
            try:
                if _folder_signature(os.stat(path)) != signature:
                    return False
            except OSError:
                return False
        return True


def _folder_signature(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def stamps_of(paths: Iterable[Path | str]) -> tuple[tuple[str, int, int], ...]:
    """Each path with its modification time and size; a file gone meanwhile is left out."""
    found = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Hashes of a build's inputs (see ``fingerprints``)."""

    whole: str
    shared: str
    credentials: dict[str, str]
    """The hash of each credential file's bytes, by its slug (``content/credentials/<slug>.md``)."""
    code: str = ""
    """The hash of the generator's own files (``CODE``) alone (see ``checked.py``)."""


def fingerprints(
    content: Path,
    extra_files: tuple[Path, ...],
    settings: dict,
    known: Hashes | None = None,
    look: Look | None = None,
    said: dict | None = None,
) -> Fingerprints:
    """Hashes of a build's inputs: of everything, of everything but the credential files,
    and of each credential file.

    The first decides whether anything changed at all. The second is what every unit
    of output shares (``reuse.py``): code, theme, schemas, libraries, settings,
    institutions, pathways, frozen versions and the site file. A unit adds the
    credentials it shows, each by the hash of its file (a credential's record is made
    from its file alone). ``said`` holds the settings that shape only what the build
    says, never a file it writes (the date the checks compare with, the folder messages
    name paths from): they are part of the first hash alone, so a build on another day
    or from another folder keeps the pages whose inputs are unchanged.

    Each is a SHA-256 over every input's name, size and BLAKE2b hash of its bytes. With
    ``known`` (the cache on), a file whose stat signature is as ``known`` recorded it and
    was not racy then is not read again (``Hashes``); ``known`` is updated with what was
    read. With ``look`` (the build's first ``Look`` at ``content``), its list of the
    content files and their stat results are used, not a walk and a stat of each again.
    """
    whole = hashlib.sha256(f"microcred-cache {FORMAT}\n".encode())
    shared = hashlib.sha256(f"microcred-shared {FORMAT}\n".encode())
    content = Path(content)
    if look is not None and known is not None:  # its signatures were taken from then on
        known.started = min(known.started, look.started)
    walked = look.files if look is not None else _walk(content)
    infos = look.infos if look is not None else [None] * len(walked)
    sources = [(f"content/{name}", path) for name, path in walked]
    for label, folder in CODE.items():
        sources += [(f"code/{label}/{name}", path) for name, path in _walk(folder)]
    extras = [(f"extra/{p.name}", os.fspath(p)) for p in extra_files if p.is_file()]
    infos = [*infos, *[None] * (len(sources) + len(extras) - len(infos))]
    credentials = {}
    code = hashlib.sha256(f"microcred-code {FORMAT}\n".encode())
    hashes = known if known is not None else Hashes()
    for (name, path), info in zip(sources + extras, infos, strict=True):
        try:
            size, digest = hashes.digest(path, info)
        except OSError:  # gone since the walk: a later look sees it, and nothing is kept
            continue
        line = f"{name}\0{size}\0{digest}\n".encode()
        whole.update(line)
        if name.startswith("code/"):
            code.update(line)
        if _is_credential(name):
            credentials[os.path.basename(path)[: -len(".md")]] = digest
        elif not name.startswith("extra/"):
            shared.update(line)
    rest = (
        library_versions(LIBRARIES).encode(),
        json.dumps(settings, sort_keys=True, default=str).encode(),
        os.environ.get("SOURCE_DATE_EPOCH", "").encode(),
    )
    for digest in (whole, shared):
        for part in rest:
            digest.update(part)
    whole.update(json.dumps(said or {}, sort_keys=True, default=str).encode())
    return Fingerprints(whole.hexdigest(), shared.hexdigest(), credentials, code.hexdigest())


RACY_NS = 2_000_000_000
"""How close (in nanoseconds) before its signatures were taken a file's modification time
may be for its signature to be trusted next time: a file saved in the same tick of the
file system's clock as it was hashed may change again without its time changing (git's
"racily clean" index entries). Two seconds covers the coarsest clocks (FAT's)."""


class Hashes:
    """The hash of each input file's bytes by its path, with the stat signature it had
    (size, modification and change times, inode, device) when it was read, kept in
    ``.cache/microcred/hashes/`` between builds.

    A file is read and hashed again unless its signature is exactly the one recorded and
    its modification time was at least ``RACY_NS`` older than the moment the signatures
    were taken (a file written in the same instant could change again with the same
    times). Its change time moves with any write or ``utime``, and a CI cache restored
    onto a fresh checkout gives every file a new inode and new times, so hashing stays
    the truth there: the table only saves reading files nobody touched.
    """

    FORMAT = 1

    def __init__(self, path: Path | None = None):
        self.path = path
        kept = read_pickle(path) if path is not None else None
        valid = isinstance(kept, dict) and kept.get("format") == self.FORMAT
        self.before: dict[str, tuple] = kept["entries"] if valid else {}
        self.taken: int = kept["taken"] if valid else 0
        self.now: dict[str, tuple] = {}
        self.started = time.time_ns()
        self.read = 0
        """Files read and hashed by this build (the others answered by their signature)."""

    def digest(self, path: str, info: os.stat_result | None = None) -> tuple[int, str]:
        """The size and BLAKE2b hash (16 bytes, hex) of the file at ``path``; ``info`` is
        its stat result when the caller took it (``Look``), before anything was read."""
        info = info if info is not None else os.stat(path)
        signature = _signature(info)
        entry = self.before.get(path)
        if entry is not None and entry[0] == signature and info.st_mtime_ns + RACY_NS < self.taken:
            self.now[path] = entry
            return info.st_size, entry[1]
        with open(path, "rb") as file:
            data = file.read()
            after = os.fstat(file.fileno())
        self.read += 1
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if _signature(after) == signature:  # not saved while it was read
            self.now[path] = (signature, digest)
        return len(data), digest

    def save(self) -> None:
        """Keep this build's table for the next (only when a file was read)."""
        if self.path is not None and (self.read or self.now.keys() != self.before.keys()):
            write_pickle(
                self.path, {"format": self.FORMAT, "taken": self.started, "entries": self.now}
            )


def _signature(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def hashes_for(store: Path | None, content: Path) -> Hashes:
    """The kept hashes of ``content``'s build (``Hashes``) in the cache folder ``store``."""
    if store is None:
        return Hashes()
    return Hashes(store / "hashes" / f"{output_key(content)}.pickle")


def _is_credential(name: str) -> bool:
    """A credential file: ``content/credentials/<slug>.md`` (anything deeper is shared)."""
    folder, _, file = name.rpartition("/")
    return folder == "content/credentials" and file.endswith(".md")


def _record_path(cache: Path, output: Path) -> Path:
    return cache / "builds" / f"{output_key(output)}.pickle"


RECORD_FORMAT = 2
"""Bumped when a build record's layout changes (``record_build``)."""


def previous_build(cache: Path | None, output: Path, print_: str) -> Record | None:
    """The record of the last build into ``output`` when it had fingerprint ``print_``
    and the output folder is still the one it published; otherwise None.

    The record is read only past its head (format, fingerprint, folder identity): a build
    whose inputs changed does not unpickle the last build's problems (tens of thousands on
    a large catalog, a quarter of a second) only to drop them."""
    if cache is None:
        return None
    try:
        with open(_record_path(cache, output), "rb") as handle:
            head = pickle.load(handle)
            if head != [RECORD_FORMAT, print_, folder_identity(output)]:
                return None
            record = pickle.load(handle)
    except Exception:  # missing, truncated, foreign or outdated: nothing kept
        return None
    return record if isinstance(record, Record) else None


def record_build(cache: Path | None, output: Path, record: Record) -> None:
    """Remember a finished build (atomically: a half-written record is never read): its
    head, then the record."""
    if cache is None:
        return
    identity = folder_identity(output)
    if identity is None:
        return
    record = Record(
        record.fingerprint,
        identity,
        record.problems,
        record.files_read,
        record.credentials,
        dict(record.files),
    )
    head = [RECORD_FORMAT, record.fingerprint, identity]
    # The problems pickled as calls with their values (``checked.dumps``): 35,000 of them
    # took 0.2-0.3 s to write as slotted dataclasses, 0.1 s this way, and load faster too.
    # Equal strings are not looked for: the record is read back only by a build that
    # changes nothing, and the look took a third of the write (0.38 s against 0.25 s for
    # 35,000 problems of the college shape; the pickle was no larger without it).
    data = b"".join(checked.dumps(part, share=False) for part in (head, record))
    replace_atomically(_record_path(cache, output), data)


def forget_build(cache: Path | None, output: Path) -> None:
    """Drop the record of ``output`` (before a build replaces it)."""
    if cache is not None:
        _record_path(cache, output).unlink(missing_ok=True)
