"""The website's pages as files: URLs, structure every page must have, safety, search
attributes, sort orders, versions, redirects, feed and sitemap, and reproducibility."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from microcred.content.model import Badge, Catalog, Skill
from microcred.site import pages
from microcred.site.labels import credits_label, long_date, money, workload
from microcred.site.pages import sort_ranks, write_pages
from microcred.site.templates import CSP, jsonld_script

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Outline(HTMLParser):
    """The parts of a page the structure tests look at."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def is_redirect(text: str) -> bool:
    return 'http-equiv="refresh"' in text


def read(site: Path, path: str) -> str:
    file = site / path.lstrip("/")
    return (file / "index.html" if path.endswith("/") else file).read_text(encoding="utf-8")


def with_credential(catalog: Catalog, slug: str, **changes) -> Catalog:
    credentials = [
        dataclasses.replace(c, **changes) if c.slug == slug else c for c in catalog.credentials
    ]
    earlier = [v for versions in catalog.earlier_versions.values() for v in versions]
    return Catalog.of(catalog.site, catalog.institutions, credentials, catalog.pathways, earlier)


@pytest.fixture(scope="module")
def published(sample_catalog) -> Catalog:
    """The sample catalog as ``sample_site`` publishes it: without proposals."""
    return sample_catalog.published()


# --- the URL contract ------------------------------------------------------------


def test_every_published_url_of_the_contract_is_a_file(sample_site, published):
    expected = ["/", "/404.html", "/sitemap.xml", "/feed.xml", "/robots.txt", "/institutions/"]
    expected += ["/pathways/", "/assets/site.css", "/assets/search.js", "/pagefind/shards.json"]
    expected += [f"/pagefind/{i.id}/pagefind.js" for i in published.institutions]
    for credential in published.credentials:
        expected += [credential.url, f"{credential.url}v{credential.version}/"]
        expected.append(f"{credential.url}badge.svg")
    for slug, versions in published.earlier_versions.items():
        expected += [f"/credentials/{slug}/v{v.version}/" for v in versions]
    expected += [f"/institutions/{i.id}/" for i in published.institutions]
    expected += [p.url for p in published.pathways]
    missing = [p for p in expected if not (sample_site / p.lstrip("/")).exists()]
    assert missing == []


def test_proposals_are_published_only_in_a_preview(sample_site, preview_site, sample_catalog):
    proposed = [c for c in sample_catalog.credentials if c.status == "proposed"]
    assert proposed
    for credential in proposed:
        assert not (sample_site / credential.url.lstrip("/")).exists()
        assert "Proposed, not yet approved." in read(preview_site, credential.url)


# --- what every page has ---------------------------------------------------------


