"""Editorial notes and the archival registry as data: validation without a build.

Bad input must be named with file and line: a quote that is missing or matches twice, an
unknown note kind, an unknown archive id, a cross-reference to nothing; and the edition's
own notes must cover every kind, every known textual problem and the places where two
documents tell the same event.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import copy_project
from scholarly_edition.archives import check_archives, load_registry
from scholarly_edition.checks import CHECKS
from scholarly_edition.corpus import Corpus
from scholarly_edition.notes import KIND_LABELS, check_notes, find_quote, load_notes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def notes(corpus):
    loaded = load_notes(corpus)
    assert loaded.problems == [], [p.format() for p in loaded.problems]
    return loaded.notes


def all_notes(notes):
    return [n for doc_notes in notes.values() for n in doc_notes]


def test_checks_are_registered():
    names = [name for name, _ in CHECKS]
    assert "notes" in names and "archives" in names


def test_edition_notes_are_valid_and_numerous(notes, corpus):
    every = all_notes(notes)
    assert len(every) >= 25
    assert {n.kind for n in every} == set(KIND_LABELS)
    assert notes and set(notes) <= set(corpus.documents)  # notes files only for documents of the edition


def _note_on(notes, doc, quote):
    found = [n for n in notes.get(doc, []) if quote in n.quote]
    assert found, f"no editorial note on {quote!r} in {doc}"
    return found[0]


@pytest.mark.parametrize("doc, quote, kind", [
    ("kirkland-1998", "Blaiser", "sic"),
    ("kirkland-1998", "(2)", "explanation"),
    ("kirkland-1998", "The essay has two sections. …", "explanation"),
    ("kirkland-1998", "I hope to cast new light", "explanation"),
    ("frus-1964-68-v31-d151", "EnriqueMann", "emendation"),
    ("frus-1964-68-v31-d151", "possibly through force.", "explanation"),
    ("frus-1964-68-v31-d151", "[Page 341]", "explanation"),
    ("lotm-2019", "William Kaliman", "sic"),
    ("lotm-2019", "Antonio Pumari", "emendation"),
    ("lotm-2019", "put the presidential sash on him", "sic"),
    ("lotm-2019", "Finally, on December 18", "explanation"),
    ("mack-2025", "on November 5, 1964", "disagreement"),
    ("mack-2025", "November ninth, two thousand twenty five", "explanation"),
    ("mack-2025", "the US embassy in Washington", "sic"),
])
def test_every_known_textual_problem_has_a_note(notes, doc, quote, kind):
    assert _note_on(notes, doc, quote).kind == kind


@pytest.mark.parametrize("doc, quote, others", [
    ("frus-1964-68-v31-d151", "announced today the formation of a military junta", {"kirkland-1998-p1", "mack-2025-p7"}),
    ("kirkland-1998", "On November 4, 1964", {"frus-1964-68-v31-d151-p1", "mack-2025-p7"}),
    ("lotm-2019", "This decree, 4,078,", {"mack-2025-p31"}),
    ("mack-2025", "sign a decree allowing the police", {"lotm-2019-p34"}),
    ("lotm-2019", "The OAS detected irregularities", {"lessons-2020-p4", "mack-2025-p30"}),
    ("lessons-2020", "allegations of fraud", {"lotm-2019-p20", "mack-2025-p30"}),
    ("mack-2025", "which were alleged by the Organization of American States", {"lotm-2019-p20", "lessons-2020-p4"}),
    ("lotm-2019", "Williams Kaliman", {"lessons-2020-p7"}),
    ("lessons-2020", "Williams Kaliman", {"lotm-2019-p18"}),
    ("lessons-2020", "Interior Minister Arturo Murillo", {"mack-2025-p31", "mack-2025-p33"}),
    ("mack-2025", "Arturo Murillo", {"lessons-2020-p8"}),
])
def test_parallel_accounts_are_cross_referenced(notes, doc, quote, others):
    note = _note_on(notes, doc, quote)
    assert note.kind in ("cross-reference", "disagreement")
    assert others <= set(note.see)


def test_coup_date_note_reconciles_rather_than_picks(notes):
    note = _note_on(notes, "mack-2025", "on November 5, 1964")
    assert "does not choose" in note.text
    embassy = _note_on(notes, "mack-2025", "the US embassy in Washington")
    assert "likely slip" in embassy.text and "not a certainty" in embassy.text


def test_find_quote_is_exact():
    text = "the army and the army again"
    assert find_quote(text, "army") == [4, 17]
    assert find_quote(text, "army", prefix="the ", suffix=" again") == [17]
    assert find_quote(text, "navy") == []


# --------------------------------------------------------------------------- bad input


def _project_with_notes(tmp_path: Path, body: str, name: str = "mack-2025.yaml") -> Corpus:
    project = copy_project(tmp_path)
    notes_dir = project / "docs" / "annotations" / "notes"
    shutil.rmtree(notes_dir)
    notes_dir.mkdir()
    (notes_dir / name).write_text(body, "utf-8")
    return Corpus.load(project)


NOTE = """document: mack-2025
notes:
  - id: first
    kind: {kind}
    anchor: mack-2025-p7
    quote: "{quote}"
    text: A note.
{extra}"""


def _problems(tmp_path, **fields):
    values = {"kind": "explanation", "quote": "November 5, 1964", "extra": ""}
    values.update(fields)
    corpus = _project_with_notes(tmp_path, NOTE.format(**values))
    return check_notes(corpus)


def test_missing_quote_is_an_error_with_file_and_line(tmp_path):
    [problem] = _problems(tmp_path, quote="November 6, 1964")
    assert problem.path == "docs/annotations/notes/mack-2025.yaml" and problem.line == 6
    assert "is not in mack-2025-p7" in problem.message


def test_ambiguous_quote_is_an_error_with_file_and_line(tmp_path):
    corpus = _project_with_notes(tmp_path, NOTE.format(kind="explanation", quote="Israel", extra="").replace("mack-2025-p7", "mack-2025-p1"))
    [problem] = check_notes(corpus)
    assert (problem.path, problem.line) == ("docs/annotations/notes/mack-2025.yaml", 6)
    assert "occurs" in problem.message and "times" in problem.message
    assert "prefix or suffix" in problem.hint


def test_prefix_and_suffix_disambiguate(tmp_path):
    body = NOTE.format(kind="explanation", quote="Israel", extra="").replace("mack-2025-p7", "mack-2025-p1").replace('text: A note.', 'prefix: "On October 20, "\n    suffix: "’s foreign minister"\n    text: A note.')
    assert check_notes(_project_with_notes(tmp_path, body)) == []


def test_unknown_note_kind_is_an_error_with_file_and_line(tmp_path):
    [problem] = _problems(tmp_path, kind="gloss")
    assert problem.line == 4 and "'gloss' is not one of the allowed values" in problem.message
    assert "disagreement" in problem.hint


def test_sic_needs_a_correction(tmp_path):
    [problem] = _problems(tmp_path, kind="sic")
    assert "correction" in problem.message


def test_unknown_archive_id_is_an_error_with_file_and_line(tmp_path):
    [problem] = _problems(tmp_path, extra="    archives: [nara-rg99]\n")
    assert problem.line == 8 and "unknown archive id 'nara-rg99'" in problem.message


def test_unknown_cross_reference_is_an_error(tmp_path):
    [problem] = _problems(tmp_path, kind="cross-reference", extra="    see: [mack-2025-p99]\n")
    assert problem.line == 8 and "unknown anchor 'mack-2025-p99'" in problem.message


def test_unknown_paragraph_anchor_is_an_error(tmp_path):
    corpus = _project_with_notes(tmp_path, NOTE.format(kind="explanation", quote="x", extra="").replace("mack-2025-p7", "mack-2025-p99"))
    [problem] = check_notes(corpus)
    assert problem.line == 5 and "mack-2025-p99" in problem.message


def test_registry_unknown_parent_is_an_error_with_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    path = project / "docs" / "annotations" / "archives" / "extra.yaml"
    path.write_text("id: nara-rg84\nlevel: collection\nparent: narra\nname: Records of Foreign Service Posts\nforms: [RG 84]\n", "utf-8")
    [problem] = load_registry(project).problems
    assert (problem.path, problem.line) == ("docs/annotations/archives/extra.yaml", 3)
    assert "unknown archive id 'narra'" in problem.message


def test_registry_schema_and_duplicates(tmp_path):
    project = copy_project(tmp_path)
    archives = project / "docs" / "annotations" / "archives"
    (archives / "dup.yaml").write_text("id: nara\nlevel: repository\nname: Again\nforms: [Again]\n", "utf-8")
    (archives / "bad.yaml").write_text("id: x\nlevel: shelf\nname: X\nforms: [X]\n", "utf-8")
    problems = {p.path.rsplit("/", 1)[-1]: p for p in load_registry(project).problems}
    assert problems["bad.yaml"].line == 2 and "'shelf' is not one of the allowed values" in problems["bad.yaml"].message
    # Files are read in name order: the second definition of 'nara' is reported, naming the first.
    assert problems["nara.yaml"].line == 3
    assert "archive id 'nara' is already defined in docs/annotations/archives/dup.yaml:1" in problems["nara.yaml"].message


def test_unparseable_source_note_is_a_warning_with_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    source = project / "sources" / "frus-1964-68-v31-d151.txt"
    text = source.read_text("utf-8").replace("(Johnson Library, National Security File,", "(Hoover Institution Archives, Lovestone Papers,")
    source.write_text(text, "utf-8")
    problems = check_archives(Corpus.load(project))
    [problem] = problems
    assert problem.severity == "warning" and problem.path == "sources/frus-1964-68-v31-d151.txt"
    assert text.split("\n")[problem.line - 1].lstrip().startswith("4. Two separate reports")
    assert "“Hoover Institution Archives, Lovestone Papers, Country File, Bolivia, Vol. II, Memoranda, July–November 1964”" in problem.message


def test_ibid_with_nothing_before_it_is_an_error_with_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    source = project / "sources" / "frus-1964-68-v31-d151.txt"
    text = source.read_text("utf-8").replace("(National Archives and Records Administration, RG 59, ARA Files: Lot 70 D 443, Political Affairs and Relations, 1964, POL 23, Internal Defense Plan)", "(Ibid.)")
    text = text.replace("Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 BOL. Secret", "Source: Ibid. Secret")
    source.write_text(text, "utf-8")
    problems = check_archives(Corpus.load(project))
    errors = [p for p in problems if p.severity == "error"]
    assert errors and errors[0].path == "sources/frus-1964-68-v31-d151.txt"
    assert text.split("\n")[errors[0].line - 1].lstrip().startswith("1. Source: Ibid.")
    assert "no earlier reference" in errors[0].message
