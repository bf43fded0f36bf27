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

from .. import __version__
from ..citation import (
    DocDate,
    Edition,
    Target,
    names_of,
    bibtex,
    csl_json,
    render_all,
    ris,
)
from ..metadata import SourceDocument
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
    return Edition(config.edition_title or config.project, config.release or __version__, base)


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


def render_box(target: Target, edition: Edition, page_uri: str, downloads: bool) -> str:
    """The HTML of one cite box."""
    what = f"¶ {target.paragraph}" if target.paragraph is not None else "this document"
    kind = "ed-cite-para" if target.paragraph is not None else "ed-cite-doc"
    out = [f'<details class="ed-cite {kind}" data-ed-page="{html.escape(page_uri)}">',
           f'<summary class="ed-cite-summary" title="Cite {html.escape(what)}"><span class="ed-cite-label">Cite {html.escape(what)}</span></summary>',
           '<div class="ed-cite-body">']
    for rendered in render_all(target, edition):
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


def visit_cite_box_html(self, node: cite_box) -> None:
    builder = self.builder
    doc = get_sources(builder.env)[node["doc_id"]]
    # singlehtml addresses a page as "index.html#document-…": the paragraph's own id is the fragment.
    page_uri = builder.get_target_uri(builder.current_docname).split("#", 1)[0]
    path = page_uri + (f"#{node['anchor']}" if node["anchor"] else "")
    target = Target(doc, path, node["number"])
    self.body.append(render_box(target, edition_of(builder.config), page_uri, downloads=node["number"] is None))
    raise nodes.SkipNode


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
    outdir = Path(app.outdir) / DOWNLOAD_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    targets: list[Target] = []
    for doc_id, docname in sorted(document_pages(app.env).items()):
        target = Target(sources[doc_id], app.builder.get_target_uri(docname))
        targets.append(target)
        (outdir / f"{doc_id}.bib").write_text(bibtex(target, edition), "utf-8")
        (outdir / f"{doc_id}.ris").write_text(ris(target, edition), "utf-8")
        (outdir / f"{doc_id}.json").write_text(csl_json([target], edition), "utf-8")
    (outdir / "edition.bib").write_text("\n".join(bibtex(t, edition) for t in targets), "utf-8")
    (outdir / "edition.ris").write_text("\n".join(ris(t, edition) for t in targets), "utf-8")
    (outdir / "edition.json").write_text(csl_json(targets, edition), "utf-8")


# --------------------------------------------------------------------------- metadata


def _author_names(doc: SourceDocument) -> list[tuple[str, str]]:
    """(display, schema.org type) of the authors known (named, or attributed with a basis)."""
    return [(n.inverted().strip("[]") if n.given else n.family, "Person" if n.given else "Organization") for n in names_of(doc, "author")]


def metadata_fields(doc: SourceDocument, edition: Edition, page_uri: str) -> list[tuple[str, str]]:
    """Highwire Press and Dublin Core (name, content) pairs for one document page."""
    meta, date = doc.meta, DocDate.of(doc)
    iso = date.iso()
    container = meta.get("container") or meta["outlet"]
    page_url = edition.url(page_uri) if edition.base_url else ""
    fields: list[tuple[str, str]] = [("citation_title", meta["title"])]
    fields += [("citation_author", name) for name, _ in _author_names(doc)]
    if iso:
        fields.append(("citation_publication_date", iso.replace("-", "/")))
    if meta["genre"] == "primary source" or meta.get("container"):
        fields.append(("citation_inbook_title", container))
        if meta.get("container"):
            fields.append(("citation_series_title", meta["outlet"]))
    else:
        fields.append(("citation_journal_title", container))
    for name in names_of(doc, "editor"):
        fields.append(("citation_editor", name.inverted()))
    for key, field in (("citation_publisher", "publisher"), ("citation_volume", "volume"), ("citation_issue", "issue")):
        if meta.get(field):
            fields.append((key, str(meta[field])))
    fields.append(("citation_language", meta["language"]))
    if page_url:
        fields += [("citation_public_url", page_url), ("citation_fulltext_html_url", page_url)]
    fields.append(("DC.title", meta["title"]))
    fields += [("DC.creator", name) for name, _ in _author_names(doc)]
    if iso:
        fields.append(("DC.date", iso))
    fields.append(("DC.type", "Text"))
    fields.append(("DC.format", "text/html"))
    fields.append(("DC.language", meta["language"]))
    if meta.get("publisher"):
        fields.append(("DC.publisher", meta["publisher"]))
    fields.append(("DC.source", meta["url"] if meta.get("url") else container))
    fields.append(("DC.relation.ispartof", edition.title))
    fields.append(("DC.rights", meta["rights"]))
    if meta.get("summary"):
        fields.append(("DC.description", meta["summary"]))
    if page_url:
        fields.append(("DC.identifier", page_url))
    return fields


