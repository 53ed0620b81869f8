"""Doing a build's work on every core: rendering in worker processes, background jobs.

``map_chunks(function, shared, items)`` calls ``function(shared, chunk)`` over slices
of ``items`` in a pool of forked processes, one per core, and returns the results in
order (``start_chunks`` lets the caller work meanwhile). ``shared`` is everything the
function needs besides its items (the catalog, compiled templates): forked workers
inherit it, so nothing large is pickled on the way in; results should be small
(relative paths rather than ``Path`` objects). With one core, or few items, it runs
in-process.

``in_background(function, *args)`` runs a job in a forked process while the build
goes on, or with ``fresh=True`` (validating the data package) in a new interpreter that
holds none of the build's memory; ``background_jobs()`` waits for it.

The parent's objects are frozen (``gc.freeze``) while forked processes start, so that
a collection in a child does not copy them all into it (see ``_frozen``).
"""

from __future__ import annotations

import copyreg
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from types import MappingProxyType
from typing import IO, Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


def workers() -> int:
    """Processes to render with: the cores this process may use, or ``MICROCRED_WORKERS``."""
    chosen = os.environ.get("MICROCRED_WORKERS", "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(length: int, count: int) -> list[tuple[int, int]]:
    size = -(-length // count)
    return [(start, min(start + size, length)) for start in range(0, length, size)]


_running: tuple[Callable, Any, Sequence] | None = None
"""The function, shared inputs and items of the running ``start_chunks``. Forked workers
inherit them, so only slice bounds are sent; nothing else reads this."""


def _run_chunk(start: int, stop: int):
    assert _running is not None
    function, shared, items = _running
    return function(shared, items[start:stop])


def map_chunks(
    function: Callable[[S, Sequence[T]], R], shared: S, items: Sequence[T], minimum: int = 64
) -> list[R]:
    """``function(shared, chunk)`` over slices of ``items`` on forked worker processes,
    results in order.

    Small inputs (fewer than ``minimum`` items) and single-core machines run in this
    process, as one call.
    """
    with start_chunks(function, shared, items, minimum) as results:
        return results()


ROUND = 1500
"""Items one worker handles before it exits and a fresh fork takes its place (see
``start_chunks``); ``MICROCRED_ROUND`` changes it."""


def _round() -> int:
    chosen = os.environ.get("MICROCRED_ROUND", "")
    return int(chosen) if chosen.isdigit() and int(chosen) > 0 else ROUND


@contextmanager
def start_chunks(
    function: Callable[[S, Sequence[T]], R], shared: S, items: Sequence[T], minimum: int = 64
) -> Iterator[Callable[[], list[R]]]:
    """``map_chunks`` that returns at once: the block goes on in this process while the
    workers run, and calls what it is given to wait for their results, in order.

    The items go through in rounds of ``ROUND`` items a worker, each round in a new pool
    of forks. A forked worker shares this process's memory until it touches it, and
    rendering a credential touches its record (reference counts), so a worker's own
    memory grew with every credential it rendered: about 150 MB a worker at 10,000
    credentials in one round. A round's workers exit with what they copied. The first
    round runs while the block does; the others when it asks for the results.
    """
    count = workers()
    if count < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda: [function(shared, items)]
        return
    global _running
    _running = (function, shared, items)
    context = multiprocessing.get_context("fork")
    per_round = count * _round()
    rounds = [(a, min(a + per_round, len(items))) for a in range(0, len(items), per_round)]
    pools: list[ProcessPoolExecutor] = []

    def start(first: int, last: int) -> list:
        pool = ProcessPoolExecutor(max_workers=count, mp_context=context)
        pools.append(pool)
        with _frozen():  # the workers are forked on the first submit
            return [
                pool.submit(_run_chunk, first + a, first + b)
                for a, b in _chunks(last - first, count * 4)
            ]

    # This process stays frozen while its workers run, not only while they start: its
    # own collections would otherwise write to the header of every object it shares with
    # them, and it would copy them all (see docs/performance.md, *bodies out of the parent*).
    frozen = _frozen()
    frozen.__enter__()

    def results() -> list[R]:
        found = [future.result() for future in running]
        pools.pop(0).shutdown()
        for first, last in rounds[1:]:
            futures = start(first, last)
            found += [future.result() for future in futures]
            pools.pop(0).shutdown()
        return found

    try:
        running = start(*rounds[0])
        yield results
    finally:
        for pool in pools:
            pool.shutdown(cancel_futures=True)
        _running = None
        frozen.__exit__(None, None, None)


@contextmanager
def _frozen() -> Iterator[None]:
    """While forked processes share this one's memory: its objects moved out of the
    garbage collector's reach (``gc.freeze``).

    A forked child shares the parent's pages until it writes to them, and a collection
    writes to the header of every object it tracks: the first collection in a worker
    copied nearly all of the catalog into it (measured: each worker's own share of memory
    fell by about half at 10,000 credentials). Frozen objects are never collected, in the
    children or here; ``gc.unfreeze`` hands them back when the block ends.
    """
    global _freezes
    gc.collect()
    give_back_free_memory()
    gc.freeze()
    _freezes += 1
    try:
        yield
    finally:
        _freezes -= 1
        if not _freezes:  # the outermost block: nothing forked from here runs any more
            gc.unfreeze()


_freezes = 0
"""How many ``_frozen`` blocks are open (they nest: ``start_chunks`` holds one while its
workers run, and each round's start opens another)."""


def give_back_free_memory() -> None:
    """Hand the C library's free heap memory back to the system (glibc's ``malloc_trim``;
    elsewhere nothing).

    Memory that Python frees stays in the process's heap, resident, until something
    allocates it again: at 10,000 credentials the data stage left about 40 MB so, which
    a forked worker would share and, once the parent wrote over it, copy.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


_trim: list = []


def _malloc_trim():
    """glibc's ``malloc_trim``, or None where there is none (looked up once)."""
    if not _trim:
        found = None
        if sys.platform.startswith("linux"):
            try:
                found = getattr(
                    ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), "malloc_trim", None
                )
            except OSError:
                found = None
        _trim.append(found)
    return _trim[0]


def compacted(make: Callable[[], T], pickler: type[pickle.Pickler] = pickle.Pickler) -> T:
    """What ``make()`` gives, made in a forked process and read back here, so that this
    process holds its objects packed together and none of what making them took.

    The check reads and checks every file and builds the catalog; done in this process,
    it left the records scattered over memory its working set (documents, positions,
    cross-file indexes, imports) used and gave back. Python keeps a 1 MB arena of
    memory while one object in it lives: measured at 10,000 credentials, 112 arenas
    held 21 MB of live objects and 92 MB of free space once the catalog was let go,
    and the parent held 209 MB for about 130 MB of catalog and interpreter. Every
    forked render worker shares that memory and copies what it touches of it.

    The result comes back pickled by ``pickler`` in a temporary file (read-only mappings
    included, ``_mapping_proxy``), read once the process has exited, so the bytes are never held
    in memory and the made objects never twice; what ``make`` raises is raised here.
    With one core (or ``MICROCRED_WORKERS=1``, for profiling) or no ``fork``, ``make``
    runs in this process.
    """
    if workers() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return make()
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryFile() as handoff:  # on disk: neither process holds the bytes
        process = context.Process(target=_make_and_dump, args=(handoff, make, pickler))
        with _frozen():
            process.start()
        process.join()  # the made objects are gone with it before they are read back here
        handoff.seek(0)
        try:
            failed, found = pickle.load(handoff)
        except (EOFError, pickle.UnpicklingError):
            raise RuntimeError(f"the check's process ended with code {process.exitcode}") from None
    if failed:
        raise found
    return found


def _make_and_dump(handoff: IO[bytes], make: Callable[[], Any], pickler: type) -> None:
    """The body of ``compacted``'s process: ``(False, make())`` pickled into ``handoff``,
    or ``(True, error)`` when it raised."""
    try:
        outcome = (False, make())
    except BaseException as error:
        outcome = (True, error)
    pickler = pickler(handoff, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _mapping_proxy}
    pickler.dump(outcome)
    handoff.flush()


def _mapping_proxy(proxy: MappingProxyType) -> tuple:
    """How ``compacted`` pickles a read-only mapping (the catalog's indexes)."""
    return _read_only, (dict(proxy),)


def _read_only(mapping: dict) -> MappingProxyType:
    """A read-only view of ``mapping`` (how ``compacted`` reads a pickled one back)."""
    return MappingProxyType(mapping)


class _Forked:
    """A background job in a forked process, reporting through a pipe."""

    def __init__(self, function: Callable[..., None], args: tuple):
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_run_in_background, args=(send, function, args))
        with _frozen():
            self.process.start()
        send.close()

    def outcome(self) -> BaseException | None:
        try:
            return self.receive.recv()
        except EOFError:
            return RuntimeError(f"a background job ended with code {self.process.exitcode}")

    def stop(self) -> None:
        self.process.terminate()

    def close(self) -> None:
        self.process.join()
        self.receive.close()


