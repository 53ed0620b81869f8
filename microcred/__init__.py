"""microcred: a static site generator for public micro-credential catalogs.

The pipeline, one module per stage: ``load`` reads content files with line numbers,
``structure`` checks them against the JSON Schemas in ``schema/``, ``records`` turns
them into the typed records of ``model``, ``policy`` and ``crossfile`` apply the
procedure's rules, and ``pipeline`` renders and publishes the site.
"""

__version__ = "0.1.0"
