"""“Cite this”: the three styles, the downloads, the metadata reference managers read.

The formatter is checked against published examples of each manual (citing a source on
its own), then against the edition's real documents, then in the built HTML a reader
sees.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from scholarly_edition import __version__
from scholarly_edition.citation import Citations, Edition, Target, csl_item, plain_text
from scholarly_edition.metadata import SourceDocument

from conftest import edition_title  # noqa: E402

EDITION_TITLE = edition_title()
EDITION = Edition(EDITION_TITLE, __version__)
MANJOO_URL = "https://www.nytimes.com/2017/03/08/technology/snap-makes-a-bet-on-the-cultural-supremacy-of-the-camera.html"


def example(outlet: str, url: str, **meta) -> Target:
    """A source described like the edition's own, for the manuals' examples."""
    data = {"id": "x", "title": "Snap Makes a Bet on the Cultural Supremacy of the Camera", "authors": [{"family": "Manjoo", "given": "Farhad"}],
            "outlet": outlet, "url": url, "genre": "journalism", "language": "en", "date": {"edtf": "2017-03-08"}, "bibkey": "manjoo2017"}
    data.update(meta)
    return Target(SourceDocument(data, Path("x.yaml"), None), "")  # type: ignore[arg-type]


def alone(target: Target) -> Citations:
    """The source cited on its own (no edition): what the manuals' examples show."""
    return Citations([target.document], None)


# --------------------------------------------------------------- published examples


def test_chicago_matches_the_manuals_newspaper_example():
    """CMOS 17, 14.191 (and the Chicago quick guide): a news article read online."""
    target = example("New York Times", MANJOO_URL)
    cites = alone(target)
    assert plain_text(cites.note(target)) == (
        f"Farhad Manjoo, “Snap Makes a Bet on the Cultural Supremacy of the Camera,” New York Times, March 8, 2017, {MANJOO_URL}.")
    assert plain_text(cites.bibliography(target, "chicago")) == (
        f"Manjoo, Farhad. “Snap Makes a Bet on the Cultural Supremacy of the Camera.” New York Times, March 8, 2017. {MANJOO_URL}.")
    assert "<i>New York Times</i>" in cites.note(target)


def test_mla_matches_the_handbooks_newspaper_example():
    """MLA Handbook, 9th ed.: day month-abbreviation year, periods inside the quotes.  (The
    handbook allows the scheme to be dropped from a URL; the official CSL style keeps it.)"""
    url = MANJOO_URL
    target = example("The New York Times", url)
    assert plain_text(alone(target).bibliography(target, "mla")) == (
        f"Manjoo, Farhad. “Snap Makes a Bet on the Cultural Supremacy of the Camera.” The New York Times, 8 Mar. 2017, {url}.")


def test_apa_matches_the_manuals_newspaper_example():
    """APA Publication Manual, 7th ed., 10.2 (example 16): title ending in '?' takes no period."""
    url = "https://www.nytimes.com/2019/03/22/health/memory-forgetting-psychology.html"
    target = example("The New York Times", url, title="Can we get better at forgetting?", authors=[{"family": "Carey", "given": "Benedict"}],
                     date={"edtf": "2019-03-22"})
    cites = alone(target)
    assert plain_text(cites.bibliography(target, "apa")) == f"Carey, B. (2019, March 22). Can we get better at forgetting? The New York Times. {url}"
    assert plain_text(cites.in_text(Target(target.document, "", 4), "apa")) == "(Carey, 2019, para. 4)"


# --------------------------------------------------------------- the edition's documents


@pytest.fixture(scope="module")
def docs(corpus):
    return corpus.documents


def test_base_url_makes_absolute_permalinks(docs):
    edition = Edition(EDITION_TITLE, "1.2.0", "https://edition.example/bolivia/")
    target = Target(docs["mack-2025"], "documents/mack-2025.html#mack-2025-p7", 7)
    text = plain_text(Citations(list(docs.values()), edition).note(target))
    assert text.endswith("version 1.2.0, para. 7, https://edition.example/bolivia/documents/mack-2025.html#mack-2025-p7.")


