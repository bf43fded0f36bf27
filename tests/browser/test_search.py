"""Search (Pagefind, read by edition-search.js): the right first results for names typed
without accents or with either apostrophe, readable titles, a type on every result, and
every result landing on an element that exists and is in view.

What is "right" is read off the edition's own data: the first result for a name is the
glossary entry whose headword holds the name's words (accents and case folded).
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import urlencode

import pytest

pytestmark = [pytest.mark.build, pytest.mark.browser]

TYPES = {"document ¶", "note", "person", "organisation", "place", "term", "event", "page"}
QUERIES = ["Anez", "Garcia Meza", "Sa'ar", "Barrientos"]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def search(page, site: str, query: str, **filters: str) -> list[dict[str, str]]:
    page.goto(f"{site}/search.html?{urlencode({'q': query, **filters})}")
    page.wait_for_function("() => { const s = document.getElementById('ed-search-status').textContent;"
                           " return s && s !== 'Searching…'; }", timeout=30000)
    return page.evaluate("""() => [...document.querySelectorAll('#ed-search-results > li')].map(li => ({
        title: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'),
        type: li.querySelector('.ed-result-type').textContent}))""")


def entry_for(glossary: dict, query: str) -> dict:
    words = fold(query).split()
    found = [e for e in glossary["entities"] if all(w in fold(e["headword"]) for w in words)]
    assert len(found) == 1, f"the glossary should have one entry for {query!r}: {[e['headword'] for e in found]}"
    return found[0]


@pytest.mark.parametrize("query", QUERIES)
def test_names_find_their_entry_first_and_every_result_lands(built_html, site, new_page, query):
    glossary = json.loads((built_html / "data" / "glossary.json").read_text("utf-8"))
    entry = entry_for(glossary, query)
    page = new_page()
    results = search(page, site, query)
    assert results, f"nothing found for {query!r}"
    assert results[0]["href"].endswith(f"glossary.html#{entry['id']}"), results[:3]
    assert results[0]["title"] == entry["headword"]
    for result in results:
        assert result["type"] in TYPES, result
        assert not re.search(r"&(#x?[0-9a-f]+|[a-z]+);", result["title"], re.I), result
        assert "#" in result["href"], f"a result should land on an anchor: {result}"
    # The same results with the accents, and with the typographic apostrophe.
    for variant in {query.replace("'", "’"), *[a["text"] for a in entry["aliases"] if fold(a["text"]) == fold(query)]}:
        assert [r["href"] for r in search(page, site, variant)] == [r["href"] for r in results], variant
    # Every result lands on an element that exists and is in view.
    for result in results:
        page.goto(f"{site}{result['href']}" if result["href"].startswith("/") else f"{site}/{result['href']}")
        fragment = result["href"].split("#", 1)[1]
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)
        box = page.evaluate("""(id) => { const el = document.getElementById(decodeURIComponent(id)); if (!el) return null;
            const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, h: innerHeight}; }""", fragment)
        assert box is not None, f"{result['href']} lands on no element"
        assert box["top"] < box["h"] and box["bottom"] > 0, f"{result['href']} is not in view: {box}"


def test_accents_are_folded_both_ways(site, new_page):
    page = new_page()
    assert [r["href"] for r in search(page, site, "Áñez")] == [r["href"] for r in search(page, site, "Anez")]
    assert [r["href"] for r in search(page, site, "García Meza")] == [r["href"] for r in search(page, site, "Garcia Meza")]


def test_filters_by_kind_document_and_period(built_html, site, new_page):
    page = new_page()
    people = search(page, site, "Barrientos", kind="person")
    assert people and {r["type"] for r in people} == {"person"}
    in_mack = search(page, site, "Barrientos", document="Mack 2025")
    assert in_mack
    chronology = json.loads((built_html / "chronology.json").read_text("utf-8"))
    events = {e["id"]: e for e in chronology["events"]}
    for result in in_mack:
        page_path, fragment = result["href"].split("#", 1)
        if page_path.endswith("chronology.html"):
            assert "mack-2025" in events[fragment]["documents"], result
        else:
            assert page_path.endswith("documents/mack-2025.html"), result
    period = next(e["period"] for e in chronology["events"] if "barrientos" in e["id"])
    in_period = search(page, site, "Barrientos", period=period)
    assert in_period
    for result in in_period:
        page_path, fragment = result["href"].split("#", 1)
        if page_path.endswith("chronology.html") and fragment in events:
            assert events[fragment]["period"] == period, result
