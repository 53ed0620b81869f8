"""Search across the per-institution search indexes, in a real browser.

The catalog of ``tests/sites/multi-institution`` has three institutions whose
credentials interleave in every sort order and filter. Each test holds the sharded
search to what one index over every page (the search before shards, built here beside
it at ``/whole-pagefind/``) gives, and to the catalog's own orders
(``pages.sort_ranks``). A generated catalog of 80 credentials proves "Show more"
continues the merged order across batches.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import ROOT, SITES, build_site
from pagefind.index import PagefindIndex

from browser.serving import SiteHandler, serve_site
from browser.test_site import axe_violations
from microcred.rules.check import check_catalog
from microcred.site import enrolment, pages

pytestmark = pytest.mark.browser

MULTI = SITES / "multi-institution" / "content"
ORDERS = ("title", "credits", "hours", "cost", "start")
CLOSED = ("suspended", "closed")
OPEN_VALUES = ["Open to new learners", "Proposed, not yet offered"]
"""The availability filter search.js applies until "Include suspended and closed"."""
WHOLE = "whole-pagefind"


def whole_index(site: Path) -> None:
    """One Pagefind index over every credential page, as the build wrote before shards."""

    async def run() -> None:
        async with PagefindIndex(config={"output_path": str(site / WHOLE)}) as index:
            await index.add_directory(str(site), glob="credentials/*/index.html")

    with ThreadPoolExecutor(max_workers=1) as worker:  # Playwright's loop runs in this one
        worker.submit(lambda: asyncio.run(run())).result()


def published(content: Path):
    result = check_catalog(content)
    assert result.catalog is not None
    return result.catalog.published()


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    """The multi-institution site (with the single index beside it) and its catalog."""
    site = build_site(MULTI, tmp_path_factory.mktemp("multi") / "_site")
    whole_index(site)
    return site, published(MULTI)


@pytest.fixture(scope="module")
def multi_url(multi):
    with serve_site(multi[0]) as url:
        yield url


def _page(browser, url):
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.console_errors = []
    # the context sees the requests of Pagefind's Web Worker too
    context.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else 0)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return context, page


@pytest.fixture
def shard_page(browser, multi_url):
    context, page = _page(browser, multi_url)
    yield page
    assert page.console_errors == []
    context.close()


def ordered(catalog, order: str, credentials=None) -> list[str]:
    """Titles in the catalog's own ``order``: what one index's sort gave."""
    ranks = pages.sort_ranks(catalog.credentials, enrolment.build_date(catalog))
    chosen = catalog.credentials if credentials is None else credentials
    return [c.title for c in sorted(chosen, key=lambda c: ranks[c.slug][order])]


def open_ones(catalog):
    return [c for c in catalog.credentials if c.status not in CLOSED]


def shown_titles(page, n: int) -> list[str]:
    page.wait_for_function(
        "n => document.querySelectorAll('#search-results .card').length === n", arg=n
    )
    return page.locator("#search-results .card__title a").all_inner_texts()


# JavaScript run in a page: Pagefind alone, as one index or merged the way search.js
# merges the shards (mergeFilter included), so its own behaviour can be compared.
PAGEFIND = """
async ([mode, term, options]) => {
  let pagefind;
  if (mode === "whole") {
    pagefind = await import("/whole-pagefind/pagefind.js");
    await pagefind.options({ baseUrl: "/" });
  } else {
    const shards = (await (await fetch("/pagefind/shards.json")).json()).shards.map((s) => s.id);
    pagefind = await import(`/pagefind/${shards[0]}/pagefind.js`);
    await pagefind.options({ baseUrl: "/", mergeFilter: { shard: shards[0] } });
    await pagefind.init();
    for (const id of shards.slice(1)) {
      await pagefind.mergeIndex(`/pagefind/${id}/`, { baseUrl: "/", mergeFilter: { shard: id } });
    }
  }
  await pagefind.init();
  const search = await pagefind.search(term, options);
  const titles = await Promise.all(search.results.map(async (r) => (await r.data()).meta.title));
  return { titles, filters: search.filters, totalFilters: search.totalFilters,
           all: await pagefind.filters(), count: search.results.length };
}
"""


def pagefind_alone(browser, url, mode: str, term=None, **options) -> dict:
    context, page = _page(browser, url)
    try:
        page.goto("/404.html")  # a page that runs no search of its own
        return page.evaluate(PAGEFIND, [mode, term, options])
    finally:
        context.close()


def without_shard(filters: dict) -> dict:
    return {key: values for key, values in filters.items() if key != "shard"}


def test_a_query_finds_credentials_of_every_institution(shard_page, multi, axe_source):
    _, catalog = multi
    shard_page.goto("/")
    shard_page.fill("#q", "safety")
    shard_page.press("#q", "Enter")
    expected = open_ones(catalog)
    titles = shown_titles(shard_page, len(expected))
    assert sorted(titles) == sorted(c.title for c in expected)
    offered = shard_page.locator("#search-results .card__facts div:first-child dd")
    assert set(offered.all_inner_texts()) == {i.name for i in catalog.institutions}
    assert shard_page.inner_text("#result-count") == (
        f"{len(expected)} micro-credentials found for “safety”."
        " Suspended and closed ones are not included."
    )
    assert axe_violations(shard_page, axe_source) == []


@pytest.mark.parametrize("order", ORDERS)
def test_sorting_orders_the_results_across_every_institution(
    shard_page, browser, multi_url, multi, order
):
    _, catalog = multi
    shard_page.goto(f"/?sort={order}")
    expected = ordered(catalog, order, open_ones(catalog))
    assert shown_titles(shard_page, len(expected)) == expected
    one_index = pagefind_alone(
        browser,
        multi_url,
        "whole",
        filters={"availability": {"any": OPEN_VALUES}},
        sort={order: "asc"},
    )
    assert one_index["titles"] == expected, "the single index of before sorts the same way"


@pytest.mark.parametrize("order", ORDERS)
def test_a_search_term_with_a_sort_orders_across_institutions_suspended_included(
    shard_page, multi, order
):
    _, catalog = multi
    shard_page.goto(f"/?q=safety&sort={order}&closed=shown")
    expected = ordered(catalog, order)
    assert shown_titles(shard_page, len(expected)) == expected
    assert shard_page.inner_text("#result-count") == (
        f"{len(expected)} micro-credentials found for “safety”."
    )


@pytest.mark.parametrize("order", ORDERS)
def test_pagefinds_own_merged_sort_interleaves_the_institutions(browser, multi_url, multi, order):
    """Why search.js merges sorted results itself: Pagefind 1.5's merged search gives each
    index's pages the score -(position in that index's order) and sorts the merged list
    by score, so the indexes are interleaved round-robin. Should a Pagefind release
    merge sorts, this test fails and search.js can ask Pagefind directly."""
    _, catalog = multi
    merged = pagefind_alone(browser, multi_url, "merged", sort={order: "asc"})
    assert sorted(merged["titles"]) == sorted(c.title for c in catalog.credentials)
    assert merged["titles"] != ordered(catalog, order)


@pytest.mark.parametrize("term", ["forklift", "hospital safety"])
def test_pagefinds_own_merged_search_answers_words_an_index_lacks(browser, multi_url, term):
    """Why search.js leaves out the shards that lack a word (``shardsFor``): Pagefind's
    merged search, left alone, answers "forklift" from every shard (those without the
    word fall back to words beginning alike) and "hospital safety" with every safety
    page of the shards without "hospital". Should a Pagefind release stop this, this
    test fails and ``shardsFor`` can go."""
    merged = pagefind_alone(browser, multi_url, "merged", term)
    whole = pagefind_alone(browser, multi_url, "whole", term)
    assert len(whole["titles"]) == 1
    assert len(merged["titles"]) > 1
    assert set(whole["titles"]) < set(merged["titles"])


def test_filter_counts_are_the_totals_across_institutions(browser, multi_url, multi):
    """Pagefind's merged ``filters()`` and a search's counts sum each value over the
    indexes (and list the union of values): equal to one index over every page. The
    synthetic ``shard`` filter (search.js's mergeFilter) counts each shard's pages."""
    site, catalog = multi
    for options in ({}, {"filters": {"delivery": "Online"}}, {"filters": {"cost": "Up to $500"}}):
        merged = pagefind_alone(browser, multi_url, "merged", **options)
        whole = pagefind_alone(browser, multi_url, "whole", **options)
        assert without_shard(merged["all"]) == whole["all"]
        assert without_shard(merged["filters"]) == whole["filters"], options
        assert without_shard(merged["totalFilters"]) == whole["totalFilters"], options
        assert merged["count"] == whole["count"]
        assert sorted(merged["titles"]) == sorted(whole["titles"])
    counts = whole["all"]["institution"]
    assert counts == {i.name: len(catalog.credentials_of(i.id)) for i in catalog.institutions}
    listed = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
    assert merged["all"]["shard"] == {shard["id"]: shard["pages"] for shard in listed}


@pytest.mark.parametrize(
    "query, label",
    [
        ("institution=North+Shore+Community+College", "College or university"),
        ("delivery=Online", "Online or on campus"),
        ("delivery=Hybrid&sort=cost", "Online or on campus"),
    ],
)
def test_the_results_count_is_the_total_across_institutions(shard_page, multi, query, label):
    _, catalog = multi
    value = query.split("&")[0].split("=")[1].replace("+", " ")
    if query.startswith("institution"):
        names = {c.slug: catalog.institution_by_id[c.institution].name for c in open_ones(catalog)}
        chosen = [c for c in open_ones(catalog) if names[c.slug] == value]
    else:
        mode = {"Online": "online", "Hybrid": "hybrid"}[value]
        chosen = [c for c in open_ones(catalog) if mode in c.delivery]
    shard_page.goto(f"/?{query}")
    titles = shown_titles(shard_page, len(chosen))
    order = "cost" if "sort=cost" in query else "title"
    assert titles == ordered(catalog, order, chosen)
    assert shard_page.inner_text("#result-count") == (
        f"{len(chosen)} micro-credentials found with {label}: {value}."
        " Suspended and closed ones are not included."
    )


@pytest.mark.parametrize(
    "term",
    [
        "hospital safety",
        "safety hospital",
        "arc welding",
        "hospital xyzzy",
        "forklift drone",
        "forklift",
        "welding",
        "hospital",
    ],
)
@pytest.mark.parametrize("order", ["", "cost"])
def test_a_search_of_several_words_finds_what_one_index_finds(
    shard_page, browser, multi_url, term, order
):
    """Pagefind leaves out a word an index does not hold (the Iron Range shard, which has
    no "hospital", would answer "hospital safety" with all its safety pages) and answers
    a word on its own with words that begin alike ("forklift" → pages with "for"). One
    index over the catalog holds "hospital" and answers with the one page that has both
    words; so does the sharded search (``shardsFor`` in search.js)."""
    options = {"sort": {order: "asc"}} if order else {}
    one_index = pagefind_alone(browser, multi_url, "whole", term, **options)
    query = f"/?q={term.replace(' ', '+')}&closed=shown" + (f"&sort={order}" if order else "")
    shard_page.goto(query)
    n = one_index["count"]
    shard_page.wait_for_function(
        "text => document.getElementById('result-count').textContent.startsWith(text)",
        arg=f"{n} micro-credential{'' if n == 1 else 's'} found for “{term}”.",
    )
    titles = shard_page.locator("#search-results .card__title a").all_inner_texts()
    if order:
        assert titles == one_index["titles"]
    else:
        assert sorted(titles) == sorted(one_index["titles"])
    if term == "hospital safety":
        assert titles == ["Hospital Patient Safety"]


class RecordingHandler(SiteHandler):
    """Serves the site and notes every path asked for (the Web Worker's requests too,
    which Playwright's request events do not see)."""

    asked: ClassVar[list[str]] = []

    def log_request(self, code="-", size="-"):
        self.asked.append(self.path)


def test_every_shard_is_loaded_and_no_request_leaves_the_site(browser, multi):
    site, _ = multi
    RecordingHandler.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RecordingHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    context, page = _page(browser, url)
    try:
        page.goto("/?sort=cost")
        page.locator("#search-results .card").first.wait_for()
        shards = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
        for shard in shards:
            entry = f"/pagefind/{shard['id']}/pagefind-entry.json?"  # Pagefind adds ?ts=
            assert any(path.startswith(entry) for path in RecordingHandler.asked), shard
        wasm = [path for path in RecordingHandler.asked if "/wasm." in path]
        assert len(wasm) == 1, "the merged indexes share the first shard's WebAssembly"
        assert [u for u in page.requests if not u.startswith(f"{url}/")] == []
        assert page.console_errors == [], "a request the CSP refused would be reported here"
    finally:
        context.close()
        server.shutdown()
        server.server_close()


# --- more results than one batch --------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated catalog of 80 credentials over two institutions, served."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("generated")
    content = generate(root / "content", 80, seed=3)
    site = build_site(content, root / "_site")
    catalog = published(content)
    assert len({c.institution for c in catalog.credentials}) >= 2
    with serve_site(site) as url:
        yield url, catalog


@pytest.mark.parametrize("order", ["title", "cost"])
def test_show_more_continues_the_merged_order(browser, generated, order):
    url, catalog = generated
    context, page = _page(browser, url)
    try:
        page.goto(f"/?sort={order}&closed=shown")
        first = shown_titles(page, 24)
        page.click("#more")
        second = shown_titles(page, 48)
        expected = ordered(catalog, order)
        assert first == expected[:24]
        assert second == expected[:48]
        count = page.inner_text("#result-count")
        assert re.match(rf"{len(expected)} micro-credentials found\.", count)
        assert page.console_errors == []
    finally:
        context.close()
