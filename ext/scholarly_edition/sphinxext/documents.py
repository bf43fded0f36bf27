"""The document header box and the landing page's document cards.

``{edition-document} <id>`` declares that a page is the edition's text of a source: it
registers the document, renders the bibliographic description, date (with its basis when
inferred), rights and normalisations, and makes the page depend on its metadata file.
``{edition-cards}`` lists every document as a sphinx-design card, in date order.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..metadata import NOT_NAMED, SourceDocument
from ..trust import check_myst, escape_myst
from .safe_markup import contributed_context, deny_file_insertion
from .domain import EditionDomain
from .registry import get_sources
from .contents import group_docnames, toc_groups
from ..chronology import PERIODS_FILE

logger = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French", "he": "Hebrew"}
GENRE_BADGES = {"primary source": "primary", "journalism": "info", "scholarship": "success"}


def _field(name: str, *body: nodes.Node) -> nodes.field:
    field = nodes.field()
    field += nodes.field_name(name, name)
    paragraph = nodes.paragraph()
    paragraph.extend(body)
    field += nodes.field_body("", paragraph)
    return field


def _text(value: str, *classes: str) -> nodes.Node:
    return nodes.inline(value, value, classes=list(classes)) if classes else nodes.Text(value)


def publication_line(meta: dict) -> str:
    """'Outlet' or 'Container, no. 151; Publisher' as one line."""
    parts = [meta.get("container") or meta["outlet"]]
    if meta.get("number"):
        parts[0] += f", document {meta['number']}"
    if meta.get("publisher"):
        parts.append(meta["publisher"])
    return "; ".join(parts)


def header_fields(doc: SourceDocument, paragraph_count: int | None = None) -> nodes.field_list:
    """The bibliographic description of a document as a field list."""
    meta = doc.meta
    fields = nodes.field_list(classes=["ed-docheader-fields"])
    fields += _field("Title", _text(meta["title"]))
    authors = [a for a in (meta["authors"] if meta["authors"] != NOT_NAMED else []) if a.get("role", "author") == "author"]
    editors = [a for a in (meta["authors"] if meta["authors"] != NOT_NAMED else []) if a.get("role") in ("editor", "series editor")]
    if authors:
        fields += _field("Author", _text(", ".join(" ".join(p for p in (a.get("given", ""), a["family"]) if p) for a in authors)))
    else:
        body = [_text(NOT_NAMED, "ed-editorial")]
        if "attribution" in meta:
            body.append(_text(f"; attributed to {meta['attribution']['name']}. {meta['attribution']['basis']}", "ed-editorial"))
        fields += _field("Author", *body)
    if editors:
        fields += _field("Editors", _text("; ".join(f"{a.get('given', '')} {a['family']} ({a['role']})".strip() for a in editors)))
    fields += _field("Published in", _text(publication_line(meta)))
    date = doc.date
    date_body: list[nodes.Node] = [_text(date.words()), _text(f" (EDTF {date.text})", "ed-edtf")]
    if meta["date"].get("basis"):
        label = "Inferred: " if meta["date"].get("inferred") else ""
        date_body.append(_text(f". {label}{meta['date']['basis']}", "ed-editorial"))
    fields += _field("Date", *date_body)
    fields += _field("Genre", _text(meta["genre"], "ed-badge", f"ed-genre-{meta['genre'].replace(' ', '-')}"))
    fields += _field("Language", _text(LANGUAGES.get(meta["language"], meta["language"])))
    if meta.get("url"):
        fields += _field("Copy online", nodes.reference(meta["url"], meta["url"], refuri=meta["url"]))
    if meta.get("excerpt"):
        fields += _field("Extent", _text("An excerpt: the copy holds only the opening of the work.", "ed-editorial"))
    fields += _field("Rights", _text(meta["rights"]))
    normalised = doc.source.normalisations
    fields += _field("Normalised", _text(", ".join(normalised) if normalised else "nothing: the text is as received", "ed-editorial"))
    return fields


class EditionDocumentDirective(SphinxDirective):
    """Declare the page as the edition text of a source and render its header box."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        doc_id = self.arguments[0]
        sources = get_sources(self.env)
        if doc_id not in sources:
            known = ", ".join(sorted(sources))
            raise self.error(f"unknown edition document {doc_id!r} (known: {known})")
        doc = sources[doc_id]
        deny_file_insertion(self.state.document)  # the rest of this page is generated from contributed files
        self.env.note_dependency(str(doc.meta_path))
        self.env.note_dependency(str(doc.source.path))
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        domain.note_document(doc_id, self.env.docname, doc.meta["title"], doc.meta["short_title"])
        box = nodes.container(classes=["ed-docheader"], ids=[f"{doc_id}-header"])
        box += nodes.rubric("", "About this document", classes=["ed-docheader-title"])
        box += header_fields(doc)
        self.set_source_info(box)
        return [box]


def sorted_documents(sources: dict[str, SourceDocument]) -> list[SourceDocument]:
    """Documents in the order of their dates, then ids."""
    return sorted(sources.values(), key=lambda d: (d.date.sort_key, d.id))


def _summary_myst(meta: dict) -> str:
    """The summary as restricted MyST when the trust boundary allows it, else as escaped words.

    A refused summary is reported by ``edition check`` and by the build (file and line);
    it never reaches the page as markup."""
    summary = str(meta.get("summary", "") or "")
    return summary if not check_myst(summary) else escape_myst(summary)


