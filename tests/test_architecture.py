"""The package's shape is part of its contract with newcomers: one folder per stage, and
imports that run one way (commands → pipeline → site → rules → build → content →
reporting). These tests read every import in ``microcred/`` (inside functions too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "microcred"

LAYERS = {
    "reporting": 0,
    "locations": 0,
    "content": 1,
    "build": 2,
    "rules": 3,
    "site": 4,
    "pipeline": 5,
    "commands": 6,
    "cli": 7,
}
"""How far up each part of the package sits: a module imports only from its own
layer or the ones below."""

SITE_OUTPUTS = {"pages", "guides", "open_badges", "ctdl", "catalog_data", "search"}
"""The output families of ``site/``; each may use the shared site modules (templates,
labels, schema_org, enrolment, badge_images, diagrams, svg) but never another output
family."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every ``microcred`` module ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import; write it absolute"
            if node.module.startswith("microcred"):
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    is_module = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py")
                    found.add(candidate if is_module.is_file() else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("microcred"))
    return found


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "package"


def test_every_stage_has_its_folder_and_every_module_sits_in_one():
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert folders == ["build", "commands", "content", "reporting", "rules", "site"]
    loose = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert loose == ["cli", "locations", "pipeline"]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_run_one_way(module):
    if module == "microcred":
        return
    here = LAYERS[_part(module)]
    upward = [
        imported
        for imported in GRAPH[module]
        if imported != "microcred" and LAYERS[_part(imported)] > here
    ]
    assert not upward, f"{module} imports from a layer above it: {upward}"


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m.split(".")[-1] in SITE_OUTPUTS))
def test_no_output_module_imports_another(module):
    others = [
        m
        for m in GRAPH[module]
        if m.startswith("microcred.site.") and m.split(".")[-1] in SITE_OUTPUTS
    ]
    assert not others, f"{module} imports another output family: {others}"


def test_no_module_imports_itself_through_a_cycle():
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, "import cycle: " + " → ".join([*visiting, module])
        visiting.append(module)
        for imported in sorted(GRAPH.get(module, ())):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(GRAPH):
        visit(module)


def test_the_checks_catch_what_they_are_for():
    """Negative controls: an upward import and a cycle in a made-up graph are found."""
    assert LAYERS[_part("microcred.content.load")] < LAYERS[_part("microcred.site.pages")]
    cyclic = {"a": {"b"}, "b": {"a"}}
    with pytest.raises(AssertionError, match="import cycle"):
        saved = dict(GRAPH)
        GRAPH.clear()
        GRAPH.update(cyclic)
        try:
            test_no_module_imports_itself_through_a_cycle()
        finally:
            GRAPH.clear()
            GRAPH.update(saved)


def _public_definitions(tree: ast.Module):
    """Top-level functions and classes, and the methods of public classes, that are public."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef) and not node.name.startswith("_"):
            yield node
            if isinstance(node, ast.ClassDef):
                yield from (
                    item
                    for item in node.body
                    if isinstance(item, ast.FunctionDef) and not item.name.startswith("_")
                )


def test_every_public_function_and_class_says_what_it_does():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(PACKAGE.parent)
        if not ast.get_docstring(tree):
            missing.append(f"{where}: the module")
        missing += [
            f"{where}:{node.lineno}: {node.name}"
            for node in _public_definitions(tree)
            if not ast.get_docstring(node)
        ]
    assert not missing, "no docstring:\n" + "\n".join(missing)
