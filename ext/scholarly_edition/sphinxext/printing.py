"""The print edition: PDF through XeLaTeX, and EPUB.

Two concerns live here, because both exist only for print:

* configuration helpers that ``conf.py`` calls — which pages are appendices (each
  apparatus page is taken in as soon as its file exists, so a branch that adds the
  glossary or the chronology needs no change here), the LaTeX preamble with the title
  page built from the sources' metadata, and the PDF's document information;
* a LaTeX post-transform that makes paragraph and page-break ids real hyperlink
  targets.  Sphinx's LaTeX writer puts ``\\label`` only on sections, figures, tables
  and targets: the ids of paragraphs, inlines and containers are dropped, so a
  ``{ref}`` to ``mack-2025-p14`` would print "??".  Every such id gets a
  ``\\phantomsection\\label`` at the start of its element.

It also adds the authors and editors of each document to the index of names, so the
index always has the people who wrote and edited the texts; the glossary adds everyone
the texts mention.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import footnotetext
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..metadata import NOT_NAMED, SourceDocument, load_all
from .omissions import omission
from .paragraphs import current_document
from .registry import get_sources

#: The root page of the PDF: its toctree gives the front and main matter in order.
PRINT_ROOT = "print/edition"
#: The print pages are not part of the EPUB, which follows the HTML edition's own order.
PRINT_PAGES = ("print/edition", "print/introduction")
#: Apparatus pages printed as appendices, in this order, when their file exists.
APPENDIX_PAGES = ("glossary", "chronology", "archives")
#: The bibliography closes the appendices.
BIBLIOGRAPHY_PAGE = "bibliography"
#: The style file with the macros the extension's LaTeX visitors emit.
LATEX_STYLE = Path(__file__).parent / "latex" / "edition.sty"

_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "^": r"\^{}", "_": r"\_", "~": r"\textasciitilde{}", "%": r"\%"}


def tex(text: str) -> str:
    """Escape text for XeLaTeX (which reads UTF-8 directly: only the specials matter)."""
    return "".join(_TEX_SPECIALS.get(ch, ch) for ch in str(text))


def _page_exists(docs_dir: Path, name: str) -> bool:
    return any((docs_dir / f"{name}{suffix}").exists() for suffix in (".md", ".rst"))


def appendices(docs_dir: Path) -> list[str]:
    """The appendices of the PDF: every apparatus page present, then the bibliography."""
    pages = [name for name in APPENDIX_PAGES if _page_exists(docs_dir, name)]
    if _page_exists(docs_dir, BIBLIOGRAPHY_PAGE):
        pages.append(BIBLIOGRAPHY_PAGE)
    return pages


def _authors(doc: SourceDocument, roles: tuple[str, ...]) -> list[dict]:
    authors = doc.meta["authors"]
    if authors == NOT_NAMED:
        return []
    return [a for a in authors if a.get("role", "author") in roles]


def _source_line(doc: SourceDocument) -> str:
    """One document on the title page's verso: author, title, outlet, date, rights."""
    meta = doc.meta
    names = [" ".join(p for p in (a.get("given", ""), a["family"]) if p) for a in _authors(doc, ("author",))]
    author = ", ".join(names) if names else f"Author {NOT_NAMED}"
    if not names and meta.get("attribution"):
        author += f" (attributed to {meta['attribution']['name']})"
    return (
        rf"\item {tex(author)}, \emph{{{tex(meta['title'])}}}. {tex(meta.get('container') or meta['outlet'])}, "
        rf"{tex(doc.date.words())}. {tex(meta['rights'])}"
    )


def latex_preamble(sources_dir: Path, title: str, version: str, abstract: str, licence: str, subtitle_sep: str = ": ") -> str:
    """Macros for the title page and its verso: the project's title, version, abstract and
    licence, and one line per document (author, title, publication, date, rights) taken from
    the sources' metadata, in date order."""
    main, _, subtitle = title.partition(subtitle_sep)
    documents = sorted(load_all(sources_dir), key=lambda d: (d.date.sort_key, d.id))
    items = "\n".join(_source_line(doc) for doc in documents)
    return "\n".join([
        r"\usepackage{edition}",
        rf"\renewcommand\edversion{{{tex(version)}}}",
        rf"\renewcommand\edmaintitle{{{tex(main)}}}",
        rf"\renewcommand\edsubtitle{{{tex(subtitle)}}}",
        rf"\renewcommand\edabstract{{{tex(abstract)}}}",
        rf"\renewcommand\edlicence{{{tex(licence)}}}",
        r"\renewcommand\edsources{\begin{itemize}\setlength\itemsep{2pt}" + "\n" + items + "\n" + r"\end{itemize}}",
    ])


