// Search, filters and sort for the catalog home page, using Pagefind's JS API.
//
// Progressive enhancement: without this script the page is already a complete
// list of every micro-credential. With it, the search form appears; its state
// lives in the query string (?q=&institution=&sort=...) so a search can be
// shared, and the number of results is announced through a live region.
// Suspended and closed micro-credentials are left out of results unless the
// learner ticks "Include suspended and closed". After Search, focus and the
// viewport move to the results' count, so the first result is one Tab away;
// a filter change updates the results and announces the count without moving
// focus (a keyboard user may still be choosing in the list: WCAG 3.2.2).
//
// The index is sharded: one Pagefind bundle per institution (/pagefind/<id>/,
// listed in /pagefind/shards.json). The first is imported and the others are
// added with Pagefind's multisite mergeIndex, so one WebAssembly module serves
// them all. What Pagefind 1.5's merged search does (seen in its pagefind.js and
// proved in tests/browser/test_shards.py; docs/architecture.md, "Search in
// shards"):
// - results: every index's results, concatenated and re-sorted by score. That
//   is its ranking for "Best match" (each index scores by its own term counts).
// - sort: NOT merged. Under a sort each index gives its pages the score
//   -(position in that index's own order), so the merged list interleaves the
//   indexes round-robin instead of following the catalog's order. Sorted
//   searches therefore run once per shard (a synthetic "shard" filter, set with
//   mergeFilter, picks each) and are merged here by the rank every page carries
//   in its metadata (rank_<order>), loading only the heads of the lists.
// - filters() and a search's filter counts: summed per value across indexes,
//   the union of the values: right as they are (the page shows no counts).
// - the count of results: the sum over indexes, right as it is, once the
//   shards that lack a word of the search are left out (shardsFor).

const PAGE_SIZE = 24;
const TYPING_DELAY_MS = 300;
const STATUS_TAGS = {
  Suspended: "suspended",
  Closed: "closed",
  "Proposed, not yet approved": "proposed",
};

const siteRoot = new URL("../", import.meta.url);
const finder = document.getElementById("finder");
const form = document.getElementById("finder-form");
const query = document.getElementById("q");
const sortSelect = document.getElementById("sort");
const showClosed = document.getElementById("show-closed");
const OPEN_VALUES = ["Open to new learners", "Proposed, not yet offered"];
const SHARD = "shard";
const filterSelects = Array.from(form.querySelectorAll("select[data-filter]"));
const browseList = document.getElementById("browse-list");
const resultList = document.getElementById("search-results");
const count = document.getElementById("result-count");
const heading = document.getElementById("results-heading");
const moreWrap = document.getElementById("more-wrap");
const moreButton = document.getElementById("more");
const browseCount = count.textContent;
const browseHeading = heading.textContent;

let engine = null;
let matches = null;
let shown = 0;
let generation = 0;
let typingTimer = 0;

async function startEngine() {
  const list = await fetch(new URL("pagefind/shards.json", siteRoot));
  if (!list.ok) throw new Error(`pagefind/shards.json: ${list.status}`);
  const shards = (await list.json()).shards.map((shard) => shard.id);
  const bundle = (id) => new URL(`pagefind/${id}/`, siteRoot).pathname;
  const baseUrl = siteRoot.pathname;
  const pagefind = await import(new URL(`${bundle(shards[0])}pagefind.js`, siteRoot).href);
  await pagefind.options({ baseUrl, mergeFilter: { [SHARD]: shards[0] } });
  await pagefind.init();
  await Promise.all(
    shards
      .slice(1)
      .map((id) => pagefind.mergeIndex(bundle(id), { baseUrl, mergeFilter: { [SHARD]: id } })),
  );
  return { pagefind, shards };
}

async function loadEngine() {
  if (!engine) engine = startEngine();
  try {
    return await engine;
  } catch (error) {
    engine = null;
    throw error;
  }
}

// Results in Pagefind's merged order (best match first).
class Ranked {
  constructor(results) {
    this.results = results;
    this.length = results.length;
    this.at = 0;
  }

  async take(n) {
    const batch = this.results.slice(this.at, this.at + n);
    this.at += batch.length;
    return batch;
  }
}

