"""Doing a build's work on every core: output files, page rendering, background jobs.

Owns three helpers the stages share.

``write_text(path, text)`` writes one output file, making its folder once per
process. Writes are synchronous on purpose: handing them to threads was measured
to make stages two to three times slower, because each thread takes the GIL back
after every system call while the rendering thread holds it (a convoy).

``map_chunks(function, items)`` runs ``function`` over slices of ``items`` in a
pool of forked processes, one per core, and returns the results in order
(``start_chunks`` lets the caller work meanwhile). Forked workers inherit the
caller's state (the catalog, compiled templates), so nothing large is pickled on
the way in; results should be small (relative paths rather than ``Path`` objects).
With one core, or few items, it runs in-process.

``in_background(function, *args)`` runs a job such as validating the data package
in a forked process while the build goes on; ``background_jobs()`` waits for it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_folders: set[str] = set()
"""Folders this process has made: a build writes several files into each, so each is
made once (a folder removed since is made again when a write finds it missing)."""


def write_text(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8 with ``\\n`` line ends, or bytes) to ``path``."""
    folder = os.path.dirname(path)
    if folder not in _folders:
        os.makedirs(folder, exist_ok=True)
        _folders.add(folder)
    try:
        _create(path, data)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        _create(path, data)
    return path


def _create(path: Path, data: str | bytes) -> None:
    if isinstance(data, str):
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
    else:
        with open(path, "wb") as handle:
            handle.write(data)


def relative_to(root: Path, paths: Sequence[Path]) -> list[str]:
    """``paths`` under ``root`` as relative POSIX strings: cheap to send between processes."""
    prefix = len(str(root)) + 1
    return [str(path)[prefix:].replace(os.sep, "/") for path in paths]


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


_shared: tuple[Callable, Sequence] | None = None
"""The function and items of the running ``start_chunks``, inherited by its workers, so
that only slice bounds are sent to them."""


def _run_chunk(start: int, stop: int):
    assert _shared is not None
    function, items = _shared
    return function(items[start:stop])


def map_chunks(
    function: Callable[[Sequence[T]], R], items: Sequence[T], minimum: int = 64
) -> list[R]:
    """``function`` over slices of ``items`` on forked worker processes, results in order.

    ``function`` must be a module-level function; the state it reads must be set
    before the call (workers are forked from this process). Small inputs (fewer than
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
    global _shared
    _shared = (function, items)
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures = [
                pool.submit(_run_chunk, *bounds) for bounds in _chunks(len(items), count * 4)
            ]
            yield lambda: [future.result() for future in futures]
    finally:
        _shared = None


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
    "write_text",
]
