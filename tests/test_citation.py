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
from scholarly_edition.citation import (
    Edition,
    Target,
    apa_in_text,
    apa_reference,
    bibtex,
    chicago_bibliography,
    chicago_note,
    csl_item,
    mla_in_text,
    mla_works_cited,
    plain_text,
    ris,
)
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


# --------------------------------------------------------------- published examples


def test_chicago_matches_the_manuals_newspaper_example():
    """CMOS 17, 14.191 (and the Chicago quick guide): a news article read online."""
    target = example("New York Times", MANJOO_URL)
    assert plain_text(chicago_note(target, None)) == (
        f"Farhad Manjoo, “Snap Makes a Bet on the Cultural Supremacy of the Camera,” New York Times, March 8, 2017, {MANJOO_URL}.")
    assert plain_text(chicago_bibliography(target, None)) == (
        f"Manjoo, Farhad. “Snap Makes a Bet on the Cultural Supremacy of the Camera.” New York Times, March 8, 2017. {MANJOO_URL}.")
    assert "<i>New York Times</i>" in chicago_note(target, None)


def test_mla_matches_the_handbooks_newspaper_example():
    """MLA Handbook, 9th ed.: day month-abbreviation year, periods inside the quotes."""
    url = MANJOO_URL.removeprefix("https://")
    target = example("The New York Times", url)
    assert plain_text(mla_works_cited(target, None)) == (
        f"Manjoo, Farhad. “Snap Makes a Bet on the Cultural Supremacy of the Camera.” The New York Times, 8 Mar. 2017, {url}.")


def test_apa_matches_the_manuals_newspaper_example():
    """APA Publication Manual, 7th ed., 10.2 (example 16): title ending in '?' takes no period."""
    url = "https://www.nytimes.com/2019/03/22/health/memory-forgetting-psychology.html"
    target = example("The New York Times", url, title="Can we get better at forgetting?", authors=[{"family": "Carey", "given": "Benedict"}],
                     date={"edtf": "2019-03-22"})
    assert plain_text(apa_reference(target, None)) == f"Carey, B. (2019, March 22). Can we get better at forgetting? The New York Times. {url}"
    assert plain_text(apa_in_text(Target(target.document, "", 4))) == "(Carey, 2019, para. 4)"


# --------------------------------------------------------------- the edition's documents


@pytest.fixture(scope="module")
def docs(corpus):
    return corpus.documents


def para(docs, doc_id: str, number: int) -> Target:
    return Target(docs[doc_id], f"documents/{doc_id}.html#{doc_id}-p{number}", number)


def test_paragraph_citations_of_a_named_author(docs):
    target = para(docs, "mack-2025", 7)
    url = "[edition URL]/documents/mack-2025.html#mack-2025-p7"
    assert plain_text(chicago_note(target, EDITION)) == (
        "Eitay Mack, “Israeli History Repeats Itself in Bolivia,” The Wire, November 9, 2025, "
        f"reprinted in {EDITION_TITLE}, version {__version__}, para. 7, {url}.")
    assert plain_text(mla_works_cited(target, EDITION)) == (
        "Mack, Eitay. “Israeli History Repeats Itself in Bolivia.” The Wire, 9 Nov. 2025. "
        f"{EDITION_TITLE}, version {__version__}, par. 7, {url}.")
    assert plain_text(apa_reference(target, EDITION)) == (
        "Mack, E. (2025, November 9). Israeli History Repeats Itself in Bolivia. The Wire. "
        f"In {EDITION_TITLE} (Version {__version__}, para. 7). {url}")
    assert plain_text(mla_in_text(target)) == "(Mack, par. 7)"
    assert plain_text(apa_in_text(target)) == "(Mack, 2025, para. 7)"


