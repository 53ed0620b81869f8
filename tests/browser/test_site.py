"""The public site in a real browser: WCAG 2.1 AA with axe-core, search, filters,
keyboard use, small screens and browsing with JavaScript off."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STATUSES = ("active", "suspended", "closed", "proposed")


def credential_with(catalog, status: str):
    return next(c for c in catalog.credentials if c.status == status)


def axe_violations(page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]


def key_pages(catalog) -> dict[str, str]:
    pages = {"home": "/", "404": "/no-such-page/", "by-credits": "/browse/by-credits/"}
    for status in STATUSES:
        pages[f"credential ({status})"] = credential_with(catalog, status).url
    slug, versions = next(iter(catalog.earlier_versions.items()))
    pages["earlier criteria version"] = f"/credentials/{slug}/v{versions[0].version}/"
    pages["pathway"] = catalog.pathways[0].url
    pages["institution"] = f"/institutions/{catalog.institutions[0].id}/"
    pages["skills"] = "/browse/skills/"
    pages["one skill"] = "/browse/skills/communication/"
    pages["guide (propose)"] = "/guide/propose/"
    pages["guide (fields)"] = "/guide/fields/"
    return pages


PAGE_NAMES = [
    "home",
    "404",
    "by-credits",
    *(f"credential ({status})" for status in STATUSES),
    "earlier criteria version",
    "pathway",
    "institution",
    "one skill",
    "skills",
    "guide (propose)",
    "guide (fields)",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_wcag_21_aa_violations(page, axe_source, sample_catalog, name):
    page.goto(key_pages(sample_catalog)[name])
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize(
    "name",
    ["home", "credential (active)", "pathway", "institution", "guide (propose)", "guide (fields)"],
)
def test_page_fits_a_320_pixel_phone_without_sideways_scrolling(page, sample_catalog, name):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(key_pages(sample_catalog)[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_every_status_has_its_banner(page, sample_catalog):
    expected = {
        "suspended": "Suspended: not open to new students.",
        "closed": "Closed: no longer offered.",
        "proposed": "Proposed, not yet approved.",
    }
    for status, text in expected.items():
        page.goto(credential_with(sample_catalog, status).url)
        assert page.locator(".banner strong").first.inner_text() == text


def test_search_for_a_skill_finds_the_credential_that_teaches_it(page, axe_source, sample_catalog):
    skill, credential = next(
        (s.name, c)
        for c in sample_catalog.credentials
        for s in c.skills
        if sum(s.name in {k.name for k in o.skills} for o in sample_catalog.credentials) == 1
    )
    page.goto("/")
    page.fill("#q", skill)
    page.press("#q", "Enter")
    first = page.locator("#search-results .card__title a").first
    first.wait_for()
    titles = page.locator("#search-results .card__title a").all_inner_texts()
    assert credential.title in titles
    assert page.locator("#browse-list").is_hidden()
    assert re.search(r"\d+ micro-credentials? found for “", page.inner_text("#result-count"))
    assert page.url.endswith("?q=" + skill.replace(" ", "+"))
    assert axe_violations(page, axe_source) == []


def test_a_filter_narrows_the_results_and_is_kept_in_the_url(page, sample_catalog):
    institution = sample_catalog.institutions[0]
    expected = sorted(c.title for c in sample_catalog.credentials_of(institution.id))
    page.goto("/")
    page.select_option("#filter-institution", institution.name)
    page.wait_for_function(
        "n => document.querySelectorAll('#search-results .card').length === n", arg=len(expected)
    )
    titles = page.locator("#search-results .card__title a").all_inner_texts()
    assert titles == expected
    assert len(titles) < len(sample_catalog.credentials)
    assert page.inner_text("#result-count") == (
        f"{len(expected)} micro-credentials found with College or university: {institution.name}."
    )
    assert "institution=" in page.url and "sort=" not in page.url


def test_a_shared_search_url_restores_the_search(page, sample_catalog):
    page.goto("/?credit=Non-credit&sort=hours")
    page.locator("#search-results .card").first.wait_for()
    non_credit = sorted(
        (c for c in sample_catalog.credentials if not c.credit_bearing),
        key=lambda c: (c.hours, c.title.casefold()),
    )
    assert page.locator("#search-results .card__title a").all_inner_texts() == [
        c.title for c in non_credit
    ]
    assert page.input_value("#filter-credit") == "Non-credit"
    assert page.input_value("#sort") == "hours"


def test_search_and_results_raise_no_console_or_csp_errors(page):
    page.goto("/?q=safety")
    page.locator("#search-results .card").first.wait_for()
    page.locator("#search-results .card__title a").first.click()
    page.wait_for_load_state()
    assert page.console_errors == []


def test_keyboard_alone_reaches_search_filters_and_results(page):
    page.goto("/")
    page.fill("#q", "welding")
    page.press("#q", "Enter")
    page.locator("#search-results .card").first.wait_for()
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.goto(page.url)
    page.locator("#search-results .card").first.wait_for()
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "(() => { const e = document.activeElement;"
                " return e.id || (e.closest('#search-results') ? 'result' : e.tagName); })()"
            )
        )
        if reached[-1] == "result":
            break
    assert reached[0] == "A"  # the skip link comes first
    for stop in ("q", "filter-institution", "filter-skill", "sort", "result"):
        assert stop in reached
    assert reached.index("q") < reached.index("filter-institution") < reached.index("result")


def test_skip_link_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_browsing_works_with_javascript_off(browser, base_url, sample_catalog):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    titles = page.locator("#browse-list .card__title a").all_inner_texts()
    assert titles == sorted((c.title for c in sample_catalog.credentials), key=str.casefold)
    assert page.locator("#finder").is_hidden()
    page.click(".browse-nav >> text=Fewest credits first")
    assert page.inner_text("h1") == "All micro-credentials, fewest credits first"
    page.locator(".card__title a").first.click()
    assert page.locator("#criteria").is_visible()
    context.close()


def test_the_preview_report_is_accessible_and_fits_a_phone(page, axe_source):
    """What ``serve`` shows while the build fails (commands/serve.py)."""
    from microcred.commands.serve import problems_page
    from microcred.reporting.problems import Problem

    problems = [
        Problem("error", "allowed-values", "content/credentials/a-very-long-file-name.md", 11, 20,
                "delivery[1]", "`in person` is not one of `online`, `in-person`, `hybrid`",
                "Did you mean `in-person`?", "Part 5"),
        Problem("warning", "measurable-outcome", "content/credentials/a-very-long-file-name.md",
                9, 5, "outcomes[0].outcome", "starts with \"Understand\"", "Start with a verb"),
    ]  # fmt: skip
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(problems_page(problems).decode())
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_role("heading", name="The catalog did not build").is_visible()
