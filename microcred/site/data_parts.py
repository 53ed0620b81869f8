"""The per-credential data of a sharded build: pieces written by the jobs, joined by assemble.

``/catalog.json`` and the data package's per-credential CSVs (credentials, outcomes,
courses, skills, offerings, …) hold one piece per credential, in the catalog's order. In
a sharded build (``docs/sharded-builds.md``) each institution job writes its own
credentials' pieces, one file per data file, into its part's ``data-parts/`` folder
(``shards.DATA_FOLDER``), with ``layout.json``: its credentials in order, where each
piece ends and the SHA-256 of each file. The spanning job writes the rest of the
data (the small tables, ``datapackage.json``, the schema) and ``frame.json``: what comes
before and after the entries in ``catalog.json`` and every credential's slug and
institution in order; and it validates the whole package with ``frictionless`` (the
CSV rows made again from the checked catalog, in a scratch folder). Assemble joins the
pieces byte-for-byte (``join_pieces``), reading each part's files once from start to
end, and refuses a part whose pieces are not the ones its job wrote.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from microcred.build import workers
from microcred.build.reuse import Reuse
from microcred.build.shards import DATA_FOLDER, EVERYTHING, Part, Scope
from microcred.build.writing import csv_text, write_json, write_text
from microcred.content.model import Catalog
from microcred.reporting.errors import BuildError
from microcred.site import catalog_data
from microcred.site.catalog_data import SCHEMA_FILE, TABLES

LAYOUT = "layout.json"
"""In ``data-parts/``: an institution part's credentials, its pieces' ends and digests."""
FRAME = "frame.json"
"""In ``data-parts/``: the spanning part's frame of ``catalog.json`` and the order."""
FORMAT = 1


def _columns() -> list[tuple[str, str, bytes, bytes]]:
    """Each per-credential data file: its path in the site, its piece file in
    ``data-parts/``, the bytes between two credentials' pieces, and its header (the CSV
    header; ``catalog.json``'s frame comes from the spanning part)."""
    columns = [("catalog.json", "catalog.json.pieces", catalog_data.SEPARATORS[0], b"")]
    for table in TABLES:
        if table.per_credential:
            header = catalog_data._header(table)
            columns.append((f"data/{table.name}.csv", f"{table.name}.csv.pieces", b"", header))
    return columns


def write_data(
    catalog: Catalog, out: Path, reuse: Reuse | None = None, scope: Scope = EVERYTHING
) -> list[Path]:
    """The data stage of a job whose ``scope`` has the data in parts: its institutions'
    pieces (not files of the site) and, with the spanning outputs, the rest of the data;
    the site files written. A scope without ``data_in_parts`` writes the data whole
    (``catalog_data.write_data``)."""
    if not scope.data_in_parts:
        return catalog_data.write_data(catalog, out, reuse, scope=scope)
    if scope.institutions:
        write_pieces(catalog, out, scope)
    if not scope.spanning:
        return []
    return write_frame(catalog, out)


def write_pieces(catalog: Catalog, out: Path, scope: Scope) -> Path:
    """Write the pieces of the credentials of ``scope``'s institutions into
    ``out/data-parts/`` with their ``layout.json``; the layout's path."""
    folder = out / DATA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    tables = [table for table in TABLES if table.per_credential]
    columns = _columns()
    slugs: list[str] = []
    ends: list[list[int]] = [[] for _ in columns]
    hashes = [hashlib.sha256() for _ in columns]
    at = [0] * len(columns)
    handles = [open(folder / piece, "wb") for _, piece, _, _ in columns]  # noqa: SIM115
    try:
        for credential in scope.of(catalog.credentials):
            entry, lines = catalog_data._parts_of(catalog, credential, tables)
            for which, piece in enumerate([entry.encode(), *(line.encode() for line in lines)]):
                handles[which].write(piece)
                hashes[which].update(piece)
                at[which] += len(piece)
                ends[which].append(at[which])
            slugs.append(credential.slug)
    finally:
        for handle in handles:
            handle.close()
    layout = {
        "format": FORMAT,
        "credentials": slugs,
        "files": [
            {
                "file": name,
                "pieces": piece,
                "ends": ends[which],
                "sha256": hashes[which].hexdigest(),
            }
            for which, (name, piece, _, _) in enumerate(columns)
        ],
    }
    return write_json(folder / LAYOUT, layout)


def _validate(catalog: Catalog) -> None:
    """Validate the whole data package with ``frictionless``, in the background: a
    scratch copy of the small tables and every credential's CSV rows (made here from the
    checked catalog: the same content and code the institution jobs' pieces are made from,
    as the parts' digests ensure), removed afterwards.

    The spanning job does this rather than the institution jobs: on a two-core machine the
    validation took the processor the institution jobs' rendering needed, and made them
    the slowest jobs (``docs/performance.md``, *The spanning job without the data*)."""
    scratch = Path(tempfile.mkdtemp(prefix="microcred-data-part-"))
    tables = [table for table in TABLES if table.per_credential]
    handles = {table.name: open(scratch / f"{table.name}.csv", "wb") for table in tables}  # noqa: SIM115
    try:
        for table in tables:
            handles[table.name].write(catalog_data._header(table))
        for credential in catalog.credentials:
            for table in tables:
                handles[table.name].write(csv_text(table.rows(catalog, credential)).encode())
    finally:
        for handle in handles.values():
            handle.close()
    for table in TABLES:
        if not table.per_credential:
            body = csv_text(table.rows(catalog)).encode()
            write_text(scratch / f"{table.name}.csv", catalog_data._header(table) + body)
    write_json(scratch / "datapackage.json", catalog_data.package_descriptor(catalog), indent=True)
    workers.in_background(
        catalog_data._validate_package, str(scratch / "datapackage.json"), str(scratch), fresh=True
    )


