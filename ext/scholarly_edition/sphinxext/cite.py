"""“Cite this document / paragraph”, downloads, and metadata for reference managers.

* After the header box of each edition document a ``cite_box`` node offers the document's
  citation in Chicago, MLA and APA with links to BibTeX, RIS and CSL-JSON files; after each
  numbered paragraph a smaller one cites that paragraph.  The node holds plain data (doc id,
  paragraph number); the text is rendered when the page is written, from the source
  metadata, so it is the same under ``-j`` and on incremental builds.  Without JavaScript
  the citations are readable text in ``<details>``; ``edition-cite.js`` adds copy buttons
  and, when the edition's base URL is not configured, fills in the address the reader is
  actually at.
* Each document page gets Highwire Press ``citation_*`` tags (Google Scholar, Zotero),
  Dublin Core ``DC.*`` tags and schema.org JSON-LD.  A field whose value is not known is
  left out, never guessed: no page URL without ``edition_base_url``, no date where the
  source's date is an open interval.
* Every page shows the edition's version beside its title.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..citation import (
    Citations,
    DocDate,
    Edition,
    Target,
    bibtex,
    bibtex_edition,
    csl_json,
    csl_type,
    names_of,
    source_item,
    ris,
)
from ..metadata import SourceDocument
from ..trust import inert_json
from . import buildcache
from .domain import EditionDomain
from .paragraphs import current_document, paragraph_number
from .registry import get_sources

DOWNLOAD_DIR = "cite"
DOWNLOADS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))
HINT = ("Square brackets mark what the editors supply: a date inferred from the text, or an author "
        "the source does not name but another source does. A work whose author is not named is cited by its title.")


class cite_box(nodes.General, nodes.Element):
    """Where a “Cite this …” box goes; rendered at write time from the source metadata."""


def edition_of(config) -> Edition:
    """The edition as a citable work, from the configuration."""
    base = config.edition_base_url or config.html_baseurl or ""
    return Edition(config.edition_title or config.project, config.release, base, str(config.edition_released or ""))


def citations_of(app_or_builder) -> Citations:
    """The build's citations: every document rendered by the CSL processor in one batch per
    style, cached on disk (by content hash) beside the doctrees, so a parallel write and an
    incremental rebuild reuse the result.

    Made once per build (:func:`buildcache.per_build`): every cite box asks for it, and
    building its key from every document's CSL item on each call made the write phase
    quadratic in the number of documents.  A new build (``sphinx-autobuild`` included) is
    a new application, so an edited source is always rendered anew."""
    env = app_or_builder.env

    def make() -> Citations:
        sources = get_sources(env)
        docs = [sources[d] for d in sorted(document_pages(env))]
        return Citations(docs, edition_of(env.config), Path(env.doctreedir) / "citeproc")

    return buildcache.per_build(env, "citations", make)


def prepare_citations(app: Sphinx, env) -> None:
    """Render the citations in the main process, before the pages are written (in parallel)."""
    if app.builder.format == "html" and document_pages(env):
        citations_of(app).prepare()


class InsertCiteBoxes(SphinxTransform):
    """Put a document cite box after the header and a paragraph cite box after each ¶."""

    default_priority = 520  # after NumberParagraphs (500)

    def apply(self, **kwargs: Any) -> None:
        document = current_document(self.env)
        if document is None:
            return
        for header in list(self.document.findall(nodes.container)):
            if f"{document['id']}-header" in header["ids"]:
                box = cite_box(doc_id=document["id"], number=None, anchor="")
                header.parent.insert(header.parent.index(header) + 1, box)
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if "ed-para" not in paragraph["classes"]:
                continue
            marker = next(iter(paragraph.findall(paragraph_number)), None)
            if marker is None:
                continue
            anchor = next((i for i in paragraph["ids"] if i.endswith(f"-p{marker['number']}")), None)
            if anchor is None:
                continue
            box = cite_box(doc_id=document["id"], number=marker["number"], anchor=anchor)
            paragraph.parent.insert(paragraph.parent.index(paragraph) + 1, box)


def download_uri(page_uri: str, doc_id: str, ext: str) -> str:
    """Relative link from a page to one of its downloads."""
    return posixpath.relpath(f"{DOWNLOAD_DIR}/{doc_id}.{ext}", posixpath.dirname(page_uri) or ".")


def render_box(target: Target, citations: Citations, page_uri: str, downloads: bool) -> str:
    """The HTML of one cite box."""
    what = f"¶ {target.paragraph}" if target.paragraph is not None else "this document"
    kind = "ed-cite-para" if target.paragraph is not None else "ed-cite-doc"
    out = [f'<details class="ed-cite {kind}" data-ed-page="{html.escape(page_uri)}">',
           f'<summary class="ed-cite-summary" title="Cite {html.escape(what)}"><span class="ed-cite-label">Cite {html.escape(what)}</span></summary>',
           '<div class="ed-cite-body">']
    for rendered in citations.render_all(target):
        out.append(f'<div class="ed-cite-style" data-style="{rendered.style}"><p class="ed-cite-style-name">{html.escape(rendered.label)}</p>')
        for form, markup in rendered.forms:
            out.append(f'<p class="ed-cite-form"><span class="ed-cite-kind">{html.escape(form)}</span> <span class="ed-cite-text">{markup}</span></p>')
        out.append("</div>")
    if downloads:
        links = " · ".join(
            f'<a class="ed-cite-download" href="{html.escape(download_uri(page_uri, target.document.id, ext))}" download>{label}</a>'
            for ext, label in DOWNLOADS)
        out.append(f'<p class="ed-cite-downloads">Download: {links}</p>')
    out.append(f'<p class="ed-cite-hint">{html.escape(HINT)}</p>')
    out.append("</div></details>\n")
    return "\n".join(out)


def render_paragraph_box(number: int, anchor: str) -> str:
    """The HTML of a paragraph's cite box before JavaScript fills it: the bare control.

    The citations themselves are in one JSON file per document (:func:`paragraph_citations`),
    fetched by ``edition-cite.js`` when a reader opens a box, so that a long document does not
    carry three styles of citation for each of its paragraphs.  Without JavaScript the box is
    hidden (``edition-cite.css``) and the paragraph's ¶ number, a permalink, is the fallback.
    """
    return f'<details class="ed-cite ed-cite-para" data-ed-para="{number}"><summary>Cite ¶ {number}</summary></details>\n'


def paragraph_citations(target: Target, citations: Citations) -> list[dict[str, Any]]:
    """One paragraph's citations as data for the JSON file (style, label, [form, HTML])."""
    return [{"style": r.style, "label": r.label, "forms": [list(form) for form in r.forms]} for r in citations.render_all(target)]


