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
const filterSelects = Array.from(form.querySelectorAll("select[data-filter]"));
const browseList = document.getElementById("browse-list");
const resultList = document.getElementById("search-results");
const count = document.getElementById("result-count");
const heading = document.getElementById("results-heading");
const moreWrap = document.getElementById("more-wrap");
const moreButton = document.getElementById("more");
const browseCount = count.textContent;
const browseHeading = heading.textContent;

let pagefind = null;
let matches = [];
let shown = 0;
let generation = 0;
let typingTimer = 0;

async function loadPagefind() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
    await pagefind.init();
  }
  return pagefind;
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
  const batch = matches.slice(shown, shown + PAGE_SIZE);
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
  const options = order ? { filters, sort: { [order]: "asc" } } : { filters };
  try {
    const engine = await loadPagefind();
    const search = await engine.search(term, options);
    if (run !== generation) return;
    matches = search.results;
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
