"""Doing a build's work on every core: rendering in worker processes, background jobs.

``map_chunks(function, shared, items)`` calls ``function(shared, chunk)`` over slices
of ``items`` in a pool of forked processes, one per core, and returns the results in
order (``start_chunks`` lets the caller work meanwhile). ``shared`` is everything the
function needs besides its items (the catalog, compiled templates): forked workers
inherit it, so nothing large is pickled on the way in; results should be small
(relative paths rather than ``Path`` objects). With one core, or few items, it runs
in-process.

``in_background(function, *args)`` runs a job such as validating the data package
in a forked process while the build goes on; ``background_jobs()`` waits for it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

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


@contextmanager
def start_chunks(
    function: Callable[[S, Sequence[T]], R], shared: S, items: Sequence[T], minimum: int = 64
) -> Iterator[Callable[[], list[R]]]:
    """``map_chunks`` that returns at once: the block goes on in this process while the
    workers run, and calls what it is given to wait for their results, in order."""
    count = workers()
    if count < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda: [function(shared, items)]
        return
    global _running
    _running = (function, shared, items)
    context = multiprocessing.get_context("fork")
    try:
        with _frozen(), ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures = [
                pool.submit(_run_chunk, *bounds) for bounds in _chunks(len(items), count * 4)
            ]
            yield lambda: [future.result() for future in futures]
    finally:
        _running = None


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
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_background: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
_jobs_depth = 0


def _run_in_background(report: Connection, function: Callable[..., None], args: tuple) -> None:
    try:
        function(*args)
        report.send(None)
    except BaseException as error:
        report.send(error)
    finally:
        report.close()


def in_background(function: Callable[..., None], *args: object) -> None:
    """Start ``function(*args)`` in a forked process while the build goes on.

    Inside ``background_jobs()``; the block waits for it and re-raises what it
    raised. With one core, or outside the block, it runs at once in this process.
    """
    if _jobs_depth == 0 or workers() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        function(*args)
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run_in_background, args=(send, function, args))
    with _frozen():
        process.start()
    send.close()
    _background.append((process, receive))


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
        for process, receive in jobs:
            if failed:
                process.terminate()
            else:
                try:
                    outcome = receive.recv()
                except EOFError:
                    outcome = RuntimeError(f"a background job ended with code {process.exitcode}")
                if outcome is not None:
                    errors.append(outcome)
            process.join()
            receive.close()
        if errors and not failed:
            raise errors[0]


__all__ = [
    "background_jobs",
    "in_background",
    "map_chunks",
    "start_chunks",
    "workers",
]