def test_every_page_has_lang_skip_link_landmarks_one_h1_and_ordered_headings(preview_site):
    for file in pages_of(preview_site):
        text = file.read_text(encoding="utf-8")
        if is_redirect(text):
            continue
        page = Outline(text)
        where = file.relative_to(preview_site)
        assert page.all("html")[0]["lang"] == "en", where
        assert page.all("a")[0] == {"class": "skip-link", "href": "#main"}, where
        assert {"header", "nav", "main", "footer"} <= {t for t, _ in page.tags}, where
        assert page.headings.count(1) == 1 and page.headings[0] == 1, where
        jumps = [b for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
        assert jumps == [], where


def test_pages_allow_only_their_own_scripts_and_no_inline_styles_or_handlers(preview_site):
    for file in pages_of(preview_site):
        page = Outline(file.read_text(encoding="utf-8"))
        where = file.relative_to(preview_site)
        csp = [
            m["content"]
            for m in page.all("meta")
            if m.get("http-equiv") == "Content-Security-Policy"
        ]
        assert csp == [CSP], where
        for script in page.all("script"):
            assert script.get("src", "").startswith("/assets/") or script["type"] == (
                "application/ld+json"
            ), where
        attributes = {name for _, attrs in page.tags for name in attrs}
        assert "style" not in attributes, where
        assert not [a for a in attributes if a.startswith("on")], where


def test_links_that_leave_the_site_do_not_pass_the_opener_or_referrer(preview_site):
    for file in pages_of(preview_site):
        for link in Outline(file.read_text(encoding="utf-8")).all("a"):
            if re.match(r"https?:", link.get("href") or ""):
                assert link.get("rel") == "noopener noreferrer", (file, link)


def test_the_content_security_policy_allows_only_the_site_and_pagefind_webassembly():
    assert CSP == (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
        "img-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


# --- credential pages ------------------------------------------------------------


def test_credential_page_shows_what_the_procedure_says_a_learner_must_see(sample_site, published):
    credential = published.credential_by_slug["mig-welding-gmaw"]
    text = read(sample_site, credential.url)
    assert '<section id="criteria"' in text
    for outcome in credential.outcomes:
        assert outcome.assessment in text
    for needed in (
        "Who can enrol",
        "For employers",
        "<strong>What it does not prove:</strong> that any one person earned it.",
        "WELD 1220",
        "$1,290",
        "Approved by President Maria Lindgren on",
        '<time datetime="2024-11-14">November 14, 2024</time>',
        "<dt>Criteria</dt><dd>Version 1, effective",
        "Crow River Precision Machining",
        "Suspended: not open to new students.",
        "Counts toward the <strong>Welding and Metal Fabrication</strong> diploma: 6 credits",
        'href="/credentials/mig-welding-gmaw/badgeclass.json"',
        'href="/credentials/mig-welding-gmaw/achievement.json"',
        'href="/credentials/mig-welding-gmaw/ctdl.json"',
        'href="/credentials/mig-welding-gmaw/bulk-issue-template.csv"',
        'href="mailto:welding@prairielakes.example.edu"',
    ):
        assert needed in text, needed


def test_closed_credential_page_says_it_is_no_longer_offered(sample_site, published):
    closed = next(c for c in published.credentials if c.status == "closed")
    assert "Closed: no longer offered." in read(sample_site, closed.url)


def test_credential_page_carries_pagefind_body_filters_meta_and_sort_keys(sample_site, published):
    credential = published.credential_by_slug["servsafe-food-handler"]
    text = read(sample_site, credential.url)
    ranks = sort_ranks(published.credentials)[credential.slug]
    assert re.search(
        r"<main id=\"main\" tabindex=\"-1\" class=\"[^\"]*\" data-pagefind-body>", text
    )
    assert '<span data-pagefind-filter="credit:Non-credit"></span>' in text
    assert '<span data-pagefind-filter="delivery:In person"></span>' in text
    assert '<span data-pagefind-filter="delivery:Online"></span>' in text
    assert (
        '<dd data-pagefind-filter="institution" data-pagefind-meta="institution">'
        "Prairie Lakes Community and Technical College</dd>"
    ) in text
    for order, rank in ranks.items():
        assert (
            f'<span data-pagefind-sort="{order}:{rank}" data-pagefind-meta="rank_{order}:{rank}">'
        ) in text
    assert '<header class="site-header" data-pagefind-ignore="all">' in text
    assert "data-pagefind-body" not in read(sample_site, f"{credential.url}v1/")
    assert "data-pagefind-body" not in read(sample_site, "/")


def test_markdown_headings_sit_one_level_below_the_pages_own(sample_site):
    text = read(sample_site, "/credentials/mig-welding-gmaw/")
    assert "<h3>If you are already enrolled</h3>" in text
    assert "<h2>If you are already enrolled</h2>" not in text


def test_json_ld_cannot_close_its_script_element(sample_catalog, tmp_path):
    hostile = "Welding </script><script>alert(1)</script> & more, safely escaped."
    catalog = with_credential(sample_catalog, "mig-welding-gmaw", summary=hostile)
    write_pages(catalog, tmp_path)
    text = read(tmp_path, "/credentials/mig-welding-gmaw/")
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in text
    assert "<script>alert(1)" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text


def test_jsonld_script_escapes_markup_characters():
    assert jsonld_script({"a": "<b>&"}) == (
        '<script type="application/ld+json">{"a":"\\u003cb\\u003e\\u0026"}</script>'
    )


def test_only_safe_urls_from_content_become_links(sample_catalog, tmp_path):
    skills = (
        Skill("Evil", url="javascript:alert(1)"),
        Skill("Welding Skill", framework="O*NET", code="1.A", url="https://onet.example/1A"),
    )
    write_pages(with_credential(sample_catalog, "mig-welding-gmaw", skills=skills), tmp_path)
    text = read(tmp_path, "/credentials/mig-welding-gmaw/")
    assert 'href="javascript:' not in text
    assert '<span data-pagefind-filter="skill">Evil</span>' in text
    assert (
        '<span data-pagefind-filter="skill"><a href="https://onet.example/1A" '
        'rel="noopener noreferrer">Welding Skill</a></span> <span class="muted">(O*NET 1.A)</span>'
    ) in text


# --- versions and redirects ------------------------------------------------------


def test_versioned_pages_say_which_version_and_link_the_current_one(sample_site, published):
    slug, versions = next(iter(published.earlier_versions.items()))
    current = published.credential_by_slug[slug]
    old = read(sample_site, f"/credentials/{slug}/v{versions[0].version}/")
    assert f"Version {versions[0].version} of the criteria: an earlier version." in old
    assert f'href="/credentials/{slug}/v{current.version}/">version {current.version}</a>' in old
    assert '<section id="criteria"' in old
    now = read(sample_site, f"/credentials/{slug}/v{current.version}/")
    assert f"Version {current.version} of the criteria: the current version." in now
    page = read(sample_site, current.url)
    assert "<h3>Earlier versions</h3>" in page
    assert f'<a href="/credentials/{slug}/v{versions[0].version}/">' in page


def test_an_earlier_slug_forwards_to_the_credential_and_its_versions(sample_catalog, tmp_path):
    catalog = with_credential(sample_catalog, "mig-welding-gmaw", redirect_from=("gmaw-welding",))
    write_pages(catalog, tmp_path)
    assert '<meta http-equiv="refresh" content="0; url=/credentials/mig-welding-gmaw/">' in read(
        tmp_path, "/credentials/gmaw-welding/"
    )
    assert 'url=/credentials/mig-welding-gmaw/v1/">' in read(
        tmp_path, "/credentials/gmaw-welding/v1/"
    )


def test_a_site_below_a_path_links_everything_under_that_path(sample_catalog, tmp_path):
    site = dataclasses.replace(sample_catalog.site, base_url="https://example.github.io/catalog/")
    catalog = dataclasses.replace(sample_catalog, site=site)
    write_pages(catalog, tmp_path)
    text = read(tmp_path, "/")
    assert 'href="/catalog/assets/site.css"' in text
    assert 'href="/catalog/credentials/mig-welding-gmaw/"' in text
    assert '<link rel="canonical" href="https://example.github.io/catalog/">' in text


# --- browsing without JavaScript -------------------------------------------------


def card_titles(text: str) -> list[str]:
    return re.findall(r'<h[23] class="card__title"><a href="[^"]+">([^<]+)</a>', text)


def test_home_and_browse_pages_list_every_credential_in_their_order(sample_site, published):
    credentials = published.credentials
    by_title = sorted(credentials, key=lambda c: c.title.casefold())
    assert card_titles(read(sample_site, "/")) == [c.title for c in by_title]
    credit = [c for c in credentials if c.credit_bearing]
    fewest_credits = sorted(credit, key=lambda c: (c.credits, c.title.casefold()))
    by_credits = card_titles(read(sample_site, "/browse/by-credits/"))
    assert by_credits[: len(credit)] == [c.title for c in fewest_credits]
    assert len(by_credits) == len(credentials)
    non_credit = [c for c in credentials if not c.credit_bearing]
    fewest_hours = sorted(non_credit, key=lambda c: (c.hours, c.title.casefold()))
    by_hours = card_titles(read(sample_site, "/browse/by-hours/"))
    assert by_hours[: len(non_credit)] == [c.title for c in fewest_hours]


def test_sort_ranks_agree_with_the_browse_pages(sample_catalog):
    ranks = sort_ranks(sample_catalog.credentials)
    by_credits = sorted(sample_catalog.credentials, key=lambda c: ranks[c.slug]["credits"])
    assert [c.credit_bearing for c in by_credits] == sorted(
        (c.credit_bearing for c in by_credits), reverse=True
    )
    assert sorted(r["title"] for r in ranks.values()) == [
        f"{n:06d}" for n in range(1, len(ranks) + 1)
    ]


def test_browse_by_skill_lists_each_skill_with_its_credentials(sample_site, published):
    text = read(sample_site, "/browse/skills/")
    for credential in published.credentials:
        for skill in credential.skills:
            assert f'>{skill.name}</a> <span class="muted">(' in text.replace("&#39;", "'")


# --- feed, sitemap, robots, determinism ------------------------------------------


def test_feed_is_atom_with_one_entry_per_credential(sample_site, published):
    feed = ElementTree.parse(sample_site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(published.credentials)
    assert feed.find(f"{ATOM}id").text == "https://catalog.example.edu/"
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    # Validators warn on two entries with one instant: a day's entries get its first seconds.
    assert len(set(updated)) == len(updated)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:\d\dZ", u) for u in updated)
    assert feed.find(f"{ATOM}updated").text == updated[0]


def test_the_feed_holds_the_most_recently_changed_credentials(
    sample_catalog, tmp_path, monkeypatch
):
    monkeypatch.setattr(pages, "FEED_SIZE", 3)
    write_pages(sample_catalog, tmp_path)
    entries = ElementTree.parse(tmp_path / "feed.xml").getroot().findall(f"{ATOM}entry")
    newest = max(filter(None, map(pages.last_change, sample_catalog.credentials)))
    latest = sorted(
        sample_catalog.credentials,
        key=lambda c: (-(pages.last_change(c) or newest).toordinal(), c.slug),
    )[:3]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        sample_catalog.site.url(c.url) for c in latest
    ]


def test_sitemap_lists_pages_and_robots_names_it(sample_site, published):
    urls = [
        loc.text
        for loc in ElementTree.parse(sample_site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")
    ]
    assert "https://catalog.example.edu/" in urls
    assert all(f"https://catalog.example.edu{c.url}" in urls for c in published.credentials)
    assert (sample_site / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://catalog.example.edu/sitemap.xml\n"
    )


def sitemap_paths(site: Path) -> set[str]:
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    return {
        loc.text.removeprefix("https://catalog.example.edu") for loc in root.iter(f"{SITEMAP}loc")
    }


def html_pages(site: Path) -> set[str]:
    """Every page of a built site a search engine should index: not 404, not redirects."""
    return {
        "/" + str(page.parent.relative_to(site)).removeprefix(".") + "/"
        if page.parent != site
        else "/"
        for page in site.rglob("index.html")
        if 'http-equiv="refresh"' not in page.read_text(encoding="utf-8")
    }


@pytest.mark.parametrize("built", ["sample_site", "preview_site"])
def test_the_sitemap_lists_every_page(built, request):
    site = request.getfixturevalue(built)
    pages_written = html_pages(site)
    assert any(p.startswith("/browse/skills/") and p != "/browse/skills/" for p in pages_written)
    assert any(p.startswith("/browse/careers/") and p != "/browse/careers/" for p in pages_written)
    assert pages_written == sitemap_paths(site)


def test_the_sitemap_lists_every_page_of_a_paged_browse_list(sample_catalog, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    write_pages(sample_catalog, tmp_path)
    written = html_pages(tmp_path)
    assert "/browse/by-credits/page/2/" in written
    # The guide pages are written by their own stage, not write_pages.
    assert written == sitemap_paths(tmp_path) - set(pages.guide_paths())


def test_the_same_catalog_renders_byte_identical_pages(sample_catalog, tmp_path):
    first = write_pages(sample_catalog, tmp_path / "a")
    second = write_pages(sample_catalog, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_write_pages_returns_every_file_it_wrote(sample_catalog, tmp_path):
    written = write_pages(sample_catalog, tmp_path)
    on_disk = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert sorted(written) == on_disk


# --- wording ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(date(2025, 1, 13), "January 13, 2025"), (date(2029, 12, 1), "December 1, 2029")],
)
def test_dates_read_as_words(value, expected):
    assert long_date(value) == expected


def test_credits_hours_and_money_read_naturally(sample_catalog):
    assert [credits_label(1), credits_label(6.0), credits_label(1.5)] == [
        "1 credit",
        "6 credits",
        "1.5 credits",
    ]
    assert [money(1290), money(0), money(49.5), money(300, "SEK")] == [
        "$1,290",
        "Free",
        "$49.50",
        "300 SEK",
    ]
    assert workload(sample_catalog.credential_by_slug["servsafe-food-handler"]) == (
        "Non-credit: 6 hours"
    )


def test_site_title_is_the_home_pages_heading(sample_site):
    text = read(sample_site, "/")
    assert "<h1>North Star Colleges and Universities Micro-credential Catalog</h1>" in text


def test_browse_lists_are_split_into_pages_with_links_between_them(minimal, tmp_path):
    """At system scale the pages that work without JavaScript stay small: 48 cards each."""
    from conftest import build_site

    template = minimal.path("credentials/office-communication.md").read_text()
    for n in range(60):
        minimal.write(
            f"credentials/skill-{n:02d}.md",
            template.replace("title: Workplace Communication", f"title: Skill {n:02d}"),
        )
    site = build_site(minimal.content, tmp_path / "site", search=False, check_links=True)
    first = (site / "index.html").read_text()
    second = (site / "browse" / "by-title" / "page" / "2" / "index.html").read_text()
    assert first.count('class="card"') == 48
    assert second.count('class="card"') == 62 - 48
    assert "62 micro-credentials, sorted by title, A to Z; showing 1 to 48." in first
    assert '<a href="/browse/by-title/page/2/" rel="next">Next page</a>' in first
    assert '<a href="/" rel="prev">Previous page</a>' in second
    assert '<a href="/browse/by-title/page/2/" aria-current="page">2</a>' in second
    assert (site / "browse" / "by-credits" / "page" / "2" / "index.html").is_file()


def test_each_skill_and_career_has_its_own_page_and_the_index_previews_it(sample_site):
    index = read(sample_site, "/browse/skills/")
    page = read(sample_site, "/browse/skills/communication/")
    assert '<a href="/browse/skills/communication/">Communication</a>' in index
    titles = re.findall(r'<li><a href="/credentials/[^"]+/">([^<]+)</a>', page)
    assert titles == sorted(titles, key=str.casefold) and titles
    assert (sample_site / "browse" / "careers").is_dir()


def _criteria_section(text: str) -> str:
    start = text.index('<section id="criteria"')
    return text[start : text.index("</section>", start)]


def test_an_earlier_criteria_version_says_at_its_top_what_it_is_and_what_is_current(
    sample_site,
):
    """An employer who follows a v1 badge's criteria link lands on ``#criteria`` and sees,
    before any outcome: the credential, its issuer, that v1 is not current, and its status."""
    section = _criteria_section(read(sample_site, "/credentials/technical-writing/v1/"))
    head = section[: section.index('<ol class="outcomes">')]
    assert "<dt>Micro-credential</dt><dd>Technical Writing</dd>" in head
    assert "<dt>Issued by</dt><dd>Great River State University</dd>" in head
    assert (
        'an earlier version; the current one is <a href="/credentials/technical-writing/v2/'
        '#criteria">version 2</a>' in head
    )
    assert "<dt>Status today</dt><dd>Active</dd>" in head


def test_the_current_version_and_a_suspended_credential_say_so_in_their_criteria(sample_site):
    current = _criteria_section(read(sample_site, "/credentials/technical-writing/v2/"))
    assert "the current version</dd>" in current
    suspended = _criteria_section(read(sample_site, "/credentials/mig-welding-gmaw/v1/"))
    assert (
        "<dd>Suspended: not open to new learners; badges already earned stay valid</dd>"
        in suspended
    )


def test_every_version_page_has_the_employers_block(sample_site):
    text = read(sample_site, "/credentials/technical-writing/v1/")
    assert '<h2 id="employers-heading">For employers</h2>' in text
    assert "<strong>What this page proves:</strong>" in text


def test_a_partner_whose_name_has_a_comma_is_one_list_item(sample_site):
    text = read(sample_site, "/credentials/technical-writing/v1/")
    assert "<li>Bluff Country Industrial Supply, Technical Publications</li>" in text
    assert "Technical Publications, Mississippi" not in text


# --- badge platforms (issue 16) ----------------------------------------------------


@pytest.mark.parametrize(
    "url, platform, text",
    [
        ("https://www.credly.com/org/grsu/badge/technical-writing-v2", None, "View on Credly"),
        ("https://badges.instructure.com/pathways/9", None, "View on Canvas Credentials"),
        ("https://badges.grsu.example.edu/b/9", None, "View on badges.grsu.example.edu"),
        ("https://badges.grsu.example.edu/b/9", "GRSU Badges", "View on GRSU Badges"),
    ],
)
def test_a_badge_url_is_linked_as_view_on_its_platform(
    sample_catalog, tmp_path, url, platform, text
):
    catalog = with_credential(
        sample_catalog, "technical-writing", badge=Badge(url=url, platform=platform)
    )
    write_pages(catalog, tmp_path)
    page = read(tmp_path, "/credentials/technical-writing/")
    assert f'<a href="{url}" rel="noopener noreferrer">{text}</a>' in page
    # The frozen version 1 has no badge page of its own: its page links none.
    assert "View on" not in read(tmp_path, "/credentials/technical-writing/v1/")


def test_every_version_page_links_its_own_bulk_issue_template(sample_site):
    text = read(sample_site, "/credentials/technical-writing/v1/")
    assert 'href="/credentials/technical-writing/v1/bulk-issue-template.csv"' in text
    assert (sample_site / "credentials/technical-writing/v1/bulk-issue-template.csv").is_file()
    assert (sample_site / "credentials/technical-writing/bulk-issue-template.csv").is_file()


def test_the_badge_check_page_works_as_a_form_and_explains_itself_without_script(sample_site):
    text = read(sample_site, "/verify/")
    outline = Outline(text)
    assert [a["src"] for a in outline.all("script")] == ["/assets/verify.js"]
    assert 'id="checker" hidden data-catalog="/catalog.json"' in text
    assert '<label for="badge-file">' in text and '<label for="badge-text">' in text
    assert 'role="status" aria-live="polite"' in text
    assert '<h2 id="manual-heading">Checking a badge by hand</h2>' in text
    assert "https://catalog.example.edu/credentials/<var>name</var>/v<var>N</var>/#criteria" in text
    assert "/verify/" in read(sample_site, "/sitemap.xml")


def test_an_institution_page_says_which_policy_profile_its_credentials_meet(sample_site):
    text = read(sample_site, "/institutions/prairie-lakes-college/")
    assert (
        '<dt>Checked against</dt><dd><a href="https://www.minnstate.edu/board/procedure/'
        '336p2.html" rel="noopener noreferrer">Minnesota State System Procedure 3.36.2</a> '
        "(policy profile <code>minnstate-3.36.2</code>)</dd>" in text
    )


def test_the_search_hint_suggests_the_skills_most_open_credentials_teach(published):
    # In the sample, five skills are each taught by two open credentials: ties go to the name.
    assert pages.search_examples(published) == (
        "Building and Construction",
        "Communication",
        "Computers and Electronics",
    )
    hidden = [c for c in published.credentials if c.status in ("suspended", "closed")]
    assert len(hidden) >= 2
    catalog = published
    for c in hidden:  # taught by more credentials than any, but none a learner can join
        catalog = with_credential(catalog, c.slug, skills=(*c.skills, Skill("Aardvark Care")))
    for c in published.credentials:
        if c.status == "active":  # on every open one, but too long for a hint
            long_name = "A skill named at greater length than a hint holds"
            catalog = with_credential(catalog, c.slug, skills=(*c.skills, Skill(long_name)))
    assert pages.search_examples(catalog) == pages.search_examples(published)


def test_a_catalog_without_open_skills_gets_a_plain_search_hint(published, tmp_path):
    catalog = published
    for c in published.credentials:
        catalog = with_credential(catalog, c.slug, skills=())
    assert pages.search_examples(catalog) == ()
    write_pages(catalog, tmp_path)
    assert '<p id="q-hint" class="hint">A skill, a job or a course name.</p>' in read(tmp_path, "/")