#: The licence of the edition's own text, for the PDF's XMP rights metadata.
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def hyperref_setup(title: str, author: str, subject: str, keywords: list[str], language: str,
                   version: str = "", copyright: str = "", url: str = "") -> str:
    """PDF document information (title, author, subject, keywords), the same as XMP metadata
    (hyperxmp writes the XMP packet from these keys, plus rights, licence, version and
    address), and viewer settings."""
    xmp = rf"keeppdfinfo, pdfpubtype=book, pdflicenseurl={{{LICENCE_URL}}}, "
    if version:
        xmp += rf"pdfversionid={{{tex(version)}}}, "
    if copyright:
        xmp += rf"pdfcopyright={{{tex(copyright)}}}, "
    if url:
        xmp += rf"pdfurl={{{tex(url)}}}, "
    return (
        r"\usepackage{hyperxmp}" "\n"
        # hyperxmp writes the XMP packet at the end of the document, where, after the index's
        # last page, no page takes it: write it with the first page instead.
        r"\makeatletter\AddToHook{shipout/firstpage}{\hyxmp@embed@packet\global\let\hyxmp@embed@packet\relax}\makeatother" "\n"
        r"\hypersetup{"
        rf"pdftitle={{{tex(title)}}}, pdfauthor={{{tex(author)}}}, pdfsubject={{{tex(subject)}}}, "
        rf"pdfkeywords={{{tex(', '.join(keywords))}}}, pdflang={{{tex(language)}}}, " + xmp +
        r"bookmarksopen=true, bookmarksopenlevel=0, pdfdisplaydoctitle=true}"
    )


def latex_elements(
    root: Path, title: str, version: str, author: str, subject: str, keywords: list[str],
    abstract: str = "", licence: str = "", language: str = "en", copyright: str = "", url: str = "",
) -> dict[str, str]:
    """The ``latex_elements`` of the edition: fonts, page layout, title page, notes, index."""
    return {
        "papersize": "a4paper",
        "pointsize": "11pt",
        # TeX Gyre Pagella has every letter of the texts (Áñez, Corrêa, Ortuño, Choquehuanca);
        # a text that brings a character it lacks makes XeLaTeX log "Missing character",
        # which the tests treat as a failure.
        "fontpkg": "\n".join([
            r"\setmainfont{TeX Gyre Pagella}",
            r"\setsansfont{TeX Gyre Heros}[Scale=MatchLowercase]",
            r"\setmonofont{FreeMono}[Scale=MatchLowercase]",
        ]),
        "polyglossia": r"\usepackage{polyglossia}" "\n" r"\setdefaultlanguage{english}" "\n" r"\setotherlanguages{spanish}",
        "babel": "",
        "fncychap": r"\usepackage[Sonny]{fncychap}",
        # Room in the outer margin for the paragraph numbers.
        "sphinxsetup": "hmargin={2.4cm,3.4cm}, vmargin={2.5cm,2.8cm}, marginpar=2.2cm, TitleColor={HTML}{333333}, InnerLinkColor={HTML}{7A4A00}, OuterLinkColor={HTML}{1F4E79}",
        "maketitle": r"\edmaketitle",
        "releasename": "Version",
        "cmappkg": "",
        "preamble": latex_preamble(root / "sources", title, version, abstract, licence) + "\n" + hyperref_setup(title, author, subject, keywords, language, version, copyright, url),
        "printindex": r"\def\indexname{Index of names}\printindex",
    }


class latex_anchor(nodes.Element):
    """Hyperlink targets for ids the LaTeX writer would drop."""


def visit_latex_anchor(self, node: latex_anchor) -> None:
    self.body.append(r"\phantomsection" + "".join(self.hypertarget(anchor, anchor=False) for anchor in node["anchors"]))
    raise nodes.SkipNode


#: Elements whose ids Sphinx's LaTeX writer does not turn into \label.
_UNLABELLED = (nodes.paragraph, nodes.inline, nodes.container, nodes.field_list, nodes.list_item, omission)


