"""Builds on many machines: what one job renders, and the parts an assemble joins.

A one-machine build renders everything. A sharded build splits it (see
``docs/sharded-builds.md``):

- an *institution job* (``build --institution ID``) checks the whole catalog, then renders
  only what belongs to its institutions (their credentials' pages, badge files and CTDL,
  the institution's own page, issuer and pathways) into a *part*: a folder holding those
  files and ``microcred-part.json``, which names the institutions and the digest of the
  inputs the part was built from;
- a *spanning job* (``build --spanning``) checks the whole catalog and renders only what
  spans institutions (the lists, ``catalog.json``, the data package, sitemap, feed, guides,
  assets) into a part of its own, at the same time as the institution jobs;
- ``assemble PART_DIR...`` joins the parts (hard links where it can) and publishes the
  whole as a one-machine build does. Given no spanning part, it checks the catalog and
  writes the spanning outputs itself.

``Scope`` is the one thing the output stages are told about this: which institutions'
outputs they render and whether they write the spanning ones. Every stage writer takes
it (``scope=EVERYTHING`` by default), and a per-credential loop skips the credentials of
other institutions before rendering anything.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from microcred.build.workers import workers
from microcred.build.writing import write_json
from microcred.reporting.errors import BuildError

PART_FILE = "microcred-part.json"
"""The record of a part, at its top (not hidden: artifact uploads leave hidden files out)."""
PART_FORMAT = 1
DATA_FOLDER = "data-parts"
"""In a part: its institutions' pieces of the per-credential data files, and where each
piece ends (``catalog_data.write_data_pieces``); not a file of the site."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Which outputs one build job writes.

    ``institutions`` are the ids whose per-institution outputs this job renders (None:
    every institution); ``spanning`` says whether it writes the outputs that span
    institutions.
    """

    institutions: frozenset[str] | None = None
    spanning: bool = True
    data_in_parts: bool = False
    """The per-credential data (each credential's entry in ``catalog.json`` and its CSV
    rows) is written by the institution jobs as pieces of a part (``DATA_FOLDER``) and
    joined by assemble, not written whole by the job that holds the spanning outputs
    (``build --institution`` and ``build --spanning``; assemble without a spanning part
    writes it whole)."""

    def renders(self, institution: str) -> bool:
        """Whether this job renders the outputs that belong to ``institution``."""
        return self.institutions is None or institution in self.institutions

    def of(self, items: Iterable, institution=lambda item: item.institution) -> list:
        """The ``items`` (credentials, pathways) whose institution this job renders."""
        return [item for item in items if self.renders(institution(item))]

    @property
    def whole(self) -> bool:
        """A one-machine build: every institution and the spanning outputs."""
        return self.institutions is None and self.spanning


EVERYTHING = Scope()
"""A one-machine build's scope."""
SPANNING_ONLY = Scope(frozenset(), True)
"""The assemble step's scope: the outputs that span institutions, no institution's own."""


def unknown_institution(wanted: str, known: Sequence[str]) -> str:
    """The message for an ``--institution`` id the catalog does not have."""
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.6)
    hint = f'; did you mean "{close[0]}"?' if close else "."
    return (
        f'there is no institution "{wanted}" in the catalog{hint} '
        f"The institution ids (file names in institutions/) are: {', '.join(known)}"
    )


@dataclass(frozen=True, slots=True)
class Part:
    """One job's output folder, as its ``microcred-part.json`` describes it."""

    folder: Path
    institutions: tuple[str, ...]
    """The institutions whose outputs the part holds."""
    spanning: bool
    """Whether it holds the outputs that span institutions."""
    digest: str
    """The digest of the inputs it was built from (content, code, libraries, options)."""
    files: tuple[str, ...]
    catalog: dict
    """What the catalog it was built from says that assemble needs without checking it:
    ``institutions`` (every id), ``credentials`` (how many are published), ``base_url``."""


def write_part_record(folder: Path, scope: Scope, digest: str, files, catalog: dict) -> Path:
    """Write ``microcred-part.json`` into a part of ``scope`` being built in ``folder``."""
    record = {
        "format": PART_FORMAT,
        "institutions": sorted(scope.institutions or ()),
        "spanning": scope.spanning,
        "digest": digest,
        "files": sorted(files),
        "catalog": catalog,
    }
    return write_json(Path(folder) / PART_FILE, record, indent=True)


def read_part(folder: Path) -> Part:
    """The part in ``folder``; a BuildError saying how to make one when it is not a part."""
    folder = Path(folder)
    record_file = folder / PART_FILE
    if not folder.is_dir():
        raise BuildError(
            f"the part folder {folder} does not exist; each part is the --output of "
            "`python build.py build --institution ID`"
        )
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        part = Part(
            folder,
            tuple(str(i) for i in record["institutions"]),
            record["spanning"] is True,
            str(record["digest"]),
            tuple(str(f) for f in record["files"]),
            {
                "institutions": [str(i) for i in record["catalog"]["institutions"]],
                "credentials": int(record["catalog"]["credentials"]),
                "base_url": str(record["catalog"]["base_url"]),
            },
        )
        if record.get("format") != PART_FORMAT:
            raise ValueError(record.get("format"))
    except (OSError, ValueError, KeyError, TypeError):
        raise BuildError(
            f"{folder} is not a part: it has no readable {PART_FILE} of this version; "
            "make it with `python build.py build --institution ID --output "
            f"{folder.as_posix()}`"
        ) from None
    return part


