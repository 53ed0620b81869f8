"""Conformance: every machine-readable output of a built site passes the publishers' own
validators (vendored in tests/standards/, see each SOURCE.md), over the published sample,
the preview with proposals, and a fixture catalog using every optional field; each check
also rejects a deliberately broken document, so a validator that passes everything shows.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT, SITES, build_site
from standards.validators import (
    ctdl_problems,
    ob2_problems,
    ob3_problems,
    schema_org_problems,
    sitemap_problems,
)

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
ATOM = "{http://www.w3.org/2005/Atom}"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITE_NAMES = ("sample_site", "preview_site", "full_site")


@pytest.fixture(scope="session")
def full_site(tmp_path_factory) -> Path:
    """tests/sites/full: a catalog that uses every optional field of schema/, with proposals."""
    return build_site(
        SITES / "full" / "content",
        tmp_path_factory.mktemp("full") / "_site",
        include_proposed=True,
    )


@pytest.fixture(scope="session", params=SITE_NAMES)
def site(request) -> Path:
    return request.getfixturevalue(request.param)


def files(site: Path, pattern: str) -> list[Path]:
    found = sorted(site.glob(pattern))
    assert found, f"no {pattern} in {site}"
    return found


def problems_of(paths: list[Path], check) -> dict[str, list[str]]:
    report = {}
    for path in paths:
        problems = check(json.loads(path.read_text(encoding="utf-8")))
        if problems:
            report[str(path)] = problems
    return report


# --- CTDL ------------------------------------------------------------------------


def test_ctdl_exports_pass_the_registry_schema_and_vocabulary(site):
    assert problems_of(files(site, "credentials/*/ctdl.json"), ctdl_problems) == {}


def test_the_ctdl_check_rejects_what_ctdl_does_not_define(sample_site):
    good = json.loads(next(sample_site.glob("credentials/*/ctdl.json")).read_text())
    assert ctdl_problems(good) == []
    broken = {
        "ceterms:codedNotation": "MC-00123",
        "ceterms:ownedBy": [{"@type": "ceterms:CredentialOrganization", "ceterms:name": "X"}],
    }
    for key, value in broken.items():
        assert ctdl_problems({**good, key: value}), key
    ceased = copy.deepcopy(good)
    ceased["ceterms:credentialStatusType"]["ceterms:targetNode"] = "credentialStat:Ceased"
    assert ctdl_problems(ceased)
    assert ctdl_problems({k: v for k, v in good.items() if k != "ceterms:ctid"})


# --- Open Badges -----------------------------------------------------------------


def test_ob3_achievements_and_profiles_pass_1edtech_schemas_and_contexts(site):
    paths = files(site, "credentials/**/achievement.json") + files(
        site, "institutions/*/profile.json"
    )
    assert any(re.fullmatch(r"v\d+", p.parent.name) for p in paths)  # version folders too
    assert problems_of(paths, ob3_problems) == {}


def test_ob2_badgeclasses_and_issuers_have_the_required_fields_and_expand(site):
    paths = files(site, "credentials/**/badgeclass.json")
    paths += files(site, "institutions/*/issuer.json")
    assert problems_of(paths, ob2_problems) == {}


def test_the_badge_checks_reject_broken_documents(sample_site):
    achievement = json.loads(next(sample_site.glob("credentials/*/achievement.json")).read_text())
    assert ob3_problems(achievement) == []
    assert ob3_problems({k: v for k, v in achievement.items() if k != "criteria"})
    assert ob3_problems({**achievement, "humanKode": "X"})  # a term no context defines
    examples = ROOT / "tests" / "standards" / "ob3" / "examples"
    assert ob3_problems(json.loads((examples / "basicOpenBadgeCredential.json").read_text())) == []
    for name in ("simple-err-context", "simple-err-type", "simple-err-evidence-type"):
        assert ob3_problems(json.loads((examples / "validator" / f"{name}.json").read_text()))
    badgeclass = json.loads(next(sample_site.glob("credentials/*/badgeclass.json")).read_text())
    assert ob2_problems(badgeclass) == []
    assert ob2_problems({k: v for k, v in badgeclass.items() if k != "issuer"})
    assert ob2_problems({**badgeclass, "critera": "typo"})


# --- schema.org ------------------------------------------------------------------


def embedded_jsonld(site: Path) -> dict[str, list]:
    found = {}
    for page in site.rglob("*.html"):
        blocks = SCRIPT.findall(page.read_text(encoding="utf-8"))
        if blocks:
            found[str(page.relative_to(site))] = [json.loads(b) for b in blocks]
    return found


def test_schema_org_jsonld_uses_only_schema_org_30_terms_in_their_domains_and_ranges(site):
    found = embedded_jsonld(site)
    assert any(p.startswith("credentials/") for p in found)
    report = {page: schema_org_problems(blocks) for page, blocks in found.items()}
    assert {page: p for page, p in report.items() if p} == {}


def test_the_schema_org_check_rejects_terms_outside_their_domain_or_range():
    assert schema_org_problems({"@type": "Course", "numberOfCredits": 3}) == []
    assert schema_org_problems(
        {"@type": "Course", "numberOfCredits": {"@type": "StructuredValue", "value": 3}}
    )
    assert schema_org_problems({"@type": "DefinedTerm", "inDefinedTermSet": "O*NET"})
    assert schema_org_problems({"@type": "EducationalOccupationalCredential", "courseCode": "X"})
    assert schema_org_problems({"@type": "MicroCredentialThing", "name": "X"})


# --- sitemap and feed ------------------------------------------------------------


def test_the_sitemap_passes_the_sitemaps_org_xsd(site):
    assert sitemap_problems((site / "sitemap.xml").read_bytes()) == []


def test_the_sitemap_check_rejects_a_bad_element():
    bad = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://catalog.example.edu/</loc><priority>high</priority></url></urlset>"
    )
    assert sitemap_problems(bad)


def test_feed_entries_have_distinct_rfc3339_updated_instants(site):
    """The W3C feed validator's warning "Two entries with the same value for atom:updated"
    (no offline Atom validator exists to vendor; docs/standards.md says so)."""
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{element}") is not None
    updated = []
    for entry in feed.findall(f"{ATOM}entry"):
        for element in ("id", "title", "updated", "link", "author"):
            assert entry.find(f"{ATOM}{element}") is not None, element
        updated.append(entry.find(f"{ATOM}updated").text)
    assert updated and len(set(updated)) == len(updated)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", u) for u in updated)


# --- HTML: the Nu Html Checker, once over every page of every site -----------------


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the HTML checker (.ci/run installs Java and npm ci).")
    pytest.skip(reason)


def test_every_html_page_passes_the_nu_html_checker(sample_site, preview_site, full_site, tmp_path):
    java = shutil.which("java")
    if java is None:
        _missing("java is not installed")
    if not VNU.is_file():
        _missing(f"{VNU} is missing (run npm ci)")
    broken = tmp_path / "negative-control" / "index.html"
    broken.parent.mkdir()
    broken.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        "<body><p><div>block in a paragraph</div></p><img src=x.png></body></html>",
        encoding="utf-8",
    )
    pages = [broken]
    for site in (sample_site, preview_site, full_site):
        pages += sorted(site.rglob("*.html"))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    by_file: dict[str, list[str]] = {}
    for message in messages:
        url = message.get("url", "")
        by_file.setdefault(url.removeprefix("file:"), []).append(
            f"{message.get('lastLine')}: {message['message']}"
        )
    assert any("negative-control" in url for url in by_file), "vnu accepted a broken page"
    assert {u: m for u, m in by_file.items() if "negative-control" not in u} == {}
    assert len(pages) > 3
