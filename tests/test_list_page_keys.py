"""List pages and credential pages keyed by what they show: an edit build equals a clean one.

A list page (home and browse pages, the skills and careers pages and each group's page,
pathway pages, the sitemap) is kept when the records it shows and the few other values
its context is made from are unchanged (``SiteWriter.listed``); a credential's pages when
its record, earlier versions, pathways and one ``repr`` of its other inputs are
(``pages.credential_inputs``). Those keys are shortcuts: after every kind of edit the
cached build must equal a clean build (cache off) byte for byte.

The full fixture site is built with four cards a browse page and two credentials a group
preview, so that the browse orders run over several pages and the skills and careers
pages say how many more each group has: a title edit moves credentials across pages.

**Broken controls**: each key below is built with one input left out, and the same
series must then differ from a clean build at the edit that input stands for; so the
comparison notices a key that misses what its page shows.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import SITES, TODAY, files_of

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.rules.check import check_catalog
from microcred.site import pages
from microcred.site.templates import SiteWriter


def _build(content: Path, output: Path) -> None:
    options = BuildOptions(content=content, output=output, search=False, today=TODAY, cache=True)
    result = build(options, TerminalReporter(quiet=True))
    assert result.built, "\n".join(str(p) for p in result.check.problems)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _credential(content: Path, slug: str) -> Path:
    return content / "credentials" / f"{slug}.md"


def _add(content: Path) -> None:
    text = _credential(content, "technical-writing").read_text(encoding="utf-8")
    text = text.replace("inventory_id: MNS-MC-", "inventory_id: MNS-MC-9", 1)
    text = text.replace("title: Technical Writing", "title: Advanced Technical Writing", 1)
    text = "\n".join(line for line in text.splitlines() if not line.startswith("ctid:")) + "\n"
    _credential(content, "advanced-technical-writing").write_text(text, encoding="utf-8")


def _rename(content: Path) -> None:
    old, new = _credential(content, "technical-writing"), _credential(content, "tech-writing")
    old.rename(new)
    versions = content / "versions"
    (versions / "technical-writing").rename(versions / "tech-writing")  # its frozen v1
    _replace(new, "---\n", "---\nredirect_from: [technical-writing]\n")
    pathway = content / "pathways" / "professional-communication-to-writing-ba.md"
    _replace(pathway, "credential: technical-writing\n", "credential: tech-writing\n")


def _edit(slug: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda content: _replace(_credential(content, slug), old, new)


CHANGES: dict[str, Callable[[Path], None]] = {
    # First: an edit build starts from the site two builds old, so a page whose other
    # inputs changed the build before is rendered again whatever its key leaves out.
    # This one moves a "Starts" filter value, on a credential no home page card shows.
    "offering date": _edit(
        "servsafe-food-handler",
        "start: 2026-10-17\n    end: 2026-10-17",
        "start: 2026-12-05\n    end: 2026-12-05",
    ),
    "summary": _edit(
        "cnc-operator-basics", "summary: >-\n  Set up", "summary: >-\n  Learn to set up"
    ),
    "title": _edit("cnc-operator-basics", "title: CNC Operator", "title: Zinc CNC Operator"),
    "step title": _edit(
        "workplace-communications", "title: Workplace Comm", "title: Zest Workplace Comm"
    ),
    "skill": _edit("data-analytics-with-excel", "name: Mathematics", "name: Applied Mathematics"),
    "career": _edit(
        "data-analytics-with-excel", "title: Management Analysts", "title: Business Analysts"
    ),
    "type": _edit(
        "payroll-accounting",
        "type: industry-specific-technical-skill",
        "type: transferable-skill",
    ),
    "status": _edit("technical-writing", "status: active", "status: suspended"),
    "institution": _edit(
        "payroll-accounting",
        "institution: great-river-state-university",
        "institution: prairie-lakes-college",
    ),
    "added": _add,
    "renamed": _rename,
    "deleted": lambda content: _credential(content, "advanced-technical-writing").unlink(),
}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A copy of the full fixture catalog, its cache in the test's folder; small browse
    pages and group previews."""
    shutil.copytree(SITES / "full" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pages, "PAGE_SIZE", 4)
    monkeypatch.setattr(pages, "GROUP_PREVIEW", 2)
    return tmp_path


