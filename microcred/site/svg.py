"""SVG text for the drawings the site makes: badge images and pathway diagrams."""

from __future__ import annotations

import textwrap
from html import escape

SVG_NS = "http://www.w3.org/2000/svg"


def wrap_text(text: str, width: int, max_lines: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, the last shortened to fit."""
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], textwrap.shorten(" ".join(lines[max_lines - 1 :]), width)]
    return lines


def text_lines(lines: list[str], x: float, y: float, size: float, **attrs: str) -> str:
    """A centred ``<text>`` with one ``<tspan>`` per line, escaped."""
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    spans = "".join(
        f'<tspan x="{x:g}" y="{y + i * size * 1.2:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="{size:g}" text-anchor="middle"{extra}>{spans}</text>'
