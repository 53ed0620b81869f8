"""A build reads only the input files whose stat signature changed (``cache.Hashes``).

The fingerprints hash every input file's bytes. With the cache on, the hash of a file is
kept with its stat signature (size, modification and change times, inode, device), and a
file whose signature is exactly as recorded is not read again, unless its modification
time was racy: within ``RACY_NS`` of the moment the signatures were taken, when the file
could have changed again without its times changing (git's "racily clean" entries). The
hash stays the truth: a cache restored onto a fresh checkout (new inodes and times) reads
every file again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import SITES

from microcred.build import cache
from microcred.build.writing import write_pickle

SITE = SITES / "minimal" / "content"
"""A small, valid catalog."""


def _copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SITE, content)
    return content


def _aged(content: Path, seconds: float = 60) -> None:
    """Every file's modification time moved ``seconds`` into the past (as an unchanged
    file of a real catalog is): its signature is then not racy."""
    for path in content.rglob("*"):
        if path.is_file():
            info = path.stat()
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - int(seconds * 1e9)))


def _prints(content: Path, table: Path) -> tuple[cache.Fingerprints, cache.Hashes]:
    known = cache.Hashes(table)
    found = cache.fingerprints(content, (), {}, known)
    known.save()
    return found, known


def test_unchanged_files_are_not_read_again_and_the_prints_are_the_same(tmp_path):
    content = _copy(tmp_path)
    _aged(content)
    table = tmp_path / "hashes.pickle"
    first, known = _prints(content, table)
    assert known.read > 0
    again, known = _prints(content, table)
    assert known.read == 0
    assert again == first == cache.fingerprints(content, (), {})


def test_an_edited_file_is_read_again_and_changes_the_prints(tmp_path):
    content = _copy(tmp_path)
    _aged(content)
    table = tmp_path / "hashes.pickle"
    first, _ = _prints(content, table)
    edited = next(iter(sorted((content / "credentials").glob("*.md"))))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    again, known = _prints(content, table)
    assert known.read == 1
    assert again.whole != first.whole
    assert again.credentials[edited.stem] != first.credentials[edited.stem]
    assert again == cache.fingerprints(content, (), {})


def test_a_file_changed_under_an_unchanged_signature_is_read_when_its_time_was_racy(tmp_path):
    """The table says a file had these bytes with this signature, but the signatures were
    taken within ``RACY_NS`` of its modification time: the file is read again, and the
    prints are those of its real bytes. The same table taken long after is trusted."""
    content = _copy(tmp_path)
    path = next(iter(sorted((content / "credentials").glob("*.md"))))
    info = os.stat(path)
    signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    table = tmp_path / "hashes.pickle"
    stale = "0" * 32  # what the table claims the bytes hashed to
    reads = {}  # files read, by whether the table was trusted
    for taken, trusted in ((info.st_mtime_ns + 1, False), (info.st_mtime_ns + 10**10, True)):
        write_pickle(
            table,
            {
                "format": cache.Hashes.FORMAT,
                "taken": taken,
                "entries": {os.fspath(path): (signature, stale)},
            },
        )
        found, known = _prints(content, table)
        reads[trusted] = known.read
        if trusted:
            assert found.credentials[path.stem] == stale
        else:
            assert found.credentials[path.stem] != stale
            assert found == cache.fingerprints(content, (), {})
    assert reads[False] == reads[True] + 1  # the table knows that one file only


def test_a_restored_copy_reads_every_file_again(tmp_path):
    """A CI cache restored into a fresh checkout: the same paths, new inodes and times."""
    content = _copy(tmp_path)
    _aged(content)
    table = tmp_path / "hashes.pickle"
    first, _ = _prints(content, table)
    shutil.move(content, tmp_path / "old")
    shutil.copytree(tmp_path / "old", content)  # every file created anew
    _aged(content, 120)
    again, known = _prints(content, table)
    files = sum(1 for p in content.rglob("*") if p.is_file())
    assert known.read >= files
    assert again == first