// Per-shard lists, each already in the order's sequence, merged by each page's
// catalog-wide rank (its rank_<order> metadata). Only a list's head is ever
// loaded ahead of being shown.
class Merged {
  constructor(lists, order) {
    this.heads = lists.filter((list) => list.length).map((list) => ({ list, at: 0, rank: null }));
    this.length = lists.reduce((sum, list) => sum + list.length, 0);
    this.meta = `rank_${order}`;
  }

  rankOf(head) {
    if (!head.rank) {
      head.rank = head.list[head.at].data().then((data) => (data.meta || {})[this.meta] || "");
    }
    return head.rank;
  }

  take(n) {
    // One batch at a time: a second "Show more" waits for the first.
    this.queue = (this.queue || Promise.resolve()).then(() => this.next(n));
    return this.queue;
  }

  async next(n) {
    const batch = [];
    while (batch.length < n && this.heads.length) {
      const ranks = await Promise.all(this.heads.map((head) => this.rankOf(head)));
      let first = 0;
      ranks.forEach((rank, i) => {
        if (rank < ranks[first]) first = i;
      });
      const head = this.heads[first];
      batch.push(head.list[head.at]);
      head.at += 1;
      head.rank = null;
      if (head.at === head.list.length) this.heads.splice(first, 1);
    }
    return batch;
  }
}

