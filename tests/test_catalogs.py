"""Whole catalogs: the sample passes strict checks and builds; a catalog full of mistakes
gets every one of them reported in one run (golden output, regenerate with
``UPDATE_GOLDEN=1 python -m pytest tests/test_catalogs.py``)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, SITES, TODAY, assert_every_finding_as_recorded

from microcred.rules.check import check_catalog
from microcred.rules.policy import RULES


def test_the_sample_catalog_passes_check_strict():
    result = check_catalog(ROOT / "content")
    assert [str(p) for p in result.problems] == []


def test_the_sample_catalog_has_what_the_procedure_asks_to_show(sample_catalog):
    credentials = sample_catalog.credentials
    assert len(sample_catalog.institutions) >= 2
    assert len(credentials) >= 14
    assert {c.type for c in credentials} == {
        "industry-specific-technical-skill",
        "transferable-skill",
    }
    assert {c.credit_bearing for c in credentials} == {True, False}
    assert {c.status for c in credentials} == {"proposed", "active", "suspended", "closed"}
    assert any(c.co_sponsors for c in credentials)
    assert any(c.skills and c.careers for c in credentials)
    assert len(sample_catalog.pathways) >= 3
    by_slug = sample_catalog.credential_by_slug
    assert any(
        not by_slug[p.steps[0].credential].credit_bearing
        and by_slug[p.steps[-1].credential].credit_bearing
        for p in sample_catalog.pathways
    ), "one pathway leads from non-credit to credit"


def test_the_sample_builds_a_page_for_every_credential_pathway_and_institution(
    sample_site, sample_catalog
):
    published = sample_catalog.published()
    for credential in published.credentials:
        assert (sample_site / "credentials" / credential.slug / "index.html").is_file()
    for pathway in published.pathways:
        assert (sample_site / "pathways" / pathway.slug / "index.html").is_file()
    for institution in published.institutions:
        assert (sample_site / "institutions" / institution.id / "index.html").is_file()


def test_proposals_are_published_only_in_previews(sample_site, preview_site, sample_catalog):
    proposed = [c.slug for c in sample_catalog.credentials if c.status == "proposed"]
    assert proposed
    for slug in proposed:
        assert not (sample_site / "credentials" / slug).exists()
        page = (preview_site / "credentials" / slug / "index.html").read_text()
        assert "Proposed, not yet approved" in page


def test_a_catalog_with_many_mistakes_lists_every_one(monkeypatch):
    assert_every_finding_as_recorded(SITES / "many-mistakes", monkeypatch)


def test_every_finding_names_the_source_of_its_rule(monkeypatch):
    """Each message ends with where its rule comes from: a policy rule cites the profile's
    part or section (or the profile), a syntax problem "YAML", and everything else the
    content format (file names, front matter, field names and types)."""
    policy_rules = {rule.id for rule in RULES}
    seen = set()
    for folder in (SITES / "many-mistakes", SITES / "real-listings" / "as-published"):
        monkeypatch.chdir(folder)
        for problem in check_catalog(Path("content"), TODAY).problems:
            assert str(problem).endswith(f" ({problem.source})"), str(problem)
            if problem.rule in policy_rules:
                assert problem.source not in ("content format", "YAML"), str(problem)
            elif problem.rule == "yaml":
                assert problem.source == "YAML", str(problem)
            seen.add(problem.source)
    assert {"content format", "YAML", "Part 2", "Monroe Community College microcredentials"} <= seen
