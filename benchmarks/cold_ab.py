"""Cold builds of several checkouts, alternating, with medians: the issue 18 A/B.

    python benchmarks/cold_ab.py CONTENT ROUNDS CHECKOUT... [--work DIR]

Each round builds CONTENT once with each CHECKOUT in turn (``python build.py build
--content CONTENT --output WORK/out-<n> --no-cache``, run from the checkout), moving the
previous output aside into WORK/aside (never deleting it: see docs/performance.md, *The
command*) and calling ``sync`` first. Each build is timed by ``bench.timed`` (wall clock,
peak PSS of the process tree, the peak per stage); ``cpu`` is the user + system time of
the whole process tree. Delete WORK when done. The checkouts should be worktrees at fixed
commits that nobody edits while this runs.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench


def main() -> None:
    """Parse the arguments, run the rounds, print each build and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("rounds", type=int)
    parser.add_argument("checkouts", type=Path, nargs="+")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cold-ab"))
    args = parser.parse_args()
    aside = args.work / "aside"
    aside.mkdir(parents=True, exist_ok=True)
    runs: dict[int, list] = {n: [] for n in range(len(args.checkouts))}
    for round_ in range(args.rounds):
        for n, checkout in enumerate(args.checkouts):
            out = args.work / f"out-{n}"
            if out.exists():
                out.rename(aside / f"{n}-{time.time_ns()}")
            subprocess.run(["sync"], check=False)
            time.sleep(1)
            command = [sys.executable, "build.py", "build", "--content", str(args.content)]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = bench.timed([*command, "--output", str(out), "--no-cache"], cwd=checkout)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            run.stages["cpu"] = cpu
            runs[n].append(run)
            print(f"{checkout} round {round_}: {run.seconds:.1f} s, peak {run.peak_mb:.0f} MB,",
                  {k: round(v, 2) for k, v in run.stages.items()}, flush=True)  # fmt: skip
    for n, checkout in enumerate(args.checkouts):
        done = runs[n]
        stages = {
            k: round(statistics.median(r.stages.get(k, 0) for r in done), 2) for k in done[0].stages
        }
        print(f"== {checkout}: wall median {statistics.median(r.seconds for r in done):.2f} s")
        print(f"   peak MB {[round(r.peak_mb) for r in done]}, stage medians {stages}")
        print(f"   stage peaks (ours, Pagefind's) of the last run: {done[-1].stage_peaks}")


if __name__ == "__main__":
    main()