// The shards that can answer a search the way one index over the catalog would.
// A Pagefind index that does not hold a word does not answer "nothing": it leaves
// the word out of a search of several words (so a shard without "hospital"
// answers "hospital safety" with all its pages about safety), and for a word on
// its own it falls back to words that merely begin alike (a shard without
// "forklift" answers with its pages that have "for"). One index holds the word if
// any institution uses it, and answers with only the pages that have it. So each
// word is first looked up exactly (in quotes: no fallback, stemming kept), its
// count per shard read from the synthetic shard filter, and a shard that lacks a
// word another shard holds is left out. A word no shard holds exactly leaves
// every shard in, to answer as Pagefind does (the case of a word half typed:
// docs/architecture.md).
async function shardsFor(pagefind, shards, term) {
  const words = [...new Set((term || "").replace(/"/g, " ").split(/\s+/).filter(Boolean))];
  if (!words.length || shards.length < 2) return shards;
  const counts = await Promise.all(
    words.map(async (word) => ((await pagefind.search(`"${word}"`)).totalFilters || {})[SHARD] || {}),
  );
  const held = counts.filter((count) => Object.values(count).some((n) => n > 0));
  return shards.filter((id) => held.every((count) => count[id] > 0));
}

async function find(term, filters, order) {
  const { pagefind, shards } = await loadEngine();
  const answering = await shardsFor(pagefind, shards, term);
  if (!answering.length) return new Ranked([]);
  if (!order) {
    const only = answering.length < shards.length ? { [SHARD]: { any: answering } } : {};
    return new Ranked((await pagefind.search(term, { filters: { ...filters, ...only } })).results);
  }
  const sort = { [order]: "asc" };
  const searches = await Promise.all(
    answering.map((id) => pagefind.search(term, { filters: { ...filters, [SHARD]: id }, sort })),
  );
  return new Merged(
    searches.map((search) => search.results),
    order,
  );
}

function selectValue(select, value) {
  const known = Array.from(select.options).some((option) => option.value === value);
  select.value = known ? value : "";
}

function readState() {
  const params = new URLSearchParams(window.location.search);
  query.value = params.get("q") || "";
  filterSelects.forEach((select) => selectValue(select, params.get(select.name) || ""));
  selectValue(sortSelect, params.get("sort") || "");
  showClosed.checked = params.get(showClosed.name) === showClosed.value;
}

function currentParams() {
  const params = new URLSearchParams();
  const term = query.value.trim();
  if (term) params.set("q", term);
  filterSelects.forEach((select) => {
    if (select.value) params.set(select.name, select.value);
  });
  if (sortSelect.value) params.set("sort", sortSelect.value);
  if (showClosed.checked) params.set(showClosed.name, showClosed.value);
  return params;
}

function writeState(params) {
  const search = params.toString();
  const url = window.location.pathname + (search ? `?${search}` : "");
  if (url !== window.location.pathname + window.location.search) {
    window.history.replaceState(null, "", url);
  }
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function describe(total) {
  const parts = [`${plural(total, "micro-credential")} found`];
  const term = query.value.trim();
  if (term) parts.push(`for “${term}”`);
  const chosen = filterSelects.filter((select) => select.value);
  if (chosen.length) {
    const labels = chosen.map((select) => `${select.labels[0].textContent}: ${select.value}`);
    parts.push(`with ${labels.join("; ")}`);
  }
  const hidden = showClosed.checked ? "" : " Suspended and closed ones are not included.";
  return `${parts.join(" ")}.${hidden}`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fact(list, term, value) {
  if (!value) return;
  const row = element("div");
  row.append(element("dt", "", term), element("dd", "", value));
  list.append(row);
}

function card(data) {
  const meta = data.meta || {};
  const item = element("li", "card");
  if (meta.image) {
    const image = element("img", "card__badge");
    Object.assign(image, { src: meta.image, alt: "", width: 64, height: 64 });
    item.append(image);
  }
  const body = element("div", "card__body");
  const title = element("h3", "card__title");
  const link = element("a", "", meta.title || data.url);
  link.href = data.url;
  title.append(link);
  body.append(title);
  const tag = STATUS_TAGS[meta.status];
  if (tag) body.append(element("span", `tag tag--${tag}`, meta.status), " ");
  if (meta.summary) body.append(element("p", "card__summary", meta.summary));
  const facts = element("dl", "card__facts");
  const credit = (data.filters && data.filters.credit && data.filters.credit[0]) || "Size";
  fact(facts, "Offered by", meta.institution);
  fact(facts, credit, meta.size);
  fact(facts, "Delivery", meta.delivery);
  fact(facts, "Time to complete", meta.duration);
  fact(facts, "Cost", meta.cost);
  fact(facts, "Next start", meta.next);
  body.append(facts);
  item.append(body);
  return item;
}

async function showMore(run, moveFocus) {
  const batch = await matches.take(PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (run !== generation) return;
  const cards = data.map(card);
  resultList.append(...cards);
  shown += batch.length;
  moreWrap.hidden = shown >= matches.length;
  if (moveFocus && cards.length) cards[0].querySelector("a").focus();
}

function showBrowse() {
  browseList.hidden = false;
  resultList.hidden = true;
  resultList.replaceChildren();
  moreWrap.hidden = true;
  heading.textContent = browseHeading;
  count.textContent = browseCount;
}

async function update(moveFocus = false) {
  const params = currentParams();
  writeState(params);
  const run = ++generation;
  if (![...params.keys()].length) {
    showBrowse();
    if (moveFocus) focusCount();
    return;
  }
  const term = query.value.trim() || null;
  const filters = {};
  filterSelects.forEach((select) => {
    if (select.value) filters[select.dataset.filter] = select.value;
  });
  if (!showClosed.checked) filters.availability = { any: OPEN_VALUES };
  const order = sortSelect.value || (term ? "" : "title");
  try {
    const found = await find(term, filters, order);
    if (run !== generation) return;
    matches = found;
    shown = 0;
    resultList.replaceChildren();
    await showMore(run, false);
    if (run !== generation) return;
    browseList.hidden = true;
    resultList.hidden = false;
    heading.textContent = "Search results";
    count.textContent = describe(matches.length);
    if (moveFocus) focusCount();
  } catch (error) {
    showBrowse();
    count.textContent = "Search is not available right now. Every micro-credential is listed below.";
  }
}

function focusCount() {
  count.focus({ preventScroll: true });
  count.scrollIntoView({ block: "start" });
}

function updateSoon() {
  window.clearTimeout(typingTimer);
  typingTimer = window.setTimeout(update, TYPING_DELAY_MS);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(typingTimer);
  update(true);
});
form.addEventListener("reset", () => window.setTimeout(() => update(false), 0));
query.addEventListener("input", updateSoon);
filterSelects
  .concat(sortSelect, showClosed)
  .forEach((control) => control.addEventListener("change", () => update(false)));
moreButton.addEventListener("click", () => showMore(generation, true));

finder.hidden = false;
readState();
if ([...currentParams().keys()].length) update();
