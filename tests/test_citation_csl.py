"""Citations of every document and of a paragraph of each, in Chicago, MLA and APA.

Two independent checks:

* **the manuals' rules**: the expected strings are built here, from each document's metadata,
  by the rules of the *Chicago Manual of Style* (18th ed.), the *MLA Handbook* (9th ed.) and
  the *Publication Manual of the APA* (7th ed.), each cited where it is applied; nothing
  comes from the code under test;
* **the CSL processor**: the part a CSL style prints is what pandoc's citeproc prints when the
  test runs it itself, on the same item, with the paragraph's real locator.

The tests are parametrised over the documents present; an item type the rules below do not
cover fails loudly, so a new kind of document must be given its expected form here.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from scholarly_edition import citeproc
from scholarly_edition.citation import (
    MONTHS,
    SHORT_MONTHS,
    Citations,
    DocDate,
    Edition,
    Target,
    bibtex,
    bracket_author,
    bracket_date,
    bracket_date as _bracket_date,
    csl_type,
    names_of,
    plain_text,
    ris,
    source_item,
)

EDITION = Edition("Bolivia's Coups, 1964–2019: Five Documents", "0.1.0", "", "2026-11-30")


def _documents():
    from conftest import ROOT
    from scholarly_edition.corpus import Corpus

    corpus = Corpus.load(ROOT)
    return corpus, sorted(corpus.documents.values(), key=lambda d: d.id)


CORPUS, DOCUMENTS = _documents()


@pytest.fixture(scope="module")
def citations() -> Citations:
    return Citations(DOCUMENTS, EDITION)


# ------------------------------------------------------------------ the manuals' rules

#: CMOS 18, 8.159: lowercase articles, prepositions and coordinating conjunctions (unless
#: first or last); MLA 9, 1.92, the same rule.
MINOR = {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of", "on", "to", "up", "via", "from", "with", "into"}


def title_case(sentence: str) -> str:
    """Headline style (CMOS 18, 8.159; MLA 9, 1.92); hyphenated compounds capitalise each
    element (CMOS 18, 8.161): 'U.S.-backed' → 'U.S.-Backed'."""
    words = sentence.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and i < len(words) - 1 and word in MINOR:
            out.append(word)
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(out)


def sentence_title(doc) -> str:
    return source_item(doc)["title"]


def supplied(text: str, flag: bool) -> str:
    """CMOS 18, 14.79 / MLA 9, 5.70 / APA 7, 9.41: what the editors supply goes in brackets."""
    return f"[{text}]" if flag else text


def date_words(doc, style: str, year_only: bool = False) -> str:
    date = DocDate.of(doc)
    part = date.certain() if date.one_of else date.start
    y, m, d = part.year, part.month, part.day
    if year_only:
        words = str(y)
    elif style == "chicago":  # CMOS 18, 6.41: month day, year
        words = f"{MONTHS[m - 1]} {d}, {y}" if d else (f"{MONTHS[m - 1]} {y}" if m else str(y))
    elif style == "mla":  # MLA 9, 1.68: day month (abbreviated) year
        words = f"{d} {SHORT_MONTHS[m - 1]} {y}" if d else (f"{SHORT_MONTHS[m - 1]} {y}" if m else str(y))
    else:  # APA 7, 9.14: (year, Month day)
        words = f"{y}, {MONTHS[m - 1]} {d}" if d else (f"{y}, {MONTHS[m - 1]}" if m else str(y))
    if date.open_end:
        words += " or later"
    return supplied(words, date.inferred)


def authors(doc):
    return names_of(doc, "author")


def expected(doc, paragraph: int) -> dict[tuple[str, str], str]:
    """The five forms of a paragraph citation, by the manuals' rules."""
    kind = csl_type(doc)
    item = source_item(doc)
    page = f"[edition URL]/documents/{doc.id}.html"
    permalink = f"{page}#{doc.id}-p{paragraph}"
    ed, version, year = EDITION.title, EDITION.version, EDITION.year
    title, container = sentence_title(doc), item["container-title"]
    who = authors(doc)
    a = who[0] if who else None
    if kind in ("article-newspaper", "article-magazine", "post-weblog", "article-journal"):
        # CMOS 18, 14.89 (journal), 14.104 (news), 14.106 (websites): Author, “Title,” Periodical, date.
        # A reprint: "reprinted in" the volume read (CMOS 18, 14.102), then the locator and URL.
        lead = f"{supplied(a.natural(), a.bracketed)}, " if a else ""
        note = f"{lead}“{title_case(title)},” {container}, {date_words(doc, 'chicago')}, reprinted in {ed}, version {version} ({year}), para. {paragraph}, {permalink}."
        lead = f"{supplied(a.inverted(), a.bracketed)}. " if a else ""
        bib = f"{lead}“{title_case(title)}.” {container}, {date_words(doc, 'chicago')}. Reprinted in {ed}, version {version} ({year}). {page}."
        if a and a.bracketed:  # the bracket closes the name: no period inside (CMOS 18, 6.97)
            bib = bib.replace(f"[{a.inverted()}]. ", f"[{a.inverted()}] ")
        # MLA 9, 5.3 / 5.98: Author. “Title.” Container, date. Second container, version, date, location.
        lead = f"{supplied(a.inverted(), a.bracketed)}. " if a else ""
        mla = f"{lead}“{title_case(title)}.” {container}, {date_words(doc, 'mla')}. {ed}, version {version}, {year}, {page}."
        if a and a.bracketed:
            mla = mla.replace(f"[{a.inverted()}]. ", f"[{a.inverted()}] ")
        # MLA 9, 6.20 (paragraph numbers: "par."), 6.4 (no author: the title in quotation marks).
        mla_in = f"({supplied(a.family, a.bracketed)}, par. {paragraph})" if a else f"(“{title_case(title)},” par. {paragraph})"
        # APA 7, 9.8 (initials), 10.1 (journal articles: year only), 10.2 (newspapers, blogs:
        # year, Month day), 9.12 (no author: the title moves to the author's place),
        # 6.17 (sentence case for titles in the reference list).
        apa_date = date_words(doc, "apa", year_only=kind == "article-journal")
        if a:
            initials = " ".join(p if p.endswith(".") else p[0] + "." for p in a.given.split())
            apa = f"{supplied(f'{a.family}, {initials}', a.bracketed)} ({apa_date}). {title}. {container}."
        else:
            apa = f"{title}. ({apa_date}). {container}."
        apa += f" In {ed} (Version {version}, {year}). {page}"  # APA 7, 9.34: no period after a URL
        # APA 7, 8.28 (paragraph "para."), 8.14 (no author: the title, in title case, in quotation marks).
        apa_year = date_words(doc, "apa", year_only=True)
        apa_in = f"({supplied(a.family, a.bracketed)}, {apa_year}, para. {paragraph})" if a else f"(“{title_case(title)},” {apa_year}, para. {paragraph})"
    elif kind == "chapter":
        # A document in a documentary edition, a volume of a multivolume series (CMOS 18,
        # 14.105 documents by number "doc."; 14.118 a volume with its own title and editors
        # under a general editor; 14.112 a reprint, original date first).
        editors = names_of(doc, "editor")
        general = names_of(doc, "series editor")
        ed_names = " and ".join(n.natural() for n in editors)
        vol_title, volume, issued = item["volume-title"], item["volume"], str(item["issued"]["date-parts"][0][0])
        orig = supplied(str(DocDate.of(doc).start.year), DocDate.of(doc).inferred)
        number = doc.meta["number"]
        gen = f", ed. {general[0].natural()}" if general else ""
        note = (f"{a.natural()}, “{title_case(title)},” in {container}{gen}, vol. {volume}, {vol_title}, ed. {ed_names} "
                f"({orig}; {item['publisher']}, {issued}), doc. {number}, reprinted in {ed}, version {version} ({year}), para. {paragraph}, {permalink}.")
        gen_bib = f", edited by {general[0].natural()}" if general else ""
        bib = (f"{a.natural()}. “{title_case(title)}.” In {container}{gen_bib}, vol. {volume}, {vol_title}, edited by {ed_names}. "
               f"{orig}; {item['publisher']}, {issued}, doc. {number}. Reprinted in {ed}, version {version} ({year}). {page}.")
        # MLA 9, 5.24 (original date after the title), 5.52 (volume title as container),
        # 5.99 (a multivolume work: "Vol. 31 of" the series, its general editor).
        mla_date = date_words(doc, "mla")
        gen_mla = f", {general[0].natural()}, general editor" if general else ""
        mla = (f"{a.natural()}. “{title_case(title)}.” {mla_date}. {vol_title}, edited by {ed_names}, vol. {volume}, {item['publisher']}, {issued}, doc. {number}. "
               f"Vol. {volume} of {container}{gen_mla}. {ed}, version {version}, {year}, {page}.")
        mla_in = f"({a.natural()}, par. {paragraph})"
        # APA 7, 10.3 (chapter in an edited book: In Eds. (Eds.), Title: Vol. n. Volume title),
        # 9.41 (republished work: "(Original work published year)"; in text "1964/2004").
        eds = " & ".join(" ".join(p[0] + "." for p in n.given.split()) + f" {n.family}" for n in editors)
        apa = (f"{a.natural()}. ({issued}). {title}. In {eds} (Eds.), {container}: Vol. {volume}. {vol_title} (Doc. {number}). {item['publisher']}. "
               f"(Original work published {orig}). In {ed} (Version {version}, {year}). {page}")
        apa_in = f"({a.natural()}, {orig}/{issued}, para. {paragraph})"
    else:
        pytest.fail(f"{doc.id}: no expected form for CSL type {kind!r}: add the manuals' rules for it to this test")
    return {("chicago", "Note"): note, ("chicago", "Bibliography"): bib, ("mla", "Works Cited"): mla, ("mla", "In text"): mla_in,
            ("apa", "Reference"): apa, ("apa", "In text"): apa_in}