#: per writing process: docname -> doc id -> {"page", "paragraphs": {number: citations}}, written with the page
_PARAGRAPH_CITATIONS: dict[str, dict[str, dict[str, Any]]] = {}


def visit_cite_box_html(self, node: cite_box) -> None:
    builder = self.builder
    doc = get_sources(builder.env)[node["doc_id"]]
    # singlehtml addresses a page as "index.html#document-…": the paragraph's own id is the fragment.
    page_uri = builder.get_target_uri(builder.current_docname).split("#", 1)[0]
    path = page_uri + (f"#{node['anchor']}" if node["anchor"] else "")
    target = Target(doc, path, node["number"])
    if node["number"] is None or builder.name == "epub":
        markup = render_box(target, citations_of(builder), page_uri, downloads=node["number"] is None)
        if node["number"] is None and builder.name != "epub":
            src = download_uri(page_uri, doc.id, PARAGRAPHS_EXT)
            markup = markup.replace("<details ", f'<details data-ed-paragraphs="{html.escape(src)}" ', 1)
        self.body.append(markup)
    else:
        entry = _PARAGRAPH_CITATIONS.setdefault(builder.current_docname, {}).setdefault(doc.id, {"page": page_uri, "paragraphs": {}})
        entry["paragraphs"][str(node["number"])] = paragraph_citations(target, citations_of(builder))
        self.body.append(render_paragraph_box(node["number"], node["anchor"]))
    raise nodes.SkipNode


PARAGRAPHS_EXT = "paragraphs.json"


