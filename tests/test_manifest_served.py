"""The URL manifest checked from its own side (issue 18, fifth session).

A build that does not update the manifest looks each listed URL path's one possible file
up among the site's files (``file_served_at``) instead of computing the URL path of each
of the site's files. These tests hold that check to the one it replaces: the same verdict
and the same message for the same site, and never a listed URL let through that the site
does not serve.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.build import manifest
from microcred.build.manifest import (
    check_manifest,
    check_served,
    file_served_at,
    published_paths,
    site_files,
    url_path,
    write_manifest,
)
from microcred.reporting.errors import BuildError

ODD_FILES = [
    "index.html",
    "404.html",
    "xindex.html",
    "credentials/x/index.html",
    "credentials/x/xindex.html",
    "credentials/x/index.html.bak",
    "credentials/x/v1/badgeclass.json",
    "data/credentials.csv",
    "assets/site.css",
]
"""File names around the edges of ``url_path``'s rule (``index.html`` served as its folder)."""

ODD_URLS = [
    "/",
    "//",
    "",
    "index.html",
    "/index.html",
    "/credentials/x/",
    "/credentials/x",
    "/credentials/x/index.html",
    "/credentials/x/xindex.html",
    "/credentials/y/",
    "/404.html",
]
"""Listed URL paths around the same edges, some served by ``ODD_FILES`` and some not."""


def served_by_url_paths(listed: list[str], files: list[str]) -> set[str]:
    """The old way: the listed paths among the URL paths of every file."""
    served = {url_path(f) for f in files}
    return {url for url in listed if url in served}


def served_by_files(listed, files, inverse=file_served_at) -> set[str]:
    """The new way: the listed paths whose one possible file is among the files."""
    known = set(files)
    return {url for url in listed if inverse(url) in known}


def naive_inverse(url: str) -> str | None:
    """A broken inverse (the control): a path ending in ``/`` is its ``index.html``, any
    other is its file, so ``/credentials/x/index.html`` passes as served."""
    return url[1:] + "index.html" if url.endswith("/") else url[1:]


def test_the_file_served_at_a_url_path_is_its_exact_inverse(sample_site):
    files = site_files(sample_site) + ODD_FILES
    for file in files:
        assert file_served_at(url_path(file)) == file
    listed = [url_path(f) for f in files] + ODD_URLS
    assert served_by_files(listed, files) == served_by_url_paths(listed, files)


def test_control_a_naive_inverse_lets_through_a_url_no_file_serves(sample_site):
    files = site_files(sample_site) + ODD_FILES
    listed = [url_path(f) for f in files] + ODD_URLS
    wrong = served_by_files(listed, files, naive_inverse) - served_by_url_paths(listed, files)
    assert wrong == {"/credentials/x/index.html", "/index.html"}


def test_a_listed_url_only_an_index_file_name_reaches_fails_as_before(sample_site, tmp_path):
    files = site_files(sample_site)
    listed = [*published_paths(sample_site), "/credentials/x/index.html"]
    path = tmp_path / "urls.json"
    write_manifest(path, listed)
    with pytest.raises(BuildError) as old:
        check_manifest(path, sample_site, files)
    with pytest.raises(BuildError) as new:
        check_served(path, frozenset(files))
    assert str(new.value) == str(old.value)
    assert (
        str(new.value).splitlines()[0]
        == "1 published URL listed in urls.json would no longer work:"
    )


def test_a_lost_page_fails_with_the_same_message_and_a_whole_site_passes(sample_site, tmp_path):
    files = site_files(sample_site)
    path = tmp_path / "urls.json"
    write_manifest(path, published_paths(sample_site))
    assert check_served(path, files) is None
    check_manifest(path, sample_site, files)  # passes too
    lost = [f for f in files if not f.startswith("credentials/") or "/v" in f]
    with pytest.raises(BuildError) as old:
        check_manifest(path, sample_site, lost)
    with pytest.raises(BuildError) as new:
        check_served(path, lost)
    assert str(new.value) == str(old.value)
    assert "close the credential instead of deleting it" in str(new.value)


def test_no_manifest_checks_nothing_and_reads_no_file_names(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest, "url_path", None)  # not called: nothing is listed
    assert check_served(Path(tmp_path / "urls.json"), frozenset({"index.html"})) is None