def _labelled_by_writer(document: nodes.document) -> set[str]:
    """Ids the LaTeX writer labels itself: a target's ``refid`` (the id docutils moved on
    to the element after the target).  Labelling them again would define them twice."""
    return {t["refid"] for t in document.findall(nodes.target) if t.get("refid") and not t.get("refuri")}


class AddLatexTargets(SphinxPostTransform):
    """Give paragraphs, page breaks, omissions, boxes, list items (the archival register's
    units), rubrics (the glossary's letters) and footnotes (the original's notes, which the
    chronology and the register link to) their ids as LaTeX labels."""

    default_priority = 900
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        done = _labelled_by_writer(self.document)
        for element in list(self.document.findall(nodes.Element)):
            if not isinstance(element, (*_UNLABELLED, nodes.rubric, nodes.footnote, footnotetext)) or not element["ids"]:
                continue
            if isinstance(element, nodes.container) and element.get("literal_block"):
                continue  # the writer labels code blocks with captions itself
            anchors = [i for i in element["ids"] if not i.startswith("index-") and i not in done]
            if not anchors:
                continue
            done.update(anchors)
            if isinstance(element, nodes.rubric):
                # A rubric is a heading command: the label goes just before it.
                element.parent.insert(element.parent.index(element), latex_anchor(anchors=anchors))
            elif isinstance(element, (nodes.footnote, footnotetext)):
                # The writer reads the footnote's number from its first child: label after it,
                # inside the note's text, so a link lands at the foot of the page.
                target = next((c for c in element.children if isinstance(c, nodes.paragraph)), None)
                if target is not None:
                    target.insert(0, latex_anchor(anchors=anchors))
            else:
                element.insert(0, latex_anchor(anchors=anchors))


class DocumentDestinations(SphinxPostTransform):
    """A named destination at the start of each edition document (its header box), named
    by the document's id: the HTML pages' ``citation_pdf_url`` is the PDF with
    ``#nameddest=<id>``, which PDF readers (pdf.js, Acrobat, Preview) open at that page."""

    default_priority = 880
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        ids = set(get_sources(self.env))
        for container in list(self.document.findall(nodes.container)):
            for anchor in container["ids"]:
                doc_id = anchor.removesuffix("-header")
                if anchor.endswith("-header") and doc_id in ids:
                    raw = nodes.raw("", rf"\hypertarget{{{doc_id}}}{{}}%" + "\n", format="latex")
                    container.parent.insert(container.parent.index(container), raw)
                    break


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class AbsoluteLinksInPrint(SphinxPostTransform):
    """A link in the PDF works only when it is absolute: a relative one (the chronology's
    data files, written beside the HTML pages) is resolved against the edition's address,
    and without one the link is dropped and its words kept (the files are not in the book)."""

    default_priority = 850
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        base = self.config.edition_base_url or self.config.html_baseurl or ""
        for node in list(self.document.findall(nodes.reference)):
            uri = node.get("refuri", "")
            if not uri or node.get("internal") or _SCHEME.match(uri) or uri.startswith("#") or "refid" in node:
                continue
            if base:
                node["refuri"] = base.rstrip("/") + "/" + uri.lstrip("/")
            else:
                node.replace_self(nodes.inline(node.astext(), "", *node.children))


class ArrangeForPrint(SphinxPostTransform):
    """Two things that read well on screen but not in a book.

    * What a page has above its title (the web-page furniture a copy shows before the
      article's title, kept as an omission mark) would be printed at the end of the
      previous chapter: it moves to the top of its own chapter, right after the title.
    * MyST's rule before the list of footnotes would be left alone at the end of a
      chapter once LaTeX has set the notes at the foot of their pages.
    """

    default_priority = 800
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for transition in list(self.document.findall(nodes.transition)):
            if "footnotes" in transition["classes"]:
                transition.parent.remove(transition)
        for included in list(self.document.findall(addnodes.start_of_file)):
            section = next((c for c in included.children if isinstance(c, nodes.section)), None)
            if section is None:
                continue
            before = included.children[: included.index(section)]
            moving = [n for n in before if not isinstance(n, nodes.target)]
            if not moving:
                continue
            position = section.first_child_not_matching_class(nodes.title) or len(section.children)
            for node in moving:
                included.remove(node)
            section[position:position] = moving


