/* The edition's search page (scholarly_edition.sphinxext.search), on Pagefind's index.
 *
 * Pagefind finds the pages and the position of every hit (accents and case folded); this
 * script sends each hit to the nearest element that a reader can land on — a paragraph,
 * a note, a glossary entry, an event — names its type (document ¶, note, person,
 * organisation, place, term, event, page), ranks the entries and events whose own name
 * holds the words first, and filters by document, kind and period.  Titles are set as
 * text, never as HTML.
 */
const ROOT = document.documentElement.getAttribute("data-content_root") || "";
const MAX_PAGES = 60;
const MAX_RESULTS = 40;
const THEME_IDS = /^(index-\d+|furo-main-content|searchbox|__navigation|__toc|id\d+)$/;
const LANDING_ELEMENTS = new Set(["p", "div", "aside", "section", "li", "dd", "dt", "figure", "blockquote", "table"]);

const form = document.querySelector(".ed-search-form");
const input = document.getElementById("ed-search-q");
const selects = {
  document: document.getElementById("ed-search-document"),
  kind: document.getElementById("ed-search-kind"),
  period: document.getElementById("ed-search-period"),
};
const status = document.getElementById("ed-search-status");
const list = document.getElementById("ed-search-results");
const KINDS = ["document ¶", "note", "person", "organisation", "place", "term", "event", "page"];

/* Typographic quotes and apostrophes as typed on a keyboard; NFC. */
export function normalise(query) {
  return query.normalize("NFC").replace(/[\u2018\u2019\u02BC\u2032]/g, "'").replace(/[\u201C\u201D\u201E\u2033]/g, '"').replace(/\s+/g, " ").trim();
}

