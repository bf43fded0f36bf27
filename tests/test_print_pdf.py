"""The PDF edition, read back as a reader gets it.

One session-scoped build makes the PDF exactly as ``make pdf`` does (Sphinx's LaTeX
builder with ``-E -W --keep-going -n``, then latexmk with XeLaTeX and xindy).  The tests
read it with pdftotext and pypdf.  Without XeLaTeX the tests are skipped with the reason;
CI installs TeX Live and sets EDITION_REQUIRE_PRINT=1, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from textmatch import edition_marks, missing_paragraphs, words

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ext"))

from scholarly_edition.sphinxext import printing  # noqa: E402

PDF_NAME = "bolivia-coups-edition.pdf"
TEX_TOOLS = ("xelatex", "latexmk", "xindy", "pdftotext", "make")
pytestmark = pytest.mark.build


def require_tools(tools: tuple[str, ...]) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"the print edition needs {', '.join(missing)} (Debian: see README, 'Print edition')"
    if os.environ.get("EDITION_REQUIRE_PRINT"):
        pytest.fail(reason + "; EDITION_REQUIRE_PRINT is set, so this is an error")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_latex(tmp_path_factory) -> Path:
    """Build the PDF once, as ``make pdf`` does; fail on any Sphinx warning or LaTeX error."""
    require_tools(TEX_TOOLS)
    out = tmp_path_factory.mktemp("latex")
    doctrees = tmp_path_factory.mktemp("doctrees-latex")
    sphinx = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "latex", "-d", str(doctrees), "-c", str(ROOT), str(ROOT / "docs"), str(out)],
        capture_output=True, text=True,
    )
    assert sphinx.returncode == 0, f"LaTeX build failed:\n{sphinx.stdout}\n{sphinx.stderr}"
    assert sphinx.stderr.strip() == "", f"LaTeX build printed warnings:\n{sphinx.stderr}"
    latex = subprocess.run(
        ["make", "-C", str(out), "all-pdf", "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error -file-line-error"],
        capture_output=True, text=True,
    )
    assert latex.returncode == 0, f"XeLaTeX failed:\n{latex.stdout[-5000:]}\n{latex.stderr[-2000:]}"
    assert (out / PDF_NAME).exists()
    return out


@pytest.fixture(scope="session")
def pdf_text(built_latex) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(built_latex / PDF_NAME), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def pdf_pages(built_latex) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built_latex / PDF_NAME), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def print_order(root: Path) -> list[str]:
    """The documents in the order of the print root's contents: the ``edition-toctree``
    directive lists every source document in date order (a new source needs no edit)."""
    from scholarly_edition.corpus import Corpus
    from scholarly_edition.sphinxext.documents import sorted_documents

    return [doc.id for doc in sorted_documents(Corpus.load(root).documents)]


def test_print_root_lists_every_document(root, corpus):
    toctree = (root / "docs" / "print" / "edition.md").read_text(encoding="utf-8")
    assert "```{edition-toctree}" in toctree
    assert sorted(print_order(root)) == sorted(corpus.documents)
    dates = [corpus.documents[doc_id].date.sort_key for doc_id in print_order(root)]
    assert dates == sorted(dates), "the print edition orders the documents by date"


def test_every_paragraph_of_every_document_is_in_the_pdf(pdf_text, corpus, root):
    paragraphs = [(p.anchor, p.text) for doc_id in print_order(root) for p in corpus.paragraphs_of(doc_id)]
    assert len(paragraphs) == len(corpus.paragraphs)
    missing = missing_paragraphs(pdf_text, paragraphs, edition_marks(corpus))
    assert missing == [], f"{len(missing)} paragraphs not found, in order, in the PDF: {missing[:10]}"


def test_the_frus_notes_are_at_the_foot_of_their_pages(pdf_pages, corpus):
    """Each note of the original is printed whole, as a footnote: its number, then its text."""
    frus = corpus.conversions["frus-1964-68-v31-d151"]
    assert len(frus.notes) == 5
    marks = edition_marks(corpus)
    for doc_id, conversion in corpus.conversions.items():
        for number, note in conversion.notes.items():
            pages = [page for page in pdf_pages if not missing_paragraphs(page, [(f"{doc_id}-n{number}", note.text)], marks)]
            assert pages, f"note {number} of {doc_id} is not in the PDF: {note.text[:80]!r}"
            opening = r"\s+".join(re.escape(w) for w in note.text.split()[:2])
            assert re.search(rf"(^|\n){number}\s*\n\s*{opening}", pages[0]), f"note {number} of {doc_id} is not set as footnote {number}"


def test_paragraph_numbers_are_in_the_margin_in_order(pdf_text, corpus, root):
    """The margin shows ¶ 1…n for each document, in order: the numbers of the HTML anchors."""
    numbers = [int(n) for n in re.findall(r"^¶\s?(\d+)$", pdf_text, flags=re.M)]
    expected = [p.number for doc_id in print_order(root) for p in corpus.paragraphs_of(doc_id)]
    assert numbers == expected


def test_paragraph_and_page_break_ids_are_latex_targets(built_latex, corpus):
    """Every paragraph and page-break anchor is a \\label, so links to it resolve in the PDF."""
    aux = (built_latex / PDF_NAME.replace(".pdf", ".aux")).read_text(encoding="utf-8")
    labels = set(re.findall(r"\\newlabel\{(?:[^:{}]+):([^{}]+)\}", aux))
    # Every anchor of the HTML edition except the source notes, which LaTeX sets as footnotes.
    wanted = {a for a, kind in corpus.anchors.items() if kind != "source note"}
    assert {"paragraph", "pagebreak", "omission"} <= {corpus.anchors[a] for a in wanted}
    assert sorted(wanted - labels) == []


def test_no_unresolved_references(pdf_text, built_latex):
    assert "??" not in pdf_text
    log = (built_latex / PDF_NAME.replace(".pdf", ".log")).read_text(encoding="utf-8", errors="replace")
    assert "undefined" not in log.replace("\n", ""), re.findall(r".*undefined.*", log)[:5]
    assert "multiply defined" not in log


def test_names_are_set_with_their_accents(pdf_text, corpus):
    """Spanish and Portuguese names keep their letters (no missing glyphs, no substitutes)."""
    text = unicodedata.normalize("NFC", pdf_text)
    reading = " ".join(p.text for p in corpus.paragraphs.values())
    names = [n for n in ("Áñez", "Corrêa", "Ortuño", "Choquehuanca", "Andrónico Rodríguez", "Cruceña") if n in reading]
    assert "Áñez" in names
    for name in names:
        assert name in text, name


def test_no_missing_glyphs(built_latex):
    log = (built_latex / PDF_NAME.replace(".pdf", ".log")).read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log


def test_title_page_gives_title_editors_and_version(pdf_pages):
    from scholarly_edition import __version__

    title_pages = pdf_pages[0] + pdf_pages[1]
    from conftest import edition_title

    assert " ".join(edition_title().split()) in " ".join(title_pages.split())
    assert f"Version {__version__}" in title_pages
    assert "CC BY 4.0" in title_pages


def test_index_of_names_exists_and_lists_the_glossary_names(pdf_text, root):
    """The index of names is printed; once the glossary registry exists it lists Barrientos.

    Until the glossary is merged, the index holds the authors and editors of the
    documents (Mack, Eitay); the glossary adds an entry for every mention.
    """
    assert "Index of names" in pdf_text
    # The index: from the page that opens with its title to the end of the book.
    pages = [page for page in pdf_text.split("\f") if page.strip()]
    opening = [number for number, page in enumerate(pages) if page.lstrip().startswith("Index of names")]
    assert opening, "no page opens with the title 'Index of names'"
    index = "\n".join(pages[opening[0]:])
    assert re.search(r"Mack, Eitay,\s*\d+", index), index[:500]
    registry = root / "docs" / "annotations" / "entities"
    if (root / "docs" / "glossary.md").exists() and registry.is_dir() and any(registry.glob("*.y*ml")):
        assert re.search(r"Barrientos Ortuño, René,\s*\d+", index), "the glossary exists but Barrientos is not in the index of names"
        # Page ranges keep their dash ("16–18"), never run together ("1618").
        entries = [line for line in index.splitlines() if "Bolivia's Coups" not in line]  # not the running head
        too_high = [line for line in entries if any(int(n) > len(pages) for n in re.findall(r"(?<=[,–])\s*(\d+)\b", line))]
        assert too_high == [], too_high[:5]
        assert re.search(r"\d+–\d+", index), "no page range in the index (expected e.g. 16–18)"


def test_pdf_metadata_and_bookmarks(built_latex, corpus):
    from pypdf import PdfReader

    reader = PdfReader(str(built_latex / PDF_NAME))
    info = reader.metadata
    from conftest import edition_title

    assert info.title == edition_title()
    assert info.author == "The editors of the Bolivia coups edition"
    assert info.subject and "Bolivia" in info.subject

    def titles(outline) -> list[str]:
        found = []
        for item in outline:
            found.extend(titles(item) if isinstance(item, list) else [item.title])
        return found

    bookmarks = titles(reader.outline)
    for doc in corpus.documents.values():
        title = " ".join(words(doc.meta["title"]))
        assert any(title in " ".join(words(b)) for b in bookmarks), (title, bookmarks)
    for part in ("Introduction", "Editorial principles", "Bibliography", "Index of names"):
        assert part in bookmarks, bookmarks


def test_internal_hyperlinks(built_latex):
    """Contents entries and page-break marks are links inside the PDF."""
    from pypdf import PdfReader

    reader = PdfReader(str(built_latex / PDF_NAME))
    internal = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and ("/Dest" in annot or annot.get("/A", {}).get("/S") == "/GoTo"):
                internal += 1
    assert internal >= 10


def test_appendices_follow_the_apparatus_pages_present(tmp_path):
    """Each apparatus page becomes an appendix as soon as its file exists."""
    (tmp_path / "bibliography.md").write_text("# Bibliography\n")
    assert printing.appendices(tmp_path) == ["bibliography"]
    (tmp_path / "chronology.md").write_text("# Chronology\n")
    (tmp_path / "glossary.md").write_text("# Glossary\n")
    assert printing.appendices(tmp_path) == ["glossary", "chronology", "bibliography"]


def test_pdf_has_xmp_metadata(built_latex):
    """hyperxmp writes an XMP packet (what PDF/A tools, Acrobat and catalogues read) with the
    same title, author and keywords as the Info dictionary, plus licence and version."""
    require_tools(("pdfinfo",))
    from scholarly_edition import __version__

    info = subprocess.run(["pdfinfo", str(built_latex / PDF_NAME)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Metadata Stream:\s+yes$", info, re.M), info
    meta = subprocess.run(["pdfinfo", "-meta", str(built_latex / PDF_NAME)], capture_output=True, text=True, check=True).stdout
    title = re.search(r'^project = "(.*)"$', (ROOT / "conf.py").read_text("utf-8"), re.M).group(1)
    assert "<x:xmpmeta" in meta and title in meta.replace("&#39;", "'").replace("&apos;", "'")
    assert "The editors of the Bolivia coups edition" in meta
    assert f"<xmpMM:VersionID>{__version__}</xmpMM:VersionID>" in meta
    assert f"<xmpRights:WebStatement>{printing.LICENCE_URL}</xmpRights:WebStatement>" in meta


def test_all_links_in_the_pdf_are_absolute(built_latex):
    """A relative link breaks in every PDF reader: each link is internal (GoTo) or an
    absolute URI."""
    from pypdf import PdfReader

    reader = PdfReader(str(built_latex / PDF_NAME))
    uris = 0
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if not action:
                continue
            kind = action.get("/S")
            assert kind in ("/URI", "/GoTo"), (number, kind)
            if kind == "/URI":
                uri = str(action["/URI"])
                assert re.match(r"^(https?|mailto):", uri), (number, uri)
                uris += 1
    assert uris > 0


def test_page_labels_are_unique_with_roman_front_matter(built_latex):
    from pypdf import PdfReader

    labels = PdfReader(str(built_latex / PDF_NAME)).page_labels
    assert len(labels) == len(set(labels)), [label for label in labels if labels.count(label) > 1][:5]
    front = labels[:labels.index("1")]
    assert front and all(re.fullmatch(r"[ivxlc]+", label) for label in front), front


def test_each_document_has_a_named_destination(built_latex, corpus):
    """The HTML pages' citation_pdf_url opens the PDF at "#nameddest=<document id>"."""
    from pypdf import PdfReader

    names = set(PdfReader(str(built_latex / PDF_NAME)).named_destinations)
    assert set(corpus.documents) <= names, sorted(set(corpus.documents) - names)