def check_parts(parts: Sequence[Part], institutions: Sequence[str], digest: str) -> None:
    """Refuse, naming the institution, unless ``parts`` cover every one of ``institutions``
    exactly once and were all built from the inputs whose digest is ``digest``."""
    owner: dict[str, Part] = {}
    problems: list[str] = []
    spanning = [part.folder.as_posix() for part in parts if part.spanning]
    if len(spanning) > 1:
        problems.append(
            f"{' and '.join(spanning)} both hold the outputs that span institutions; "
            "pass one `build --spanning` part"
        )
    for part in parts:
        for institution in part.institutions:
            if institution in owner:
                problems.append(
                    f'institution "{institution}" is in two parts: '
                    f"{owner[institution].folder.as_posix()} and {part.folder.as_posix()}; "
                    "pass each institution's part once"
                )
            elif institution not in institutions:
                problems.append(
                    f'the part {part.folder.as_posix()} holds institution "{institution}", '
                    "which the catalog does not have; leave that part out"
                )
            owner.setdefault(institution, part)
    for part in parts:
        if part.digest != digest:
            names = ", ".join(part.institutions)
            problems.append(
                f"the part {part.folder.as_posix()} (institution {names}) was built from "
                "other content, code or options than this catalog; rebuild it from the "
                f"same commit with the same options (its digest {part.digest[:12]}, "
                f"this catalog's {digest[:12]})"
            )
    for institution in institutions:
        if institution not in owner:
            problems.append(
                f'no part holds institution "{institution}"; build it with '
                f"`python build.py build --institution {institution}` and pass its --output"
            )
    if problems:
        listing = "\n  ".join(problems)
        raise BuildError(f"cannot assemble the site; the output is unchanged:\n  {listing}")


def copy_parts(parts: Sequence[Part], site: Path, taken: Iterable[str] = ()) -> list[str]:
    """Put each part's files into ``site`` (which already holds ``taken``, the spanning
    files when assemble wrote them); the files placed, relative to ``site``. Refuses a part
    missing a file its record lists, and a file two parts (or a part and the spanning
    outputs) both hold.

    A part's files are the ones its record lists (``Part.files``: every file its job
    produced; a job's sweep leaves no other), so the part folders are not walked again.
    Each file is a hard link to the part's when both folders are on one file system (the
    build never rewrites a file in place: every build writes into a fresh folder), else a
    copy. The folders are made and the files linked on as many threads as the build has
    workers: the file system's work is the kernel's, which two threads did on two cores in
    0.84-0.92 s against 1.37-2.18 s for one (111,753 files, ext4).
    """
    owner: dict[str, str] = {name: "the outputs that span institutions" for name in taken}
    placed: list[tuple[Part, str]] = []
    for part in parts:
        where = f"the part {part.folder.as_posix()}"
        for name in sorted(set(part.files)):
            if name in owner:
                raise BuildError(
                    f"{name} is in {where} and in {owner[name]}; "
                    "each file of the site belongs to one part"
                )
            owner[name] = where
            placed.append((part, name))
    folders = sorted({os.path.dirname(os.path.join(site, name)) for _, name in placed})
    threads = workers()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(_make_folders, [folders[i::threads] for i in range(threads)]))
        size = -(-len(placed) // threads) or 1
        slices = [placed[i : i + size] for i in range(0, len(placed), size)]
        missing = {
            name for lost in pool.map(_link_each, [site] * len(slices), slices) for name in lost
        }
    for part in parts if missing else ():
        lost = [name for owned, name in placed if owned is part and name in missing]
        if lost:
            where = f"the part {part.folder.as_posix()}"
            raise BuildError(
                f"{where} is incomplete: {lost[0]} (and {len(lost) - 1} more) is missing; "
                "rebuild it"
                if len(lost) > 1
                else f"{where} is incomplete: {lost[0]} is missing; rebuild it"
            )
    return [name for _, name in placed]


def _make_folders(folders: Iterable[str]) -> None:
    for folder in folders:
        os.makedirs(folder, exist_ok=True)


def _link_each(site: Path, placed: Sequence[tuple[Part, str]]) -> list[str]:
    """Link (or copy) each ``(part, name)`` into ``site``; the names whose file is missing."""
    missing = []
    for part, name in placed:
        try:
            _link_or_copy(os.path.join(part.folder, name), os.path.join(site, name))
        except FileNotFoundError:
            missing.append(name)
    return missing


def _link_or_copy(source: str, target: str) -> None:
    """``target`` as a hard link to ``source``, else (another file system) a copy of it."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


__all__ = [
    "DATA_FOLDER",
    "EVERYTHING",
    "PART_FILE",
    "SPANNING_ONLY",
    "Part",
    "Scope",
    "check_parts",
    "copy_parts",
    "read_part",
    "unknown_institution",
    "write_part_record",
]
