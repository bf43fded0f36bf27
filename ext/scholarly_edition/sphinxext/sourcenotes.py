"""The original's own notes (FRUS source notes) with their archival structure.

The converter writes a source's notes as MyST footnotes ``[^<doc>-n<k>]`` with the note
text verbatim.  This transform keeps them footnotes (so the PDF has them at the foot of
the page) and keeps every character, but cuts the text into the parts
:mod:`edition.archival` finds: the source citation, the classification and handling
line, drafting and transmission remarks, archival references linked to the archival
register, "ibid." with the reference it stands for written out (as an editorial
insertion, in brackets), and references to other documents.  Each note is registered as
a citable ``source-note`` object at its anchor ``<doc>-n<k>``.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..archival import LEVELS, Citation, ParsedNote, Publication, Segment, frus_document_url
from .annotationdata import get_annotations
from .domain import EditionDomain
from .paragraphs import current_document, register_label

LEVEL_LABELS = {"repository": "repository", "collection": "collection", "series": "series", "file_unit": "file unit", "item": "item"}
PART_LABELS = {"source": "source", "classification": "classification and handling", "drafting": "drafting and approval", "transmission": "transmission", "remark": "remark", "body": "note"}


def unit_link(target: str, text: str, classes: list[str]) -> pending_xref:
    """A link to an archival-register unit (resolved by the ``ed`` domain when writing)."""
    ref = pending_xref("", refdomain="ed", reftype="ref", reftarget=target, refexplicit=True, refwarn=True)
    ref += nodes.inline(text, text, classes=classes)
    return ref


def render_segment(segment: Segment, volume_url: str) -> list[nodes.Node]:
    """The nodes of one segment; their text is exactly the segment's text plus marked insertions."""
    text = segment.text
    if segment.kind == "citation" and segment.citation is not None:
        citation = segment.citation
        nodes_out: list[nodes.Node] = [unit_link(citation.unit_id, text, ["ed-cite"] + (["ed-ibid"] if citation.ibid else []))]
        if citation.ibid:
            expansion = f" [{text[:5]} = {citation.expanded}]"
            nodes_out.append(nodes.inline(expansion, expansion, classes=["ed-editorial", "ed-ibid-expansion"]))
        return nodes_out
    if segment.kind == "publication" and segment.publication is not None:
        return render_publication(segment.publication, text)
    if segment.kind == "document" and segment.document is not None:
        ref = segment.document
        if ref.kind == "frus-document" and (url := frus_document_url(volume_url, ref.frus_numbers[0])):
            return [nodes.reference(text, text, refuri=url, classes=["ed-docref", "ed-docref-frus"])]
        return [nodes.inline(text, text, classes=["ed-docref", f"ed-docref-{ref.kind.replace(' ', '-')}"])]
    if segment.kind == "document-description":
        return [nodes.inline(text, text, classes=["ed-docdesc"])]
    if segment.kind == "unparsed":
        return [nodes.inline(text, text, classes=["ed-cite-unparsed"])]
    return [nodes.Text(text)]


def render_publication(publication: Publication, text: str) -> list[nodes.Node]:
    """A publication: linked to its own address (a FRUS volume or document on history.state.gov),
    "ibid." written out as an editorial insertion, and a citation of the bibliography entry
    with the same address, when there is one.  Never linked to the archival register."""
    classes = ["ed-publication", f"ed-publication-{publication.kind}"] + (["ed-ibid"] if publication.ibid else [])
    if publication.url:
        out: list[nodes.Node] = [nodes.reference(text, text, refuri=publication.url, classes=classes)]
    else:
        out = [nodes.inline(text, text, classes=classes)]
    if publication.ibid:
        expansion = f" [{text[:5]} = {publication.expanded}]"
        out.append(nodes.inline(expansion, expansion, classes=["ed-editorial", "ed-ibid-expansion"]))
    if publication.bib_key:
        bracket = nodes.inline("", "", classes=["ed-editorial", "ed-publication-bib"])
        bracket += nodes.Text(" [")
        ref = pending_xref("", refdomain="cite", reftype="p", reftarget=publication.bib_key, refwarn=True)
        ref += nodes.inline(publication.bib_key, publication.bib_key)
        bracket += ref
        bracket += nodes.Text("]")
        out.append(bracket)
    return out


