"""Slotted dataclasses (records, problems) made and copied without ``dataclasses``' checks.

A large catalog's edit build makes tens of thousands of these twice over: unpickled from
the kept checks (``checked.py``) and copied with or without their bodies (``lean.py``).
``dataclasses.replace`` and a slotted dataclass's own unpickling look up its fields for
every object; here they are looked up once per class and read with one ``attrgetter``.
Only for frozen dataclasses whose fields are all set by ``__init__`` with no
``__post_init__`` (the model's records and ``Problem``): ``tests/test_held_bodies.py``
holds the copy equal to ``dataclasses.replace`` and the model to that condition.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any

_NAMES: dict[type, tuple[tuple[str, ...], operator.attrgetter]] = {}


def field_names(kind: type) -> tuple[str, ...]:
    """The names of dataclass ``kind``'s fields, in order."""
    return _names(kind)[0]


def values(record: Any) -> tuple:
    """``record``'s field values, in the order of ``field_names``."""
    names, getter = _names(type(record))
    found = getter(record)
    return found if len(names) > 1 else (found,)


def made(kind: type, field_values: tuple) -> Any:
    """A ``kind`` with these field values (as its unpickling makes one)."""
    new = object.__new__(kind)
    for name, value in zip(_names(kind)[0], field_values, strict=True):
        object.__setattr__(new, name, value)
    return new


def with_field(record: Any, name: str, value: Any) -> Any:
    """``dataclasses.replace(record, **{name: value})``, without its per-field checks."""
    copy = made(type(record), values(record))
    object.__setattr__(copy, name, value)
    return copy


def _names(kind: type) -> tuple[tuple[str, ...], operator.attrgetter]:
    found = _NAMES.get(kind)
    if found is None:
        names = tuple(item.name for item in dataclasses.fields(kind))
        found = _NAMES[kind] = (names, operator.attrgetter(*names))
    return found
