"""What a reader sees: the FRUS notes structured and linked, the archival register, the
editorial notes at their quotes, in the real build (and in a scratch project for a new
FRUS-style source and for bad annotations)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project
from scholarly_edition.archives import build_register, iter_units, load_registry, parse_corpus_notes
from scholarly_edition.notes import load_notes

FRUS = "frus-1964-68-v31-d151"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def note_reading_text(paragraph) -> str:
    """The note as printed: without this edition's insertions (bracketed, lettered)."""
    copy = BeautifulSoup(str(paragraph), "html.parser")
    for extra in copy.select(".ed-editorial, sup.ed-enote-ref"):
        extra.decompose()
    return copy.get_text()


def test_frus_page_shows_five_structured_notes_verbatim(built_html, corpus):
    page = soup(built_html / "documents" / f"{FRUS}.html")
    notes = corpus.conversions[FRUS].notes
    assert sorted(notes) == [1, 2, 3, 4, 5]
    for number, block in notes.items():
        aside = page.find("aside", id=f"{FRUS}-n{number}")
        assert aside is not None and "ed-source-note" in aside["class"]
        first = aside.find("p")
        assert note_reading_text(first) == block.text  # every character of the note, nothing else
        links = [a["href"] for a in aside.select("a.reference.internal") if "archives.html#" in a["href"]]
        assert links, f"note {number} has no link to the archival register"
    note1 = page.find("aside", id=f"{FRUS}-n1")
    assert note1.select_one(".ed-note-classification").get_text() == "Secret; Priority."
    assert "Drafted by William L.S. Williams" in note1.select_one(".ed-note-drafting").get_text()
    assert note1.select_one(".ed-note-source a")["href"].endswith("archives.html#nara-rg59-cf-1964-66-pol-23-9-bol")
    note3 = page.find("aside", id=f"{FRUS}-n3")
    expansions = [e.get_text() for e in note3.select(".ed-ibid-expansion")]
    assert expansions == [
        " [ibid. = National Archives and Records Administration, RG 59, Central Files 1964–66, POL 15 BOL]",
        " [Ibid. = National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 BOL]",
    ]
    assert [d.get_text() for d in note3.select(".ed-docref")] == ["telegram 496 from La Paz"]
    assert [d.get_text() for d in note3.select(".ed-docdesc")] == ["Memorandum of conversation"]
    note5 = page.find("aside", id=f"{FRUS}-n5")
    assert [d.get_text() for d in note5.select(".ed-docref")] == ["Telegram 267 to La Paz"]
    note2 = page.find("aside", id=f"{FRUS}-n2")
    assert "item: Internal Defense Plan" in note2.select_one(".ed-note-apparatus").get_text()


def test_register_lists_every_unit_with_back_links(built_html, corpus, root):
    page = soup(built_html / "archives.html")
    frus = soup(built_html / "documents" / f"{FRUS}.html")
    registry = load_registry(root).registry
    parsed, _ = parse_corpus_notes(corpus, registry)
    units = list(iter_units(build_register(registry, parsed)))
    assert {u.id for u in units} >= {"nara", "nara-rg59", "nara-rg59-cf-1964-66", "nara-rg59-cf-1964-66-pol-23-9-bol",
                                     "nara-rg59-cf-1964-66-pol-15-bol", "nara-rg59-ara-lot-70d443", "lbj-library-nsf-country"}
    for unit in units:
        element = page.find(id=unit.id)
        assert element is not None, unit.id
        for doc_id, number, _item in unit.citations:
            anchor = f"{doc_id}-n{number}"
            hrefs = [a["href"] for a in element.find_all("a")]
            assert f"documents/{doc_id}.html#{anchor}" in hrefs, (unit.id, anchor)
            assert anchor in element.get_text()
            assert soup(built_html / "documents" / f"{doc_id}.html").find(id=anchor) is not None
    # Every register link in the notes lands on an entry of the register.
    for a in frus.select("aside.ed-source-note a[href*='archives.html#']"):
        assert page.find(id=a["href"].split("#", 1)[1]) is not None, a["href"]
    pol15 = page.find(id="nara-rg59-cf-1964-66-pol-15-bol").get_text()
    assert "note 3" in pol15 and "note 5" in pol15


def test_editorial_notes_are_lettered_and_placed_after_their_quotes(built_html, corpus):
    loaded = load_notes(corpus)
    for doc_id, notes in loaded.notes.items():
        page = soup(built_html / "documents" / f"{doc_id}.html")
        section = page.select_one("section.ed-editorial-notes")
        assert section.select_one(".ed-enotes-heading").get_text() == "Editor's notes"
        letters = [a.select_one(".ed-enote-label").get_text() for a in section.select("aside.ed-enote")]
        assert len(letters) == len(notes)
        assert letters == [chr(ord("a") + i) for i in range(len(letters))]
        for note in notes:
            aside = page.find("aside", id=note.html_id)
            assert aside is not None and note.quote in aside.get_text()
            mark = page.find("sup", id=f"{note.html_id}-ref")
            assert mark is not None and mark.a["href"] == f"#{note.html_id}"
            host = page.find(id=note.anchor)
            assert mark in host.find_all("sup"), f"{note.id}: mark not in {note.anchor}"
            before = ""
            for piece in host.descendants:
                if piece is mark:
                    break
                if isinstance(piece, str) and not piece.find_parent(class_=["ed-pnum", "footnote-reference", "ed-enote-ref", "ed-editorial"]):
                    before += piece
            assert before.endswith(note.quote), (note.id, before[-60:])


