"""Paragraph anchors, paragraph numbers and page breaks of the printed original.

The converter gives every paragraph the id ``<doc>-p<n>``.  This transform checks those
ids, shows the number as a permalink in the margin (the same number in HTML and PDF),
and registers each paragraph as a citable object titled like "Mack 2025, ¶ 7" — in the
``ed`` domain and as a standard label, so ``{ref}`` works locally and through
intersphinx.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .domain import EditionDomain
from .registry import get_sources

logger = logging.getLogger(__name__)

PARAGRAPH_ID = re.compile(r"^(?P<doc>[a-z][a-z0-9-]*)-p(?P<number>\d+)$")


class paragraph_number(nodes.inline):
    """The ¶ number of a paragraph, rendered as a margin permalink."""


def current_document(env) -> dict[str, str] | None:
    """The edition document of the page being read, if any.

    Normally declared by the ``edition-document`` directive; before that directive (an
    omission above the title) the page's name, which the converter makes the document
    id, identifies it.
    """
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    for doc_id, info in domain.documents.items():
        if info["docname"] == env.docname:
            return {"id": doc_id, **info}
    doc_id = env.docname.rsplit("/", 1)[-1]
    source = get_sources(env).get(doc_id)
    if source is None:
        return None
    return {"id": doc_id, "docname": env.docname, "title": source.meta["title"], "short_title": source.meta["short_title"]}


def register_label(env, anchor: str, title: str) -> None:
    """Make ``anchor`` a standard label: ``{ref}`anchor``` works here and via intersphinx."""
    std = env.get_domain("std")
    std.anonlabels[anchor] = (env.docname, anchor)
    std.labels[anchor] = (env.docname, anchor, title)


class NumberParagraphs(SphinxTransform):
    """Number and register the paragraphs of an edition document."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        document = current_document(self.env)
        if document is None:
            return
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        expected = 1
        # an omission that keeps paragraph numbers (its ¶ anchors lead to the mark) counts too
        numbered = (lambda n: isinstance(n, nodes.paragraph) or (isinstance(n, nodes.Element) and bool(n.get("kept_numbers"))))
        for paragraph in self.document.findall(numbered):
            if not isinstance(paragraph, nodes.paragraph):
                for number in paragraph["kept_numbers"]:
                    if number != expected:
                        logger.warning("paragraph number %d kept by an omission is out of sequence (expected ¶ %d)", number, expected, location=paragraph, type="edition", subtype="anchor")
                    expected = number + 1
                continue
            for anchor in paragraph["ids"]:
                match = PARAGRAPH_ID.match(anchor)
                if not match or match["doc"] != document["id"]:
                    continue
                number = int(match["number"])
                if number != expected:
                    logger.warning("paragraph anchor %s is out of sequence (expected ¶ %d)", anchor, expected, location=paragraph, type="edition", subtype="anchor")
                expected = number + 1
                title = f"{document['short_title']}, ¶ {number}"
                domain.note_object(anchor, self.env.docname, "paragraph", title, paragraph)
                # MyST made the id an explicit target; take it over so the standard domain
                # does not register it a second time without its title.
                self.document.nametypes.pop(anchor, None)
                register_label(self.env, anchor, title)
                paragraph["classes"].append("ed-para")
                link = nodes.reference("", str(number), refid=anchor, classes=["ed-pnum-link"])  # no title per paragraph: page weight; the span says "paragraph n"
                marker = paragraph_number("", "", link, classes=["ed-pnum"])
                marker["number"] = number
                paragraph.insert(0, marker)


class PageBreakRole(SphinxRole):
    """``{page-break}`341``: the start of page 341 of the printed original, kept visible."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        page = self.text.strip()
        document = current_document(self.env)
        if document is None or not page.isdigit():
            message = "page-break needs a page number and must follow an edition-document directive"
            return [], [self.inliner.reporter.error(message, line=self.lineno)]
        anchor = f"{document['id']}-page{page}"
        label = f"[Page {page}]"
        link = nodes.reference("", label, refid=anchor, reftitle=f"Start of page {page} of the printed original")
        node = nodes.inline("", "", link, ids=[anchor], classes=["ed-page-break"])
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        title = f"{document['short_title']}, p. {page}"
        domain.note_object(anchor, self.env.docname, "pagebreak", title, node)
        register_label(self.env, anchor, title)
        return [node], []


def visit_paragraph_number_html(self, node: paragraph_number) -> None:
    """``<span class="ed-pnum"><a class="ed-pnum-link" href="#…" aria-label="paragraph n">n</a></span>``.

    Written whole, not through the translator's reference visitor: every paragraph has one,
    so its generic classes and attributes would weigh on long pages; the label names the
    link itself (a name on a bare span is not announced)."""
    link = next(iter(node.findall(nodes.reference)), None)
    number = node["number"]
    self.body.append(self.starttag(node, "span", "", CLASS="ed-pnum"))
    if link is not None:
        self.body.append(f'<a class="ed-pnum-link" href="#{link["refid"]}" aria-label="paragraph {number}">{number}</a>')
    else:
        self.body.append(str(number))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_paragraph_number_latex(self, node: paragraph_number) -> None:
    self.body.append(r"\edpnum{%d}" % node["number"])
    raise nodes.SkipNode


def visit_paragraph_number_text(self, node: paragraph_number) -> None:
    self.add_text(f"[¶{node['number']}] ")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(
        paragraph_number,
        html=(visit_paragraph_number_html, None),  # written whole by the visitor
        latex=(visit_paragraph_number_latex, None),
        text=(visit_paragraph_number_text, None),
    )
    app.add_transform(NumberParagraphs)
    app.add_role("page-break", PageBreakRole())
