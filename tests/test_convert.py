"""The converter: structure, note markers versus real numbers, page markers, omissions,
normalisations, determinism, ``--check``, and every kind of bad input."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from scholarly_edition.cli import main as cli_main
from scholarly_edition.convert import NOTE_MARKER, convert, escape_inline
from scholarly_edition.errors import EditionError
from scholarly_edition.metadata import load_source

BASE_META = """\
id: {id}
title: A Test Document
short_title: Test 2020
authors: not named in the source
outlet: Test Outlet
genre: journalism
language: en
date:
  edtf: "2020-01-02"
rights: Public domain.
bibkey: test2020
structure:
{structure}
"""


def make_source(tmp_path: Path, text: str | bytes, structure: str, doc_id: str = "test-doc", meta: str | None = None) -> Path:
    """Write sources/<id>.txt and sources/<id>.yaml into a scratch project; return the yaml path."""
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (tmp_path / "conf.py").write_text("")
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (sources / f"{doc_id}.txt").write_bytes(data)
    body = meta if meta is not None else BASE_META.format(id=doc_id, structure=textwrap.indent(textwrap.dedent(structure), "  "))
    (sources / f"{doc_id}.yaml").write_text(body, encoding="utf-8")
    return sources / f"{doc_id}.yaml"


def run_convert(tmp_path: Path, text, structure: str, **kwargs):
    meta_path = make_source(tmp_path, text, structure, **kwargs)
    return convert(load_source(meta_path, tmp_path), tmp_path)


def problems_of(excinfo) -> list[str]:
    return [p.format() for p in excinfo.value.problems]


FRUS_LIKE = (
    "12. Telegram From Somewhere1\n\n"
    "836. Subject: Bolivia. Lot 70 D 443 and POL 23–9 BOL in 1964–66, RG 59. General [Page 341] Ovando has not been named.2 "
    "He may act, possibly through force.3\n\n"
    "  1. Source: National Archives, RG 59, Central Files 1964–66, POL 23–9 BOL. Secret.\n"
    "  2. A note about 1964.\n"
    "  3. Another note.\n"
)
FRUS_STRUCTURE = """\
title: 12. Telegram From Somewhere1
source_notes: true
page_breaks: true
"""


# --- note markers versus real numbers ---------------------------------------------------

@pytest.mark.parametrize(
    "text, markers",
    [
        ("All American Republic Posts1", ["1"]),
        ("full junta has not been named.2 General", ["2"]),
        ("possibly through force.3 There", ["3"]),
        ("836. Subject: Bolivia.", []),
        ("Central Files 1964–66, POL 23–9 BOL", []),
        ("ARA Files: Lot 70 D 443, Political Affairs", []),
        ("RG 59, and 1964. Then", []),
        ("“his government.”4", ["4"]),
    ],
)
def test_note_marker_pattern_tells_markers_from_real_numbers(text, markers):
    assert [m.group(1) for m in NOTE_MARKER.finditer(text)] == markers


def test_frus_style_notes_become_footnotes_at_exactly_those_words(tmp_path):
    result = run_convert(tmp_path, FRUS_LIKE, FRUS_STRUCTURE)
    md = result.markdown
    assert "# 12\\. Telegram From Somewhere[^test-doc-n1]" in md
    assert "has not been named.[^test-doc-n2] He" in md
    assert "through force.[^test-doc-n3]" in md
    # real numbers are untouched
    assert "836\\. Subject" in md and "Lot 70 D 443" in md and "POL 23–9 BOL in 1964–66, RG 59" in md
    assert "[^test-doc-n1]: Source: National Archives, RG 59, Central Files 1964–66, POL 23–9 BOL. Secret." in md
    assert sorted(result.notes) == [1, 2, 3]


def test_page_breaks_become_linkable_markers(tmp_path):
    result = run_convert(tmp_path, FRUS_LIKE, FRUS_STRUCTURE)
    assert "General {page-break}`341` Ovando" in result.markdown


def test_note_number_without_note_is_an_error(tmp_path):
    text = FRUS_LIKE.replace("through force.3", "through force.3 More.4")
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, text, FRUS_STRUCTURE)
    messages = problems_of(excinfo)
    assert any(re.match(r"sources/test-doc\.txt:3:\d+: error: note number 4 .* has no note", m) for m in messages), messages


def test_note_without_number_in_text_is_an_error(tmp_path):
    text = FRUS_LIKE.replace("through force.3", "through force.")
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, text, FRUS_STRUCTURE)
    assert "sources/test-doc.txt:7: error: note 3 has no number in the text" in problems_of(excinfo)[0]


# --- headings, paragraphs, captions, lists -----------------------------------------------

def test_headings_paragraphs_captions_and_list_items_get_anchors_in_reading_order(tmp_path):
    text = "Title Line\nBy Someone\nFirst paragraph.\nA Heading\nSecond paragraph.\nPhoto: credit.\n• Item one\n• Item two\n"
    structure = """\
    title: Title Line
    byline: By Someone
    headings: [A Heading]
    captions: ["Photo: credit."]
    list_marker: "•"
    """
    result = run_convert(tmp_path, text, structure)
    kinds = [(b.kind, b.anchor) for b in result.blocks]
    assert kinds == [
        ("title", ""), ("byline", "test-doc-byline"), ("paragraph", "test-doc-p1"), ("heading", "test-doc-h1"),
        ("paragraph", "test-doc-p2"), ("caption", "test-doc-fig1"), ("item", "test-doc-p3"), ("item", "test-doc-p4"),
    ]
    md = result.markdown
    assert "(test-doc)=\n# Title Line" in md
    assert "(test-doc-h1)=\n## A Heading" in md
    assert "{#test-doc-p2}\nSecond paragraph." in md
    assert "- {#test-doc-p3}\n  Item one" in md
    assert "{image-not-reproduced}\n:name: test-doc-fig1\n\nPhoto: credit." in md


def test_markup_characters_are_escaped_so_the_text_renders_literally():
    assert escape_inline("1) The $1 *a* _b_ [x] <b> {y} # | ~ & % ^ \\") == (
        "1\\) The \\$1 \\*a\\* \\_b\\_ \\[x\\] \\<b\\> \\{y\\} \\# \\| \\~ \\& \\% \\^ \\\\"
    )
    assert escape_inline("- dash").startswith("\\-")
    assert escape_inline("> quote").startswith("\\>")
    assert escape_inline("836. Subject") == "836\\. Subject"


# --- omissions ----------------------------------------------------------------------------

def test_declared_omissions_are_visible_marks_that_keep_the_text(tmp_path):
    text = "Title\nKeep one.\nDonate now!\nWe need you.\nKeep two. Follow us on X.\n"
    structure = """\
    title: Title
    omissions:
      - start: Donate now!
        end: We need you.
        reason: publisher's donation appeal
      - start: Follow us on X.
        reason: promotion of a social-media account
    """
    result = run_convert(tmp_path, text, structure)
    omissions = [b for b in result.blocks if b.kind == "omission"]
    assert [(o.reason, o.omitted_lines, o.anchor) for o in omissions] == [
        ("publisher's donation appeal", 2, "test-doc-omission1"),
        ("promotion of a social-media account", 1, "test-doc-omission2"),
    ]
    md = result.markdown
    assert "{omission} publisher's donation appeal\n:name: test-doc-omission1\n:lines: 2\n:source-line: 3\n:paragraphs: 2 3\n\nDonate now!\nWe need you.\n```" in md
    assert "{#test-doc-p4}\nKeep two. \n" not in md  # trailing white space is not kept
    assert "{#test-doc-p4}\nKeep two.\n" in md
    assert [p.text for p in result.paragraphs] == ["Keep one.", "Keep two."]
    # the two whole lines omitted keep their paragraph numbers; the cut line is ¶ 4
    assert [o.kept_numbers for o in omissions] == [[2, 3], []]
    assert [p.anchor for p in result.paragraphs] == ["test-doc-p1", "test-doc-p4"]


def test_omissions_before_the_first_release_may_leave_numbers_out(tmp_path):
    text = "Title\nKeep one.\nDonate now!\nWe need you.\nKeep two.\n"
    structure = """\
    title: Title
    omissions:
      - start: Donate now!
        end: We need you.
        reason: publisher's donation appeal
        keep_numbers: false
    """
    result = run_convert(tmp_path, text, structure)
    assert [p.anchor for p in result.paragraphs] == ["test-doc-p1", "test-doc-p2"]
    assert ":paragraphs:" not in result.markdown


def test_a_newly_omitted_paragraph_keeps_its_number_and_renumbers_nothing(tmp_path):
    text = "Title\nFirst words.\nSecond words.\nThird words.\n"
    before = run_convert(tmp_path, text, "    title: Title\n")
    structure = """\
    title: Title
    omissions:
      - start: Second words.
        reason: a paragraph found to be web-page chrome
    """
    after = run_convert(tmp_path, text, structure)
    assert {p.anchor: p.text for p in before.paragraphs} == {"test-doc-p1": "First words.", "test-doc-p2": "Second words.", "test-doc-p3": "Third words."}
    assert {p.anchor: p.text for p in after.paragraphs} == {"test-doc-p1": "First words.", "test-doc-p3": "Third words."}
    assert ":name: test-doc-omission1\n:lines: 1\n:source-line: 3\n:paragraphs: 2\n" in after.markdown


def test_omission_rule_that_matches_nothing_is_an_error_at_its_line(tmp_path):
    structure = """\
    title: Title
    omissions:
      - start: Not in the text
        reason: web-page chrome
    """
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "Title\nText.\n", structure)
    assert problems_of(excinfo)[0].startswith("sources/test-doc.yaml:15: error: omission rule matches nothing")


def test_ambiguous_omission_start_needs_an_occurrence(tmp_path):
    structure = """\
    title: Title
    omissions:
      - start: Repeat
        reason: repeated header
    """
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "Title\nRepeat\nText.\nRepeat\n", structure)
    assert "occurs 2 times" in problems_of(excinfo)[0]


# --- normalisations -----------------------------------------------------------------------

def test_crlf_and_bom_are_normalised_and_declared(tmp_path):
    raw = "\ufeffTitle\r\nCafé text.\r\n".encode("utf-8")
    result = run_convert(tmp_path, raw, "title: Title\n")
    assert result.paragraphs[0].text == "Café text."
    assert result.document.source.normalisations == ["byte order mark removed", "CRLF line ends made LF"]
    assert "byte order mark removed" in result.markdown  # declared in the front matter


def test_text_is_normalised_to_nfc_and_declared(tmp_path):
    decomposed = "Title\nA\u0301n\u0303ez\n"  # Á and ñ as combining sequences
    result = run_convert(tmp_path, decomposed, "title: Title\n")
    assert result.paragraphs[0].text == "Áñez"
    assert result.document.source.normalisations == ["Unicode NFC"]


# --- bad input ----------------------------------------------------------------------------

def test_non_utf8_bytes_are_an_error_naming_the_line(tmp_path):
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, b"Title\nGood line\nBad \xe9 byte\n", "title: Title\n")
    assert problems_of(excinfo)[0].startswith("sources/test-doc.txt:3:5: error: byte 0xe9 is not valid UTF-8")


def test_empty_source_is_an_error(tmp_path):
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "\n  \n", "title: Title\n")
    assert problems_of(excinfo)[0].startswith("sources/test-doc.txt:1: error: the source text is empty")


def test_unknown_metadata_field_is_an_error_naming_it(tmp_path):
    meta = BASE_META.format(id="test-doc", structure="  title: Title") + "colour: blue\n"
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "Title\nText.\n", "", meta=meta)
    message = problems_of(excinfo)[0]
    assert message.startswith("sources/test-doc.yaml:1: error: unknown field 'colour'")
    assert "hint: allowed fields here:" in message


def test_missing_metadata_field_is_an_error(tmp_path):
    meta = BASE_META.format(id="test-doc", structure="  title: Title").replace("outlet: Test Outlet\n", "")
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "Title\nText.\n", "", meta=meta)
    assert "'outlet' is a required property" in problems_of(excinfo)[0]


def test_malformed_metadata_is_an_error_with_line_and_column(tmp_path):
    meta = BASE_META.format(id="test-doc", structure="  title: Title").replace("genre: journalism", "genre: [journalism")
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "Title\nText.\n", "", meta=meta)
    assert re.match(r"sources/test-doc\.yaml:\d+:\d+: error: YAML syntax error", problems_of(excinfo)[0])


def test_invalid_date_and_genre_are_errors_at_their_lines(tmp_path):
    meta = BASE_META.format(id="test-doc", structure="  title: Title").replace('"2020-01-02"', '"2020-13-45"').replace("journalism", "novel")
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "Title\nText.\n", "", meta=meta)
    messages = problems_of(excinfo)
    assert any(m.startswith("sources/test-doc.yaml:6: error: genre: 'novel' is not one of the allowed values") for m in messages), messages
    assert any(m.startswith("sources/test-doc.yaml:9: error: '2020-13-45' is not valid EDTF") for m in messages), messages


def test_declared_heading_missing_from_source_is_an_error(tmp_path):
    with pytest.raises(EditionError) as excinfo:
        run_convert(tmp_path, "Title\nText.\n", "title: Title\nheadings: [Nowhere]\n")
    assert "sources/test-doc.yaml:14: error: heading 'Nowhere' matches no line of the source" in problems_of(excinfo)[0]


# --- the command: idempotence, --check, no page written on error ---------------------------

def _project(tmp_path: Path) -> Path:
    make_source(tmp_path, "Title\nText one.\nText two.\n", "title: Title\n")
    return tmp_path


def test_convert_is_deterministic_and_idempotent(tmp_path, capsys):
    root = _project(tmp_path)
    assert cli_main(["convert", "--root", str(root)]) == 0
    page = root / "docs/documents/test-doc.md"
    first = page.read_bytes()
    mtime = page.stat().st_mtime_ns
    assert cli_main(["convert", "--root", str(root)]) == 0
    assert page.read_bytes() == first
    assert page.stat().st_mtime_ns == mtime, "an up-to-date page must not be rewritten"
    assert "0 page(s) written, 1 up to date" in capsys.readouterr().out


def test_check_fails_when_a_committed_page_differs(tmp_path, capsys):
    root = _project(tmp_path)
    assert cli_main(["convert", "--root", str(root)]) == 0
    assert cli_main(["convert", "--check", "--root", str(root)]) == 0
    page = root / "docs/documents/test-doc.md"
    page.write_text(page.read_text() + "\nhand edit\n")
    assert cli_main(["convert", "--check", "--root", str(root)]) == 1
    assert "docs/documents/test-doc.md: error: page differs from what conversion produces" in capsys.readouterr().err


def test_no_page_is_written_when_any_source_has_a_problem(tmp_path, capsys):
    root = _project(tmp_path)
    make_source(tmp_path, b"Title\n\xff\n", "title: Title\n", doc_id="broken-doc")
    assert cli_main(["convert", "--root", str(root)]) == 1
    assert not (root / "docs/documents").exists()
    err = capsys.readouterr().err
    assert "sources/broken-doc.txt:2:1: error: byte 0xff is not valid UTF-8" in err
    assert "nothing was written" in err


def test_committed_pages_are_up_to_date(root):
    assert cli_main(["convert", "--check", "--root", str(root)]) == 0
