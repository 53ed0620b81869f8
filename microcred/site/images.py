"""Badge images and pathway diagrams: generated SVG, and content images copied in safely.

Owns the site path of each credential's badge image (``badge_image_path``), the
drawing of a distinct, accessible SVG badge for a credential without its own
image (shape from its type, colours from its institution, a pattern from its
slug, its title written on it), the checking of images supplied by content (an
SVG with scripts, event handlers, ``foreignObject`` or external references is
rejected), and the pathway diagram drawn on each pathway page.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import textwrap
from dataclasses import dataclass
from html import escape
from pathlib import Path, PurePosixPath

from microcred.build import workers
from microcred.content.model import Catalog, Credential, Pathway
from microcred.reporting.errors import BuildError
from microcred.rules.svg import svg_problem
from microcred.site.labels import award_label, credits_label, route_label, type_label

SVG_NS = "http://www.w3.org/2000/svg"

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


def badge_image_path(credential: Credential, versioned: bool = False) -> str:
    """The site path of a credential's badge image: its own PNG/SVG, else the drawn SVG.

    ``versioned`` gives the copy kept with one criteria version (``/v<N>/badge.svg``),
    which that version's badge JSON names, so a later version's new title or image
    never changes what an earlier badge shows.
    """
    image = credential.badge.image if credential.badge else None
    suffix = PurePosixPath(image).suffix.lower() if image else ".svg"
    folder = f"/credentials/{credential.slug}/"
    return folder + (f"v{credential.version}/" if versioned else "") + f"badge{suffix}"


def badge_alt(credential: Credential, institution_name: str) -> str:
    """The text alternative of a badge image: the content's ``alt``, else a description."""
    if credential.badge and credential.badge.alt:
        return credential.badge.alt
    return f"Badge: {credential.title}, a micro-credential from {institution_name}"


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _colours(institution_id: str) -> tuple[str, str]:
    return PALETTE[_digest(institution_id) % len(PALETTE)]


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], textwrap.shorten(" ".join(lines[max_lines - 1 :]), width)]
    return lines


