"""Content files other than credentials are parsed again only when their text changed.

The site, institution, pathway and frozen-version files are read by the check itself
on every build; with the cache on, what parsing a file's text gave is kept by the hash
of its kind and text (``build/kept_parses.py``), so an edit build parses only the files
that changed, and reports and writes exactly what a clean build does.
"""

from __future__ import annotations

import pickle
import shutil

import pytest
from conftest import SITES, files_of
from test_checked_cache import _build, _lines

from microcred.build.kept_parses import KeptParses
from microcred.content import load

PATHWAY = "pathways/into-welding.md"


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    """A copy of the minimal catalog (a site, an institution, a pathway) with its cache in
    the test's folder."""
    shutil.copytree(SITES / "minimal" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The kinds of the files other than credentials parsed, in order (by the fields
    their parse was given: the kind's schema)."""
    kinds: list[str] = []
    real = load._parse
    by_fields = {load.field_names(k): k for k in ("site", "institution", "pathway")}

    def counting(text, with_body, fields=frozenset()):
        if fields != load.field_names("credential"):
            kinds.append(by_fields.get(fields, "other"))
        return real(text, with_body, fields)

    monkeypatch.setattr(load, "_parse", counting)
    return kinds


def test_an_unchanged_build_parses_none_and_an_edit_only_its_file(catalog, parsed):
    _build(catalog / "content", catalog / "_site")
    assert {"site", "institution", "pathway"} <= set(parsed)  # the cold build parsed them
    parsed.clear()
    (catalog / "content" / "credentials" / "mig-welding.md").write_text(
        (catalog / "content" / "credentials" / "mig-welding.md")
        .read_text()
        .replace("title: ", "title: Advanced ", 1)
    )
    _build(catalog / "content", catalog / "_site")
    assert parsed == []
    pathway = catalog / "content" / PATHWAY
    pathway.write_text(pathway.read_text().replace("title: ", "title: Revised ", 1))
    _build(catalog / "content", catalog / "_site")
    assert parsed == ["pathway"]


def test_an_edited_pathway_builds_as_a_clean_build_would(catalog, monkeypatch):
    _build(catalog / "content", catalog / "_site")
    pathway = catalog / "content" / PATHWAY
    pathway.write_text(pathway.read_text().replace("title: ", "title: Revised ", 1))
    cached = _build(catalog / "content", catalog / "_site")
    monkeypatch.setenv("MICROCRED_CACHE", "off")
    clean = _build(catalog / "content", catalog / "clean")
    assert _lines(cached) == _lines(clean)
    assert files_of(catalog / "_site") == files_of(catalog / "clean")
    assert (
        "Revised"
        in (catalog / "_site" / "pathways").joinpath(pathway.stem, "index.html").read_text()
    )


def test_a_parse_is_given_afresh_each_time_so_a_change_to_it_is_not_kept(tmp_path):
    parses = KeptParses(tmp_path / "parses.pickle", "code")
    first = parses.parsed("pathway", True, "text", lambda: ({"title": "A"}, [1]))
    first[0]["title"] = "changed by the build"
    first[1].append(2)
    again = parses.parsed("pathway", True, "text", lambda: pytest.fail("parsed again"))
    assert again == ({"title": "A"}, [1])
    parses.save()
    kept = KeptParses(tmp_path / "parses.pickle", "code")
    assert kept.parsed("pathway", True, "text", lambda: pytest.fail("parsed again")) == again


@pytest.mark.parametrize(
    "kept_as",
    [
        "other code",
        "a damaged file",
        "a damaged parse",
        "the same text of another kind",
    ],
)
def test_a_parse_not_kept_for_this_text_kind_and_code_is_parsed_again(tmp_path, kept_as):
    path = tmp_path / "parses.pickle"
    parses = KeptParses(path, "code")
    parses.parsed("pathway", True, "text", lambda: "kept")
    parses.save()
    kind, context = "pathway", "code"
    if kept_as == "other code":
        context = "other code"
    elif kept_as == "a damaged file":
        path.write_bytes(path.read_bytes()[:20])
    elif kept_as == "a damaged parse":
        held = pickle.loads(path.read_bytes())
        held["parses"] = {key: b"\x80not a pickle" for key in held["parses"]}
        path.write_bytes(pickle.dumps(held))
    else:
        kind = "institution"
    again = KeptParses(path, context)
    assert again.parsed(kind, True, "text", lambda: "parsed again") == "parsed again"
    assert again.parsed_again == 1


def test_control_the_same_text_kind_and_code_is_not_parsed_again(tmp_path):
    path = tmp_path / "parses.pickle"
    parses = KeptParses(path, "code")
    parses.parsed("pathway", True, "text", lambda: "kept")
    parses.save()
    again = KeptParses(path, "code")
    assert again.parsed("pathway", True, "text", lambda: "parsed again") == "kept"
    assert again.parsed_again == 0


def test_a_file_that_cannot_be_parsed_is_reported_again_and_not_kept(catalog, parsed):
    pathway = catalog / "content" / PATHWAY
    pathway.write_text(pathway.read_text().replace("title: ", "title: [unclosed ", 1))
    first = _build(catalog / "content", catalog / "_site")
    parsed.clear()
    second = _build(catalog / "content", catalog / "_site")
    assert _lines(first) == _lines(second)
    assert any(PATHWAY in line and "[yaml]" in line for line in _lines(second))
    assert parsed == ["pathway"]


def test_a_kept_parse_of_another_shape_is_parsed_again(catalog, parsed):
    """A kept parse that unpickles but is not what a parse gives (a pickle of other code
    under the same context, say) is parsed again, not unpacked into a crash."""
    _build(catalog / "content", catalog / "_site")
    (kept,) = (catalog / "cache" / "checked").glob("*.parses.pickle")
    held = pickle.loads(kept.read_bytes())
    held["parses"] = {key: pickle.dumps(("not", "a parse")) for key in held["parses"]}
    kept.write_bytes(pickle.dumps(held))
    parsed.clear()
    (catalog / "content" / "credentials" / "mig-welding.md").write_text(
        (catalog / "content" / "credentials" / "mig-welding.md")
        .read_text()
        .replace("title: ", "title: Advanced ", 1)
    )
    result = _build(catalog / "content", catalog / "_site")
    assert result.built
    assert sorted(parsed) == ["institution", "pathway", "site"]


def test_the_kept_file_holds_each_file_once_and_is_not_written_when_nothing_changed(
    catalog,
):
    _build(catalog / "content", catalog / "_site")
    (kept,) = (catalog / "cache" / "checked").glob("*.parses.pickle")
    pathway = catalog / "content" / PATHWAY
    for title in ("First", "Second"):
        pathway.write_text(pathway.read_text().replace("title: ", f"title: {title} ", 1))
        _build(catalog / "content", catalog / "_site")
    assert len(pickle.loads(kept.read_bytes())["parses"]) == 3  # site, institution, pathway
    written = kept.stat().st_mtime_ns
    credential = catalog / "content" / "credentials" / "mig-welding.md"
    credential.write_text(credential.read_text().replace("title: ", "title: Advanced ", 1))
    _build(catalog / "content", catalog / "_site")
    assert kept.stat().st_mtime_ns == written


def test_the_same_text_with_and_without_a_body_is_two_parses(tmp_path):
    parses = KeptParses(tmp_path / "parses.pickle", "code")
    assert parses.parsed("pathway", True, "text", lambda: "with a body") == "with a body"
    assert parses.parsed("pathway", False, "text", lambda: "without") == "without"
    assert parses.parsed("pathway", True, "text", lambda: "again") == "with a body"