class NoNoteInANote(SphinxPostTransform):
    """A note cannot hold a note: a footnote inside another one (a ``{footcite}`` in an
    editorial note, which LaTeX sets as a footnote itself) is printed in brackets where it
    stands.  Set as a footnote it would print a stray mark (the enclosing note's letter)
    and lose its text."""

    default_priority = 700  # after Sphinx's LaTeXFootnoteTransform (600) has placed the notes
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        from .editorial import editorial_note_ref

        for footnote in list(self.document.findall(nodes.footnote)):
            parent = footnote.parent
            while parent is not None and not isinstance(parent, (nodes.footnote, footnotetext, editorial_note_ref)):
                parent = parent.parent
            if parent is None:
                continue
            inline = nodes.inline("", "", classes=["ed-editorial", "ed-note-in-note"], ids=footnote["ids"])
            inline += nodes.Text(" [")
            for number, block in enumerate(c for c in footnote.children if isinstance(c, nodes.paragraph)):
                if number:
                    inline += nodes.Text(" ")
                inline.extend(child.deepcopy() for child in block.children)
            inline += nodes.Text("]")
            footnote.replace_self(inline)


#: The class of the chronology's dated markers (one per event a paragraph attests).
EVENT_MARKER_CLASS = "ed-event-marker"
#: The class of the one bracketed group of markers a printed paragraph gets instead.
CHRONOLOGY_REFS_CLASS = "ed-chronology-refs"


class GroupChronologyMarkers(SphinxPostTransform):
    """In print, the dated markers of a paragraph become one small bracketed group.

    On screen each event a paragraph attests is a small dated link after it.  In a book a
    run of dates after the last word ("4 November 1964 4 November 1964 …") would read as
    part of the text; instead the paragraph ends with one editorial group, set small and
    muted, with each date once: "[Chronology: 3–5 November 1964, 4 November 1964]",
    every date a link to (the first of) its events in the appendix.
    """

    default_priority = 800  # after the references are resolved (10)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for paragraph in list(self.document.findall(nodes.paragraph)):
            markers = [c for c in paragraph.children if isinstance(c, nodes.inline) and EVENT_MARKER_CLASS in c["classes"]]
            if not markers:
                continue
            links: dict[str, nodes.Node] = {}
            for marker in markers:
                paragraph.remove(marker)
                link = next((c for c in marker.children if not isinstance(c, nodes.Text)), None)
                if link is not None:
                    links.setdefault(link.astext().strip(), link)
            if not links:
                continue
            group = nodes.inline("", "", classes=["ed-editorial", CHRONOLOGY_REFS_CLASS])
            group += nodes.Text("[Chronology: ")
            for number, link in enumerate(links.values()):
                if number:
                    group += nodes.Text(", ")
                group += link
            group += nodes.Text("]")
            paragraph += nodes.Text(" ")
            paragraph += group


#: The class that sets a glossary mention in the text's own colour in print.
MENTION_CLASS = "ed-mention"


