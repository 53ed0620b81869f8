"""Where the generator's own files are: the JSON Schemas, the theme and the guides.

In a source checkout they sit beside the package (``schema/``, ``theme/``, ``docs/``),
where authors and editors use them; a wheel carries them inside the package, under
``microcred/_files/``. Every module that reads one asks here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The ``microcred`` package folder."""


def _folder(name: str) -> Path:
    installed = PACKAGE / "_files" / name
    return installed if installed.is_dir() else PACKAGE.parent / name


SCHEMA = _folder("schema")
"""The content format's JSON Schemas (``*.schema.json``)."""
THEME = _folder("theme")
"""Jinja2 templates (``templates/``) and static assets (``static/``)."""
DOCS = _folder("docs")
"""The guides published on the site and the generated field reference."""
