"""The floor for ``check``: read every content file and parse its YAML with the C loader.

Nothing else: no positions, no schema, no policy. ``check`` cannot be faster than
this in one process, so the benchmark states ``check`` as a multiple of it.

    python benchmarks/floor.py CONTENT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def parse_all(content: Path) -> int:
    """Parse every ``.yml`` file and the front matter of every ``.md`` file; count them."""
    count = 0
    for path in sorted(content.rglob("*")):
        if path.suffix not in (".yml", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = text.split("---\n", 2)[1]
        yaml.load(text, Loader=yaml.CSafeLoader)
        count += 1
    return count


if __name__ == "__main__":
    parse_all(Path(sys.argv[1]))
