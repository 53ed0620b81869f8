"""The real-listings corpus: ten public micro-credential listings from ten colleges (eight
SUNY campuses, two Minnesota State), transcribed as published in
``tests/sites/real-listings/as-published`` (each file cites its page), and the same
listings completed with the catalog-internal facts a college would add (marked as such in
each file) in ``.../completed``. docs/real-listings.md says what the format cannot express.

``expected.txt`` is every finding on the published listings; the tests below state, listing
by listing, which findings a careful reviewer gives and why, so a change to a rule that
loses or adds one is seen here.
"""

from __future__ import annotations

from collections import defaultdict

from conftest import SITES, TODAY, assert_every_finding_as_recorded, build_site

from microcred.rules.check import check_catalog

CORPUS = SITES / "real-listings"


def _findings(folder) -> dict[str, set[tuple[str, str]]]:
    by_file = defaultdict(set)
    for p in check_catalog("content", TODAY).problems:
        by_file[p.path.removeprefix("content/credentials/").removesuffix(".md")].add(
            (p.rule, p.field)
        )
    return by_file


def test_the_published_listings_get_every_finding_in_one_run(monkeypatch):
    assert_every_finding_as_recorded(CORPUS / "as-published", monkeypatch)


def test_the_findings_a_reviewer_gives_each_published_listing(monkeypatch):
    monkeypatch.chdir(CORPUS / "as-published")
    found = _findings("content")
    # Cayuga: participation for two semesters assesses nothing (SUNY/Binghamton: recognition
    # of participation is not a micro-credential); no hours or delivery are published.
    assert found["cayuga-co-curricular-leadership"] == {
        ("participation-only", "outcomes[0].assessment"),
        ("noncredit-requirements", "hours"),
        ("required-field", "delivery"),
        ("employer-validation", "employer_validation"),
    }
    # Cortland TESOL: "Know and use" is not measurable; no assessment and no per-course
    # credits are published; SUNY's system profile imposes no size limit on its 12 credits.
    assert found["cortland-tesol"] == {
        ("measurable-outcome", "outcomes[0].outcome"),
        *{("required-field", f"outcomes[{i}].assessment") for i in range(3)},
        *{("credit-bearing-requirements", f"courses[{i}].credits") for i in range(4)},
        ("employer-validation", "employer_validation"),
    }
    # Jefferson: its title resembles the college's Early Childhood AAS; two outcomes are
    # "demonstrate knowledge/an awareness"; courses and assessments are not published.
    jefferson = found["jefferson-early-childhood-development-1"]
    assert ("similar-title", "title") in jefferson
    assert ("measurable-outcome", "outcomes[0].outcome") in jefferson
    assert ("measurable-outcome", "outcomes[2].outcome") in jefferson
    assert ("credit-bearing-requirements", "courses") in jefferson
    # Corning: courses and credits are published and add up (3 + 3 + 6 = 12); what is
    # missing is what a learner needs: outcomes, delivery, who may enrol.
    assert found["corning-cda-preparation"] == {
        ("required-field", "outcomes"),
        ("required-field", "delivery"),
        ("required-field", "eligibility"),
        ("employer-validation", "employer_validation"),
    }
    # Dutchess: an observed fieldwork assessment is real evidence (no participation
    # finding); per-course credits are only implied.
    assert found["dutchess-cda"] == {
        ("credit-bearing-requirements", "courses[0].credits"),
        ("credit-bearing-requirements", "courses[1].credits"),
        ("employer-validation", "employer_validation"),
    }
    # Minneapolis College (Minnesota State): "employer partners" names nobody; the
    # assessment names assignments and quizzes; its seven modules need no credits.
    assert found["minneapolis-career-readiness"] == {
        ("vague-partner", "employer_validation.partners[0]"),
        ("noncredit-requirements", "hours"),
        ("noncredit-requirements", "stacks_into"),
        ("required-field", "type"),
    }
    # Winona State (Minnesota State): four modules listed without hours are fine; the
    # criteria themselves are not published.
    assert ("required-field", "employer_validation") in found["winona-web-front-end-development"]
    assert not {f for f in found["winona-web-front-end-development"] if "courses" in f[1]}
    # No SUNY listing is measured against Minnesota State's or Binghamton's limits.
    suny = [slug for slug in found if not slug.startswith(("winona", "minneapolis"))]
    assert not any(rule in {"course-count", "credit-range", "noncredit-hours", "cost-and-aid"}
                   for slug in suny for rule, _ in found[slug])  # fmt: skip


def test_the_published_listings_cite_each_policy_s_own_sections(monkeypatch):
    monkeypatch.chdir(CORPUS / "as-published")
    for p in check_catalog("content", TODAY).problems:
        if p.path.startswith(("content/credentials/winona", "content/credentials/minneapolis")):
            continue
        assert not p.part.startswith("Part "), str(p)


def test_the_completed_listings_pass_and_build(monkeypatch, tmp_path):
    monkeypatch.chdir(CORPUS / "completed")
    assert [str(p) for p in check_catalog("content", TODAY).problems] == []
    site = build_site(CORPUS / "completed" / "content", tmp_path / "site", search=False)
    page = site / "credentials" / "monroe-optical-fabrication-essentials" / "index.html"
    assert "(policy profile <code>monroe</code>)" in page.read_text()


def test_every_listing_cites_its_source_and_marks_what_was_added():
    published = sorted((CORPUS / "as-published" / "content" / "credentials").glob("*.md"))
    institutions = {p.read_text().split("institution: ")[1].split()[0] for p in published}
    assert len(published) >= 10 and len(institutions) >= 5
    for path in published:
        assert "\n# Source: http" in path.read_text(), path.name
        completed = (CORPUS / "completed" / "content" / "credentials" / path.name).read_text()
        assert "# catalog-internal (not on the public page" in completed, path.name