def write_frame(catalog: Catalog, out: Path) -> list[Path]:
    """The spanning job's data: the tables that are not per credential, the package
    descriptor and the schema (files of the site), and ``data-parts/frame.json``; the
    whole package validated in the background (``_validate``)."""
    folder = out / "data"
    written = []
    for table in TABLES:
        if not table.per_credential:
            body = csv_text(table.rows(catalog)).encode()
            written.append(
                write_text(folder / f"{table.name}.csv", catalog_data._header(table) + body)
            )
    written.append(
        write_json(
            folder / "datapackage.json", catalog_data.package_descriptor(catalog), indent=True
        )
    )
    schema = folder / "catalog.schema.json"
    schema.write_bytes(SCHEMA_FILE.read_bytes())
    written.append(schema)
    before, after = catalog_data._catalog_around(catalog)
    frame = {
        "format": FORMAT,
        "before": before.decode(),
        "after": after.decode(),
        "order": [[c.slug, c.institution] for c in catalog.credentials],
    }
    (out / DATA_FOLDER).mkdir(parents=True, exist_ok=True)
    write_json(out / DATA_FOLDER / FRAME, frame)
    _validate(catalog)
    return written


def join_pieces(site: Path, spanning: Part, parts: Sequence[Part]) -> list[Path]:
    """Write ``catalog.json`` and the per-credential CSVs into ``site`` from the pieces of
    ``parts`` in the order ``spanning``'s frame gives; the files written. Refuses (a
    ``BuildError`` naming the part) a part whose layout is missing, lists other
    credentials than the catalog gives its institutions, or whose pieces are not the bytes
    its job wrote (their length or SHA-256)."""
    try:
        return _join(site, spanning, parts)
    except (KeyError, TypeError, ValueError, StopIteration):
        raise BuildError(
            f"the data pieces of the parts do not fit together ({DATA_FOLDER}/{LAYOUT} or "
            f"{FRAME} is not as a job writes it); rebuild the parts from the same commit"
        ) from None


def _join(site: Path, spanning: Part, parts: Sequence[Part]) -> list[Path]:
    frame = _read(spanning, FRAME)
    order = [(str(slug), str(institution)) for slug, institution in frame["order"]]
    owner: dict[str, Part] = {}
    layouts: dict[Path, dict] = {}
    for part in parts:
        if not part.institutions:
            continue
        layout = layouts[part.folder] = _read(part, LAYOUT)
        mine = set(part.institutions)
        expected = [slug for slug, institution in order if institution in mine]
        counts = {len(entry["ends"]) for entry in layout["files"]}
        if layout["credentials"] != expected or counts - {len(expected)}:
            raise BuildError(
                f"the part {part.folder.as_posix()} holds the data of other credentials "
                f"than the catalog gives its institutions ({len(layout['credentials'])} "
                f"against {len(expected)}); rebuild it from the same commit"
            )
        for institution in part.institutions:
            owner[institution] = part
    written = []
    for which, (name, _, separator, header) in enumerate(_columns()):
        head, tail = (
            (frame["before"].encode(), frame["after"].encode()) if which == 0 else (header, b"")
        )
        written.append(
            _join_column(site, name, which, head, tail, separator, order, owner, layouts)
        )
    return written


def _join_column(site, name, which, head, tail, separator, order, owner, layouts) -> Path:
    """One data file joined: ``head``, each credential's piece from its part's file in
    ``order`` (each part's file read once, start to end), ``tail``."""
    target = site / name
    if target.exists():
        raise BuildError(
            f"a part holds {name}, which assemble writes from the parts' data pieces; "
            "rebuild the parts from the same commit"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    readers: dict[Path, tuple] = {}
    try:
        for folder, layout in layouts.items():
            entry = layout["files"][which]
            if entry["file"] != name:
                raise BuildError(
                    f"the part {folder.as_posix()} has no pieces of {name}; rebuild it"
                )
            ends = entry["ends"]
            lengths = [end - start for start, end in zip([0, *ends[:-1]], ends, strict=True)]
            handle = open(folder / DATA_FOLDER / entry["pieces"], "rb")  # noqa: SIM115
            readers[folder] = (handle, iter(lengths), hashlib.sha256(), entry["sha256"])
        with open(target, "wb") as joined:
            joined.write(head)
            for position, (_, institution) in enumerate(order):
                part = owner[institution]
                handle, lengths, digest, _ = readers[part.folder]
                piece = handle.read(next(lengths))
                digest.update(piece)
                if position:
                    joined.write(separator)
                joined.write(piece)
            joined.write(tail)
        for folder, (handle, _, digest, recorded) in readers.items():
            if handle.read(1) or digest.hexdigest() != recorded:
                raise BuildError(
                    f"the part {folder.as_posix()} has data pieces its job did not write "
                    f"({DATA_FOLDER}/{Path(handle.name).name} differs from its "
                    f"{LAYOUT}); rebuild the part"
                )
    finally:
        for handle, *_ in readers.values():
            handle.close()
    return target


def _read(part: Part, name: str) -> dict:
    """``data-parts/<name>`` of ``part``; a BuildError naming the part when it is missing
    or unreadable."""
    path = part.folder / DATA_FOLDER / name
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("format") != FORMAT:
            raise ValueError(record.get("format"))
    except (OSError, ValueError, AttributeError):
        raise BuildError(
            f"the part {part.folder.as_posix()} has no readable {DATA_FOLDER}/{name}; "
            "rebuild it from the same commit"
        ) from None
    return record


__all__ = ["FRAME", "LAYOUT", "join_pieces", "write_data", "write_frame", "write_pieces"]