def test_exports_say_only_what_is_known(docs):
    from scholarly_edition.citation import bibtex, ris

    lessons = Target(docs["lessons-2020"], "documents/lessons-2020.html")
    item = csl_item(lessons, EDITION)
    assert "author" not in item and "URL" in item and item["issued"] == {"date-parts": [[2020, 11]]}
    assert "does not name its author" in item["note"] and "Date inferred" in item["note"] and "2020-11/.." in item["note"]
    entry = bibtex(lessons, EDITION)
    assert not re.search(r"^\s+author\s*=", entry, re.M) and "date         = {2020-11/..}" in entry
    mack = ris(Target(docs["mack-2025"], "documents/mack-2025.html"), EDITION)
    assert mack.splitlines()[0] == "TY  - NEWS" and "AU  - Mack, Eitay" in mack and "DA  - 2025/11/09/" in mack and mack.rstrip().endswith("ER  -")


# --------------------------------------------------------------- the built edition


def page(built_html: Path, doc_id: str) -> BeautifulSoup:
    return BeautifulSoup((built_html / "documents" / f"{doc_id}.html").read_text("utf-8"), "html.parser")


def box_texts(box) -> dict[tuple[str, str], str]:
    out = {}
    for style in box.select(".ed-cite-style"):
        for form in style.select(".ed-cite-form"):
            out[(style["data-style"], form.select_one(".ed-cite-kind").get_text())] = form.select_one(".ed-cite-text").get_text()
    return out


def paragraph_texts(built_html: Path, soup: BeautifulSoup, number: int) -> dict[tuple[str, str], str]:
    """A paragraph's citations as its cite box shows them once opened (edition-cite.js)."""
    source = soup.select_one("details.ed-cite-doc")["data-ed-paragraphs"]
    data = json.loads((built_html / "documents" / source).resolve().read_text("utf-8"))
    return {(style["style"], form): BeautifulSoup(markup, "html.parser").get_text()
            for style in data["paragraphs"][str(number)] for form, markup in style["forms"]}


@pytest.mark.build
def test_cite_boxes_in_the_built_page(built_html):
    soup = page(built_html, "mack-2025")
    paragraph = soup.find(id="mack-2025-p7")
    box = paragraph.find_next_sibling("details")
    assert "ed-cite-para" in box["class"] and box.summary.get_text(strip=True) == "Cite ¶ 7"
    # The page holds the permalink; the citations come from one JSON file per document.
    # Without scripts the box is hidden and the paragraph's ¶ number is the permalink.
    assert paragraph.find("a", href="#mack-2025-p7", class_="ed-pnum-link") is not None
    texts = paragraph_texts(built_html, soup, 7)
    released = yaml.safe_load((Path(__file__).parent.parent / "CITATION.cff").read_text("utf-8"))["date-released"]
    assert texts[("chicago", "Note")] == (
        "Eitay Mack, “Israeli History Repeats Itself in Bolivia,” The Wire, November 9, 2025, reprinted in "
        f"{EDITION_TITLE}, version {__version__} ({str(released)[:4]}), para. 7, [edition URL]/documents/mack-2025.html#mack-2025-p7.")
    assert texts[("mla", "In text")] == "(Mack, par. 7)"
    assert texts[("apa", "In text")] == "(Mack, 2025, para. 7)"
    numbered = soup.select("p.ed-para")
    assert len(soup.select("details.ed-cite-para")) == len(numbered) > 30
    doc_box = soup.select_one("details.ed-cite-doc")
    assert doc_box.summary.get_text(strip=True) == "Cite this document"
    links = {a.get_text(): a["href"] for a in doc_box.select("a.ed-cite-download")}
    assert links == {"BibTeX": "../cite/mack-2025.bib", "RIS": "../cite/mack-2025.ris", "CSL-JSON": "../cite/mack-2025.json"}
    for href in links.values():
        assert (built_html / "documents" / href).resolve().is_file()