FRESH = "from microcred.build.fresh import run; run()"
"""What a fresh process runs: the job pickled on its standard input (``fresh.py``)."""


class _Fresh:
    """A background job in a new interpreter: the function and its arguments pickled in
    on standard input, what it raised (or None) pickled out on standard output. Not
    ``multiprocessing``'s ``spawn``, which runs the parent's main script again in the
    child (a script calling the build without a ``__main__`` guard would build twice)."""

    def __init__(
        self, function: Callable[..., None] | None, args: tuple = (), preload: Sequence[str] = ()
    ):
        """Started now; with ``function`` None it imports ``preload`` and waits for its job
        (``send``), or exits when none comes (``close``)."""
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        path = os.pathsep.join(
            filter(None, (os.path.dirname(package), os.environ.get("PYTHONPATH")))
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", FRESH, *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
            start_new_session=True,  # its own group: ``stop`` ends what it started too
        )
        if function is not None:
            self.send(function, args)

    def send(self, function: Callable[..., None], args: tuple) -> None:
        """Give the process its job."""
        assert self.process.stdin is not None
        self.process.stdin.write(pickle.dumps((function, args), pickle.HIGHEST_PROTOCOL))
        self.process.stdin.close()

    def outcome(self) -> BaseException | None:
        assert self.process.stdout is not None
        data = self.process.stdout.read()
        code = self.process.wait()
        try:
            return pickle.loads(data)
        except Exception:
            return RuntimeError(f"a background job ended with code {code}")

    def stop(self) -> None:
        # The whole group: a job's own programs (Pagefind) end with it, not orphaned.
        with suppress(ProcessLookupError):  # it has ended already
            os.killpg(self.process.pid, signal.SIGTERM)

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            with suppress(OSError):  # it has ended already
                self.process.stdin.close()  # never given a job: it exits after its imports
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


