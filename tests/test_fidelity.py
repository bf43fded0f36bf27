"""Text fidelity and anchors, read off the built HTML as a reader would see it.

For every source, the visible reading text of its page must be the source's words, all of
them, in order — except the declared omissions (which must still be on the page, inside
their marks) and the note numbers that became footnote references.  Everything the edition
adds to a page is marked as editorial and is set aside before comparing.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from scholarly_edition.convert import NOTE_MARKER
from scholarly_edition.metadata import load_all

#: Every document of the edition, whatever it holds; and those that declare omissions.
_SOURCES = load_all(ROOT / "sources", ROOT)
DOCUMENTS = sorted(doc.id for doc in _SOURCES)
WITH_OMISSIONS = sorted(doc.id for doc in _SOURCES if doc.structure.get("omissions"))

#: What the edition adds to a document page: set aside before comparing words.
EDITORIAL_SELECTORS = [
    ".ed-docheader",        # the header box with the bibliographic description
    ".ed-pnum",             # paragraph numbers in the margin
    ".ed-editorial",        # editorial marks ([image not reproduced], omission marks)
    "details.ed-omission",  # declared omissions (checked separately below)
    "a.headerlink",         # Sphinx's ¶ permalink on headings
    "a.footnote-reference", # note numbers, which were glued to words in the copy
    "aside.footnote span.label",
    "a[role=doc-backlink]",
    "sup.ed-enote-ref",     # references to this edition's notes
    "section.ed-editorial-notes",  # this edition's notes (apparatus, not text)
    "details.ed-cite",      # "Cite this document / paragraph" boxes
    "span.ed-event-marker", # dated markers linking to the chronology
    "aside.footnote[id^=footcite-]",  # works cited in this edition's notes
]

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def page(built_html, doc_id: str) -> BeautifulSoup:
    return BeautifulSoup((built_html / "documents" / f"{doc_id}.html").read_text("utf-8"), "html.parser")


BLOCK_TAGS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "aside", "section", "dt", "dd", "summary", "details", "figure", "figcaption", "br", "td", "th"]


def visible_text(element, selectors=EDITORIAL_SELECTORS) -> str:
    """Text of an element as read: editorial additions removed, blocks separated, inline
    elements joined without inventing spaces (a word split across two links stays one word)."""
    for selector in selectors:
        for found in element.select(selector):
            found.decompose()
    for block in element.find_all(BLOCK_TAGS):
        block.insert_before(" ")
        block.insert_after(" ")
    return element.get_text("")


def reading_text(soup: BeautifulSoup) -> str:
    main = soup.select_one("article[role=main]")
    assert main is not None
    return visible_text(main)


def expected_source_words(conversion) -> list[str]:
    """The source's words minus omitted spans and the digits of note markers."""
    text = conversion.document.source.text
    for block in conversion.blocks:
        if block.kind == "omission":
            text = text.replace(block.text, " ", 1)
    if conversion.document.structure.get("source_notes"):
        body, _, notes = text.partition("\n  1. ")
        body = "\n".join(NOTE_MARKER.sub("", line) for line in body.split("\n"))
        # the notes' own numbers ("  1.", "  2.") are rendered as footnote labels
        notes = re.sub(r"(?m)^\s*\d+\.\s", " ", "  1. " + notes)
        text = body + "\n" + notes
    return words(text)


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_page_shows_every_word_of_the_source_in_order(built_html, corpus, doc_id):
    conversion = corpus.conversions[doc_id]
    shown = words(reading_text(page(built_html, doc_id)))
    expected = expected_source_words(conversion)
    assert shown == expected, _first_difference(shown, expected)


def _first_difference(shown: list[str], expected: list[str]) -> str:
    for index, (a, b) in enumerate(zip(shown, expected)):
        if a != b:
            return f"first difference at word {index}: page {shown[max(0, index - 5):index + 5]} vs source {expected[max(0, index - 5):index + 5]}"
    return f"lengths differ: page {len(shown)} words, source {len(expected)} words"