def _first_difference(root: Path, monkeypatch, changes: list[str]) -> str | None:
    """Build with the cache on, then apply ``changes`` in turn, each followed by a cached
    and a clean build; the first after which the two sites differ (None: never); the files
    that differ are printed."""
    content = root / "content"
    _build(content, root / "_site")
    for name in changes:
        CHANGES[name](content)
        _build(content, root / "_site")
        monkeypatch.setenv("MICROCRED_CACHE", "off")
        _build(content, root / "clean")
        monkeypatch.setenv("MICROCRED_CACHE", str(root / "cache"))
        cached, clean = files_of(root / "_site"), files_of(root / "clean")
        if cached != clean:
            differ = sorted(
                f for f in cached.keys() | clean.keys() if cached.get(f) != clean.get(f)
            )
            print(f"after {name}: {differ}")
            return name
    return None


def test_every_kind_of_edit_builds_as_a_clean_build_would(site, monkeypatch):
    assert _first_difference(site, monkeypatch, list(CHANGES)) is None


def _leaving_out(monkeypatch, template: str, index: int) -> None:
    """Key every page of ``template`` without its ``index``-th input (a broken key), from
    the first build on (a key changed between builds only renders every page again)."""
    listed = SiteWriter.listed

    def broken(self, path, name, inputs, context):
        if name == template:
            inputs = inputs[:index] + inputs[index + 1 :]
        return listed(self, path, name, inputs, context)

    monkeypatch.setattr(SiteWriter, "listed", broken)


@pytest.mark.parametrize(
    ("template", "index", "revealed_by"),
    [
        ("browse.html", 4, "offering date"),  # the records a browse page shows (by start)
        ("group.html", 3, "title"),  # the records a group's page lists
        ("groups.html", 2, "title"),  # each group's name, path, size and preview
        ("home.html", 6, "offering date"),  # the filters ("Starts" terms)
        ("pathway.html", 3, "step title"),  # the steps' credentials
    ],
)
def test_a_list_page_key_without_one_input_is_caught(
    site, monkeypatch, template, index, revealed_by
):
    """Broken control: the series up to ``revealed_by`` passes with the real key
    (previous test) and fails with this input left out."""
    _leaving_out(monkeypatch, template, index)
    changes = list(CHANGES)[: list(CHANGES).index(revealed_by) + 1]
    assert _first_difference(site, monkeypatch, changes) == revealed_by


def test_a_credential_key_without_its_ranks_is_caught(site, monkeypatch):
    """Broken control: a credential's key without its sort ranks keeps pages whose
    Pagefind sort keys moved when another credential's title did."""
    real = pages.credential_inputs
    monkeypatch.setattr(
        pages,
        "credential_inputs",
        lambda site, credential, ranks, today=None: real(site, credential, {}, today),
    )
    assert _first_difference(site, monkeypatch, ["summary", "title"]) == "title"


EXACT_REPR = (str, bool, type(None), date)
"""Leaves whose ``repr`` shows all of them: a credential's other values are keyed by it."""


def _inexact_leaves(value) -> list[object]:
    """The parts of ``value`` whose ``repr`` may hide something (not ``EXACT_REPR``)."""
    if type(value) in (tuple, list):
        return [leaf for item in value for leaf in _inexact_leaves(item)]
    return [] if type(value) in EXACT_REPR else [value]


@pytest.mark.parametrize("name", ["full", "three-campuses", "multi-institution"])
def test_a_credentials_other_values_are_keyed_exactly_by_their_repr(name):
    catalog = check_catalog(SITES / name / "content", TODAY).catalog
    assert catalog is not None
    ranks = pages.Listing(catalog.credentials, TODAY).ranks()
    for credential in catalog.credentials:
        values = pages.credential_values(catalog, credential, ranks[credential.slug], TODAY)
        assert _inexact_leaves(values) == [], credential.slug


def test_a_value_whose_repr_hides_its_fields_is_caught():
    """Broken control: a record's ``repr`` is its own business, so it is not exact."""
    catalog = check_catalog(SITES / "full" / "content", TODAY).catalog
    assert _inexact_leaves((TODAY, [("a", None)], catalog.credentials[:1])) == [
        catalog.credentials[0]
    ]


def test_a_summary_edit_renders_no_skill_or_career_page_again(site, monkeypatch):
    """The skills' and careers' lists show a credential's link, title, status and
    institution (``Listing.linked``), not its summary: their pages are kept."""
    content = site / "content"
    _build(content, site / "_site")
    _build(content, site / "_site")  # the kept folder is now one build old as well
    rendered: list[str] = []
    render = SiteWriter.render

    def spy(self, path, template, **context):
        rendered.append(template)
        return render(self, path, template, **context)

    monkeypatch.setattr(SiteWriter, "render", spy)
    CHANGES["summary"](content)
    _build(content, site / "_site")
    assert "credential.html" in rendered and "browse.html" in rendered
    assert "group.html" not in rendered and "groups.html" not in rendered
