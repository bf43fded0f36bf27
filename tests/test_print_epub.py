"""The EPUB edition: valid, and carrying every text, note and paragraph number.

One session-scoped build makes the EPUB exactly as ``make epub`` does.  EPUBCheck (the
Debian package ``epubcheck``, a Java program) validates it when installed; the content
tests read the book as what it is, a zip of XHTML files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from textmatch import edition_marks, missing_paragraphs

ROOT = Path(__file__).resolve().parent.parent
EPUB_NAME = "bolivia-coups-edition.epub"
pytestmark = pytest.mark.build


@pytest.fixture(scope="session")
def built_epub(tmp_path_factory) -> Path:
    """Build the EPUB once, as ``make epub`` does; fail on any warning."""
    out = tmp_path_factory.mktemp("epub")
    doctrees = tmp_path_factory.mktemp("doctrees-epub")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "epub", "-d", str(doctrees), "-c", str(ROOT), str(ROOT / "docs"), str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, f"EPUB build failed:\n{result.stdout}\n{result.stderr}"
    assert result.stderr.strip() == "", f"EPUB build printed warnings:\n{result.stderr}"
    return out / EPUB_NAME


@pytest.fixture(scope="session")
def epub_pages(built_epub) -> dict[str, BeautifulSoup]:
    with zipfile.ZipFile(built_epub) as book:
        return {name: BeautifulSoup(book.read(name), "html.parser") for name in book.namelist() if name.endswith(".xhtml")}


#: The edition's marks in a text: paragraph numbers, note marks of the original and of the
#: edition, the chronology's dated markers.  None of them is a word of the source.
EDITION_MARKS = ".ed-pnum, a.footnote-reference, .ed-enote-ref, .ed-event-marker"


def reading_text(element) -> str:
    """The text of an element as a reader reads it: the edition's marks left out, and the
    inline elements (glossary links inside "Communist-led") not split into separate words."""
    element = BeautifulSoup(str(element), "html.parser")
    for mark in element.select(EDITION_MARKS):
        mark.replace_with(" ")
    return element.get_text("")


def epubcheck_command() -> list[str] | None:
    """How to run EPUBCheck here: Debian installs the jar itself as /usr/bin/epubcheck."""
    found = shutil.which("epubcheck")
    if found is None:
        return None
    if Path(found).resolve().suffix == ".jar":
        return [shutil.which("java") or "java", "-jar", str(Path(found).resolve())]
    return [found]


def test_epubcheck_finds_no_problem(built_epub):
    command = epubcheck_command()
    if command is None:
        if os.environ.get("EDITION_REQUIRE_PRINT"):
            pytest.fail("epubcheck is not installed; EDITION_REQUIRE_PRINT is set")
        pytest.skip("epubcheck is not installed (Debian package epubcheck); the content tests below still read the EPUB")
    result = subprocess.run([*command, str(built_epub)], capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert re.search(r"0 fatals / 0 errors / 0 warnings", report), report


def test_every_paragraph_of_every_document_is_in_the_epub(epub_pages, corpus):
    for doc_id in corpus.documents:
        page = epub_pages[f"documents/{doc_id}.xhtml"]
        paragraphs = [(p.anchor, p.text) for p in corpus.paragraphs_of(doc_id)]
        assert missing_paragraphs(reading_text(page), paragraphs, edition_marks(corpus)) == [], doc_id
        for p in corpus.paragraphs_of(doc_id):
            element = page.find(id=p.anchor)
            assert element is not None, p.anchor
            assert element.find(class_="ed-pnum").get_text(strip=True) == str(p.number), p.anchor


def test_the_notes_of_the_original_are_in_the_epub(epub_pages, corpus):
    for doc_id, conversion in corpus.conversions.items():
        page = epub_pages[f"documents/{doc_id}.xhtml"]
        for number, note in conversion.notes.items():
            element = page.find(id=f"{doc_id}-n{number}")
            assert element is not None, f"{doc_id}-n{number}"
            assert missing_paragraphs(reading_text(element), [(f"{doc_id}-n{number}", note.text)], edition_marks(corpus)) == []


def test_contents_and_apparatus_of_the_epub(epub_pages, corpus):
    nav = epub_pages["nav.xhtml"].get_text(" ")
    for doc in corpus.documents.values():
        assert doc.meta["title"].lower() in nav.lower(), doc.meta["title"]
    for page in ("principles.xhtml", "bibliography.xhtml", "genindex.xhtml"):
        assert page in epub_pages
    for apparatus in ("glossary", "chronology", "archives"):
        if (ROOT / "docs" / f"{apparatus}.md").exists():
            assert f"{apparatus}.xhtml" in epub_pages
    assert not any(name.startswith("print/") for name in epub_pages), "the PDF's root pages are not part of the EPUB"


def test_epub_styles_paragraph_numbers_and_notes_for_reading_systems(built_epub, epub_pages):
    """The EPUB's own stylesheet is in the book and linked from every document page."""
    with zipfile.ZipFile(built_epub) as book:
        assert "_static/edition-epub.css" in book.namelist()
    for name, page in epub_pages.items():
        if name.startswith("documents/"):
            assert page.find("link", href=re.compile(r"edition-epub\.css$")), name


def test_epub_notes_are_pop_up_footnotes(epub_pages):
    """Every note of the original and every editorial note is an ``aside epub:type="footnote"``
    and every reference to one an ``a epub:type="noteref"`` (what Apple Books and Kobo need)."""
    notes = refs = 0
    for name, soup in epub_pages.items():
        for note in soup.select("aside.footnote, aside.ed-enote"):
            assert note.get("epub:type") == "footnote", (name, note.get("id"))
            notes += 1
        for ref in soup.select("a.footnote-reference, .ed-enote-ref a"):
            assert ref.get("epub:type") == "noteref", (name, ref.get("href"))
            refs += 1
        targets = {a["href"].lstrip("#") for a in soup.select('a[epub\\:type="noteref"]') if a["href"].startswith("#")}
        assert targets <= {n.get("id") for n in soup.find_all("aside")}, name
    assert notes > 0 and refs > 0


def test_epub_language_contributors_accessibility_and_index(built_epub, epub_pages, corpus):
    for name, soup in epub_pages.items():
        root = soup.find("html")
        assert root.get("lang") == "en" and root.get("xml:lang") == "en", name
    with zipfile.ZipFile(built_epub) as book:
        opf = book.read("content.opf").decode("utf-8")
        nav = book.read("nav.xhtml").decode("utf-8")
    assert "<dc:contributor>unknown</dc:contributor>" not in opf
    for doc in corpus.documents.values():
        for name in doc.author_names():
            assert f"<dc:contributor>{name}</dc:contributor>" in opf
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature", "schema:accessibilityHazard", "schema:accessibilitySummary"):
        assert f'<meta property="{prop}">' in opf
    assert 'href="genindex.xhtml"' in nav