def test_unnamed_author_is_cited_by_title_and_inferred_dates_are_bracketed(docs):
    lotm = para(docs, "lotm-2019", 12)
    note = plain_text(chicago_note(lotm, EDITION))
    assert note.startswith("“A coup by civilians, the police and the army in Bolivia,” Left on the Move, [December 18–26, 2019], reprinted in")
    assert plain_text(mla_works_cited(lotm, EDITION)).startswith("“A coup by civilians, the police and the army in Bolivia.” Left on the Move, [18–26 Dec. 2019].")
    assert plain_text(apa_reference(lotm, EDITION)).startswith("A coup by civilians, the police and the army in Bolivia. ([2019, December 18–26]). Left on the Move.")
    assert plain_text(apa_in_text(lotm)) == "(“A coup by civilians, the police and the army in Bolivia,” [2019], para. 12)"
    assert "not named" not in note  # the title takes the author's place; no invented author
    lessons = para(docs, "lessons-2020", 3)
    assert "[November 2020 or later]" in plain_text(chicago_note(lessons, EDITION))
    assert plain_text(apa_in_text(lessons)).endswith("[2020 or later], para. 3)")


def test_attributed_author_is_bracketed(docs):
    target = para(docs, "kirkland-1998", 2)
    assert plain_text(chicago_note(target, EDITION)).startswith("[Robert O. Kirkland], “United States Assistance to the Bolivian Military 1958-1964,” MACLAS Latin American Essays, [March 1998],")
    assert plain_text(chicago_bibliography(target, EDITION)).startswith("[Kirkland, Robert O.]. “United States")
    assert plain_text(apa_in_text(target)) == "([Kirkland], [1998], para. 2)"


def test_document_in_a_documentary_edition(docs):
    target = Target(docs["frus-1964-68-v31-d151"], "documents/frus-1964-68-v31-d151.html")
    assert plain_text(chicago_note(target, EDITION)) == (
        "United States Department of State, “Telegram From the Department of State to All American Republic Posts,” [November 4, 1964], "
        "in Foreign Relations of the United States, 1964–1968, Volume XXXI, South and Central America; Mexico, ed. David C. Geyer and David H. Herschler, "
        f"doc. 151, reprinted in {EDITION_TITLE}, version {__version__}, [edition URL]/documents/frus-1964-68-v31-d151.html.")


def test_base_url_makes_absolute_permalinks(docs):
    edition = Edition(EDITION_TITLE, "1.2.0", "https://edition.example/bolivia/")
    text = plain_text(chicago_note(para(docs, "mack-2025", 7), edition))
    assert text.endswith("version 1.2.0, para. 7, https://edition.example/bolivia/documents/mack-2025.html#mack-2025-p7.")


def test_exports_say_only_what_is_known(docs):
    lessons = Target(docs["lessons-2020"], "documents/lessons-2020.html")
    item = csl_item(lessons, EDITION)
    assert "author" not in item and "URL" in item and item["issued"] == {"literal": "November 2020 or later"}
    assert "does not name its author" in item["note"] and "Date inferred" in item["note"]
    entry = bibtex(lessons, EDITION)
    assert not re.search(r"^\s+(author|year)\s*=", entry, re.M) and "date         = {2020-11/..}" in entry
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