@pytest.mark.parametrize("doc_id", WITH_OMISSIONS)
def test_declared_omissions_are_marked_and_still_on_the_page(built_html, corpus, doc_id):
    soup = page(built_html, doc_id)
    omissions = [b for b in corpus.conversions[doc_id].blocks if b.kind == "omission"]
    assert omissions, "these documents declare omissions"
    for block in omissions:
        element = soup.find("details", id=block.anchor)
        assert element is not None, block.anchor
        mark = element.find("summary").get_text()
        unit = "line" if block.omitted_lines == 1 else "lines"
        assert mark == f"[omitted: {block.reason}, {block.omitted_lines} {unit}]"
        kept = element.select_one(".ed-omitted").get_text(" ")
        assert words(kept) == words(block.text)


def test_every_paragraph_has_exactly_one_anchor_unique_across_the_edition(built_html, corpus):
    seen: Counter[str] = Counter()
    for doc_id in corpus.documents:
        soup = page(built_html, doc_id)
        main = soup.select_one("article[role=main]")
        numbered = main.select("p.ed-para")
        expected = [p.anchor for p in corpus.paragraphs_of(doc_id)]
        assert [p.get("id") for p in numbered] == expected
        for p in numbered:
            number = p.select_one(".ed-pnum a")
            assert number is not None and number["href"] == f"#{p['id']}"
            assert number.get_text() == p["id"].rsplit("-p", 1)[1]
        # every paragraph of the reading text is numbered: only editorial furniture is not
        for p in main.find_all("p"):
            if p.find_parent(class_=["ed-docheader", "ed-omission", "ed-image-not-reproduced", "footnote", "ed-editorial-notes", "ed-cite"]) or "ed-byline" in p.get("class", []):
                continue
            assert "ed-para" in p.get("class", []), f"{doc_id}: unnumbered paragraph {p.get_text()[:60]!r}"
        seen.update(expected)
        all_ids = [e["id"] for e in soup.find_all(id=True)]
        duplicates = [i for i, n in Counter(all_ids).items() if n > 1]
        assert not duplicates, f"{doc_id}: duplicate ids {duplicates}"
    assert all(n == 1 for n in seen.values())
    assert len(seen) == len(corpus.paragraphs) > 100


def test_frus_page_has_five_notes_at_the_right_words_and_two_page_markers(built_html):
    soup = page(built_html, "frus-1964-68-v31-d151")
    doc = "frus-1964-68-v31-d151"
    refs = soup.select("a.footnote-reference")
    assert [r["href"] for r in refs] == [f"#{doc}-n{k}" for k in range(1, 6)]
    expected_words_before = ["Posts", "named.", "force.", "order.", "government."]
    for ref, word in zip(refs, expected_words_before):
        before = ref.previous_sibling
        while before is not None and not isinstance(before, str) and "ed-enote-ref" in before.get("class", []):
            before = before.previous_sibling  # this edition's note reference may stand between
        assert isinstance(before, str) and before.endswith(word), (before, word)
    notes = soup.select("aside.footnote")
    assert [n["id"] for n in notes] == [f"{doc}-n{k}" for k in range(1, 6)]
    assert "Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 BOL." in visible_text(notes[0], [])
    markers = soup.select(".ed-page-break")
    assert [(m["id"], m.get_text()) for m in markers] == [(f"{doc}-page341", "[Page 341]"), (f"{doc}-page342", "[Page 342]")]
    assert markers[0].find_parent("p")["id"] == f"{doc}-p1"
    assert markers[1].find_parent("p")["id"] == f"{doc}-p2"


def test_header_box_describes_the_document(built_html):
    soup = page(built_html, "lotm-2019")
    header = soup.select_one(".ed-docheader").get_text(" ")
    assert "not named in the source" in header
    assert "18–26 December 2019" in header
    assert "Inferred:" in header
    assert "Left on the Move" in header
    assert "In copyright" in header
