"""Per-process memory of one build, stage by stage (issue 18, item 5).

``bench.timed`` samples the PSS of the whole process tree; this samples each process apart
(PSS, RSS and private memory from ``/proc/PID/smaps_rollup``, every 20 ms) and prints, at
each stage's peak, what every process held: the build's own process (parent), its forks
(render and badge workers, the check's process), fresh interpreters (the data package's
validation) and Pagefind. With ``SERIES=1`` it also prints the pages stage every 0.5 s.

    python benchmarks/process_peaks.py CHECKOUT CONTENT OUTPUT [build options]

It removes ``CONTENT/../.cache`` and ``OUTPUT`` first (a cold build, cache on and empty),
then runs ``python build.py build --content CONTENT --output OUTPUT`` in ``CHECKOUT`` with
``PYTHONPATH=CHECKOUT``. Linux only. See docs/performance.md, *Memory on the long shape:
bodies out of the parent*.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench

FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty")


def _process(pid: int) -> dict | None:
    """One process's memory (MB) and command line, or None when it has gone."""
    found: dict = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                name, _, value = line.partition(":")
                if name in FIELDS:
                    found[name] = int(value.split()[0]) / 1024
        with open(f"/proc/{pid}/comm", encoding="ascii", errors="replace") as handle:
            found["comm"] = handle.read().strip()
        with open(f"/proc/{pid}/cmdline", encoding="utf-8", errors="replace") as handle:
            found["cmd"] = handle.read()
    except OSError:
        return None
    return found


def _kind(pid: int, root: int, procs: dict) -> str:
    if pid == root:
        return "parent"
    if procs[pid]["comm"].startswith(bench.PAGEFIND):
        return "pagefind"
    return "fork" if procs[pid]["cmd"] == procs[root]["cmd"] else "fresh"


def main() -> None:
    """Run the build given on the command line and print its per-process peaks."""
    checkout, content, output, *extra = sys.argv[1:]
    shutil.rmtree(Path(content).resolve().parent / ".cache", ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "build.py", "build", "--content", content, "--output", output]
    bench.compiled(Path(checkout).resolve())
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, *extra],
        cwd=checkout,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": checkout},
    )
    samples: list[tuple[float, dict]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            procs = {pid: d for pid in bench._descendants(process.pid) if (d := _process(pid))}
            samples.append((time.perf_counter(), procs))
            done.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    marks, lines = [], []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if found := bench.FINISHED.match(line):
            marks.append((time.perf_counter(), found.group(1)))
    process.wait()
    seconds = time.perf_counter() - started
    done.set()
    thread.join()
    if process.returncode:
        raise SystemExit("".join(lines[-30:]))
    print(next((x.strip() for x in reversed(lines) if x.startswith("Built ")), ""))
    print(f"wall {seconds:.1f}s")
    _peaks(process.pid, samples, marks)
    if os.environ.get("SERIES"):
        _series(process.pid, samples, marks)


def _stage(when: float, marks: list) -> str:
    return next((name for at, name in marks if when <= at), bench.AFTER_STAGES)


def _peaks(root: int, samples: list, marks: list) -> None:
    best: dict[str, tuple[float, dict]] = {}
    for when, procs in samples:
        total = sum(d["Pss"] for d in procs.values())
        stage = _stage(when, marks)
        if total > best.get(stage, (0.0, {}))[0]:
            best[stage] = (total, procs)
    print(f"whole peak {max(total for total, _ in best.values()):.0f} MB")
    for stage in [name for _, name in marks] + [bench.AFTER_STAGES]:
        if stage not in best:
            continue
        total, procs = best[stage]
        parts = [
            f"{_kind(pid, root, procs)}[pss {d['Pss']:.0f} rss {d['Rss']:.0f} "
            f"priv {d['Private_Clean'] + d['Private_Dirty']:.0f}]"
            for pid, d in sorted(procs.items())
        ]
        print(f"{stage:10s} {total:5.0f}  " + " ".join(parts))


def _series(root: int, samples: list, marks: list) -> None:
    bounds = dict((name, at) for at, name in marks)
    start, end = bounds.get("data"), bounds.get("pages")
    if start is None or end is None:
        return
    last = 0.0
    for when, procs in samples:
        if not start <= when <= end or when - last < 0.5 or root not in procs:
            continue
        last = when
        kinds = {pid: _kind(pid, root, procs) for pid in procs}
        forks = " ".join(
            f"{d['Pss']:.0f}/{d['Private_Dirty']:.0f}"
            for pid, d in procs.items()
            if kinds[pid] == "fork"
        )
        total = sum(d["Pss"] for d in procs.values())
        parent = procs[root]
        print(
            f"  t+{when - start:5.1f}s total {total:4.0f} parent {parent['Pss']:4.0f} "
            f"(private {parent['Private_Dirty']:4.0f}) forks (PSS/private) {forks}"
        )


if __name__ == "__main__":
    main()
