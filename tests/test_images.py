"""Badge images and pathway diagrams: drawn SVGs are accessible and distinct; images
from content are copied only when safe."""

from __future__ import annotations

import dataclasses
from xml.etree import ElementTree

import pytest

from microcred.content.model import Badge, PathwayStep
from microcred.content.urls import badge_image_path
from microcred.reporting.errors import BuildError
from microcred.rules.svg import svg_problem
from microcred.site.badge_images import PNG_SIGNATURE, badge_svg, write_badge_image
from microcred.site.diagrams import pathway_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


@pytest.fixture
def welding(sample_catalog):
    return sample_catalog.credential_by_slug["mig-welding-gmaw"]


def test_a_credential_without_an_image_gets_the_drawn_svg_path(welding):
    assert badge_image_path(welding) == "/credentials/mig-welding-gmaw/badge.svg"


def test_a_credential_with_its_own_image_keeps_its_format(welding):
    own = dataclasses.replace(welding, badge=Badge(image="badges/Weld.PNG", alt="A torch"))
    assert badge_image_path(own) == "/credentials/mig-welding-gmaw/badge.png"


def test_drawn_badge_is_an_image_with_a_title_and_the_credential_written_on_it(welding):
    root = parse(badge_svg(welding, "Prairie Lakes Community and Technical College"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "badge-title badge-desc"
    assert root.find(f"{SVG}title").text == (
        "Badge: MIG Welding (GMAW), a micro-credential from "
        "Prairie Lakes Community and Technical College"
    )
    lines = [t.text for t in root.iter(f"{SVG}tspan")]
    assert lines[:3] == ["TECHNICAL SKILL", "MIG Welding", "(GMAW)"]


def test_drawn_badges_differ_by_credential_and_shape_by_type(sample_catalog):
    drawn = {c.slug: badge_svg(c, "College") for c in sample_catalog.credentials if not c.badge}
    assert len(set(drawn.values())) == len(drawn)
    for credential in sample_catalog.credentials:
        if credential.slug in drawn:
            outline = parse(drawn[credential.slug])[2].tag
            shape = "circle" if credential.type == "transferable-skill" else "polygon"
            assert outline == SVG + shape


def test_long_titles_wrap_to_at_most_four_lines(welding):
    long = dataclasses.replace(welding, title="Advanced " * 12)
    root = parse(badge_svg(long, "College"))
    title_lines = next(t for t in root.iter(f"{SVG}text") if t.get("font-size") == "25")
    assert len(list(title_lines)) == 4


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a <script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "an event handler"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
            "a <foreignobject>",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="https://tracker.example/p.png"/></svg>',
            "an external reference",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:x()"/></svg>',
            "a <a> element",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(x.css);</style></svg>',
            "CSS that imports",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@\\69mport "x.css";</style></svg>',
            "CSS that imports or runs code",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://x/y)"/></svg>',
            "a CSS url()",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="x"/></svg>',
            "a <set> element",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="onmouseover" '
            b'to="alert(1)"/></svg>',
            "a <set> element",
        ),
        (b'<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "a DOCTYPE"),
        (b"<html/>", "a root element that is not <svg>"),
        (b"<svg", "XML that does not parse"),
    ],
)
def test_unsafe_svgs_from_content_are_refused(svg, problem):
    assert svg_problem(svg).startswith(problem)


def test_a_plain_svg_with_local_references_is_safe():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>'
        b'<linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/>'
        b'<use href="#g"/></svg>'
    )
    assert svg_problem(svg) is None


def content_badge(catalog, credential, tmp_path, name: str, data: bytes):
    content = tmp_path / "content"
    (content / "badges").mkdir(parents=True)
    (content / "badges" / name).write_bytes(data)
    return dataclasses.replace(
        credential,
        source=str(content / "credentials" / f"{credential.slug}.md"),
        badge=Badge(image=f"badges/{name}", alt="A welding torch"),
    )


def test_a_safe_content_svg_is_copied_as_is(sample_catalog, welding, tmp_path):
    data = b'<svg xmlns="http://www.w3.org/2000/svg"><title>Torch</title></svg>'
    credential = content_badge(sample_catalog, welding, tmp_path, "torch.svg", data)
    written = write_badge_image(sample_catalog, credential, tmp_path / "site")
    assert written == tmp_path / "site/credentials/mig-welding-gmaw/badge.svg"
    assert written.read_bytes() == data


def test_an_unsafe_content_svg_stops_the_build_naming_the_file(sample_catalog, welding, tmp_path):
    data = b'<svg xmlns="http://www.w3.org/2000/svg"><script>steal()</script></svg>'
    credential = content_badge(sample_catalog, welding, tmp_path, "torch.svg", data)
    with pytest.raises(BuildError) as raised:
        write_badge_image(sample_catalog, credential, tmp_path / "site")
    assert str(raised.value) == (
        f"{credential.source}: badge.image 'badges/torch.svg' is not a safe SVG: it contains "
        "a <script> element. Remove it, or export the badge as a plain SVG or PNG without "
        "scripts, links or embedded HTML."
    )


def test_a_png_must_really_be_a_png(sample_catalog, welding, tmp_path):
    good = content_badge(sample_catalog, welding, tmp_path / "a", "b.png", PNG_SIGNATURE + b"x")
    assert write_badge_image(sample_catalog, good, tmp_path / "site").name == "badge.png"
    bad = content_badge(sample_catalog, welding, tmp_path / "b", "b.png", b"<svg/>")
    with pytest.raises(BuildError, match="is not a PNG file"):
        write_badge_image(sample_catalog, bad, tmp_path / "site")


def test_pathway_diagram_names_each_step_its_credits_and_the_award(sample_catalog):
    pathway = sample_catalog.pathways[0]
    root = parse(pathway_svg(sample_catalog, pathway, 9))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == f"Diagram of the {pathway.title} pathway"
    text = " ".join(t.text for t in root.iter(f"{SVG}tspan"))
    for step in pathway.steps:
        assert sample_catalog.credential_by_slug[step.credential].title in text
    program = sample_catalog.program_by_id[pathway.award]
    assert program.name in text
    assert f"9 credits of {program.credits} credits" in text


def test_a_step_not_yet_published_is_drawn_dashed_and_says_so(sample_catalog):
    pathway = dataclasses.replace(
        sample_catalog.pathways[0],
        steps=(PathwayStep("future-skill", credits_applied=3),),
    )
    svg = pathway_svg(sample_catalog, pathway, 3)
    assert "future-skill (not yet available)" in svg
    assert 'stroke-dasharray="6 4"' in svg
    assert "applies 3 credits" in svg