def test_footcite_works_inside_editorial_notes(built_html):
    page = soup(built_html / "documents" / "kirkland-1998.html")
    aside = page.find("aside", id="kirkland-1998-ed-robert-alexander")
    ref = aside.select_one("a.footnote-reference")
    target = page.find(id=ref["href"].lstrip("#"))
    assert "The Bolivian National Revolution" in target.get_text()
    bibliography = soup(built_html / "bibliography.html").get_text()
    assert "Works the sources cite" in bibliography and "The Hovering Giant" in bibliography


def test_objects_are_citable(built_html):
    from sphinx.util.inventory import InventoryFile

    with open(built_html / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    assert f"{FRUS}-n3" in inventory["ed:source-note"]
    assert "nara-rg59-cf-1964-66-pol-23-9-bol" in inventory["ed:archival-unit"]
    assert "mack-2025-ed-us-embassy-slip" in inventory["ed:editorial-note"]


def test_committed_pages_match_the_converter(root):
    result = subprocess.run([sys.executable, "-m", "scholarly_edition", "convert", "--check", "--root", str(root)], capture_output=True, text=True, env={"PYTHONPATH": str(root / "ext"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr


NEW_SOURCE = """177. Action Memorandum From William G. Bowdler of the National Security Council Staff to President Johnson1

The Bolivian Embassy has delivered to State a long letter (Tab B)2 from President Barrientos thanking you for the invitation to the Ranch and discussing issues he did not have time to take up with you while there.

I recommend you sign the letter.3

  1. Source: Johnson Library, National Security File, Special Heads of State Correspondence, Bolivia, March 1, 1968. Confidential.
  2. A Department of State translation is attached but not printed. The Barrientos letter, July 8, was sent from New York. (Ibid.)
  3. In a telephone conversation with President Johnson on June 5, McNamara stated that he was “worried” about a blowup in Bolivia. (Ibid., Recordings and Transcripts, Recording of telephone conversation between President Johnson and McNamara, Alpha Series, June 5, 1965, 4:50 p.m., Tape 6506.01, PNO 4) See Document 157.
"""


def _add_new_source(project: Path) -> None:
    """A FRUS-style document assembled from real notes of FRUS 1964–68, XXXI (docs. 157, 177)."""
    meta = (project / "sources" / f"{FRUS}.yaml").read_text("utf-8")
    meta = meta.replace(f"id: {FRUS}", "id: frus-1964-68-v31-d177").replace("seed: 003_96496fcafcc4f315.txt\n", "")
    meta = re.sub(r"(?m)^title: .*$", "title: Action Memorandum From William G. Bowdler of the National Security Council Staff to President Johnson", meta)
    meta = re.sub(r"(?m)^short_title: .*$", "short_title: FRUS 1964–68, XXXI, doc. 177", meta)
    meta = meta.replace('number: "151"', 'number: "177"').replace("/d151", "/d177").replace("bibkey: frus1964v31d151", "bibkey: frus1964v31d177")
    meta = re.sub(r"(?m)^  title: .*$", "  title: 177. Action Memorandum From William G. Bowdler of the National Security Council Staff to President Johnson1", meta)
    meta = meta.replace("  page_breaks: true\n", "")
    (project / "sources" / "frus-1964-68-v31-d177.yaml").write_text(meta, "utf-8")
    (project / "sources" / "frus-1964-68-v31-d177.txt").write_text(NEW_SOURCE, "utf-8")
    bib = project / "docs" / "references.bib"
    bib.write_text(bib.read_text("utf-8") + "\n@misc{frus1964v31d177,\n  title = {{Action Memorandum From William G. Bowdler}},\n  year = {2004}\n}\n", "utf-8")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text("utf-8").replace(f"documents/{FRUS}\n", f"documents/{FRUS}\ndocuments/frus-1964-68-v31-d177\n"), "utf-8")


@pytest.mark.build
def test_new_frus_source_gets_structured_notes_and_bad_annotations_are_reported(tmp_path):
    project = copy_project(tmp_path)
    _add_new_source(project)
    env = {"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin"}
    converted = subprocess.run([sys.executable, "-m", "scholarly_edition", "convert", "--root", str(project)], capture_output=True, text=True, env=env)
    assert converted.returncode == 0, converted.stderr
    # Every document's own date is an event of the chronology.
    with open(project / "docs" / "annotations" / "events" / "documents.yaml", "a", encoding="utf-8") as events:
        events.write(
            "  - id: 1964-11-04-frus-d177\n    date: \"1964-11-04\"\n    kind: document\n"
            "    document: frus-1964-68-v31-d177\n    title: A second FRUS-style test document\n"
            "    attested_by:\n      - frus-1964-68-v31-d177-p1\n"
        )
    # A broken editorial note: its quote is not in the paragraph.
    notes = project / "docs" / "annotations" / "notes" / "mack-2025.yaml"
    notes.write_text(notes.read_text("utf-8").replace('quote: "on November 5, 1964"', 'quote: "on November 6, 1964"'), "utf-8")
    out = tmp_path / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", "-c", str(project), str(project / "docs"), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # (the anchor registry adds its own consequence: the unplaced note's published anchor is gone)
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line and "[edition.anchor]" not in line]
    assert len(warnings) == 1, warnings
    assert "docs/annotations/notes/mack-2025.yaml:" in warnings[0] and "'on November 6, 1964'" in warnings[0] and "is not in mack-2025-p7" in warnings[0]

    page = soup(out / "documents" / "frus-1964-68-v31-d177.html")
    n1 = page.find("aside", id="frus-1964-68-v31-d177-n1")
    assert n1.select_one(".ed-note-classification").get_text() == "Confidential."
    assert n1.select_one(".ed-note-source a")["href"].endswith("archives.html#lbj-library-nsf-special-heads-of-state-correspondence-bolivia-march-1-1968")
    n2 = page.find("aside", id="frus-1964-68-v31-d177-n2")
    assert n2.select_one(".ed-ibid-expansion").get_text() == " [Ibid. = Johnson Library, National Security File, Special Heads of State Correspondence, Bolivia, March 1, 1968]"
    n3 = page.find("aside", id="frus-1964-68-v31-d177-n3")
    assert n3.select_one("a.ed-docref-frus")["href"] == "https://history.state.gov/historicaldocuments/frus1964-68v31/d157"
    assert "Recordings and Transcripts" in n3.select_one(".ed-note-apparatus").get_text()
    register = soup(out / "archives.html")
    unit = register.find(id="lbj-library-nsf-special-heads-of-state-correspondence-bolivia-march-1-1968")
    hrefs = [a["href"] for a in unit.find_all("a")]
    assert "documents/frus-1964-68-v31-d177.html#frus-1964-68-v31-d177-n1" in hrefs
    assert "documents/frus-1964-68-v31-d177.html#frus-1964-68-v31-d177-n2" in hrefs


@pytest.mark.build
def test_pdf_source_keeps_both_kinds_of_notes_as_footnotes(tmp_path, root, corpus):
    """LaTeX: source notes stay numbered footnotes, editorial notes become lettered ones."""
    out = tmp_path / "latex"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-q", "-b", "latex", "-c", str(root), str(root / "docs"), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    tex = next(out.glob("*.tex")).read_text("utf-8")
    for number in range(1, 6):
        # Note 1 sits on the telegram's title: LaTeX sets its text with footnotetext.
        assert f"\\begin{{footnote}}[{number}]" in tex or f"\\begin{{footnotetext}}[{number}]" in tex
    loaded = load_notes(corpus)
    every = [n for notes in loaded.notes.values() for n in notes]
    in_source_notes = [n for n in every if re.search(r"-n\d+$", n.anchor)]
    footnotes = re.findall(r"\\renewcommand\{\\thefootnote\}\{\\textit\{([a-z]+)\}\}\\footnote\{\\textit\{Editor's note\.\}", tex)
    assert len(footnotes) == len(every) - len(in_source_notes)
    # A note on one of the original's notes cannot be a footnote inside a footnote: it is bracketed.
    assert len(re.findall(r"\{\[\}Editor(?:'|\\textquotesingle\{\})s note ", tex)) == len(in_source_notes)


@pytest.mark.build
def test_incremental_build_follows_note_and_registry_edits(tmp_path):
    """Edit an editorial note and a registry name, rebuild without -E: the pages change."""
    project = copy_project(tmp_path)
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(doctrees), "-c", str(project), str(project / "docs"), str(out)]
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
    notes = project / "docs" / "annotations" / "notes" / "mack-2025.yaml"
    notes.write_text(notes.read_text("utf-8").replace("A likely slip, not a certainty.", "A likely slip (edited), not a certainty."), "utf-8")
    registry = project / "docs" / "annotations" / "archives" / "nara.yaml"
    registry.write_text(registry.read_text("utf-8").replace("name: General Records of the Department of State", "name: General Records of the Department of State (edited)"), "utf-8")
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "A likely slip (edited)" in (out / "documents" / "mack-2025.html").read_text("utf-8")
    assert "General Records of the Department of State (edited)" in (out / "archives.html").read_text("utf-8")
    assert "General Records of the Department of State (edited)" in (out / "documents" / f"{FRUS}.html").read_text("utf-8")
