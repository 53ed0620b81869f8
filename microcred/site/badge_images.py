"""Badge images: a drawn SVG for each credential without its own, content images copied safely.

Draws a distinct, accessible SVG badge for a credential without its own image
(shape from its type, colours from its institution, a pattern from its slug, its
title written on it), and copies an image supplied by content after checking it
again (an SVG with scripts, event handlers, ``foreignObject`` or external
references is refused; see ``rules/svg.py``). Where each image is published is
``content.urls.badge_image_path``; the ``badges`` stage writes them.
"""

from __future__ import annotations

import hashlib
import math
from html import escape
from pathlib import Path

from microcred.build.writing import write_text
from microcred.content.model import Catalog, Credential
from microcred.content.urls import badge_image_path
from microcred.reporting.errors import BuildError
from microcred.rules.svg import svg_problem
from microcred.site.labels import badge_alt, type_label
from microcred.site.svg import SVG_NS, text_lines, wrap_text

PALETTE = (
    ("#0b4f8a", "#cfe3f5"),
    ("#7a2531", "#f5d6da"),
    ("#1f5f3f", "#d3eedd"),
    ("#5b3a8c", "#e4dbf3"),
    ("#8a4b08", "#f6e2c8"),
    ("#0f5c63", "#cdebee"),
    ("#4a4f57", "#e2e4e8"),
    ("#6b2f6b", "#efd7ef"),
)
"""(dark, light) pairs: white text on the dark colour and the dark colour on the
light one both pass WCAG AA."""

BADGE_SIZE = 400


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _colours(institution_id: str) -> tuple[str, str]:
    return PALETTE[_digest(institution_id) % len(PALETTE)]


def _polygon(sides: int, radius: float, rotation: float = 0.0) -> str:
    centre = BADGE_SIZE / 2
    points = []
    for i in range(sides):
        angle = rotation + 2 * math.pi * i / sides
        points.append(
            f"{centre + radius * math.sin(angle):.1f},{centre - radius * math.cos(angle):.1f}"
        )
    return " ".join(points)


def _outline(credential: Credential, radius: float, **attrs: str) -> str:
    """A hexagon for an industry-specific technical skill, a circle for a transferable one."""
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    if credential.type == "transferable-skill":
        return f'<circle cx="200" cy="200" r="{radius:g}"{extra}/>'
    return f'<polygon points="{_polygon(6, radius)}"{extra}/>'


def _notches(credential: Credential, light: str) -> str:
    """A ring of marks whose count and shape come from the slug: no two badges alike."""
    seed = _digest(credential.slug)
    count = 12 + seed % 13
    size = 4 + (seed >> 8) % 5
    marks = []
    for i in range(count):
        angle = 2 * math.pi * i / count
        x = 200 + 168 * math.sin(angle)
        y = 200 - 168 * math.cos(angle)
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" fill="{light}"/>')
    return "".join(marks)


def badge_svg(credential: Credential, institution_name: str) -> str:
    """A square SVG badge naming the credential, its type and institution."""
    dark, light = _colours(credential.institution)
    title_lines = wrap_text(credential.title, 16, 4)
    size = 30 if len(title_lines) <= 2 else 25
    top = 200 - (len(title_lines) - 1) * size * 0.6 + size * 0.35
    kind = "TRANSFERABLE SKILL" if credential.type == "transferable-skill" else "TECHNICAL SKILL"
    label = escape(badge_alt(credential, institution_name))
    description = escape(f"{type_label(credential.type)}. Issued by {institution_name}.")
    return (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {BADGE_SIZE} {BADGE_SIZE}" width="{BADGE_SIZE}" '
        f'height="{BADGE_SIZE}" role="img" aria-labelledby="badge-title badge-desc">'
        f'<title id="badge-title">{label}</title><desc id="badge-desc">{description}</desc>'
        + _outline(credential, 196, fill=dark)
        + _notches(credential, light)
        + _outline(credential, 150, fill="none", stroke=light, stroke_width="3")
        + '<g fill="#ffffff" font-family="Helvetica, Arial, sans-serif">'
        + text_lines([kind], 200, 98, 14, font_weight="700", letter_spacing="2")
        + text_lines(title_lines, 200, top, size, font_weight="700")
        + text_lines(wrap_text(institution_name, 30, 2), 200, 296, 13)
        + "</g></svg>\n"
    )


# --- content images -------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def content_root(credential: Credential) -> Path:
    """The content folder a credential was read from: ``<root>/credentials/<slug>.md``, or
    ``<root>/versions/<slug>/v<N>.md`` for a frozen version."""
    source = Path(credential.source)
    return source.parents[2] if source.parents[1].name == "versions" else source.parents[1]


def _copy_content_badge(credential: Credential, target: Path) -> None:
    image = credential.badge.image
    source = content_root(credential) / image
    where = f"{credential.source}: badge.image {image!r}"
    try:
        data = source.read_bytes()
    except OSError as error:
        raise BuildError(f"{where} cannot be read ({error.strerror}).") from error
    if target.suffix == ".svg":
        problem = svg_problem(data)
        if problem:
            raise BuildError(
                f"{where} is not a safe SVG: it contains {problem}. Remove it, or export "
                "the badge as a plain SVG or PNG without scripts, links or embedded HTML."
            )
    elif not data.startswith(PNG_SIGNATURE):
        raise BuildError(f"{where} is not a PNG file. Export the badge as PNG or SVG.")
    write_text(target, data)  # never through a file already there (writing._create)


def write_badge_image(
    catalog: Catalog, credential: Credential, out: Path, versioned: bool = False
) -> Path:
    """Write a credential's badge image (copied or drawn) to its site path under ``out``."""
    target = out / badge_image_path(credential, versioned).lstrip("/")
    if credential.badge and credential.badge.image:
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_content_badge(credential, target)
    else:
        name = catalog.institution_by_id[credential.institution].name
        write_text(target, _drawn(credential, name, again=versioned))
    return target


_last_drawn: tuple[Credential, str, str] | None = None


def _drawn(credential: Credential, institution_name: str, again: bool) -> str:
    """``badge_svg``, drawn once when the same credential's image is written twice in a row
    (the current version's image at ``v<N>/``, then at the credential's own folder). The
    drawing is kept for the next call only when ``again`` says one may follow, so no
    record stays held once its images are written (the build lets its records go while
    Pagefind runs: ``pipeline._let_catalog_go``)."""
    global _last_drawn
    last, _last_drawn = _last_drawn, None
    if last is not None and last[0] is credential and last[1] == institution_name:
        svg = last[2]
    else:
        svg = badge_svg(credential, institution_name)
    if again:
        _last_drawn = (credential, institution_name, svg)
    return svg
