"""The scaffold reads the text; ``edition check`` notices structure the metadata does not declare.

Texts here are written for the tests and describe nothing real.
"""

from __future__ import annotations

import re

import yaml

from conftest import copy_project
from scholarly_edition.checks import run_all
from scholarly_edition.convert import NOTE_MARKER
from scholarly_edition.corpus import Corpus
from scholarly_edition.structure_detect import detect, looks_like_source_notes

FRUS_LIKE = """\
7. Letter From the Keeper of the Example Register to the Clerk1

The register was closed at noon.2 The clerk will open it again tomorrow. [Page 12] Nothing else was recorded.

  1. Source: Example Archive, Example Papers. A text written for a test.
  2. The hour is as the register gives it.
"""


def test_source_notes_page_breaks_and_frus_fields_are_detected():
    found = detect(FRUS_LIKE, "frus-1901-02-v3-d7")
    assert found.structure["source_notes"] is True and found.structure["page_breaks"] is True
    assert found.structure["title"] == "7. Letter From the Keeper of the Example Register to the Clerk1"
    assert found.metadata["short_title"] == "FRUS 1901–02, III, doc. 7"
    assert found.metadata["container"] == "Foreign Relations of the United States, 1901–1902, Volume III"
    assert found.metadata["title"] == "Letter From the Keeper of the Example Register to the Clerk"
    why = " ".join(f.why for f in found.findings)
    assert "the text ends with 2 numbered line(s)" in why and "glued to words" in why


def test_a_numbered_list_at_the_end_is_not_taken_for_notes():
    text = "A Title\n\nThree things matter in a garden.\n\n1. Water the beds.\n2. Weed them.\n"
    assert looks_like_source_notes(text) == ([], [])
    assert "source_notes" not in detect(text).structure


def test_a_missing_note_is_reported_by_the_scaffold():
    text = FRUS_LIKE.replace("noon.2", "noon.")
    found = detect(text, "frus-1901-02-v3-d7")
    assert found.missing_notes == [(2, 6)]
    assert any("note 2 has no number in the text" in f.what for f in found.findings)


def test_check_warns_when_notes_or_page_marks_are_not_declared(tmp_path):
    project = copy_project(tmp_path)
    corpus = Corpus.load(project)
    doc = next((d for d in corpus.documents.values() if d.structure.get("source_notes") and d.structure.get("page_breaks")), None)
    assert doc is not None, "the edition has a document with source notes and page breaks"
    meta_path = project / "sources" / f"{doc.id}.yaml"
    meta = yaml.safe_load(meta_path.read_text("utf-8"))
    meta["structure"].pop("source_notes")
    meta["structure"].pop("page_breaks")
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), "utf-8")
    problems = run_all(Corpus.load(project))
    mine = [p for p in problems if p.path == f"sources/{doc.id}.txt" and p.severity == "warning"]
    text_lines = (project / "sources" / f"{doc.id}.txt").read_text("utf-8").splitlines()
    notes = [p for p in mine if "does not declare source notes" in p.message]
    pages = [p for p in mine if "does not declare page breaks" in p.message]
    assert len(notes) == 1 and re.match(r"\s*1\.\s", text_lines[notes[0].line - 1])
    assert "add 'source_notes: true' under 'structure:'" in notes[0].hint
    assert len(pages) == 1 and "[Page" in text_lines[pages[0].line - 1]


def test_every_document_has_a_summary(corpus):
    from scholarly_edition.structure_detect import check_undeclared_structure

    assert [p.format() for p in check_undeclared_structure(corpus)] == []


def test_note_markers_are_what_the_converter_reads():
    # detection and conversion share one definition of a glued note number
    assert [m.group(1) for m in NOTE_MARKER.finditer("to the Clerk1 at noon.2 in 1964 and POL 23–9")] == ["1", "2"]
