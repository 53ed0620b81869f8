"""Telling people: problems (``problems``), the terminal (``terminal``), GitHub (``github``).

The lowest layer: every other module may use it, it uses none of them.
``errors.BuildError`` is the one exception the command line turns into a message.
"""
