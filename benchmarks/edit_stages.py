"""Time one edit build's parts in-process: where an edit build's seconds go.

    python benchmarks/edit_stages.py CHECKOUT --content DIR [build options...]

Edits the summary of the first credential of ``DIR`` (in place: run it on a copy, built
at least twice before with the same checkout), then runs ``python build.py build`` from
``CHECKOUT`` in this process with wall-clock timers around the functions below, and
prints each one's seconds and calls, and the garbage collector's, after the build's own
stage lines. ``CHECKOUT`` is a checkout nobody edits meanwhile (code is an input of
every cache key). See docs/performance.md, *Fast edit render (issue 18)*.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import re
import sys
import time
from pathlib import Path

TIMED = [
    ("microcred.build.cache", "stamps"),
    ("microcred.build.cache", "Look.__init__"),
    ("microcred.build.cache", "Look.unchanged"),
    ("microcred.build.cache", "fingerprints"),
    ("microcred.rules.check", "check_catalog"),
    ("microcred.rules.check", "_check_kept"),
    ("microcred.content.load", "load_content"),
    ("microcred.build.incremental", "Incremental.keep_checked"),
    ("microcred.build.incremental", "Incremental.checked_files"),
    ("microcred.build.reuse", "KeptSite.take"),
    ("microcred.site.catalog_data", "credential_data"),
    ("microcred.site.catalog_data", "write_package"),
    ("microcred.site.catalog_data", "catalog_text"),
    ("microcred.site.catalog_data", "joined_data"),
    ("microcred.site.catalog_data", "_stream_parts"),
    ("microcred.site.pages", "write_pages"),
    ("microcred.build.reuse", "Reuse.kept"),
    ("microcred.site.templates", "SiteWriter.render"),
    ("microcred.build.reuse", "Reuse.finish"),
    ("microcred.build.manifest", "check_manifest"),
    ("microcred.build.manifest", "check_served"),
    ("microcred.build.reuse", "KeptSite.published"),
    ("microcred.build.workers", "_Fresh.outcome"),
]
"""Functions timed, by module and attribute (one a checkout lacks is left out)."""


def edit_first_summary(content: Path) -> None:
    """Change the summary of the first credential file of ``content`` (by name)."""
    path = sorted((content / "credentials").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    stamp = f" Edit {time.time_ns()}."
    edited, count = re.subn(
        r'^summary: "(.*?)( Edit \d+\.)?"$',
        lambda m: f'summary: "{m.group(1)}{stamp}"',
        text,
        count=1,
        flags=re.M,
    )
    if not count:
        edited = text.replace("\nsummary: ", f"\nsummary: {stamp.strip()} ", 1)
    path.write_text(edited, encoding="utf-8")


def _timed(timers: dict[str, list[float]], module: str, attribute: str) -> None:
    owner = importlib.import_module(module)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    entry = timers.setdefault(f"{module.rsplit('.', 1)[-1]}.{attribute}", [0.0, 0])

    @functools.wraps(original)
    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            entry[0] += time.perf_counter() - began
            entry[1] += 1

    setattr(owner, name, timed)


def main(argv: list[str]) -> int:
    """Edit, build with timers, print the timers; the build's exit status."""
    checkout, build_args = Path(argv[0]).resolve(), argv[1:]
    content = Path(build_args[build_args.index("--content") + 1])
    edit_first_summary(content)
    began = time.perf_counter()
    sys.path.insert(0, str(checkout))
    from microcred import cli

    timers: dict[str, list[float]] = {"import": [time.perf_counter() - began, 1]}
    for module, attribute in TIMED:
        with contextlib.suppress(ImportError, AttributeError):
            _timed(timers, module, attribute)
    collecting = {"seconds": 0.0, "runs": 0, "since": 0.0}

    def watch(phase: str, info: dict) -> None:
        if phase == "start":
            collecting["since"] = time.perf_counter()
        else:
            collecting["seconds"] += time.perf_counter() - collecting["since"]
            collecting["runs"] += 1

    gc.callbacks.append(watch)
    began = time.perf_counter()
    try:
        status = cli.main(["build", *build_args])
    finally:
        gc.callbacks.remove(watch)
        timers["garbage collector"] = [collecting["seconds"], collecting["runs"]]
        timers["whole command"] = [time.perf_counter() - began, 1]
        for name, (seconds, calls) in timers.items():
            print(f"  {name:36s} {seconds:7.3f} s  x{calls}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
