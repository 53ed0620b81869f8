"""The output is held to a committed digest, so a change of code that was meant to change
nothing (a refactoring, a speed-up) is proved to change nothing, byte for byte.

Two catalogs: the sample in ``content/`` (one line per file, so a failure names the
files) and a generated one of 1,000 credentials (``benchmarks/generate.py``; one line per
kind of file, e.g. ``credentials/*/index.html``). Both are built without search (Pagefind
writes some index files in random order; see docs/reproducibility.md).

When the output is *meant* to change, look at what changed, then rewrite the digests::

    UPDATE_DIGESTS=1 python -m pytest tests/test_output_digest.py

and commit them with the change that explains them.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = Path(__file__).resolve().parent / "digests"
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

KINDS = (
    (re.compile(r"^credentials/[^/]+/"), "credentials/*/"),
    (re.compile(r"/v\d+/"), "/v*/"),
    (re.compile(r"^institutions/[^/]+/"), "institutions/*/"),
    (re.compile(r"^pathways/[^/]+/"), "pathways/*/"),
    (re.compile(r"^browse/(skills|careers)/[^/]+/"), r"browse/\1/*/"),
    (re.compile(r"/page/\d+/"), "/page/*/"),
)


def _build(content: Path, output: Path) -> Path:
    subprocess.run(
        [sys.executable, "build.py", "build", "--content", str(content), "--output", str(output),
         "--quiet", "--no-search", "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1764547200", "MICROCRED_CACHE": "off"},
        check=True,
        capture_output=True,
    )  # fmt: skip
    return output


def _per_file(site: Path) -> str:
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()[:16]}  {p.relative_to(site).as_posix()}"
        for p in sorted(site.rglob("*"))
        if p.is_file()
    ]
    return "\n".join(lines) + "\n"


def _kind(relative: str) -> str:
    for pattern, replacement in KINDS:
        relative = pattern.sub(replacement, relative)
    return relative


def _per_kind(site: Path) -> str:
    kinds: dict[str, hashlib._Hash] = defaultdict(hashlib.sha256)
    counts: dict[str, int] = defaultdict(int)
    for path in sorted(site.rglob("*")):
        if path.is_file():
            relative = path.relative_to(site).as_posix()
            kind = _kind(relative)
            kinds[kind].update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
            counts[kind] += 1
    lines = [f"{kinds[k].hexdigest()[:16]}  {counts[k]:>5}  {k}" for k in sorted(kinds)]
    return "\n".join(lines) + "\n"


def _compare(name: str, actual: str) -> None:
    expected_file = DIGESTS / name
    if os.environ.get("UPDATE_DIGESTS"):
        expected_file.write_text(actual, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    changed = sorted(set(expected.splitlines()) ^ set(actual.splitlines()), key=lambda x: x[18:])
    assert actual == expected, (
        f"the output differs from tests/digests/{name} (- committed, + now):\n"
        + "\n".join(("- " if line in expected else "+ ") + line for line in changed[:40])
    )


def test_the_sample_catalog_builds_to_its_committed_digest(tmp_path):
    _compare("sample.txt", _per_file(_build(ROOT / "content", tmp_path / "site")))


def test_a_generated_catalog_of_1000_builds_to_its_committed_digest(tmp_path):
    content = generate(tmp_path / "catalog", 1000, seed=0)
    _compare("generated-1000.txt", _per_kind(_build(content, tmp_path / "site")))