@pytest.mark.build
def test_cite_boxes_in_the_built_page(built_html):
    soup = page(built_html, "mack-2025")
    paragraph = soup.find(id="mack-2025-p7")
    box = paragraph.find_next_sibling("details")
    assert "ed-cite-para" in box["class"] and box.summary.get_text(strip=True) == "Cite ¶ 7"
    texts = box_texts(box)
    assert texts[("chicago", "Note")] == (
        "Eitay Mack, “Israeli History Repeats Itself in Bolivia,” The Wire, November 9, 2025, reprinted in "
        f"{EDITION_TITLE}, version {__version__}, para. 7, [edition URL]/documents/mack-2025.html#mack-2025-p7.")
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
def test_downloads_are_read_by_citation_libraries(built_html, corpus):
    """pybtex reads the BibTeX; citeproc-py reads the CSL-JSON and renders it with a CSL style."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from pybtex.database import parse_file

    bib = parse_file(str(built_html / "cite" / "edition.bib"))
    assert set(bib.entries) == {doc.meta["bibkey"] for doc in corpus.documents.values()}
    assert str(bib.entries["mack2025"].persons["author"][0]) == "Mack, Eitay"
    items = json.loads((built_html / "cite" / "edition.json").read_text("utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem("mack2025")]))
    assert str(bibliography.bibliography()[0]).startswith("Mack, E. (2025) “Israeli History Repeats Itself in Bolivia”, The Wire, 9 November")
    ris_text = (built_html / "cite" / "kirkland-1998.ris").read_text("utf-8")
    assert "AU  - Kirkland, Robert O." in ris_text and "PY  - 1998" in ris_text


def metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tag in soup.find_all("meta", attrs={"name": True}):
        out.setdefault(tag["name"], []).append(tag["content"])
    return out


@pytest.mark.build
def test_reference_manager_metadata(built_html, docs):
    for doc_id, doc in docs.items():
        soup = page(built_html, doc_id)
        tags = metas(soup)
        assert tags["citation_title"] == [doc.meta["title"]] == tags["DC.title"]
        assert tags["citation_language"] == ["en"]
        ld = json.loads(soup.find("script", type="application/ld+json").string)
        assert ld["@context"] == "https://schema.org" and ld["name"] == doc.meta["title"]
        assert ld["workExample"]["version"] == __version__
        assert "url" not in ld and "citation_public_url" not in tags  # no base URL configured: no address invented
    mack = metas(page(built_html, "mack-2025"))
    assert mack["citation_author"] == ["Mack, Eitay"] and mack["citation_publication_date"] == ["2025/11/09"]
    assert mack["citation_journal_title"] == ["The Wire"] and mack["DC.date"] == ["2025-11-09"]
    lessons_soup = page(built_html, "lessons-2020")
    lessons = metas(lessons_soup)
    assert "citation_author" not in lessons and "DC.creator" not in lessons  # not named in the source
    assert "citation_publication_date" not in lessons  # "November 2020 or later" has no certain date
    ld = json.loads(lessons_soup.find("script", type="application/ld+json").string)
    assert ld["@type"] == "NewsArticle" and "author" not in ld and "datePublished" not in ld and ld["sameAs"] == "https://popularresistance.org/?p=181949"
    assert metas(page(built_html, "lotm-2019"))["citation_publication_date"] == ["2019/12"]  # 18–26 Dec: the month is certain
    frus = metas(page(built_html, "frus-1964-68-v31-d151"))
    assert frus["citation_inbook_title"][0].startswith("Foreign Relations of the United States, 1964–1968") and len(frus["citation_editor"]) == 2


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
    assert "url" not in cff and "doi" not in cff  # neither is known yet
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
    box = soup.find(id="mack-2025-p7").find_next_sibling("details")
    note = box_texts(box)[("chicago", "Note")]
    assert note.endswith(f"para. 7, {base}/documents/mack-2025.html#mack-2025-p7.")
    assert len(box.select("button.ed-cite-copy")) == len(box.select(".ed-cite-text")) == 6


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


@pytest.mark.parametrize("edtf, inferred, chicago, mla, apa_year", [
    ("1966?", False, "1966?", "1966?", "1966?"),
    ("2019-12~", False, "ca. December 2019", "ca. Dec. 2019", "ca. 2019"),
    ("1964-11-03/1964-11-05", True, "[November 3–5, 1964]", "[3–5 Nov. 1964]", "[1964]"),
    ("2019-11-30/2019-12-02", False, "November 30–December 2, 2019", "30 Nov.–2 Dec. 2019", "2019"),
    ("1964-11/1965-02", True, "[November 1964–February 1965]", "[Nov. 1964–Feb. 1965]", "[1964–1965]"),
])
def test_uncertain_and_inferred_dates_are_worded_honestly(edtf, inferred, chicago, mla, apa_year):
    from scholarly_edition.citation import DocDate

    target = example("The Wire", "", date={"edtf": edtf, "inferred": inferred, "basis": "test"})
    date = DocDate.of(target.document)
    assert (date.words("chicago"), date.words("mla"), date.year_words()) == (chicago, mla, apa_year)
