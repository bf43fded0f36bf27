"""The glossary in the built edition: links and previews, entries, back-references, index, inventory, JSON."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from scholarly_edition.glossary import KINDS, block_label, corpus_mentions, fold, load_registry, registry_dir

FRUS = "frus-1964-68-v31-d151"


def soup(path):
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.fixture(scope="module")
def registry(corpus):
    return load_registry(registry_dir(corpus.root), corpus.root)


@pytest.fixture(scope="module")
def glossary(built_html):
    return soup(built_html / "glossary.html")


@pytest.fixture(scope="module")
def data(built_html):
    return json.loads((built_html / "data" / "glossary.json").read_text("utf-8"))


def test_every_entity_has_an_entry_at_its_permanent_anchor(glossary, registry):
    for entity in registry.entities.values():
        entry = glossary.find(id=entity.id)
        assert entry is not None and "ed-entry" in entry["class"], entity.id
        assert entry.find(class_="ed-headword").get_text() == entity.headword


def test_entries_grouped_by_kind_and_alphabetical_by_sort_form(glossary, registry):
    for kind in KINDS:
        box = glossary.find(class_=f"ed-glossary-{kind}")
        ids = [e["id"] for e in box.find_all(class_="ed-entry")]
        expected = [e.id for e in registry.by_kind(kind)]
        assert ids == expected
        assert all(registry.entities[i].kind == kind for i in ids)
    sorts = [fold(registry.entities[i].sort).casefold() for i in [e["id"] for e in glossary.find(class_="ed-glossary-person").find_all(class_="ed-entry")]]
    assert sorts == sorted(sorts)
    # Barrientos Ortuño, René files under B, Áñez under A.
    assert glossary.find(id="barrientos-rene").find_previous(class_="ed-glossary-letter").get_text() == "B"
    assert glossary.find(id="anez-jeanine").find_previous(class_="ed-glossary-letter").get_text() == "A"


def test_a_to_z_navigation_links_to_existing_letters(glossary):
    for kind in KINDS:
        nav = glossary.find(class_=f"ed-glossary-{kind}").find(class_="ed-az")
        links = nav.find_all("a")
        assert links, kind
        for link in links:
            target = glossary.find(id=link["href"].lstrip("#"))
            assert target is not None and target.get_text() == link.get_text()
    people = glossary.find(class_="ed-glossary-person").find(class_="ed-az")
    assert [a.get_text() for a in people.find_all("a")][:3] == ["A", "B", "C"]


def test_mentions_link_to_entries_with_a_preview_for_hover_and_focus(built_html, registry):
    page = soup(built_html / "documents" / "kirkland-1998.html")
    mentions = page.select("span.ed-mention")
    assert mentions
    previews = json.loads((built_html / "data" / "previews.json").read_text("utf-8"))
    for span in mentions:
        link = span.find("a")
        entity_id = link["href"].split("#")[1]
        assert link["href"] == f"../glossary.html#{entity_id}"
        entity = registry.entities[entity_id]
        # the preview is stored once for the edition (edition-previews.js shows it), never
        # in the paragraph's text or repeated in each mention's attributes
        assert previews[entity_id]["headword"] == entity.headword and previews[entity_id]["preview"] == entity.preview
        assert not link.has_attr("data-tip") and not link.has_attr("aria-description")
        assert span.get_text() == link.get_text()
    barrientos = page.find(id="kirkland-1998-p1-barrientos-rene")
    assert barrientos.a.get_text() == "Rene Barrientos" and barrientos.a["href"].endswith("#barrientos-rene")


def test_previews_are_shown_by_the_script_inside_the_viewport(root):
    script = (root / "ext/scholarly_edition/sphinxext/static/edition-previews.js").read_text("utf-8")
    assert 'data/previews.json' in script and 'role", "tooltip"' in script and '"Escape"' in script


def test_what_is_not_linked(built_html):
    page = soup(built_html / "documents" / f"{FRUS}.html")
    for selector in [".ed-pnum", ".ed-docheader", "h1", "h2", "details.ed-omission", ".ed-page-break", "aside.footnote > span.label", "a.footnote-reference"]:
        for node in page.select(selector):
            assert not node.select(".ed-mention"), selector
    # Source notes (FRUS editors' footnotes) are linked, including the run-together "EnriqueMann".
    note = page.find(id=f"{FRUS}-n3")
    assert note.find(id=f"{FRUS}-n3-mann-thomas").a.get_text() == "Mann"
    assert note.find(id=f"{FRUS}-n3-enrique-bolivian-ambassador").a.get_text() == "Bolivian Ambassador Enrique"
    # Captions are linked, and "Paz" in "La Paz" is the place.
    mack = soup(built_html / "documents" / "mack-2025.html")
    assert mack.find(id="mack-2025-fig1-barrientos-rene") is not None
    assert all(a["href"].endswith("#la-paz") for a in mack.select("span.ed-mention a") if a.get_text() == "La Paz")
    # The paragraph text is intact: linking adds markup, never changes a character.
    lotm = soup(built_html / "documents" / "lotm-2019.html")
    p22 = lotm.find(id="lotm-2019-p22")
    assert "the residence of Evo’s sister, Ester Morales Ayma." in p22.get_text()
    assert p22.find(id="lotm-2019-p22-morales-ayma-ester") is not None


def test_back_references_list_every_mention_by_document_and_paragraph(glossary, built_html, data):
    entry = glossary.find(id="pumari-marco")
    items = entry.select("ul.ed-backrefs > li")
    assert [li.find(class_="ed-backref-doc").get_text() for li in items] == ["Left on the Move 2019"]
    links = items[0].find_all("a")[1:]
    assert [a.get_text() for a in links] == ["¶ 19", "¶ 21", "¶ 58 (2×)"]
    for link in links:
        page, anchor = link["href"].split("#")
        target = soup(built_html / page).find(id=anchor)
        assert target is not None and "ed-mention" in target["class"]
        assert target.a["href"].endswith("#pumari-marco")
    # Documents are listed in date order.
    morales = glossary.find(id="morales-evo").select("ul.ed-backrefs .ed-backref-doc")
    assert [m.get_text() for m in morales] == ["Left on the Move 2019", "Lessons 2020", "Mack 2025"]


def test_build_links_exactly_what_edition_check_finds(data, registry, corpus):
    """The build and the validator share one matcher: same mentions, entity by entity."""
    mentions, _ = corpus_mentions(registry, corpus)
    expected = {eid: Counter((b.anchor, m.text) for b, m in hits) for eid, hits in mentions.items()}
    built = {e["id"]: Counter(m["anchor"] for m in e["mentions"]) for e in data["entities"] if e["mentions"]}
    assert built == {eid: Counter(anchor for (anchor, _), n in c.items() for _ in range(n)) for eid, c in expected.items()}
    assert data["counts"]["mentions"] == sum(len(v) for v in mentions.values())


def test_json_export(data, registry):
    assert [e["id"] for e in data["entities"]] == [e.id for kind in KINDS for e in registry.by_kind(kind)]
    paz = next(e for e in data["entities"] if e["id"] == "paz-estenssoro-victor")
    assert paz["url"] == "glossary.html#paz-estenssoro-victor"
    assert {"text": "Paz", "documents": [FRUS, "kirkland-1998"]} in paz["aliases"]
    first = paz["mentions"][0]
    assert first == {"document": FRUS, "anchor": f"{FRUS}-p1", "label": "¶ 1", "id": f"{FRUS}-p1-paz-estenssoro-victor", "url": f"documents/{FRUS}.html#{FRUS}-p1-paz-estenssoro-victor"}
    assert data["counts"]["person"] == len(registry.by_kind("person"))


def test_objects_inv_holds_the_entities(built_html, registry):
    from sphinx.util.inventory import InventoryFile

    with open(built_html / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org/edition", lambda base, uri: f"{base}/{uri}")
    entities = inventory.data["ed:entity"] if hasattr(inventory, "data") else inventory["ed:entity"]
    assert set(entities) == set(registry.entities)
    item = entities["barrientos-rene"]
    uri = item.uri if hasattr(item, "uri") else item[2]
    assert uri == "https://example.org/edition/glossary.html#barrientos-rene"


def test_mentions_make_index_entries_for_the_printed_index(built_html):
    index = soup(built_html / "genindex.html")
    entry = index.find(string="Barrientos Ortuño, René")
    assert entry is not None
    links = entry.find_parent("li").find_all("a")
    assert any(a["href"] == "documents/kirkland-1998.html#kirkland-1998-p1-barrientos-rene" for a in links)


def test_block_labels():
    assert block_label("mack-2025-p13") == "¶ 13"
    assert block_label(f"{FRUS}-n3") == "n. 3"
    assert block_label("mack-2025-fig1") == "fig. 1"
    assert block_label("mack-2025-byline") == "byline"
