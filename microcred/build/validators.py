"""Compiled schema validators kept between builds (issue 18: an edit build, check included).

``rules/schema.py`` checks each document first with a fastjsonschema validator compiled
from its schema. Compiling one is two steps: fastjsonschema writes the validator's Python
source, then Python compiles that source (a third of a megabyte for the credential
schema) to a code object. Both ran on every build, the second taking most of it: about
0.06 s of an edit build for the four schemas. ``compiled`` keeps the code object,
``marshal``-packed, at ``.cache/microcred/validators/<key>.marshal``, and a later build
loads it instead of compiling.

The key is a SHA-256 over everything the code object is made from: the schema itself as
given to fastjsonschema (canonical JSON, after ``rules/schema.py``'s own rewriting, so a
change of a schema file or of that rewriting changes it), the options, the fastjsonschema
version and Python's version and bytecode magic number (a code object runs only on the
Python that made it). The file holds its key too; a file whose key differs, or that is
truncated or unreadable, is compiled again and replaced. Without a folder (``--no-cache``,
``MICROCRED_CACHE=off``, the tests' default) every validator is compiled as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema
from fastjsonschema.ref_resolver import RefResolver

from microcred.build import pruning
from microcred.build.writing import replace_atomically

FORMAT = 1
"""Bumped when what a kept file holds changes shape."""

_folder: Path | None = None


def keep_in(folder: Path | None) -> None:
    """Keep compiled validators in ``folder`` from now on (None: keep none); those no
    build has used for a month are removed (``pruning.py``)."""
    global _folder
    _folder = Path(folder) if folder is not None else None
    if _folder is not None:
        pruning.prune(_folder)


def key(schema: dict, options: dict) -> str:
    """The key of the validator fastjsonschema compiles from ``schema`` with ``options``."""
    made_from = (
        json.dumps(
            [FORMAT, schema, options, fastjsonschema.VERSION, sys.version],
            sort_keys=True,
            ensure_ascii=False,
        ).encode()
        + importlib.util.MAGIC_NUMBER
    )
    return hashlib.sha256(made_from).hexdigest()


def compiled(schema: dict, **options: Any) -> Callable[[Any], Any]:
    """``fastjsonschema.compile(schema, **options)``, its code object kept in the folder
    given to ``keep_in`` (see the module's docstring)."""
    if _folder is None or "formats" in options or "handlers" in options:
        return fastjsonschema.compile(schema, **options)
    name = key(schema, options)
    path = _folder / f"{name}.marshal"
    code = _read(path, name)
    if code is not None:
        pruning.mark_used(path)
    else:
        source = fastjsonschema.compile_to_code(schema, **options)
        code = compile(source, f"<fastjsonschema {name[:12]}>", "exec")
        with contextlib.suppress(OSError):  # an unwritable cache costs time, never the check
            replace_atomically(path, marshal.dumps((name, code)))
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # code fastjsonschema generated from our own schema
    return namespace[RefResolver.from_schema(schema, handlers={}, store={}).get_scope_name()]


def _read(path: Path, name: str):
    """The code object kept at ``path`` under key ``name``; None when missing, unreadable
    or kept under another key."""
    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == name):
        return None
    return kept[1] if type(kept[1]) is type(_read.__code__) else None
