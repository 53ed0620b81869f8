"""`freeze SLUG`: the current criteria are kept verbatim before a new version is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.commands.freeze import freeze
from microcred.reporting.errors import BuildError
from microcred.rules.check import check_catalog

OFFICE = "credentials/office-communication.md"


def test_freeze_copies_the_file_verbatim_and_raises_only_the_version_line(minimal):
    minimal.edit(OFFICE, "version: 1", "version: 1   # the criteria version")
    original = minimal.path(OFFICE).read_bytes()
    frozen = freeze(Path("content"), "office-communication")
    assert frozen.frozen == Path("content/versions/office-communication/v1.md")
    assert frozen.frozen.read_bytes() == original
    assert minimal.path(OFFICE).read_bytes() == original.replace(
        b"version: 1   # the criteria version", b"version: 2   # the criteria version"
    )


def test_a_frozen_catalog_checks_clean_and_keeps_crlf_line_endings(minimal):
    path = minimal.path(OFFICE)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    freeze(Path("content"), "office-communication")
    assert b"\r\nversion: 2\r\n" in path.read_bytes()
    assert check_catalog(Path("content")).errors == ()


def test_the_command_says_what_to_do_next(minimal, capsys):
    assert main(["freeze", "office-communication"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Froze version 1 of office-communication in content/versions/office-communication/v1.md;"
        " content/credentials/office-communication.md is now version 2. Next:"
    )
    assert out[1].startswith("  1. Edit the criteria in content/credentials/office-")
    assert len(out) == 5


def test_freezing_twice_is_refused(minimal):
    freeze(Path("content"), "office-communication")
    minimal.edit(OFFICE, "version: 2", "version: 1")
    with pytest.raises(BuildError, match=r"^version 1 of office-communication is already frozen"):
        freeze(Path("content"), "office-communication")


def test_a_proposal_has_nothing_to_freeze(minimal):
    minimal.edit(OFFICE, "status: active", "status: proposed")
    with pytest.raises(BuildError, match="still proposed, so no earner holds its criteria"):
        freeze(Path("content"), "office-communication")


def test_an_unknown_credential_is_named(minimal):
    with pytest.raises(BuildError, match=r"^there is no content/credentials/nothing-here.md; "):
        freeze(Path("content"), "nothing-here")


def test_freezing_twice_without_a_change_is_refused(minimal):
    freeze(Path("content"), "office-communication")
    with pytest.raises(BuildError) as refused:
        freeze(Path("content"), "office-communication")
    assert str(refused.value) == (
        "office-communication is unchanged since version 1 was frozen in "
        "content/versions/office-communication/v1.md, so version 2 has no criteria of its own "
        "yet; edit the criteria first, and freeze again only before the next change"
    )
    assert "version: 2\n" in minimal.path(OFFICE).read_text()


def test_freezing_twice_is_refused_for_a_version_never_published(minimal):
    """Version 2 exists only in the author's branch: freezing it again would publish
    criteria page v2 that no earner ever held. urls.json says what was published."""
    (minimal.root / "urls.json").write_text(
        json.dumps({"about": "", "urls": ["/credentials/mig-welding/v1/"]}), encoding="utf-8"
    )
    freeze(Path("content"), "mig-welding")
    minimal.edit("credentials/mig-welding.md", "Weld coupons inspected", "Weld coupons bent")
    with pytest.raises(BuildError) as refused:
        freeze(Path("content"), "mig-welding")
    assert str(refused.value) == (
        "version 2 of mig-welding was never published (urls.json does not list "
        "/credentials/mig-welding/v2/), so no earner holds its criteria: edit them directly "
        "instead of freezing. If it was published, say so: "
        '`python build.py freeze mig-welding --reason "..."`'
    )
    frozen = freeze(Path("content"), "mig-welding", reason="published on the old site")
    assert frozen.version == 3
