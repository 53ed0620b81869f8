"""An edit build does little beyond what the edit changed (issue 18, "Fast edit render").

Compiled templates are kept in the build cache, and an edited template is compiled
again; the data files are spliced from the last build's data files, unpacking only
the changed credentials' shares, and equal a clean build's byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SITES, TODAY, data_files_of
from jinja2 import Environment

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter
from microcred.site import catalog_data, templates
from microcred.site.catalog_data import CredentialData, joined_data
from microcred.site.templates import SiteWriter


@pytest.fixture
def theme(tmp_path, monkeypatch):
    """A copy of the theme, with compiled templates kept in the test's cache folder."""
    copy = tmp_path / "theme"
    shutil.copytree(templates.THEME, copy)
    monkeypatch.setattr(templates, "THEME", copy)
    templates.keep_compiled(tmp_path / "cache")
    yield copy
    templates.keep_compiled(None)


def _compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja2 compiles from now on."""
    compiled: list[str] = []
    original = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    return compiled


def _render(catalog, out: Path, name: str) -> str:
    return SiteWriter(catalog, out).env.get_template(name).render(page_path="/")


def test_compiled_templates_are_kept_between_builds(theme, tmp_path, sample_catalog, monkeypatch):
    (theme / "templates" / "probe.html").write_text("<p>{{ '/x/'|local }} one</p>\n")
    compiled = _compiles(monkeypatch)
    assert _render(sample_catalog, tmp_path / "out", "probe.html") == "<p>/x/ one</p>\n"
    assert compiled == ["probe.html"]
    assert _render(sample_catalog, tmp_path / "out", "probe.html") == "<p>/x/ one</p>\n"
    assert compiled == ["probe.html"], "the second writer loads the kept code"
    assert len(list((tmp_path / "cache" / "templates").glob("*/*.cache"))) == 1


def test_an_edited_template_is_compiled_again(theme, tmp_path, sample_catalog, monkeypatch):
    probe = theme / "templates" / "probe.html"
    probe.write_text("<p>one</p>\n")
    assert _render(sample_catalog, tmp_path / "out", "probe.html") == "<p>one</p>\n"
    probe.write_text("<p>two</p>\n")  # the same size, in the same second
    compiled = _compiles(monkeypatch)
    assert _render(sample_catalog, tmp_path / "out", "probe.html") == "<p>two</p>\n"
    assert compiled == ["probe.html"]


def test_without_the_cache_no_compiled_template_is_kept(tmp_path, sample_catalog):
    templates.keep_compiled(None)
    assert SiteWriter(sample_catalog, tmp_path / "out").env.bytecode_cache is None


def _share(entry: str, *lines: str) -> CredentialData:
    return CredentialData.of(entry, lines)


def test_spliced_data_equals_data_joined_afresh():
    first = {"a": _share('{"a":1}', "a,1\n", "a,x\n"), "b": _share('{"b":é}', "b,2\n", "")}
    last = joined_data(first, {"a": "ka", "b": "kb"})
    # b edited, c added before a, a unchanged (its key is the same: it is copied)
    now = {
        "c": _share('{"c":3}', "c,3\n", "c,y\n"),
        "a": _share("NOT USED", "NOT USED", "NOT USED"),
        "b": _share('{"b":"two"}', "b,22\n", "b,z\n"),
    }
    spliced = joined_data(now, {"c": "kc", "a": "ka", "b": "kb2"}, last)
    expected = {"c": now["c"], "a": first["a"], "b": now["b"]}
    assert spliced == joined_data(expected, {"c": "kc", "a": "ka", "b": "kb2"})
    assert spliced.columns == (
        b'{"c":3},{"a":1},{"b":"two"}',
        b"c,3\na,1\nb,22\n",
        b"c,y\na,x\nb,z\n",
    )


def test_a_share_without_a_key_is_never_copied():
    last = joined_data({"a": _share("old", "old\n")}, {"a": None})
    assert joined_data({"a": _share("new", "new\n")}, {"a": None}, last).columns[0] == b"new"


def _build(content: Path, output: Path) -> None:
    options = BuildOptions(content=content, output=output, search=False, today=TODAY, cache=True)
    assert build(options, TerminalReporter(quiet=True)).built


def test_an_edit_build_unpacks_only_the_edited_shares(tmp_path, monkeypatch):
    shutil.copytree(SITES / "multi-institution" / "content", tmp_path / "content")
    monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
    content = tmp_path / "content"
    _build(content, tmp_path / "_site")
    unpacked: list[str] = []
    original = CredentialData._unpacked
    monkeypatch.setattr(
        CredentialData, "_unpacked", lambda self: unpacked.append(self) or original(self)
    )
    for round_ in (1, 2, 3):
        source = sorted((content / "credentials").glob("*.md"))[round_]
        text = source.read_text()
        source.write_text(text.replace("\nsummary: ", f"\nsummary: Edit {round_}. ", 1))
        unpacked.clear()
        _build(content, tmp_path / "_site")
        # The build starts from the build before last caught up with the last build
        # (``reuse.catch_up``): only this round's share changed since then (unpacked once
        # for the files, once more for the validation's copy of what changed).
        shares = {id(share) for share in unpacked}
        assert len(shares) == 1, f"round {round_}: only the edited share unpacked"
        monkeypatch.setenv("MICROCRED_CACHE", "off")
        _build(content, tmp_path / "clean")
        monkeypatch.setenv("MICROCRED_CACHE", str(tmp_path / "cache"))
        data = data_files_of(tmp_path / "_site")
        assert data == data_files_of(tmp_path / "clean")
        assert f"Edit {round_}.".encode() in data["catalog.json"]
    assert catalog_data.catalog_text  # the plain join stays for callers without a ledger
