"""The ``ed`` domain: the edition's citable objects and the roles that refer to them.

Like ``sphinx.ext.todo`` it collects objects across documents, but it keeps only plain
data (tuples and dicts) keyed by docname, implements ``clear_doc`` and
``merge_domaindata`` so that parallel (``-j``) and incremental builds stay correct, and
feeds ``objects.inv`` so other Sphinx projects can cite a paragraph through intersphinx.
"""

from __future__ import annotations

from typing import Any, Iterable

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

logger = logging.getLogger(__name__)

#: object type -> (label shown in inventories, priority in search results)
OBJECT_TYPES = {
    "document": ("document", 1),
    "paragraph": ("paragraph", 1),
    "pagebreak": ("page break", 2),
    "omission": ("omission", 2),
    "entity": ("entity", 1),
    "source-note": ("source note", 2),
    "editorial-note": ("editorial note", 2),
    "archival-unit": ("archival unit", 2),
    "event": ("event", 1),
}


class EditionDomain(Domain):
    """Documents, paragraphs and page breaks of the edition, each at a permanent anchor."""

    name = "ed"
    label = "Edition"
    object_types = {key: ObjType(label, key, "ref") for key, (label, _) in OBJECT_TYPES.items()}
    roles = {"ref": XRefRole(warn_dangling=True)}
    initial_data: dict[str, Any] = {
        # anchor -> (docname, objtype, title)
        "objects": {},
        # doc id -> {"docname", "title", "short_title"}
        "documents": {},
    }

    @property
    def objects(self) -> dict[str, tuple[str, str, str]]:
        return self.data.setdefault("objects", {})

    @property
    def documents(self) -> dict[str, dict[str, str]]:
        return self.data.setdefault("documents", {})

    def note_object(self, anchor: str, docname: str, objtype: str, title: str, node: Element | None = None) -> None:
        """Register an object; a second registration of one anchor is reported, not overwritten."""
        existing = self.objects.get(anchor)
        if existing and existing[0] != docname:
            logger.warning("anchor %r is defined in %s and again here", anchor, existing[0], location=node or docname, type="edition", subtype="duplicate")
            return
        self.objects[anchor] = (docname, objtype, title)

    def note_document(self, doc_id: str, docname: str, title: str, short_title: str) -> None:
        self.documents[doc_id] = {"docname": docname, "title": title, "short_title": short_title}
        self.note_object(doc_id, docname, "document", title)

    def clear_doc(self, docname: str) -> None:
        for anchor, (doc, _, _) in list(self.objects.items()):
            if doc == docname:
                del self.objects[anchor]
        for doc_id, info in list(self.documents.items()):
            if info["docname"] == docname:
                del self.documents[doc_id]

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for anchor, value in otherdata.get("objects", {}).items():
            if value[0] in wanted:
                if anchor in self.objects and self.objects[anchor][0] != value[0]:
                    logger.warning("anchor %r is defined in %s and in %s", anchor, self.objects[anchor][0], value[0], type="edition", subtype="duplicate")
                    continue
                self.objects[anchor] = value
        for doc_id, info in otherdata.get("documents", {}).items():
            if info["docname"] in wanted:
                self.documents[doc_id] = info

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str, node: pending_xref, contnode: Element) -> Element | None:
        entry = self.objects.get(target)
        if entry is None:
            return None
        docname, objtype, title = entry
        if node.get("refexplicit"):
            content = contnode
        else:
            content = nodes.inline(title, title, classes=["xref", "ed", f"ed-{objtype}"])
        anchor = "" if objtype == "document" else target
        return make_refnode(builder, fromdocname, docname, anchor, content, title)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str, node: pending_xref, contnode: Element) -> list[tuple[str, Element]]:
        found = self.resolve_xref(env, fromdocname, builder, "ref", target, node, contnode)
        return [("ed:ref", found)] if found is not None else []

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for anchor, (docname, objtype, title) in sorted(self.objects.items()):
            target = "" if objtype == "document" else anchor
            yield anchor, title, objtype, docname, target, OBJECT_TYPES[objtype][1]

    def get_full_qualified_name(self, node: Element) -> str | None:
        return node.get("reftarget")