SCHEMA_TYPES = {"journalism": "NewsArticle", "scholarship": "ScholarlyArticle", "primary source": "CreativeWork"}


def json_ld(doc: SourceDocument, edition: Edition, page_uri: str) -> dict[str, Any]:
    """schema.org description of the document as it stands in the edition."""
    meta, date = doc.meta, DocDate.of(doc)
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": SCHEMA_TYPES.get(meta["genre"], "CreativeWork"),
                            "name": meta["title"], "headline": meta["title"]}
    authors = [{"@type": kind, "name": name if kind == "Organization" else " ".join(reversed(name.split(", ", 1)))} for name, kind in _author_names(doc)]
    if authors:
        data["author"] = authors
    editors = [{"@type": "Person", "name": n.natural()} for n in names_of(doc, "editor")]
    if editors:
        data["editor"] = editors
    if date.iso():
        data["datePublished"] = date.iso()
    container: dict[str, Any] = {"@type": "Periodical" if meta["genre"] != "primary source" else "Book", "name": meta.get("container") or meta["outlet"]}
    if meta.get("publisher"):
        container["publisher"] = {"@type": "Organization", "name": meta["publisher"]}
    data["isPartOf"] = container
    if meta.get("url"):
        data["sameAs"] = meta["url"]
    data["inLanguage"] = meta["language"]
    data["copyrightNotice"] = meta["rights"]
    if meta.get("summary"):
        data["description"] = meta["summary"]
    published = {"@type": "CreativeWork", "name": edition.title, "version": edition.version}
    if edition.base_url:
        published["url"] = edition.url("")
        data["url"] = edition.url(page_uri)
    data["workExample"] = published
    return data


def add_page_metadata(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Version beside the title on every page; citation metadata on document pages."""
    edition = edition_of(app.config)
    title = context.get("docstitle") or app.config.html_title or app.config.project
    context["docstitle"] = f"{title} · v{edition.version}"
    doc_id = next((d for d, name in document_pages(app.env).items() if name == pagename), None)
    if doc_id is None:
        return
    doc = get_sources(app.env)[doc_id]
    page_uri = app.builder.get_target_uri(pagename)
    tags = [f'<meta name="{html.escape(name)}" content="{html.escape(value)}" />' for name, value in metadata_fields(doc, edition, page_uri)]
    tags.append('<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />')
    for ext, label in DOWNLOADS:
        mime = {"bib": "application/x-bibtex", "ris": "application/x-research-info-systems", "json": "application/vnd.citationstyles.csl+json"}[ext]
        tags.append(f'<link rel="alternate" type="{mime}" title="{label}" href="{html.escape(download_uri(page_uri, doc_id, ext))}" />')
    payload = json.dumps(json_ld(doc, edition, page_uri), ensure_ascii=False, indent=1).replace("</", "<\\/")
    tags.append(f'<script type="application/ld+json">\n{payload}\n</script>')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags) + "\n"


def version_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{edition-version}`x```: the edition's version (the release), as text."""
    config = inliner.document.settings.env.config
    return [nodes.inline(rawtext, config.release or __version__, classes=["ed-version"])], []


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_base_url", "", "html", types=[str])
    app.add_config_value("edition_title", "", "env", types=[str])
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
    app.connect("build-finished", write_downloads)
    app.add_css_file("edition-cite.css")
    app.add_js_file("edition-cite.js", loading_method="defer")