def _register_bibliography_citations(footnote: nodes.Element, document: nodes.document, env) -> None:
    """Record the bibliography citations of a note with sphinxcontrib-bibtex, as its ``cite`` role does."""
    refs = [n for n in footnote.findall(pending_xref) if n.get("refdomain") == "cite"]
    if not refs:
        return
    try:
        from sphinxcontrib.bibtex.citation_target import parse_citation_targets
        from sphinxcontrib.bibtex.roles import CitationRef
        domain = env.get_domain("cite")
    except Exception:  # no bibliography extension: the bracket stays as plain text
        for ref in refs:
            ref.replace_self(ref.children)
        return
    for ref in refs:
        document.note_explicit_target(ref, ref)
        domain.citation_refs.append(CitationRef(ref["ids"][0], env.docname, footnote.line or 0, list(parse_citation_targets(ref["reftarget"]))))


def render_note(note: ParsedNote, volume_url: str) -> list[nodes.Node]:
    """Group segments by part (source, classification, ...) into labelled spans."""
    out: list[nodes.Node] = []
    current: nodes.inline | None = None
    for segment in note.segments:
        if current is None or current["part"] != segment.part:
            current = nodes.inline("", "", classes=["ed-note-part", f"ed-note-{segment.part}"])
            current["part"] = segment.part
            out.append(current)
        current.extend(render_segment(segment, volume_url))
    for span in out:
        del span["part"]
    return out


def apparatus(note: ParsedNote) -> nodes.paragraph | None:
    """An editorial line listing each archival reference level by level, linked to the register."""
    citations = note.citations
    if not citations:
        return None
    para = nodes.paragraph("", "", classes=["ed-note-apparatus", "ed-editorial"])
    para += nodes.Text("[Archival references: ")
    for index, citation in enumerate(citations):
        if index:
            para += nodes.Text("; ")
        para.extend(_levels(citation))
    para += nodes.Text("]")
    return para


def _levels(citation: Citation) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for level in LEVELS:
        text = citation.levels.get(level)
        if not text:
            continue
        if out:
            out.append(nodes.Text(" › "))
        if level in citation.ids:
            out.append(unit_link(citation.ids[level], text, ["ed-level", f"ed-level-{level}"]))
        else:
            out.append(nodes.inline(text, f"{LEVEL_LABELS[level]}: {text}", classes=["ed-level", f"ed-level-{level}"]))
    return out


class StructureSourceNotes(SphinxTransform):
    """Structure and register the source notes of an edition document."""

    default_priority = 510

    def apply(self, **kwargs) -> None:
        document = current_document(self.env)
        if document is None:
            return
        data = get_annotations(self.env)
        doc_notes = data.source_notes.get(document["id"])
        if doc_notes is None:
            return
        # No dependency on every annotation file: dependencies.py re-reads the page when its
        # parsed notes or the archival registry change.
        by_number = {n.number: n for n in doc_notes.notes}
        source = data.corpus.documents[document["id"]]
        volume_url = source.meta.get("url", "")
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        pattern = re.compile(rf"^{re.escape(document['id'])}-n(\d+)$")
        for footnote in self.document.findall(nodes.footnote):
            match = next((m for i in footnote["ids"] if (m := pattern.match(i))), None)
            if match is None:
                continue
            number = int(match.group(1))
            note = by_number.get(number)
            paragraphs = [c for c in footnote.children if isinstance(c, nodes.paragraph)]
            if note is None or len(paragraphs) != 1 or paragraphs[0].astext() != note.text:
                continue  # never restructure a note whose text is not exactly the parsed one
            paragraphs[0].children = []
            paragraphs[0].extend(render_note(note, volume_url))
            extra = apparatus(note)
            if extra is not None:
                footnote += extra
            _register_bibliography_citations(footnote, self.document, self.env)
            footnote["classes"] += ["ed-source-note"]
            anchor = match.group(0)
            title = f"{document['short_title']}, note {number}"
            domain.note_object(anchor, self.env.docname, "source-note", title, footnote)
            self.document.nametypes.pop(anchor, None)
            register_label(self.env, anchor, title)


def setup(app: Sphinx) -> None:
    app.add_transform(StructureSourceNotes)