def _text_lines(lines: list[str], x: float, y: float, size: float, **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    spans = "".join(
        f'<tspan x="{x:g}" y="{y + i * size * 1.2:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="{size:g}" text-anchor="middle"{extra}>{spans}</text>'


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
    title_lines = _wrap(credential.title, 16, 4)
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
        + _text_lines([kind], 200, 98, 14, font_weight="700", letter_spacing="2")
        + _text_lines(title_lines, 200, top, size, font_weight="700")
        + _text_lines(_wrap(institution_name, 30, 2), 200, 296, 13)
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
    shutil.copyfile(source, target)


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
        workers.write_text(target, _drawn(credential, name))
    return target


_last_drawn: tuple[Credential, str, str] | None = None


def _drawn(credential: Credential, institution_name: str) -> str:
    """``badge_svg``, drawn once when the same credential's image is written twice in a row
    (the current version's image at ``v<N>/`` and at the credential's own folder)."""
    global _last_drawn
    last = _last_drawn
    if last is not None and last[0] is credential and last[1] == institution_name:
        return last[2]
    svg = badge_svg(credential, institution_name)
    _last_drawn = (credential, institution_name, svg)
    return svg


# --- pathway diagram --------------------------------------------------------------

DIAGRAM_WIDTH = 560
LINE = 20
STEP_FILL, STEP_STROKE, INK, AWARD_FILL = "#eef3f8", "#0b4f8a", "#1b1f24", "#0b4f8a"


@dataclass(frozen=True, slots=True)
class DiagramStep:
    """One box of the pathway diagram: a credential (or the award) and what it applies."""

    title: str
    note: str
    available: bool = True


def step_note(credits_applied, via: str | None) -> str:
    """``applies 6 credits`` or ``applies 3 credits through credit for prior learning``."""
    note = f"applies {credits_label(credits_applied)}" if credits_applied else "applies no credits"
    return note + (f" through {route_label(via)}" if via else "")


def diagram_steps(catalog: Catalog, pathway: Pathway) -> list[DiagramStep]:
    steps = []
    for step in pathway.steps:
        credential = catalog.credential_by_slug.get(step.credential)
        note = step_note(step.credits_applied, step.via)
        if credential is None:
            steps.append(DiagramStep(f"{step.credential} (not yet available)", note, False))
        else:
            steps.append(DiagramStep(credential.title, note))
    return steps


def _box(y: float, step: DiagramStep, number: int) -> tuple[str, float]:
    lines = _wrap(step.title, 44, 3)
    height = 34 + LINE * len(lines) + 22
    dash = "" if step.available else ' stroke-dasharray="6 4"'
    svg = (
        f'<rect x="60" y="{y:g}" width="{DIAGRAM_WIDTH - 80}" height="{height:g}" rx="8" '
        f'fill="{STEP_FILL}" stroke="{STEP_STROKE}" stroke-width="2"{dash}/>'
        f'<circle cx="30" cy="{y + height / 2:g}" r="16" fill="{STEP_STROKE}"/>'
        + _text_lines([str(number)], 30, y + height / 2 + 6, 17, fill="#ffffff", font_weight="700")
        + _text_lines(lines, DIAGRAM_WIDTH / 2 + 20, y + 30, 17, fill=INK, font_weight="700")
        + _text_lines(
            [step.note], DIAGRAM_WIDTH / 2 + 20, y + 30 + LINE * len(lines) + 4, 15, fill=INK
        )
    )
    return svg, height


def _arrow(y: float) -> str:
    x = DIAGRAM_WIDTH / 2 + 20
    return (
        f'<line x1="{x:g}" y1="{y:g}" x2="{x:g}" y2="{y + 22:g}" stroke="{INK}" stroke-width="2"/>'
        f'<polygon points="{x - 7:g},{y + 20:g} {x + 7:g},{y + 20:g} {x:g},{y + 30:g}" '
        f'fill="{INK}"/>'
    )


def pathway_svg(catalog: Catalog, pathway: Pathway, total_credits: float) -> str:
    """The pathway's credentials in order, an arrow between each, into the award."""
    program = catalog.program_by_id.get(pathway.award)
    award_title = program.name if program else pathway.award
    award_note = award_label(program.award) if program else "Award"
    if program and program.credits:
        award_note += f": {credits_label(total_credits)} of {credits_label(program.credits)}"
    parts, y = [], 10.0
    for number, step in enumerate(diagram_steps(catalog, pathway), start=1):
        box, height = _box(y, step, number)
        parts.append(box + _arrow(y + height + 4))
        y += height + 40
    award_lines = _wrap(award_title, 40, 3)
    award_height = 40 + LINE * len(award_lines) + 24
    parts.append(
        f'<rect x="60" y="{y:g}" width="{DIAGRAM_WIDTH - 80}" height="{award_height:g}" rx="20" '
        f'fill="{AWARD_FILL}"/>'
        + _text_lines(
            award_lines, DIAGRAM_WIDTH / 2 + 20, y + 34, 19, fill="#ffffff", font_weight="700"
        )
        + _text_lines(
            [award_note],
            DIAGRAM_WIDTH / 2 + 20,
            y + 34 + LINE * len(award_lines) + 6,
            15,
            fill="#ffffff",
        )
    )
    height = y + award_height + 10
    title = escape(f"Diagram of the {pathway.title} pathway")
    desc = escape(
        f"{len(pathway.steps)} micro-credentials in order, stacking into {award_title}. "
        "The list beside the diagram gives the same steps as text."
    )
    slug = escape(pathway.slug)
    return (
        f'<svg xmlns="{SVG_NS}" class="pathway-diagram" viewBox="0 0 {DIAGRAM_WIDTH} {height:g}" '
        f'width="{DIAGRAM_WIDTH}" height="{height:g}" role="img" '
        f'aria-labelledby="diagram-title-{slug} diagram-desc-{slug}">'
        f'<title id="diagram-title-{slug}">{title}</title>'
        f'<desc id="diagram-desc-{slug}">{desc}</desc>'
        f'<g font-family="Helvetica, Arial, sans-serif">{"".join(parts)}</g></svg>'
    )