_background: list[_Forked | _Fresh] = []
_jobs_depth = 0
_ready: list[_Fresh] = []
"""The interpreter ``ready_interpreter`` started, until a fresh job takes it."""


@contextmanager
def ready_interpreter(*modules: str, wanted: bool = True) -> Iterator[None]:
    """During this block, the next fresh job (``in_background(fresh=True)``) runs in an
    interpreter started at the block's start, which has imported ``modules`` meanwhile.

    An edit build validates the data rows it changed in a fresh interpreter, and waited
    for it at the end: the interpreter's start and ``frictionless``'s imports (about
    0.4 s of processor time) came after the data stage, on the build's critical path.
    Started before the check, they run on the other core while the check runs. One
    that no job took is ended with the block. Not ``wanted``, or with one core, it does
    nothing.
    """
    if not wanted or workers() < 2 or _ready:
        yield
        return
    _ready.append(_Fresh(None, preload=modules))
    try:
        yield
    finally:
        for unused in _ready:
            unused.stop()
            unused.close()
        _ready.clear()


def _run_in_background(report: Connection, function: Callable[..., None], args: tuple) -> None:
    try:
        function(*args)
        report.send(None)
    except BaseException as error:
        report.send(error)
    finally:
        report.close()


def in_background(function: Callable[..., None], *args: object, fresh: bool = False) -> None:
    """Start ``function(*args)`` in a forked process while the build goes on.

    Inside ``background_jobs()``; the block waits for it and re-raises what it
    raised. With one core, or outside the block, it runs at once in this process.

    With ``fresh``, the process is a new interpreter instead of a fork (``_Fresh``):
    ``function`` must be a module's function and ``args`` small and picklable. A job
    that needs little of the build's memory (validating files on disk) then holds
    only its own: a forked child's share of the parent's pages counts against the
    build's memory as long as it runs (measured at 2,000 credentials: the data
    package's validation took 75 MB forked, 37 MB on its own).
    """
    forks = "fork" in multiprocessing.get_all_start_methods()
    if _jobs_depth == 0 or workers() < 2 or not (fresh or forks):
        function(*args)
        return
    if fresh and _ready:
        job = _ready.pop()
        try:
            job.send(function, args)
        except OSError:  # it has ended (a failed import, a kill): the job gets a new one
            job.stop()
            job.close()
        else:
            _background.append(job)
            return
    _background.append(_Fresh(function, args) if fresh else _Forked(function, args))