def first_paragraph(doc) -> int:
    paragraphs = CORPUS.paragraphs_of(doc.id)
    assert paragraphs, doc.id
    return min(p.number for p in paragraphs)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.id for d in DOCUMENTS])
def test_paragraph_citations_follow_the_manuals(doc, citations):
    number = first_paragraph(doc)
    target = Target(doc, f"documents/{doc.id}.html#{doc.id}-p{number}", number)
    got = {(r.style, kind): plain_text(markup) for r in citations.render_all(target) for kind, markup in r.forms}
    assert got == expected(doc, number)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.id for d in DOCUMENTS])
def test_document_citations_have_no_paragraph(doc, citations):
    """A document's citation: the note without a locator and the permalink of the page; the
    list entries are the same as for a paragraph (paragraphs belong in notes and in-text
    citations only: CMOS 18, 14.64; MLA 9, 6.20; APA 7, 9.47)."""
    target = Target(doc, f"documents/{doc.id}.html")
    got = {(r.style, kind): plain_text(markup) for r in citations.render_all(target) for kind, markup in r.forms}
    want = expected(doc, 1)
    assert set(got) == {("chicago", "Note"), ("chicago", "Bibliography"), ("mla", "Works Cited"), ("apa", "Reference")}
    assert got[("chicago", "Note")] == want[("chicago", "Note")].replace(", para. 1,", ",").replace(f"#{doc.id}-p1", "")
    for key in (("chicago", "Bibliography"), ("mla", "Works Cited"), ("apa", "Reference")):
        assert got[key] == want[key]
        assert "para." not in got[key] and "par." not in got[key]


