"""Is an SVG from content safe to publish? An allowlist of drawing elements.

A badge SVG opened on its own is a document that can run script, load other files
and rewrite its links, so only plain drawing survives: the elements below, no event
handlers, references only within the file (``#id``) or to embedded raster images,
and CSS without at-rules, escapes or outside ``url()``s.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

DRAWING_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textpath", "image", "style", "marker", "pattern",
    "lineargradient", "radialgradient", "stop", "clippath", "mask",
    "filter", "feblend", "fecolormatrix", "fecomposite", "fedropshadow", "feflood",
    "fegaussianblur", "femerge", "femergenode", "feoffset",
})  # fmt: skip
REFERENCE_ATTRIBUTES = frozenset({"href", "xlink:href", "src"})
SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)


def _local_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[1]
    return name.rsplit("}", 1)[-1].lower()


def _outside(value: str) -> bool:
    value = value.strip()
    return not (value.startswith("#") or SAFE_DATA_IMAGE.match(value))


def _css_problem(css: str) -> str | None:
    if "@" in css or "\\" in css:
        return "CSS that imports or runs code"
    if "expression(" in css.lower() or "javascript:" in css.lower():
        return "CSS that imports or runs code"
    if any(_outside(url) for url in CSS_URL.findall(css)):
        return "a CSS url() pointing outside the file"
    return None


def _element_problem(element: ElementTree.Element) -> str | None:
    tag = _local_name(element.tag)
    if tag not in DRAWING_ELEMENTS:
        return f"a <{tag}> element"
    if tag == "style":
        return _css_problem(element.text or "")
    for raw_name, value in element.attrib.items():
        name = _local_name(raw_name)
        if name.startswith("on"):
            return f"an event handler attribute ({name})"
        if name in REFERENCE_ATTRIBUTES and _outside(value):
            return f"an external reference ({name}={value!r})"
        if name == "style" and _css_problem(value):
            return _css_problem(value)
        if "javascript:" in value.lower():
            return f"a script URL in {name}"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG from content is unsafe to publish, or ``None`` when it is safe."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        return "a DOCTYPE or entity declaration"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"XML that does not parse ({error})"
    if _local_name(root.tag) != "svg":
        return "a root element that is not <svg>"
    for element in root.iter():
        problem = _element_problem(element)
        if problem:
            return problem
    return None
