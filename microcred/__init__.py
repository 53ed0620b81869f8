"""microcred: a static site generator for public micro-credential catalogs.

The folders read like the pipeline (``pipeline.build`` runs them in this order):

- ``content/``: files in ``content/`` become typed records (and every URL is spelled);
- ``rules/``: every record is checked against the schemas and the procedure's rules;
- ``site/``: the outputs, one module per family (pages, badges, CTDL, data, search);
- ``build/``: the machinery that writes, parallelises, reuses and publishes them;
- ``commands/``: ``new``, ``freeze``, ``diff``, ``serve`` and ``docs``;
- ``reporting/``: problems and progress, on the terminal and on GitHub.

``cli.py`` is the command line and ``pipeline.py`` the build, read top to bottom.
Imports run one way: commands → pipeline → site → rules → build → content →
reporting (``tests/test_architecture.py`` holds them to it).
"""

__version__ = "0.1.0"