def pandoc(items, citation: str, style: str) -> str:
    """Run pandoc's citeproc here, independently of the module: one citation, the real locator."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "items.json"
        bib.write_text(json.dumps(items), "utf-8")
        out = subprocess.run([citeproc.pandoc_path(), "-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc",
                              f"--bibliography={bib}", f"--csl={citeproc.style_path(style)}"],
                             input=f"---\nlang: en-US\nsuppress-bibliography: true\n---\n\n{citation}\n", capture_output=True, text=True, check=True).stdout
    return out.strip()


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.id for d in DOCUMENTS])
def test_what_csl_prints_matches_pandoc_run_here(doc, citations):
    number = first_paragraph(doc)
    target = Target(doc, f"documents/{doc.id}.html#{doc.id}-p{number}", number)
    items = [source_item(doc)]
    key = items[0]["id"]
    for style in ("mla", "apa"):
        direct = pandoc(items, f"[@{key}, para. {number}]", style)
        finished = plain_text(bracket_date(bracket_author(direct, doc), doc, required=False))
        assert plain_text(citations.in_text(target, style)) == finished
    note = pandoc(items, f"Text.[@{key}]", "chicago")  # the note of the whole document
    note = re.sub(r"^Text\.\[1\]\s*\[1\]\s*", "", note, flags=re.S).strip()
    finished = plain_text(bracket_date(bracket_author(note, doc), doc)).removesuffix(".")
    ours = plain_text(citations.note(Target(doc, f"documents/{doc.id}.html")))
    if doc.meta.get("number"):
        finished = finished.replace(")", f"), doc. {doc.meta['number']}", 1) if finished.endswith(")") else finished
    assert ours.startswith(finished + ", reprinted in" if not doc.meta.get("number") else finished), (ours, finished)


# ------------------------------------------------------------------ the post-processing steps


def test_inferred_date_is_found_outside_the_title():
    """A title holding a date of its own is not bracketed; the document's date is."""
    from scholarly_edition.metadata import SourceDocument

    doc = next(d for d in DOCUMENTS if DocDate.of(d).inferred and DocDate.of(d).start and not DocDate.of(d).one_of)
    date = DocDate.of(doc)
    words = f"{MONTHS[date.start.month - 1]} {date.start.year}" if date.start.month else str(date.start.year)
    meta = dict(doc.meta)
    meta["csl"] = {**dict(doc.meta.get("csl") or {}), "title": f"Report of {words}"}
    titled = SourceDocument(meta, doc.meta_path, doc.source)  # type: ignore[arg-type]
    out = _bracket_date(f"“Report of {words},” Outlet, {words}.", titled)
    assert out == f"“Report of {words},” Outlet, [{words}{' or later' if date.open_end else ''}]."
    with pytest.raises(ValueError, match="not found"):
        _bracket_date("“Untitled,” Outlet.", titled)