def _quiet_mentions(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In print a name the glossary links stays as the text has it: the link works, but it
    is not coloured like the edition's own cross-references (the index of names and the
    glossary appendix do the glossary's work in a book)."""
    if app.builder.name != "latex":
        return
    domain = app.env.get_domain("ed")
    entities = {key for key, entry in domain.objects.items() if entry[1] == "entity"}  # type: ignore[attr-defined]
    for reference in list(doctree.findall(nodes.reference)):
        fragment = reference.get("refuri", "").rpartition("#")[2] or reference.get("refid", "")
        if fragment in entities and reference.get("ids") and MENTION_CLASS not in reference.parent.get("classes", []):
            wrapper = nodes.inline("", "", classes=[MENTION_CLASS])
            reference.replace_self(wrapper)
            wrapper += reference


class editorial_footnote(nodes.Element):
    """An editorial note of this edition set at the foot of the page, in its own series."""


def visit_editorial_footnote(self, node: editorial_footnote) -> None:
    self.body.append(r"\edEditorialNote{")


def depart_editorial_footnote(self, node: editorial_footnote) -> None:
    self.body.append("}")


#: The class that marks a footnote as this edition's, not the original's.
EDITORIAL_NOTE_CLASS = "ed-editorial-note"


class EditorialFootnotes(SphinxPostTransform):
    """Set this edition's notes apart from the original's at the foot of the page.

    A footnote with the class ``ed-editorial-note`` is printed in a second series of
    footnotes (lettered a, b, c, below the original's numbered notes, opening with "Ed."),
    so a reader never takes the editors' words for the source's.
    """

    default_priority = 650  # after Sphinx's LaTeXFootnoteTransform (600) has put notes in place
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for footnote in list(self.document.findall(nodes.footnote)):
            if EDITORIAL_NOTE_CLASS not in footnote["classes"]:
                continue
            note = editorial_footnote(ids=footnote["ids"], classes=footnote["classes"])
            note.extend(child.deepcopy() for child in footnote.children if not isinstance(child, nodes.label))
            footnote.replace_self(note)


class MergeBibliography(SphinxPostTransform):
    """Print the bibliography page once, as the bibliography of the volume.

    Sphinx's LaTeX writer gathers every citation into one bibliography at the end of the
    book (its own chapter, after the appendices).  The bibliography page, included so that
    its citations are there, would otherwise leave an empty appendix behind: keep only its
    citations, and let them be gathered.
    """

    default_priority = 700  # before Sphinx's BibliographyTransform (750) gathers citations
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for appendix in list(self.document.findall(nodes.document)):
            if appendix is self.document or appendix.get("docname") != BIBLIOGRAPHY_PAGE:
                continue
            citations = list(appendix.findall(nodes.citation))
            for citation in citations:
                citation.parent.remove(citation)
            appendix.children = []
            appendix.extend(citations)


class IndexDocumentAuthors(SphinxTransform):
    """Index the authors and editors of each document ("Mack, Eitay") at its header box."""

    default_priority = 600

    def apply(self, **kwargs: Any) -> None:
        document = current_document(self.env)
        if document is None:
            return
        source = get_sources(self.env).get(document["id"])
        if source is None:
            return
        header = next((n for n in self.document.findall(nodes.container) if "ed-docheader" in n["classes"]), None)
        if header is None:
            return
        entries = []
        for person in _authors(source, ("author", "editor", "series editor")):
            name = f"{person['family']}, {person['given']}" if person.get("given") else person["family"]
            entries.append(("single", name, "", "", None))
        if not entries:
            return
        target_id = f"index-{self.env.new_serialno('index')}"
        entries = [(kind, name, target_id, main, key) for kind, name, _, main, key in entries]
        header.insert(0, addnodes.index(entries=entries))
        header.insert(0, nodes.target("", "", ids=[target_id]))


#: xindy's language module for the index of names.  Sphinx chooses "english" for an
#: English edition, which files "Áñez" under O; "general" sorts an accented letter
#: with its base letter (Áñez under A, Ortuño after Ortiz), as English indexes do.
XINDY_LANGUAGE = "general"
_XINDY_OPTIONS = re.compile(r"^(export XINDYOPTS = )-L \S+ -C utf8(.*)$", flags=re.M)
#: The edition's xindy markup (page ranges with an en dash), loaded after Sphinx's own.
XINDY_STYLE = Path(__file__).parent / "latex" / "edition.xdy"


def _use_xindy_language(app: Sphinx, exception: Exception | None) -> None:
    """Rewrite the xindy options Sphinx wrote into the LaTeX build's Makefile."""
    if exception is not None or app.builder.name != "latex" or not app.config.latex_use_xindy:
        return
    makefile = Path(app.outdir) / "Makefile"
    if makefile.exists():
        text = makefile.read_text(encoding="utf-8")
        options = rf"\1-L {XINDY_LANGUAGE} -C utf8\2 -M {XINDY_STYLE.name}"
        makefile.write_text(_XINDY_OPTIONS.sub(options, text), encoding="utf-8")
        (Path(app.outdir) / XINDY_STYLE.name).write_text(XINDY_STYLE.read_text(encoding="utf-8"), encoding="utf-8")


# -- EPUB: what a reading system cannot take -------------------------------------------

#: The chronology's list of data downloads: the files are written with the HTML edition only.
CHRONOLOGY_DOWNLOADS_CLASS = "ed-chronology-downloads"


class LeaveOutOfEpub(SphinxPostTransform):
    """Leave out of the EPUB what belongs to the web edition, not to the book.

    * "Cite this" boxes: their download links point at files written next to the HTML
      pages, not into the book (and ``<a download>`` is not XHTML);
    * raw HTML (the chronology's filters, with their ``<style>`` and radio buttons, and its
      SVG timeline): made for a browser's page, not valid in an EPUB content document;
    * the chronology's list of data downloads, which are not in the book either.

    The texts, notes, paragraph numbers and the apparatus pages stay whole.
    """

    default_priority = 800
    builders = ("epub",)

    def run(self, **kwargs: Any) -> None:
        from .cite import cite_box

        for node in list(self.document.findall(cite_box)):
            node.parent.remove(node)
        for node in list(self.document.findall(nodes.raw)):
            if "html" in node.get("format", "").split():
                node.parent.remove(node)
        for node in list(self.document.findall(nodes.paragraph)):
            if CHRONOLOGY_DOWNLOADS_CLASS in node["classes"]:
                node.parent.remove(node)


def _plain_mentions_in_epub(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """EPUB: a glossary mention becomes a plain link whose preview is its ``title``.

    The HTML edition gives the preview in ``data-tip`` and ``aria-description``; EPUB's
    XHTML has no ``aria-description``, and a reading system shows a link's title itself.
    """
    if app.builder.name != "epub":
        return
    from .glossary import entity_mention

    for node in list(doctree.findall(entity_mention)):
        if not node.get("refuri"):
            continue
        text = node.astext()
        title = f"{node['headword']}: {node['preview']}" if node.get("preview") else node.get("headword", "")
        reference = nodes.reference(text, text, refuri=node["refuri"], internal=True, classes=["ed-mention-link"])
        if title:
            reference["reftitle"] = title
        wrapper = nodes.inline("", "", reference, ids=node.get("ids", []), classes=node["classes"])
        node.replace_self(wrapper)


_HAS_SELECTOR = re.compile(r"([^{}]+)\{([^{}]*)\}")


def epub_safe_css(css: str) -> str:
    """The stylesheet without the selectors EPUB's CSS profile rejects (``:has()``):
    a rule keeps its other selectors, and goes when ``:has()`` was all it had."""

    def keep(match: re.Match) -> str:
        selectors, body = match.group(1), match.group(2)
        if ":has(" not in selectors:
            return match.group(0)
        lead = selectors[: len(selectors) - len(selectors.lstrip())]
        kept = [s.strip() for s in selectors.split(",") if ":has(" not in s]
        return f"{lead}{', '.join(kept)} {{{body}}}" if kept else lead

    return _HAS_SELECTOR.sub(keep, css)


def _epub_stylesheet(app: Sphinx) -> None:
    """EPUB: ship an EPUB-safe copy of edition.css under the same name (a static path
    listed after the extension's own wins)."""
    if app.builder.name != "epub":
        return
    from . import STATIC_DIR

    folder = Path(app.doctreedir) / "epub-static"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edition.css").write_text(epub_safe_css((STATIC_DIR / "edition.css").read_text(encoding="utf-8")), encoding="utf-8")
    app.config.html_static_path.append(str(folder))


def _add_epub_css(app: Sphinx) -> None:
    if app.builder.name == "epub":
        app.add_css_file("edition-epub.css")


# -- EPUB 3: footnotes, language, contributors, accessibility, the index in the contents ---

_HTML_TAG = re.compile(r"<html(?P<attrs>[^>]*)>")
_NOTE_ASIDE = re.compile(r'<aside(?P<attrs>[^>]*\b(?:role="doc-footnote"|class="ed-enote[^"]*")[^>]*)>')
_NOTE_REF = re.compile(r'<a(?P<attrs>[^>]*\brole="doc-noteref"[^>]*)>')


def epub_content(xhtml: str, language: str) -> str:
    """One content document made EPUB 3 proper: the language on its root element, and the
    notes as pop-up footnotes (``aside epub:type="footnote"``, ``a epub:type="noteref"``),
    which Apple Books, Kobo and Thorium show in place."""

    def html_tag(match: re.Match) -> str:
        attrs = match["attrs"]
        if " lang=" not in attrs:
            attrs += f' lang="{language}"'
        if "xml:lang=" not in attrs:
            attrs += f' xml:lang="{language}"'
        return f"<html{attrs}>"

    def typed(kind: str):
        def add(match: re.Match) -> str:
            attrs = match["attrs"]
            tag = match.group(0)[1:].split(None, 1)[0].rstrip(">")
            return match.group(0) if "epub:type=" in attrs else f'<{tag}{attrs} epub:type="{kind}">'
        return add

    xhtml = _HTML_TAG.sub(html_tag, xhtml, count=1)
    xhtml = _NOTE_ASIDE.sub(typed("footnote"), xhtml)
    return _NOTE_REF.sub(typed("noteref"), xhtml)


#: EPUB Accessibility 1.1 metadata (schema.org terms, a prefix every reading system knows).
ACCESSIBILITY = (
    ("schema:accessMode", "textual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "index"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary", "The book is text only: headings and lists are marked up, every paragraph is numbered, "
     "notes are linked both ways, and the contents and the index are in the navigation."),
)


def epub_package(opf: str, contributors: list[str]) -> str:
    """content.opf with the texts' authors and editors as contributors (not Sphinx's
    "unknown") and the accessibility metadata."""
    from html import escape

    lines = [f"    <dc:contributor>{escape(name)}</dc:contributor>" for name in contributors]
    lines += [f'    <meta property="{prop}">{escape(value)}</meta>' for prop, value in ACCESSIBILITY]
    opf = re.sub(r"[ \t]*<dc:contributor>unknown</dc:contributor>\n?", "", opf)
    return opf.replace("  </metadata>", "\n".join(lines) + "\n  </metadata>", 1)


def epub_nav(nav: str, index_href: str, label: str = "Index") -> str:
    """The navigation document with the index as the last entry of the contents."""
    if f'href="{index_href}"' in nav:
        return nav
    match = list(re.finditer(r"</ol>", nav))
    if not match:
        return nav
    first_nav_end = nav.find("</nav>")
    closing = [m for m in match if first_nav_end < 0 or m.start() < first_nav_end][-1]
    return nav[:closing.start()] + f'<li><a href="{index_href}">{label}</a></li>\n' + nav[closing.start():]


def _contributors(app: Sphinx) -> list[str]:
    names: list[str] = []
    for doc in sorted(get_sources(app.env).values(), key=lambda d: d.id):
        for author in _authors(doc, ("author", "editor", "series editor")):
            name = " ".join(p for p in (author.get("given", ""), author["family"]) if p)
            if name not in names:
                names.append(name)
    return names


def _finish_epub(app: Sphinx, exception: Exception | None) -> None:
    """After Sphinx has written the book: make it EPUB 3 proper, then zip it again."""
    if exception is not None or app.builder.name != "epub":
        return
    outdir = Path(app.outdir)
    language = app.config.language or "en"
    for path in sorted(outdir.rglob("*.xhtml")):
        text = path.read_text("utf-8")
        fixed = epub_content(text, language)
        if fixed != text:
            path.write_text(fixed, "utf-8")
    opf = outdir / "content.opf"
    opf.write_text(epub_package(opf.read_text("utf-8"), _contributors(app)), "utf-8")
    if app.config.epub_use_index and (outdir / "genindex.xhtml").is_file():
        nav = outdir / "nav.xhtml"
        nav.write_text(epub_nav(nav.read_text("utf-8"), "genindex.xhtml", "Index of names"), "utf-8")
    app.builder.build_epub()  # type: ignore[attr-defined]


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _finish_epub)
    app.connect("builder-inited", _add_epub_css)
    app.connect("builder-inited", _epub_stylesheet, priority=600)  # after the extension's static path
    app.add_post_transform(LeaveOutOfEpub)
    app.connect("doctree-resolved", _plain_mentions_in_epub, priority=600)
    app.connect("build-finished", _use_xindy_language)
    app.add_node(latex_anchor, latex=(visit_latex_anchor, None))
    app.add_node(editorial_footnote, latex=(visit_editorial_footnote, depart_editorial_footnote))
    app.add_post_transform(EditorialFootnotes)
    app.add_post_transform(AddLatexTargets)
    app.add_post_transform(MergeBibliography)
    app.add_post_transform(ArrangeForPrint)
    app.add_post_transform(AbsoluteLinksInPrint)
    app.add_post_transform(DocumentDestinations)
    app.add_post_transform(GroupChronologyMarkers)
    app.add_post_transform(NoNoteInANote)
    app.connect("doctree-resolved", _quiet_mentions, priority=600)  # after the glossary links its mentions
    app.add_transform(IndexDocumentAuthors)
