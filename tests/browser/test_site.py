"""The public site in a real browser: WCAG 2.1 AA with axe-core, search, filters,
keyboard use, small screens and browsing with JavaScript off."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STATUSES = ("active", "suspended", "closed", "proposed")
CLOSED = ("suspended", "closed")


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


def test_every_example_in_the_search_hint_finds_an_open_credential(page):
    page.goto("/")
    hint = page.inner_text("#q-hint")
    examples = hint.removeprefix("For example: ").removesuffix(".").split(", ")
    assert hint.startswith("For example: ") and len(examples) == 3
    for example in examples:
        page.goto("/?q=" + example.replace(" ", "+"))
        page.locator("#search-results .card__title a").first.wait_for()
        assert re.match(r"\d+ micro-credentials? found for “", page.inner_text("#result-count"))


def test_a_filter_narrows_the_results_and_is_kept_in_the_url(page, sample_catalog):
    institution = sample_catalog.institutions[0]
    expected = sorted(
        c.title for c in sample_catalog.credentials_of(institution.id) if c.status not in CLOSED
    )
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
        " Suspended and closed ones are not included."
    )
    assert "institution=" in page.url and "sort=" not in page.url


def test_a_shared_search_url_restores_the_search(page, sample_catalog):
    page.goto("/?credit=Non-credit&sort=hours")
    page.locator("#search-results .card").first.wait_for()
    non_credit = sorted(
        (c for c in sample_catalog.credentials if not c.credit_bearing and c.status not in CLOSED),
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
    page.fill("#q", "safety")
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


def test_a_previewed_credentials_warnings_show_message_and_fix_apart(
    page, axe_source, sample_catalog
):
    """The walkthrough read "YAML reads no as false Write false…" run together."""
    from microcred.commands.serve import warnings_banner
    from microcred.reporting.problems import Problem

    warning = Problem("warning", "yaml-value", "content/credentials/x.md", 12, 17,
                      "outcomes[0].assessment", "YAML reads `no` as false",
                      "Write `false`, or put the text in quotes")  # fmt: skip
    page.set_viewport_size(PHONE)
    page.goto(credential_with(sample_catalog, "active").url)
    page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('afterbegin', html)",
        warnings_banner([warning]),
    )
    item = page.get_by_role("note", name="Preview warnings").locator("li")
    message, fix = item.locator("p").all()
    assert message.inner_text() == "Line 12, outcomes[0].assessment: YAML reads no as false."
    assert fix.inner_text() == "Fix: Write false, or put the text in quotes."
    assert fix.bounding_box()["y"] >= message.bounding_box()["y"] + message.bounding_box()["height"]
    link = item.get_by_role("link", name="outcomes[0].assessment")
    assert link.get_attribute("href") == "/guide/fields/#micro-credential--outcomes-assessment"
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# --- Deciding and enrolling (issue 15) ----------------------------------------------

PHONE = {"width": 320, "height": 640}


def result_titles(page) -> list[str]:
    return page.locator("#search-results .card__title a").all_inner_texts()


def wait_for_results(page, count: int) -> None:
    page.wait_for_function(
        "n => !document.getElementById('search-results').hidden"
        " && document.querySelectorAll('#search-results .card').length === n",
        arg=count,
    )


def test_suspended_and_closed_are_left_out_of_results_until_the_learner_asks(
    page, axe_source, sample_catalog
):
    shown = sorted(
        (c for c in sample_catalog.credentials if c.status not in CLOSED),
        key=lambda c: c.title.casefold(),
    )
    everything = sorted(sample_catalog.credentials, key=lambda c: c.title.casefold())
    page.goto("/?sort=title")
    wait_for_results(page, len(shown))
    assert result_titles(page) == [c.title for c in shown]
    assert "Suspended and closed ones are not included." in page.inner_text("#result-count")
    page.check("#show-closed")
    wait_for_results(page, len(everything))
    assert result_titles(page) == [c.title for c in everything]
    assert "closed=shown" in page.url
    suspended = credential_with(sample_catalog, "suspended")
    card = page.locator("#search-results .card", has_text=suspended.title)
    assert card.locator(".tag--suspended").inner_text() == "Suspended"
    assert axe_violations(page, axe_source) == []


def test_lists_without_javascript_mark_suspended_and_closed_credentials(
    browser, base_url, sample_catalog
):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    for status, label in (("suspended", "Suspended"), ("closed", "Closed")):
        credential = credential_with(sample_catalog, status)
        mark = f"{label}: not open to new learners"
        if credential.skills:
            page.goto("/browse/skills/")
            item = page.locator(".groups li", has_text=credential.title).first
            assert item.locator(f".tag--{status}").inner_text() == mark
        if credential.careers:
            page.goto("/browse/careers/")
            item = page.locator(".groups li", has_text=credential.title).first
            assert item.locator(f".tag--{status}").inner_text() == mark
            page.locator(".groups dt a", has_text=credential.careers[0].title).first.click()
            item = page.locator(".group-list li", has_text=credential.title)
            assert item.locator(f".tag--{status}").inner_text() == mark
        page.goto(f"/institutions/{credential.institution}/")
        card = page.locator(".card", has_text=credential.title).first
        assert card.locator(f".tag--{status}").inner_text() == label
    context.close()


def test_cards_show_cost_time_to_complete_and_next_start(browser, base_url, page):
    servsafe_facts = {
        "Time to complete": "one day",
        "Cost": "$49",
        "Next start": "October 2026, starts October 17, 2026",
    }
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    nojs = context.new_page()
    nojs.goto("/")
    card = nojs.locator("#browse-list .card", has_text="ServSafe Food Handler")
    for term, value in servsafe_facts.items():
        assert card.locator(f"dt:text-is('{term}') + dd").inner_text() == value
    tiered = nojs.locator("#browse-list .card", has_text="Data Analytics with Excel")
    assert tiered.locator("dt:text-is('Cost') + dd").inner_text() == ("Free to $595, by audience")
    context.close()
    page.goto("/?q=servsafe")
    result = page.locator("#search-results .card", has_text="ServSafe Food Handler")
    result.wait_for()
    for term, value in servsafe_facts.items():
        expected = value if term != "Next start" else f"{value}: Open for enrolment"
        assert result.locator(f"dt:text-is('{term}') + dd").inner_text() == expected


def test_filter_by_what_you_can_pay_and_sort_by_lowest_cost(page, sample_catalog):
    affordable = sorted(
        (
            c
            for c in sample_catalog.credentials
            if c.status not in CLOSED
            and c.cost
            and c.cost.lowest is not None
            and c.cost.lowest <= 500
        ),
        key=lambda c: (c.cost.lowest, c.title.casefold()),
    )
    page.goto("/")
    page.select_option("#filter-cost", "Up to $500")
    page.select_option("#sort", "cost")
    wait_for_results(page, len(affordable))
    assert result_titles(page) == [c.title for c in affordable]
    assert "cost=Up+to+%24500" in page.url and "sort=cost" in page.url
    assert page.inner_text("#filter-cost-hint") == (
        "The lowest price for any learner; check the page for who pays it."
    )


def test_starting_soonest_and_the_starts_filter_use_the_build_date(page, sample_catalog):
    from microcred.site import enrolment

    today = enrolment.build_date(sample_catalog)
    active = [c for c in sample_catalog.credentials if c.status not in CLOSED]
    soonest = sorted(active, key=lambda c: enrolment.start_key(c, today))
    page.goto("/?sort=start")
    wait_for_results(page, len(active))
    assert result_titles(page) == [c.title for c in soonest]
    # OSHA 10's Spring 2023 offering has ended: it is not offered as a start.
    assert "Spring 2023" not in page.locator("#filter-starts option").all_inner_texts()
    starting = sorted(
        (c for c in active if "Spring 2027 day cohort" in enrolment.start_band(c, today)),
        key=lambda c: c.title.casefold(),
    )
    page.select_option("#filter-starts", "Spring 2027 day cohort")
    page.select_option("#sort", "title")
    wait_for_results(page, len(starting))
    assert result_titles(page) == [c.title for c in starting] == ["CNC Operator Basics"]


def test_after_search_on_a_phone_focus_and_view_move_to_the_announced_count(page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.fill("#q", "safety")
    page.click("#finder-form button[type=submit]")
    # a function, not a bare expression: Playwright polls an expression with eval(),
    # which the site's CSP refuses (seen when the sharded search took longer than a frame)
    page.wait_for_function("() => document.activeElement.id === 'result-count'")
    count = page.locator("#result-count")
    assert count.get_attribute("role") == "status"
    assert count.get_attribute("aria-live") == "polite"
    assert re.match(r"\d+ micro-credentials? found for “safety”", count.inner_text())
    page.wait_for_function(  # the scroll may be smooth
        "() => { const r = document.getElementById('result-count').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#search-results')")


def test_first_result_is_at_most_three_tabs_from_the_search_button(page):
    page.set_viewport_size(PHONE)
    page.goto("/?q=safety")
    page.locator("#search-results .card").first.wait_for()
    page.focus("#finder-form button[type=submit]")
    presses = 0
    while presses < 3 and not page.evaluate("!!document.activeElement.closest('#search-results')"):
        page.keyboard.press("Tab")
        presses += 1
    assert page.evaluate("!!document.activeElement.closest('#search-results')")
    assert presses <= 3


def test_a_skip_to_results_link_moves_focus_to_the_results(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results-heading"


def test_credential_page_says_how_to_apply_when_it_runs_and_what_it_costs_without_js(
    browser, base_url, axe_source, sample_catalog
):
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    servsafe = sample_catalog.credential_by_slug["servsafe-food-handler"]
    page.goto(servsafe.url)
    apply = page.locator(".enrol a.enrol__apply")
    assert apply.inner_text() == "Apply for ServSafe Food Handler"
    assert apply.get_attribute("href") == servsafe.apply.url
    assert apply.bounding_box()["y"] < 2 * PHONE["height"]  # near the top, on a phone
    assert page.inner_text(".enrol__next") == (
        "Next: October 2026, starts October 17, 2026. Open for enrolment."
    )
    offerings = page.locator(".offering__term").all_inner_texts()
    assert offerings == ["October 2026", "November 2026", "Self-paced online"]
    assert page.locator(".offering--waitlist .tag").inner_text() == "Waitlist only"
    assert page.inner_text(".certifications li") == (
        "ServSafe Food Handler, from National Restaurant Association: the exam fee is "
        "included in the cost."
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto("/credentials/osha-10-construction-safety/")
    assert "Spring 2023" not in page.inner_text("#apply-heading ~ .offerings")

    page.goto("/credentials/data-analytics-with-excel/")
    tiers = [div.text_content() for div in page.locator(".cost-tiers div").all()]
    assert tiers == [
        "Great River degree studentsFree",
        "Employees of partner employers$450",
        "Community members$595",
    ]

    page.goto("/credentials/cnc-operator-ii/")
    prerequisite = page.locator(".prerequisites a")
    assert prerequisite.inner_text() == "CNC Operator Basics"
    prerequisite.click()
    assert page.inner_text("h1") == "CNC Operator Basics"

    page.goto("/credentials/project-management-essentials/")
    section = page.locator("section[aria-labelledby=cost-heading]")
    assert "Free" not in section.inner_text()
    assert section.locator("a", has_text="Tuition and fees").get_attribute("href") == (
        "https://www.greatriver.example.edu/tuition-and-fees/graduate"
    )
    context.close()


def test_the_enrolment_sections_have_no_wcag_21_aa_violations(page, axe_source):
    page.set_viewport_size(PHONE)
    for path in (
        "/credentials/servsafe-food-handler/",
        "/credentials/data-analytics-with-excel/",
        "/credentials/cnc-operator-ii/",
    ):
        page.goto(path)
        assert axe_violations(page, axe_source) == [], path


def test_programs_table_and_pathway_diagram_stay_readable_at_320_pixels(page, sample_catalog):
    page.set_viewport_size(PHONE)
    institution = next(i for i in sample_catalog.institutions if i.programs)
    page.goto(f"/institutions/{institution.id}/")
    cells = page.locator(".table--stack tbody td, .table--stack tbody th")
    widths = [box["width"] for box in (c.bounding_box() for c in cells.all())]
    assert widths and min(widths) >= 240  # one cell per line, not four squeezed columns
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(sample_catalog.pathways[0].url)
    region = page.locator(".pathway__scroll")  # scrolls sideways rather than shrink the text
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    assert region.bounding_box()["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    smallest = page.evaluate(
        "() => { const svg = document.querySelector('.pathway__figure svg');"
        " const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
        " return Math.min(...[...svg.querySelectorAll('text')].map("
        " t => parseFloat(getComputedStyle(t).fontSize) * scale)); }"
    )
    assert smallest >= 11  # pixels on screen


def test_at_320_pixels_each_field_of_the_reference_is_a_card_read_without_scrolling(page):
    """The walkthrough's complaint: a 1226 px table in a 288 px box, Meaning off-screen."""
    page.set_viewport_size(PHONE)
    page.goto("/guide/fields/#micro-credential--outcomes-assessment")
    row = page.locator("#micro-credential--outcomes-assessment")
    meaning = row.locator('td[data-label="Meaning"]')
    assert meaning.is_visible()
    box = meaning.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["width"] >= 240  # a line of text, not one letter per line
    assert meaning.inner_text().startswith("How mastery of the outcome is assessed")
    label = meaning.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Meaning: "'
    # the field's name comes first, then its meaning, then the rest
    tops = row.evaluate(
        "tr => Object.fromEntries([...tr.cells].map("
        " td => [td.dataset.label, td.getBoundingClientRect().top]))"
    )
    assert tops["Field"] < tops["Meaning"] < tops["Required"] < tops["Type"]
    # nothing in the table needs sideways scrolling, and the page does not either
    tables = page.locator(".table-wrap")
    assert all(t.evaluate("e => e.scrollWidth <= e.clientWidth") for t in tables.all())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_at_320_pixels_a_long_command_stays_one_line_and_scrolls_from_the_keyboard(page):
    page.set_viewport_size(PHONE)
    page.goto("/guide/propose/")
    region = page.locator(".code-wrap", has_text="pip install").first
    assert region.get_attribute("aria-label") == "Commands, one per line"
    line_height = region.locator("pre").evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
    assert region.locator("pre").bounding_box()["height"] < 4 * line_height + 40  # 3 lines
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls inside itself
    region.focus()
    page.keyboard.press("ArrowRight")
    region.evaluate("e => new Promise(done => setTimeout(done, 600))")  # smooth scrolling
    assert region.evaluate("e => e.scrollLeft") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_guides_link_to_the_repository_to_add_a_file_and_to_each_template(page, sample_catalog):
    page.set_viewport_size(PHONE)
    repository = sample_catalog.site.repository
    assert repository
    for path in ("/guide/propose/", "/guide/fields/"):
        page.goto(path)
        box = page.get_by_role("region", name="This catalog on GitHub")
        assert box.is_visible()
        assert box.get_by_role("link", name="Add a credential").get_attribute("href") == (
            f"{repository}/new/main/content/credentials"
        )
        shown = repository.removeprefix("https://")
        assert box.get_by_role("link", name=shown).get_attribute("href") == repository
        for name in ("non-credit", "credit-bearing"):
            link = box.get_by_role("link", name=name, exact=True)
            assert link.get_attribute("href") == f"{repository}/raw/main/docs/templates/{name}.md"
        assert box.bounding_box()["width"] <= PHONE["width"]