def test_one_of_a_set_is_cited_at_the_certain_precision():
    date = DocDate.parse("[2019-12-18..2019-12-26]", inferred=True)
    assert date.one_of and date.csl() == {"date-parts": [[2019, 12]]} and date.iso() == "2019-12"
    assert DocDate.parse("2019-12-18/2019-12-26").csl() == {"date-parts": [[2019, 12, 18], [2019, 12, 26]]}
    assert DocDate.parse("2019-12~").csl() == {"date-parts": [[2019, 12]], "circa": True}
    assert DocDate.parse("2020-11/..").iso() == "" and DocDate.parse("2020-11/..").csl() == {"date-parts": [[2020, 11]]}


def test_exports_name_the_edition_and_use_month_macros():
    from pybtex.database import parse_string

    for doc in DOCUMENTS:
        target = Target(doc, f"documents/{doc.id}.html")
        entry = bibtex(target, EDITION)
        assert "relatedtype  = {reprintin}" in entry and f"Reprinted in {EDITION.title}" in entry
        assert not re.search(r"month\s*=\s*\{", entry)  # BibTeX's month macros: month = nov
        parsed = parse_string(entry, "bibtex")
        assert doc.meta["bibkey"] in parsed.entries
        record = ris(target, EDITION)
        assert f"DB  - {EDITION.title}" in record and "N1  - Reprinted in" in record
        for name in names_of(doc, "author"):
            if name.institutional:  # a corporate author is one literal name, never "State, United States Department of"
                assert source_item(doc)["author"][0] == {"literal": name.family}
                assert "{" + name.family + "}" in entry


def _volume_items() -> list[dict]:
    """Items of one corporate author and year (as in a FRUS volume) and two works of one person
    in one year: what would make a style disambiguate if they were cited together."""
    state = [{"literal": "United States Department of State"}]
    items = [{"id": f"doc{n}", "type": "chapter", "author": state, "title": title,
              "container-title": "Foreign Relations of the United States, a test volume", "issued": {"date-parts": [[1965]]}}
             for n, title in enumerate(["Memorandum of Conversation", "Telegram to the Embassy", "Memorandum for the President"])]
    items += [{"id": f"art{n}", "type": "article-newspaper", "author": [{"family": "Example", "given": "Ana"}], "title": title,
               "container-title": "The Test Gazette", "issued": {"date-parts": [[2020, 5, n + 1]]}}
              for n, title in enumerate(["A first article", "A second article"])]
    return items


@pytest.mark.parametrize("style", ["chicago", "mla", "apa"])
def test_one_run_for_all_items_gives_what_each_item_alone_gives(style):
    """A cite box is a citation on its own; all items are rendered in one pandoc run per style
    (one per document would cost a volume by one author hundreds of runs), and that run must
    print each item exactly as a run of that item alone does: no "———", no "1965a", no title
    added to tell two works of one author apart."""
    items = _volume_items()
    together = citeproc.render(items, style)
    path = citeproc.style_path(style)
    for item in items:
        alone = citeproc._run_pandoc([item], path, "para.")[item["id"]]
        assert together[item["id"]] == alone, item["id"]
    assert not any("———" in r.bibliography or "1965a" in r.citation for r in together.values())