@pytest.mark.build
def test_downloads_are_read_by_citation_libraries(built_html, docs):
    """pybtex reads the BibTeX; citeproc-py reads the CSL-JSON and renders it with a CSL style."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from pybtex.database import parse_file

    bib = parse_file(str(built_html / "cite" / "edition.bib"))
    from scholarly_edition.citation import edition_bibkey

    key = edition_bibkey(EDITION)
    assert set(bib.entries) == {d.meta["bibkey"] for d in docs.values()} | {key}
    assert all(bib.entries[d.meta["bibkey"]].fields["related"] == key for d in docs.values())
    assert str(bib.entries["mack2025"].persons["author"][0]) == "Mack, Eitay"
    items = json.loads((built_html / "cite" / "edition.json").read_text("utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem("mack2025")]))
    assert str(bibliography.bibliography()[0]).startswith("Mack, E. (2025) “Israeli history repeats itself in Bolivia”, The Wire, 9 November")  # titles stored in sentence case
    ris_text = (built_html / "cite" / "kirkland-1998.ris").read_text("utf-8")
    assert "AU  - Kirkland, Robert O." in ris_text and "PY  - 1998" in ris_text


def metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tag in soup.find_all("meta", attrs={"name": True}):
        out.setdefault(tag["name"], []).append(tag["content"])
    return out


@pytest.mark.build
def test_reference_manager_metadata(built_html, docs):
    from scholarly_edition.citation import csl_type

    for doc_id, doc in docs.items():
        soup = page(built_html, doc_id)
        tags = metas(soup)
        assert tags["citation_title"] == [doc.meta["title"]] == tags["DC.title"]
        assert tags["citation_language"] == ["en"]
        assert tags["citation_date"] and tags["DC.date"]  # every document has a date, the year at least
        # Zotero and Scholar take a page with citation_journal_title for a journal article.
        assert ("citation_journal_title" in tags) == (csl_type(doc) == "article-journal")
        ld = json.loads(soup.find("script", type="application/ld+json").string)
        assert ld["@context"] == "https://schema.org" and ld["name"] == doc.meta["title"]
        assert ld["isPartOf"]["name"] == EDITION_TITLE and ld["isPartOf"]["version"] == __version__
        assert "url" not in ld and "citation_public_url" not in tags  # no base URL configured: no address invented
        assert tags["citation_pdf_url"] == [f"../bolivia-coups-edition.pdf#nameddest={doc_id}"]
    mack = metas(page(built_html, "mack-2025"))
    assert mack["citation_author"] == ["Mack, Eitay"] and mack["citation_publication_date"] == ["2025/11/09"]
    assert mack["DC.type"] == ["newspaperArticle"] and mack["DC.date"] == ["2025-11-09"]
    lessons_soup = page(built_html, "lessons-2020")
    lessons = metas(lessons_soup)
    assert "citation_author" not in lessons and "DC.creator" not in lessons  # not named in the source
    assert lessons["citation_date"] == ["2020"]  # "November 2020 or later": the year is all that is certain
    ld = json.loads(lessons_soup.find("script", type="application/ld+json").string)
    assert ld["@type"] == "BlogPosting" and "author" not in ld and ld["sameAs"] == "https://popularresistance.org/?p=181949"
    assert metas(page(built_html, "lotm-2019"))["citation_publication_date"] == ["2019/12"]  # one day of 18–26 Dec: the month is certain
    frus = metas(page(built_html, "frus-1964-68-v31-d151"))
    assert frus["citation_inbook_title"][0].startswith("Foreign Relations of the United States, 1964–1968") and len(frus["citation_editor"]) == 2


@pytest.mark.build
def test_metadata_as_an_independent_parser_reads_it(built_html, docs):
    """extruct (JSON-LD, Open Graph, Dublin Core) finds on every document page the item type,
    title, authors, date and the link to the PDF; and the landing page describes the edition."""
    import extruct

    from scholarly_edition.citation import DocDate, csl_type, names_of
    from scholarly_edition.sphinxext.cite import ITEM_KINDS, SCHEMA_TYPES

    for doc_id, doc in docs.items():
        base = f"https://edition.example/documents/{doc_id}.html"
        data = extruct.extract((built_html / "documents" / f"{doc_id}.html").read_text("utf-8"), base_url=base,
                               syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True)
        ld = data["json-ld"][0]
        assert ld["@type"] == SCHEMA_TYPES[csl_type(doc)]
        assert data["dublincore"][0]["@type"] == ITEM_KINDS[csl_type(doc)][0]
        assert ld["name"] == doc.meta["title"]
        assert [a["name"] for a in ld.get("author", [])] == [n.natural() for n in names_of(doc, "author")]
        date = DocDate.of(doc)
        assert ld["datePublished"] == (date.iso() or date.year())
        assert ld["isPartOf"]["name"] == EDITION_TITLE
        pdf = ld["encoding"]
        assert pdf["encodingFormat"] == "application/pdf" and "#nameddest=" in pdf["contentUrl"]
        if doc.meta["genre"] == "journalism":
            assert data["opengraph"][0]["@type"] == "article"
    landing = extruct.extract((built_html / "index.html").read_text("utf-8"), syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert landing and landing[0]["name"] == EDITION_TITLE and landing[0]["version"] == __version__


@pytest.mark.build
def test_version_is_shown_on_every_page(built_html):
    pages = [p for p in built_html.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) >= 8
    for path in pages:
        brand = BeautifulSoup(path.read_text("utf-8"), "html.parser").select_one(".sidebar-brand-text")
        assert brand is not None and brand.get_text(strip=True).endswith(f"v{__version__}"), path


def test_citation_cff_describes_this_version(root):
    cff = yaml.safe_load((root / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == __version__
    assert cff["title"] == EDITION_TITLE
    assert cff["message"] and cff["authors"] and all("name" in a or "family-names" in a for a in cff["authors"])
    assert cff["type"] in ("software", "dataset")
    assert "url" not in cff and "doi" not in cff  # neither is known yet (edition anchors --update --url sets it)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    assert re.fullmatch(r"[A-Za-z0-9.-]+", cff["license"])


@pytest.mark.build
def test_served_page_fills_in_its_own_address(built_html, tmp_path):
    """Without a configured base URL, the script puts the address the reader is at into
    the citations (and adds copy buttons); without JavaScript they read "[edition URL]"."""
    import functools
    import http.server
    import shutil
    import subprocess
    import threading

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             f"--user-data-dir={tmp_path / 'chrome'}", "--virtual-time-budget=3000", "--dump-dom", f"{base}/documents/mack-2025.html"],
            capture_output=True, text=True, timeout=60,
        )
    finally:
        server.shutdown()
    soup = BeautifulSoup(result.stdout, "html.parser")
    # The document's box; a paragraph's box is filled when opened (tests/browser/test_reading.py).
    box = soup.select_one("details.ed-cite-doc")
    note = box_texts(box)[("chicago", "Note")]
    assert f"{base}/documents/mack-2025.html" in note and "[edition URL]" not in note
    assert len(box.select("button.ed-cite-copy")) == len(box.select(".ed-cite-text")) > 0


def test_page_address_is_given_only_when_known(docs):
    """With edition_base_url the metadata names the page's address; without it, none is invented."""
    from scholarly_edition.sphinxext.cite import json_ld, metadata_fields

    doc = docs["mack-2025"]
    known = Edition(EDITION_TITLE, __version__, "https://edition.example/bolivia")
    fields = dict(metadata_fields(doc, known, "documents/mack-2025.html"))
    assert fields["citation_public_url"] == fields["DC.identifier"] == "https://edition.example/bolivia/documents/mack-2025.html"
    assert json_ld(doc, known, "documents/mack-2025.html")["url"] == "https://edition.example/bolivia/documents/mack-2025.html"
    unknown = dict(metadata_fields(doc, EDITION, "documents/mack-2025.html"))
    assert "citation_public_url" not in unknown and "DC.identifier" not in unknown


def test_release_keeps_citation_cff_in_step(root, tmp_path):
    """`edition anchors --update` sets version, date-released and (when given) url, and keeps
    the file's comments and other fields."""
    import datetime

    from scholarly_edition.release import update_citation_cff

    cff = tmp_path / "CITATION.cff"
    cff.write_text((root / "CITATION.cff").read_text("utf-8"), "utf-8")
    update_citation_cff(cff, "2.0.0", datetime.date(2027, 1, 15), "https://edition.example/bolivia/")
    data = yaml.safe_load(cff.read_text("utf-8"))
    assert (str(data["version"]), str(data["date-released"]), data["url"]) == ("2.0.0", "2027-01-15", "https://edition.example/bolivia/")
    assert data["title"] == EDITION_TITLE and cff.read_text("utf-8").startswith("# How to cite")
