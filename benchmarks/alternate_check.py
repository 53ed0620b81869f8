"""``check`` of several checkouts against the floor, alternated, with medians.

    python benchmarks/alternate_check.py CONTENT RUNS CHECKOUT...

Each run times the floor (``floor.py``), then ``python build.py check --content CONTENT``
in each checkout (its own ``microcred``), and prints for each the median wall seconds
and the median processor seconds (user + system, worker processes included) and both as
a multiple of the floor's. Alternating keeps a shared machine's changing load from
favouring one checkout; the processor ratio depends less on the load than the wall one.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and processor seconds of ``command`` and its processes (run from ``cwd``, its
    package compiled first: ``bench.compiled``)."""
    bench.compiled(Path(cwd).resolve())
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main(content: Path, runs: int, checkouts: list[Path]) -> None:
    """Alternate the floor and each checkout's ``check`` ``runs`` times; print medians."""
    found: dict[str, list[tuple[float, float]]] = {}
    for _ in range(runs):
        floor = [sys.executable, str(HERE / "floor.py"), str(content)]
        found.setdefault("floor", []).append(timed(floor, HERE))
        for checkout in checkouts:
            check = [sys.executable, "build.py", "check", "--content", str(content)]
            found.setdefault(str(checkout), []).append(timed(check, checkout))
    floor_wall = statistics.median(w for w, _ in found["floor"])
    floor_cpu = statistics.median(c for _, c in found["floor"])
    for name, times in found.items():
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        each = ", ".join(f"{w:.2f}" for w, _ in times)
        print(
            f"{name}: wall {wall:.2f} s ({each}), {wall / floor_wall:.2f} x floor; "
            f"processor {cpu:.2f} s, {cpu / floor_cpu:.2f} x floor"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), int(sys.argv[2]), [Path(a).resolve() for a in sys.argv[3:]])
