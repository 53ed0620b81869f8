"""A renamed credential: old pages forward, old badge JSON stays valid under its old id."""

from __future__ import annotations

import json

import pytest

from microcred.pipeline import BuildOptions, build
from microcred.reporting.terminal import TerminalReporter

BASE = "https://fixture.example.edu"


@pytest.fixture
def renamed(minimal):
    """office-communication renamed to workplace-communication, with version 1 frozen."""
    old = minimal.path("credentials/office-communication.md")
    text = old.read_text()
    minimal.write("versions/workplace-communication/v1.md", text)
    old.unlink()
    minimal.write(
        "credentials/workplace-communication.md",
        text.replace("version: 1", "version: 2\nredirect_from: [office-communication]"),
    )
    minimal.edit(
        "pathways/into-welding.md",
        "credential: office-communication",
        "credential: workplace-communication",
    )
    result = build(
        BuildOptions(content=minimal.content, output=minimal.root / "_site", search=False),
        TerminalReporter(quiet=True),
    )
    assert result.built, [str(p) for p in result.check.problems]
    return minimal.root / "_site"


def read(site, path):
    return json.loads((site / path).read_text())


def test_the_old_badgeclass_keeps_its_own_id_and_points_at_the_new_criteria(renamed):
    badge = read(renamed, "credentials/office-communication/badgeclass.json")
    assert badge["id"] == f"{BASE}/credentials/office-communication/badgeclass.json"
    assert badge["criteria"]["id"] == f"{BASE}/credentials/workplace-communication/v2/#criteria"
    assert badge["version"] == "2"


def test_each_old_version_folder_keeps_its_own_criteria(renamed):
    badge = read(renamed, "credentials/office-communication/v1/badgeclass.json")
    assert badge["id"] == f"{BASE}/credentials/office-communication/v1/badgeclass.json"
    assert badge["criteria"]["id"] == f"{BASE}/credentials/workplace-communication/v1/#criteria"
    achievement = read(renamed, "credentials/office-communication/v2/achievement.json")
    assert achievement["id"] == f"{BASE}/credentials/office-communication/v2/achievement.json"
    assert achievement["achievementType"] == "MicroCredential"


def test_the_old_page_forwards_with_a_meta_refresh_and_a_canonical_link(renamed):
    page = (renamed / "credentials/office-communication/index.html").read_text()
    refresh = '<meta http-equiv="refresh" content="0; url=/credentials/workplace-communication/">'
    assert refresh in page
    assert f'<link rel="canonical" href="{BASE}/credentials/workplace-communication/">' in page


def test_the_credential_engine_export_stays_at_the_old_address(renamed):
    assert read(renamed, "credentials/office-communication/ctdl.json") == read(
        renamed, "credentials/workplace-communication/ctdl.json"
    )