@contextmanager
def background_jobs() -> Iterator[None]:
    """Let ``in_background`` jobs run during this block; they have all ended when it ends."""
    global _jobs_depth
    _jobs_depth += 1
    failed = True
    try:
        yield
        failed = False
    finally:
        _jobs_depth -= 1
        jobs, _background[:] = list(_background), []
        errors: list[BaseException] = []
        for job in jobs:
            if failed:
                job.stop()
            else:
                outcome = job.outcome()
                if outcome is not None:
                    errors.append(outcome)
            job.close()
        if errors and not failed:
            raise errors[0]


class Started:
    """A job ``start_job`` started: ``wait()`` for it (re-raising what it raised), or
    ``stop()`` it."""

    def __init__(self, job: _Forked | _Fresh | None, error: BaseException | None = None):
        self._job, self._error = job, error

    def wait(self) -> None:
        """Block until the job has ended; raise what it raised."""
        if self._job is not None:
            job = self._job
            try:
                self._error = job.outcome()
            except BaseException:  # interrupted while waiting: the job must not run on
                job.stop()
                raise
            finally:
                self._job = None
                job.close()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def stop(self) -> None:
        """End the job now, if it is still running (when the build failed meanwhile)."""
        if self._job is not None:
            job, self._job = self._job, None
            job.stop()
            job.close()
        self._error = None


def start_job(function: Callable[..., None], *args: object) -> Started:
    """Start ``function(*args)`` in a new interpreter (as ``in_background(fresh=True)``:
    ``function`` a module's function, ``args`` small and picklable) and return at once,
    outside any ``background_jobs()`` block: the caller waits for it with
    ``Started.wait()``. A job that runs while the build goes on in a fresh process holds
    only its own memory: a forked one would keep the pages this process writes meanwhile
    twice (measured at 10,000 credentials: about 100 MB). With one core (or
    ``MICROCRED_WORKERS=1``) it runs here at once and ``wait()`` raises what it raised."""
    if workers() < 2:
        try:
            function(*args)
        except Exception as error:  # raised by wait(), where a job's error is
            return Started(None, error)
        return Started(None)
    return Started(_Fresh(function, args))


__all__ = [
    "Started",
    "background_jobs",
    "in_background",
    "map_chunks",
    "ready_interpreter",
    "start_chunks",
    "start_job",
    "workers",
]
