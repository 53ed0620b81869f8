"""Doing a build's many small jobs at once: file writes on threads, pages on processes.

Owns two helpers the output stages share.

``write_text(path, text)`` writes one output file. Inside ``deferred_writes()``
(the pipeline wraps each stage in it) the write is handed to a small thread pool
and the block waits for every write when it ends, re-raising the first failure.
Creating a file and its folder costs about a millisecond on a journalled disk and
the thread releases the GIL meanwhile, so eight threads overlap those waits while
the main thread goes on rendering. Outside the block it writes at once.

``map_chunks(function, items)`` runs ``function`` over slices of ``items`` in a
pool of forked processes, one per core, and returns the results in order. Forked
workers inherit the caller's state (the catalog, compiled templates), so nothing
large is pickled on the way in. With one core, or one chunk, it runs in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

WRITE_THREADS = 8

T = TypeVar("T")
R = TypeVar("R")

_local = threading.local()


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
    else:
        with open(path, "wb") as handle:
            handle.write(data)


def write_text(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8 with ``\\n`` line ends, or bytes) to ``path``."""
    pending: list[Future] | None = getattr(_local, "pending", None)
    if pending is None:
        _write(path, data)
    else:
        pending.append(_local.pool.submit(_write, path, data))
    return path


@contextmanager
def deferred_writes() -> Iterator[None]:
    """Overlap the writes made in this block; they are all on disk when it ends."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
        _local.pool, _local.pending = pool, []
        try:
            yield
        finally:
            pending, _local.pending = _local.pending, None
            errors = [future.exception() for future in pending]
        for error in errors:
            if error is not None:
                raise error


def finish_writes() -> None:
    """Wait for the writes in flight: before reading back a file just written, or forking."""
    pending: list[Future] | None = getattr(_local, "pending", None)
    for future in pending or ():
        future.result()


def workers() -> int:
    """Processes to render with: the cores this process may use, or ``MICROCRED_WORKERS``."""
    chosen = os.environ.get("MICROCRED_WORKERS", "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    size = -(-len(items) // count)
    return [items[start : start + size] for start in range(0, len(items), size)]


def _run_chunk(function: Callable[[Sequence[T]], R], chunk: Sequence[T]) -> R:
    _local.pending = None  # the parent's write pool has no threads in this worker
    with deferred_writes():
        return function(chunk)


def map_chunks(
    function: Callable[[Sequence[T]], R], items: Sequence[T], minimum: int = 64
) -> list[R]:
    """``function`` over slices of ``items`` on forked worker processes, results in order.

    ``function`` must be a module-level function; the state it reads must be set
    before the call (workers are forked from this process). Writes it makes through
    ``write_text`` are finished when this returns. Small inputs (fewer than
    ``minimum`` items) and single-core machines run in this process.
    """
    with start_chunks(function, items, minimum) as results:
        return results()


@contextmanager
def start_chunks(
    function: Callable[[Sequence[T]], R], items: Sequence[T], minimum: int = 64
) -> Iterator[Callable[[], list[R]]]:
    """``map_chunks`` that returns at once: the block goes on in this process while the
    workers run, and calls what it is given to wait for their results, in order."""
    count = workers()
    if count < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda: [function(items)]
        return
    finish_writes()
    chunks = _chunks(items, count * 4)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = [pool.submit(_run_chunk, function, chunk) for chunk in chunks]
        yield lambda: [future.result() for future in futures]


_background: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
_jobs_depth = 0


def _run_in_background(report: Connection, function: Callable[..., None], args: tuple) -> None:
    _local.pending = None  # the parent's write pool has no threads in this process
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
    finish_writes()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run_in_background, args=(send, function, args))
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
    "deferred_writes",
    "finish_writes",
    "in_background",
    "map_chunks",
    "start_chunks",
    "workers",
    "write_text",
]
