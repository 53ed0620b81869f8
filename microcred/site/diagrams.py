"""Pathway diagrams: how a pathway's credentials stack into its award, drawn as SVG.

Each pathway page carries one; its title and description give the same steps in
words, and the page lists them again as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from microcred.content.model import Catalog, Pathway
from microcred.site.labels import award_label, credits_label, route_label
from microcred.site.svg import SVG_NS, text_lines, wrap_text

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
    """The diagram's boxes for ``pathway``'s steps, in order; a step whose credential is not
    published is marked not yet available."""
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
    lines = wrap_text(step.title, 44, 3)
    height = 34 + LINE * len(lines) + 22
    dash = "" if step.available else ' stroke-dasharray="6 4"'
    svg = (
        f'<rect x="60" y="{y:g}" width="{DIAGRAM_WIDTH - 80}" height="{height:g}" rx="8" '
        f'fill="{STEP_FILL}" stroke="{STEP_STROKE}" stroke-width="2"{dash}/>'
        f'<circle cx="30" cy="{y + height / 2:g}" r="16" fill="{STEP_STROKE}"/>'
        + text_lines([str(number)], 30, y + height / 2 + 6, 17, fill="#ffffff", font_weight="700")
        + text_lines(lines, DIAGRAM_WIDTH / 2 + 20, y + 30, 17, fill=INK, font_weight="700")
        + text_lines(
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
    award_lines = wrap_text(award_title, 40, 3)
    award_height = 40 + LINE * len(award_lines) + 24
    parts.append(
        f'<rect x="60" y="{y:g}" width="{DIAGRAM_WIDTH - 80}" height="{award_height:g}" rx="20" '
        f'fill="{AWARD_FILL}"/>'
        + text_lines(
            award_lines, DIAGRAM_WIDTH / 2 + 20, y + 34, 19, fill="#ffffff", font_weight="700"
        )
        + text_lines(
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
