"""The body of a fresh interpreter that runs one background job (``workers._Fresh``): the
function and its arguments pickled on standard input, what it raised (or None) pickled
on standard output.

A module of its own, importing only what it uses, so that such an interpreter holds
little more than its job's own imports: the search stage's, which runs beside the badge
and CTDL stages and Pagefind's processes, held 5 MB more when this lived in
``workers.py`` (multiprocessing, its process pools and ctypes).
"""

from __future__ import annotations

import importlib
import pickle
import signal
import sys


def run() -> None:
    """Import the modules named as arguments, then run the job pickled on standard input
    (none, when standard input closes first: ``workers.ready_interpreter``). Stopped
    (SIGTERM), the interpreter exits through Python, so what its job holds open
    (temporary folders) is cleaned up."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    for module in sys.argv[1:]:
        importlib.import_module(module)
    try:
        function, args = pickle.load(sys.stdin.buffer)
    except EOFError:
        return
    outcome: BaseException | None = None
    try:
        function(*args)
    except BaseException as error:
        outcome = error
    sys.stdout.buffer.write(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
