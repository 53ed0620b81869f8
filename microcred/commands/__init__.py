"""The commands besides ``build`` and ``check``: ``new``, ``freeze``, ``diff``, ``serve``, ``docs``.

Each is one module that ``cli.py`` calls; each may use the pipeline and every
layer below it.
"""