def _card_myst(doc: SourceDocument, docpath: str) -> list[str]:
    meta = doc.meta
    badge = GENRE_BADGES.get(meta["genre"], "secondary")
    return [
        f":::{{grid-item-card}} {escape_myst(meta['title'])}",
        f":link: {docpath}",
        ":link-type: doc",
        ":class-card: ed-doc-card",
        "",
        f"{{bdg-{badge}}}`{escape_myst(meta['genre'])}` **{doc.date.words()}** · *{escape_myst(meta['outlet'])}*",
        "",
        _summary_myst(meta),
        ":::",
        "",
    ]


def _card_rst(doc: SourceDocument, docpath: str) -> list[str]:
    meta = doc.meta
    badge = GENRE_BADGES.get(meta["genre"], "secondary")
    return [
        f"   .. grid-item-card:: {escape_myst(meta['title'])}",
        f"      :link: {docpath}",
        "      :link-type: doc",
        "      :class-card: ed-doc-card",
        "",
        f"      :bdg-{badge}:`{escape_myst(meta['genre'])}` **{doc.date.words()}** · *{escape_myst(meta['outlet'])}*",
        "",
        f"      {escape_myst(str(meta.get('summary', '') or ''))}",
        "",
    ]


class EditionCardsDirective(SphinxDirective):
    """A sphinx-design grid with one card per document of the edition."""

    has_content = False
    option_spec = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        sources = get_sources(self.env)
        for doc in sources.values():
            self.env.note_dependency(str(doc.meta_path))
        is_myst = type(self.state).__module__.startswith("myst_parser")
        ordered = sorted_documents(sources)
        by_id = {doc.id: doc for doc in ordered}
        # A grouped edition (see .contents) shows one grid per group under the group's
        # title, a node made here (the title is contributed text: never parsed as markup).
        sections: list[tuple[str | None, list[SourceDocument]]] = [
            (group.title, [by_id[i] for i in group.documents if i in by_id]) for group in toc_groups(self.env)
        ] or [(None, ordered)]
        container = nodes.container(classes=["ed-cards"])
        for title, documents in sections:
            if title is not None:
                container += nodes.rubric(title, title, classes=["ed-cards-group"])
            lines: list[str] = []
            if is_myst:
                lines += ["::::{grid} 1 1 2 2", ":gutter: 3", ""]
                for doc in documents:
                    lines += _card_myst(doc, f"/{self.config.edition_documents_dir}/{doc.id}")
                lines += ["::::"]
            else:
                lines += [".. grid:: 1 1 2 2", "   :gutter: 3", ""]
                for doc in documents:
                    lines += _card_rst(doc, f"/{self.config.edition_documents_dir}/{doc.id}")
            with contributed_context(self.state.document):  # titles and summaries come from sources/*.yaml
                self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        return [container, self._toctree(sorted_documents(sources))]

    def _toctree(self, documents: list[SourceDocument]) -> nodes.Node:
        return documents_toctree(self, documents, self.options.get("caption", "Documents"), hidden=True, grouped=True)


def documents_toctree(directive: SphinxDirective, documents: list[SourceDocument], caption: str | None, hidden: bool,
                      grouped: bool = False) -> nodes.Node:
    """A toctree of the documents in date order: a new source needs no edit of any page.

    With ``grouped`` and an edition large enough to be grouped (:mod:`.contents`), the
    toctree lists the group pages instead, each of which lists its documents."""
    docnames = [f"/{directive.config.edition_documents_dir}/{doc.id}".lstrip("/") for doc in documents]
    if grouped and (groups := group_docnames(directive.env)):
        docnames = groups
        periods_file = Path(directive.env.app.confdir) / PERIODS_FILE  # the groups may be its periods
        if periods_file.exists():
            directive.env.note_dependency(str(periods_file))
    tree = addnodes.toctree()
    tree["parent"] = directive.env.docname
    tree["entries"] = [(None, name) for name in docnames]
    tree["includefiles"] = docnames
    tree["maxdepth"] = 1
    tree["caption"] = caption
    tree["glob"] = False
    tree["hidden"] = hidden
    tree["includehidden"] = False
    tree["numbered"] = 0
    tree["titlesonly"] = False
    directive.set_source_info(tree)
    wrapper = nodes.compound(classes=["toctree-wrapper"])
    wrapper += tree
    return wrapper


class EditionToctreeDirective(SphinxDirective):
    """``{edition-toctree}``: the documents of the edition as a (visible) toctree, in date order.

    With ``:grouped:``, a large edition's toctree lists its group pages (see :mod:`.contents`);
    without it (the print root), the documents themselves, always."""

    has_content = False
    option_spec = {"caption": directives.unchanged, "hidden": directives.flag, "grouped": directives.flag}

    def run(self) -> list[nodes.Node]:
        sources = get_sources(self.env)
        for doc in sources.values():
            self.env.note_dependency(str(doc.meta_path))
        return [documents_toctree(self, sorted_documents(sources), self.options.get("caption"), "hidden" in self.options,
                                  grouped="grouped" in self.options)]


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_documents_dir", "documents", "env", types=[str])
    app.add_directive("edition-document", EditionDocumentDirective)
    app.add_directive("edition-cards", EditionCardsDirective)
    app.add_directive("edition-toctree", EditionToctreeDirective)