def write_paragraph_citations(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Write cite/<doc id>.paragraphs.json for the page just translated (in the writing process)."""
    entries = _PARAGRAPH_CITATIONS.pop(pagename, None)
    if not entries or app.builder.format != "html" or app.builder.name == "epub":
        return
    outdir = Path(app.outdir) / DOWNLOAD_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    for doc_id, entry in sorted(entries.items()):
        data = {"page": entry["page"], "hint": HINT, "paragraphs": entry["paragraphs"]}
        (outdir / f"{doc_id}.{PARAGRAPHS_EXT}").write_text(inert_json(data) + "\n", "utf-8")


def skip_node(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


# --------------------------------------------------------------------------- downloads


def document_pages(env) -> dict[str, str]:
    """doc id -> docname of every edition document in this build."""
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    return {doc_id: info["docname"] for doc_id, info in domain.documents.items()}


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Write cite/<id>.bib|ris|json for each document, and cite/edition.* with all of them."""
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":  # web files, not the book's
        return
    sources = get_sources(app.env)
    edition = edition_of(app.config)
    from . import exports

    outdir = exports.staging_dir(app) / DOWNLOAD_DIR  # published by exports.publish after a clean build only
    outdir.mkdir(parents=True, exist_ok=True)
    targets: list[Target] = []
    for doc_id, docname in sorted(document_pages(app.env).items()):
        target = Target(sources[doc_id], app.builder.get_target_uri(docname))
        targets.append(target)
        (outdir / f"{doc_id}.bib").write_text(bibtex(target, edition) + "\n" + bibtex_edition(edition), "utf-8")
        (outdir / f"{doc_id}.ris").write_text(ris(target, edition), "utf-8")
        (outdir / f"{doc_id}.json").write_text(csl_json([target], edition), "utf-8")
    (outdir / "edition.bib").write_text("\n".join([bibtex(t, edition) for t in targets] + [bibtex_edition(edition)]), "utf-8")
    (outdir / "edition.ris").write_text("\n".join(ris(t, edition) for t in targets), "utf-8")
    (outdir / "edition.json").write_text(csl_json(targets, edition, with_edition=True), "utf-8")


# --------------------------------------------------------------------------- metadata


def _author_names(doc: SourceDocument) -> list[tuple[str, str]]:
    """(display, schema.org type) of the authors known (named, or attributed with a basis)."""
    return [(n.inverted() if n.given else n.family, "Person" if n.given else "Organization") for n in names_of(doc, "author")]


def pdf_name(config) -> str:
    """The edition's PDF as published beside the HTML (``make pdf`` copies it there)."""
    documents = getattr(config, "latex_documents", None) or []
    return documents[0][1].removesuffix(".tex") + ".pdf" if documents else ""


def pdf_link(config, edition: Edition, page_uri: str, doc_id: str) -> str:
    """The document in the edition's PDF: the named destination the print build puts at
    its start (``printing.DocumentDestinations``).  Absolute when the edition's address is
    known, else relative to the page."""
    name = pdf_name(config)
    if not name:
        return ""
    fragment = f"#nameddest={doc_id}"
    if edition.base_url:
        return edition.url(name) + fragment
    return posixpath.relpath(name, posixpath.dirname(page_uri) or ".") + fragment


#: What readers of Highwire tags (Zotero, Google Scholar) and Open Graph should take each item
#: type for: DC.type as Zotero's item type names, og:type.
ITEM_KINDS = {
    "article-newspaper": ("newspaperArticle", "article"),
    "article-magazine": ("magazineArticle", "article"),
    "post-weblog": ("blogPost", "article"),
    "article-journal": ("journalArticle", "article"),
    "chapter": ("bookSection", "article"),
}


def metadata_fields(doc: SourceDocument, edition: Edition, page_uri: str, pdf_url: str = "") -> list[tuple[str, str]]:
    """Highwire Press, Dublin Core and Open Graph (name, content) pairs for one document page.

    ``citation_journal_title`` only for a journal article (Zotero and Scholar take any page
    with it for one); a chapter gets the book's title and series; journalism gets its site
    as ``og:site_name`` and its kind as ``DC.type``.  Every page has a date: the most
    precise certain one, or the earliest year.
    """
    meta, date, item = doc.meta, DocDate.of(doc), source_item(doc)
    kind = csl_type(doc)
    iso = date.iso() or date.year()
    page_url = edition.url(page_uri) if edition.base_url else ""
    fields: list[tuple[str, str]] = [("citation_title", meta["title"])]
    fields += [("citation_author", name) for name, _ in _author_names(doc)]
    if iso:
        fields.append(("citation_date", iso.replace("-", "/")))
        fields.append(("citation_publication_date", iso.replace("-", "/")))
    if kind == "article-journal":
        fields.append(("citation_journal_title", item["container-title"]))
    elif kind == "chapter":
        book = item["container-title"] + (f", vol. {item['volume']}, {item['volume-title']}" if item.get("volume-title") else "")
        fields.append(("citation_inbook_title", book))
        fields.append(("citation_book_title", book))
        if item.get("volume"):
            fields.append(("citation_volume", str(item["volume"])))
        if meta.get("number"):
            fields.append(("citation_technical_report_number", str(meta["number"])))
    for name in names_of(doc, "editor"):
        fields.append(("citation_editor", name.inverted()))
    if item.get("publisher"):
        fields.append(("citation_publisher", item["publisher"]))
    fields.append(("citation_language", meta["language"]))
    if page_url:
        fields += [("citation_public_url", page_url), ("citation_fulltext_html_url", page_url)]
    if pdf_url:
        fields.append(("citation_pdf_url", pdf_url))
    fields.append(("DC.title", meta["title"]))
    fields += [("DC.creator", name) for name, _ in _author_names(doc)]
    if iso:
        fields.append(("DC.date", iso))
    fields.append(("DC.type", ITEM_KINDS.get(kind, ("document", ""))[0]))
    fields.append(("DC.format", "text/html"))
    fields.append(("DC.language", meta["language"]))
    if item.get("publisher"):
        fields.append(("DC.publisher", item["publisher"]))
    fields.append(("DC.source", meta["url"] if meta.get("url") else item["container-title"]))
    fields.append(("DC.relation.ispartof", edition.title))
    fields.append(("DC.rights", meta["rights"]))
    if meta.get("summary"):
        fields.append(("DC.description", meta["summary"]))
    if page_url:
        fields.append(("DC.identifier", page_url))
    return fields


def open_graph(doc: SourceDocument, edition: Edition, page_uri: str) -> list[tuple[str, str]]:
    """Open Graph (property, content) pairs: what link previews and some importers read."""
    meta, date, item = doc.meta, DocDate.of(doc), source_item(doc)
    out = [("og:type", ITEM_KINDS.get(csl_type(doc), ("", "article"))[1]), ("og:title", meta["title"]),
           ("og:site_name", item["container-title"] if doc.meta["genre"] == "journalism" else edition.title)]
    if edition.base_url:
        out.append(("og:url", edition.url(page_uri)))
    if meta.get("summary"):
        out.append(("og:description", meta["summary"]))
    if date.iso():
        out.append(("article:published_time", date.iso()))
    out += [("article:author", " ".join(reversed(name.split(", ", 1)))) for name, _ in _author_names(doc)]
    return out


SCHEMA_TYPES = {"article-newspaper": "NewsArticle", "article-magazine": "Article", "post-weblog": "BlogPosting",
                "article-journal": "ScholarlyArticle", "chapter": "Chapter"}


def edition_json_ld(edition: Edition, author: str = "") -> dict[str, Any]:
    """schema.org description of the edition as a whole."""
    data: dict[str, Any] = {"@type": "Book", "name": edition.title, "version": edition.version, "bookFormat": "https://schema.org/EBook"}
    if author:
        data["author"] = {"@type": "Organization", "name": author}
    if edition.released:
        data["datePublished"] = edition.released
    if edition.base_url:
        data["url"] = edition.url("")
        data["@id"] = edition.url("")
    return data


def json_ld(doc: SourceDocument, edition: Edition, page_uri: str, pdf_url: str = "", author: str = "") -> dict[str, Any]:
    """schema.org description of the document as it stands in the edition: part of the
    edition, based on the original publication."""
    meta, date, item = doc.meta, DocDate.of(doc), source_item(doc)
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": SCHEMA_TYPES.get(csl_type(doc), "CreativeWork"),
                            "name": meta["title"], "headline": meta["title"]}
    authors = [{"@type": kind, "name": name if kind == "Organization" else " ".join(reversed(name.split(", ", 1)))} for name, kind in _author_names(doc)]
    if authors:
        data["author"] = authors
    editors = [{"@type": "Person", "name": n.natural()} for n in names_of(doc, "editor")]
    if editors:
        data["editor"] = editors
    if date.iso() or date.year():
        data["datePublished"] = date.iso() or date.year()
    original: dict[str, Any] = {"@type": "Periodical" if csl_type(doc) != "chapter" else "Book", "name": item["container-title"]}
    if item.get("volume-title"):
        original = {"@type": "PublicationVolume", "volumeNumber": item["volume"], "name": item["volume-title"], "isPartOf": original}
    if item.get("publisher"):
        original["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    based: dict[str, Any] = {"@type": "CreativeWork", "name": meta["title"], "isPartOf": original}
    if meta.get("url"):
        based["url"] = meta["url"]
        data["sameAs"] = meta["url"]
    data["isBasedOn"] = based
    data["inLanguage"] = meta["language"]
    data["copyrightNotice"] = meta["rights"]
    if meta.get("summary"):
        data["description"] = meta["summary"]
    data["isPartOf"] = edition_json_ld(edition, author)
    data["workExample"] = {"@type": "CreativeWork", "name": edition.title, "version": edition.version}
    if edition.base_url:
        data["url"] = edition.url(page_uri)
    if pdf_url:
        data["encoding"] = {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": pdf_url}
    return data


def _meta_tag(name: str, value: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(value)}" />'


def add_page_metadata(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Version beside the title on every page; citation metadata on document pages and on
    the landing page (the edition as a whole)."""
    edition = edition_of(app.config)
    title = context.get("docstitle") or app.config.html_title or app.config.project
    context["docstitle"] = f"{title} · v{edition.version}"
    page_uri = app.builder.get_target_uri(pagename)
    if pagename == app.config.root_doc:
        data = {"@context": "https://schema.org", **edition_json_ld(edition, app.config.author)}
        tags = [_meta_tag("citation_title", edition.title), _meta_tag("DC.title", edition.title), _meta_tag("DC.type", "book"),
                _meta_tag("citation_author", app.config.author), _meta_tag("DC.creator", app.config.author),
                _meta_tag("og:type", "book", "property"), _meta_tag("og:title", edition.title, "property")]
        if edition.released:
            tags += [_meta_tag("citation_date", edition.released.replace("-", "/")), _meta_tag("DC.date", edition.released)]
        payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
        tags.append(f'<script type="application/ld+json">\n{payload}\n</script>')
        context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags) + "\n"
        return
    doc_id = next((d for d, name in document_pages(app.env).items() if name == pagename), None)
    if doc_id is None:
        return
    doc = get_sources(app.env)[doc_id]
    pdf_url = pdf_link(app.config, edition, page_uri, doc_id)
    tags = [_meta_tag(name, value) for name, value in metadata_fields(doc, edition, page_uri, pdf_url)]
    tags += [_meta_tag(name, value, "property") for name, value in open_graph(doc, edition, page_uri)]
    tags.append('<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />')
    for ext, label in DOWNLOADS:
        mime = {"bib": "application/x-bibtex", "ris": "application/x-research-info-systems", "json": "application/vnd.citationstyles.csl+json"}[ext]
        tags.append(f'<link rel="alternate" type="{mime}" title="{label}" href="{html.escape(download_uri(page_uri, doc_id, ext))}" />')
    payload = json.dumps(json_ld(doc, edition, page_uri, pdf_url, app.config.author), ensure_ascii=False, indent=1).replace("</", "<\\/")
    tags.append(f'<script type="application/ld+json">\n{payload}\n</script>')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags) + "\n"


def version_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{edition-version}`x```: the edition's version (the release), as text."""
    config = inliner.document.settings.env.config
    return [nodes.inline(rawtext, config.release, classes=["ed-version"])], []


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_base_url", "", "html", types=[str])
    app.add_config_value("edition_title", "", "env", types=[str])
    # The release date of this version (ISO 8601), as CITATION.cff gives it: cited with the version.
    app.add_config_value("edition_released", "", "env", types=[str])
    app.add_node(
        cite_box,
        html=(visit_cite_box_html, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_transform(InsertCiteBoxes)
    app.add_role("edition-version", version_role)
    app.connect("html-page-context", add_page_metadata)
    app.connect("html-page-context", write_paragraph_citations)
    app.connect("build-finished", write_downloads)
    from . import exports

    exports.register(DOWNLOAD_DIR)
    app.connect("env-check-consistency", prepare_citations)
    app.add_css_file("edition-cite.css")
    app.add_js_file("edition-cite.js", loading_method="defer")