/* For comparing names: no accents, no case, apostrophes alike. */
export function fold(text) {
  return normalise(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function url(path) {
  return new URL(ROOT + path, location.href).href;
}

async function loadJSON(path) {
  try {
    const response = await fetch(url(path));
    return response.ok ? await response.json() : {};
  } catch (e) {
    return {};
  }
}

function option(select, value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  select.appendChild(o);
}

function periodYear(title) {
  const m = title.match(/\d{4}/);
  return m ? Number(m[0]) : 9999;
}

/* Where a hit lands and what it is: the nearest landing element before the hit. */
function classify(anchor, data, previews, periods) {
  const kind = data.meta.pagekind || "page";
  const short = data.meta.short || data.meta.title;
  const id = anchor.id;
  let m;
  if (kind === "document") {
    if ((m = id.match(/-p(\d+)$/))) return { type: "document ¶", label: `${short}, ¶ ${m[1]}` };
    if ((m = id.match(/-n(\d+)$/))) return { type: "note", label: `${short}, note ${m[1]} of the original` };
    if (/-ed-[a-z0-9-]+$/.test(id)) return { type: "note", label: `${short}, editor's note` };
    if (/-byline$/.test(id)) return { type: "document ¶", label: `${short}, byline` };
    if ((m = id.match(/-fig(\d+)$/))) return { type: "document ¶", label: `${short}, figure ${m[1]}` };
    return { type: "document ¶", label: short };
  }
  if (kind === "glossary" && previews[id]) return { type: previews[id].kind, label: previews[id].headword };
  if (kind === "chronology" && !periods[id]) return { type: "event", label: null };
  return { type: "page", label: data.meta.title };
}

function wordsAround(words, from, to, hits) {
  const frag = document.createDocumentFragment();
  const start = Math.max(0, from);
  const end = Math.min(words.length, to);
  if (start > 0) frag.appendChild(document.createTextNode("… "));
  for (let i = start; i < end; i++) {
    if (hits.has(i)) {
      const mark = document.createElement("mark");
      mark.textContent = words[i];
      frag.appendChild(mark);
    } else {
      frag.appendChild(document.createTextNode(words[i]));
    }
    if (i < end - 1) frag.appendChild(document.createTextNode(" "));
  }
  if (end < words.length) frag.appendChild(document.createTextNode(" …"));
  return frag;
}

/* The hits of one page, grouped by landing element. */
function hitsOfPage(result, data, previews, periods, events, query) {
  const words = data.content.split(/\s+/).filter(Boolean);
  const anchors = data.anchors
    .filter((a) => LANDING_ELEMENTS.has(a.element) && a.id && !THEME_IDS.test(a.id))
    .sort((a, b) => a.location - b.location);
  const groups = new Map();
  for (const location of data.locations) {
    let anchor = null;
    for (const a of anchors) {
      if (a.location <= location) anchor = a;
      else break;
    }
    const key = anchor ? anchor.id : "";
    if (!groups.has(key)) groups.set(key, { anchor, locations: [] });
    groups.get(key).locations.push(location);
  }
  const folded = fold(query).split(" ").filter(Boolean);
  const hits = [];
  for (const [key, group] of groups) {
    const anchor = group.anchor;
    const info = anchor ? classify(anchor, data, previews, periods) : { type: "page", label: data.meta.title };
    let period = "";
    let documents = data.meta.docid ? [data.meta.docid] : [];
    let pagePeriods = data.meta.periods ? data.meta.periods.split("|") : [];
    if (info.label === null) {
      // An event: its date and title, period and documents from the chronology's export.
      const event = events[anchor.id];
      if (event) {
        info.label = `${event.date_words}: ${event.title}`;
        period = event.period || "";
        documents = event.documents || [];
      } else {
        info.label = words.slice(anchor.location, anchor.location + 12).join(" ");
      }
    }
    if (data.meta.pagekind === "chronology" && anchor && !period) {
      for (const a of anchors) {
        if (a.location > anchor.location) break;
        if (periods[a.id]) period = periods[a.id];
      }
    }
    const labelMatch = folded.length > 0 && folded.every((w) => fold(info.label).includes(w));
    const href = new URL(ROOT + data.url.replace(/^\//, "") + (key ? "#" + encodeURIComponent(key) : ""), location.href);
    hits.push({
      href: href.pathname + href.search + href.hash,
      label: info.label,
      type: info.type,
      period,
      periods: period ? [period] : pagePeriods,
      documents,
      score: result.score * (1 + Math.log(1 + group.locations.length)) * (labelMatch ? (info.type === "event" || info.type === "document ¶" ? 20 : 50) : 1),
      words,
      start: anchor ? anchor.location : 0,
      locations: group.locations,
    });
  }
  return hits;
}

function render(hits, query) {
  list.textContent = "";
  for (const hit of hits) {
    const li = document.createElement("li");
    li.className = "ed-result";
    const a = document.createElement("a");
    a.href = hit.href;
    a.className = "ed-result-link";
    a.textContent = hit.label;
    const type = document.createElement("span");
    type.className = "ed-result-type";
    type.textContent = hit.type;
    const excerpt = document.createElement("p");
    excerpt.className = "ed-result-excerpt";
    const first = hit.locations[0];
    // From the hit's own paragraph, note, entry or event: never the end of the one before.
    excerpt.appendChild(wordsAround(hit.words, Math.max(hit.start, first - 12), Math.max(hit.start, first - 12) + 34, new Set(hit.locations)));
    li.append(a, " ", type, excerpt);
    list.appendChild(li);
  }
  status.textContent = hits.length ? `${hits.length} result${hits.length === 1 ? "" : "s"} for “${query}”.` : `Nothing found for “${query}”.`;
}

async function main() {
  let pagefind;
  try {
    pagefind = await import(url("pagefind/pagefind.js"));
    await pagefind.options({ baseUrl: "/" });
  } catch (e) {
    status.textContent = "The search index could not be loaded. The index and the glossary list every name.";
    return;
  }
  const previews = await loadJSON("data/previews.json");
  const periodsData = readPeriods();
  documentNames = readJSON("ed-search-documents");
  for (const name of Object.values(documentNames).sort()) option(selects.document, name, name);
  for (const kind of KINDS) option(selects.kind, kind, kind);
  for (const name of Object.values(periodsData).sort((a, b) => periodYear(a) - periodYear(b))) option(selects.period, name, name);

  const params = new URLSearchParams(location.search);
  for (const key of Object.keys(selects)) if (params.get(key)) selects[key].value = params.get(key);
  const raw = params.get("q") || "";
  input.value = raw;
  const query = normalise(raw);
  if (!query) {
    input.focus();
    return;
  }
  status.textContent = "Searching…";
  // The query is folded before it is sent: "García" and "Garcia" are one query, not two that
  // Pagefind would rank a little differently.
  const search = await pagefind.search(fold(query));
  const pages = await Promise.all(search.results.slice(0, MAX_PAGES).map(async (r) => [r, await r.data()]));
  const events = {};
  if (pages.some(([, data]) => data.meta.pagekind === "chronology")) {
    const chronology = await loadJSON("chronology.json");
    for (const event of chronology.events || []) events[event.id] = event;
  }
  let hits = [];
  for (const [result, data] of pages) hits = hits.concat(hitsOfPage(result, data, previews, periodsData, events, query));
  if (selects.kind.value) hits = hits.filter((h) => h.type === selects.kind.value);
  // Filters: a hit belongs to the documents and periods of its event, or of its document page;
  // glossary entries and other pages belong to none and are left out when one is chosen.
  if (selects.period.value) hits = hits.filter((h) => h.periods.includes(selects.period.value));
  if (selects.document.value) hits = hits.filter((h) => h.documents.some((d) => documentNames[d] === selects.document.value));
  hits.sort((a, b) => b.score - a.score);
  render(hits.slice(0, MAX_RESULTS), raw);
}

function readJSON(id) {
  const data = document.getElementById(id);
  try { return data ? JSON.parse(data.textContent) : {}; } catch (e) { return {}; }
}

function readPeriods() {
  return readJSON("ed-search-periods");
}

let documentNames = {};

form.addEventListener("change", (event) => { if (event.target.tagName === "SELECT" && input.value.trim()) form.requestSubmit(); });
main();
