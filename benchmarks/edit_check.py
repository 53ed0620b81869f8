"""The check stage of an edit build, in processor seconds, step by step.

Runs what ``pipeline._checked`` runs with the cache on (the fingerprints and stamps,
the kept checks of ``build/checked.py``, ``check_catalog``, saving the kept checks)
several times over one content folder, in this process, and prints the processor
seconds of each step: the first run keeps every file's check, the later ones reuse
them (as an edit does for every file but the edited one). Processor seconds, because
on a shared machine wall seconds are mostly other people's work.

    python benchmarks/edit_check.py CONTENT_DIR [--runs 4] [--code CHECKOUT]

``--code`` times another checkout (such as the commit before a change); give each
checkout its own copy of the content, since the kept checks live beside it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    """Time the steps and print each run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--runs", type=int, default=4, help="runs after the first")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code))
    from microcred.build.incremental import Incremental
    from microcred.rules.check import check_catalog

    print(f"code: {Path(check_catalog.__code__.co_filename).parents[2]}")
    content = args.content.resolve()
    steps: dict[str, list[float]] = {}
    for run in range(args.runs + 1):
        clock = time.process_time
        began = clock()
        memory = Incremental(content, content.parent / "_site", {}, enabled=False, checks=True)
        prints = clock()
        kept = memory.checked_files()
        check_catalog(content, None, kept)
        checked = clock()
        memory.keep_checked(kept)
        done = clock()
        times = {
            "fingerprints and stamps": prints - began,
            "check_catalog": checked - prints,
            "saving the kept checks": done - checked,
            "the check stage": done - began,
        }
        print(f"run {run}: " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()))
        if run:
            for name, seconds in times.items():
                steps.setdefault(name, []).append(seconds)
    for name, seconds in steps.items():
        print(f"median {name}: {statistics.median(seconds):.2f} s")


if __name__ == "__main__":
    main()
