"""The URL manifest: a published page or badge JSON never silently disappears."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.build.manifest import published_paths, read_manifest, site_path, update_manifest
from microcred.pipeline import BuildOptions, build
from microcred.reporting.errors import BuildError
from microcred.reporting.terminal import TerminalReporter

OFFICE = "credentials/office-communication.md"
EXTRA = "credentials/extra-skill.md"


def build_minimal(minimal, **options):
    return build(
        BuildOptions(
            content=minimal.content, output=minimal.root / "_site", search=False, **options
        ),
        TerminalReporter(quiet=True),
    )


@pytest.fixture
def published(minimal):
    """The minimal catalog plus one extra credential, built once with --update-manifest."""
    text = minimal.path(OFFICE).read_text()
    minimal.write(EXTRA, text.replace("title: Workplace Communication", "title: Extra Skill"))
    result = build_minimal(minimal, update_manifest=True)
    assert result.built
    return minimal


def test_site_paths_are_the_urls_files_are_served_at(tmp_path):
    assert site_path(tmp_path, tmp_path / "index.html") == "/"
    assert site_path(tmp_path, tmp_path / "credentials/x/index.html") == "/credentials/x/"
    assert site_path(tmp_path, tmp_path / "credentials/x/badgeclass.json") == (
        "/credentials/x/badgeclass.json"
    )
    assert site_path(tmp_path, tmp_path / "404.html") == "/404.html"


def test_update_lists_pages_and_json_but_not_assets_or_the_search_index(published):
    urls = read_manifest(published.root / "urls.json")
    assert "/credentials/extra-skill/" in urls
    assert "/credentials/extra-skill/v1/badgeclass.json" in urls
    assert "/institutions/lakeside/issuer.json" in urls
    assert not [u for u in urls if u.startswith(("/assets/", "/pagefind/"))]
    assert urls == sorted(urls)
    assert urls == published_paths(published.root / "_site")


def test_deleting_a_published_credential_fails_the_build_and_says_to_close_it(published):
    published.path(EXTRA).unlink()
    before = sorted(p.name for p in (published.root / "_site").iterdir())
    with pytest.raises(BuildError) as failure:
        build_minimal(published)
    lines = str(failure.value).splitlines()
    assert lines[0] == "7 published URLs listed in urls.json would no longer work:"
    assert [line.split()[0] for line in lines[1:]] == [
        "/credentials/extra-skill/",
        "/credentials/extra-skill/achievement.json",
        "/credentials/extra-skill/badgeclass.json",
        "/credentials/extra-skill/ctdl.json",
        "/credentials/extra-skill/v1/",
        "/credentials/extra-skill/v1/achievement.json",
        "/credentials/extra-skill/v1/badgeclass.json",
    ]
    assert lines[1] == (
        "  /credentials/extra-skill/ would disappear; close the credential instead of deleting "
        "it (`status: closed` keeps its pages and badge JSON), or, if it was renamed, add "
        "`redirect_from: [extra-skill]` to the renamed credential"
    )
    assert sorted(p.name for p in (published.root / "_site").iterdir()) == before


def test_closing_a_credential_keeps_every_url(published):
    published.edit(EXTRA, "status: active", "status: closed")
    assert build_minimal(published).built


def test_a_rename_with_redirect_from_keeps_every_url(published):
    text = published.path(EXTRA).read_text()
    published.path(EXTRA).unlink()
    published.write(
        "credentials/renamed-skill.md",
        text.replace("version: 1", "version: 1\nredirect_from: [extra-skill]"),
    )
    assert build_minimal(published).built


def test_a_lost_frozen_version_says_how_to_keep_it(published):
    published.edit(EXTRA, "version: 1", "version: 2")
    with pytest.raises(BuildError) as failure:
        build_minimal(published)
    assert (
        "  /credentials/extra-skill/v1/ would disappear; keep the frozen criteria of version 1 "
        "in content/versions/extra-skill/v1.md (run `python build.py freeze extra-skill` "
        "before changing criteria)"
    ) in str(failure.value).splitlines()


def test_updating_never_removes_a_url(tmp_path):
    manifest = tmp_path / "urls.json"
    assert update_manifest(manifest, ["/a/", "/b/"]) == ["/a/", "/b/"]
    assert update_manifest(manifest, ["/c/"]) == ["/c/"]
    assert json.loads(manifest.read_text())["urls"] == ["/a/", "/b/", "/c/"]


def test_a_broken_manifest_is_explained(tmp_path):
    manifest = tmp_path / "urls.json"
    manifest.write_text("[1, 2")
    with pytest.raises(BuildError, match=r"urls.json is not a URL manifest .*restore it from git"):
        read_manifest(manifest)


def test_proposals_are_never_recorded(minimal):
    with pytest.raises(BuildError, match="cannot be used with --include-proposed"):
        build_minimal(minimal, update_manifest=True, include_proposed=True)


def test_the_sample_catalog_publishes_every_url_in_its_manifest(sample_site):
    listed = read_manifest(Path(__file__).resolve().parent.parent / "urls.json")
    assert set(listed) <= set(published_paths(sample_site))
