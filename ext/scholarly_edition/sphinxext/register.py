"""The archival register: repository → collection → series → file unit → notes citing it.

``{archival-register}`` renders the register computed by :mod:`edition.archives` from the
registry files and the source notes (no data is collected from other pages, so the page
is correct under ``-j`` and on incremental builds; it depends on the files it reads).
Every unit is a citable ``archival-unit`` object at its id; every citing note is linked by
its anchor (``frus-1964-68-v31-d151-n3``), which the source-notes transform registers.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..archives import RegisterUnit
from .annotationdata import depend_on, get_annotations
from .domain import EditionDomain
from .paragraphs import register_label

LEVEL_NAMES = {"repository": "Repository", "collection": "Collection", "series": "Series", "file_unit": "File unit"}


def note_link(doc_id: str, number: int, title: str) -> nodes.Node:
    anchor = f"{doc_id}-n{number}"
    ref = pending_xref("", refdomain="ed", reftype="ref", reftarget=anchor, refexplicit=True, refwarn=True)
    ref += nodes.inline(title, title, classes=["ed-register-note"])
    return ref


class ArchivalRegister(SphinxDirective):
    """Render the archival register."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        data = get_annotations(self.env)
        depend_on(self.env, [*data.files, *sorted((data.root / "sources").glob("*"))])
        self.short_titles = {doc_id: doc.meta["short_title"] for doc_id, doc in data.corpus.documents.items()}
        out: list[nodes.Node] = []
        for unit in sorted(data.register.values(), key=lambda u: u.label):
            out.append(self._section(unit, data))
        if not out:
            out.append(nodes.paragraph("", "No source note cites an archival unit."))
        uncited = sorted((e for e in data.registry.entries.values() if e.level == "repository" and e.id not in data.register), key=lambda e: e.name)
        if uncited:
            para = nodes.paragraph("", "", classes=["ed-register-uncited"])
            para += nodes.Text("Also described in the registry, though no note of this edition cites them: ")
            para += nodes.Text("; ".join(f"{e.name}" + (f" ({e.abbreviation})" if e.abbreviation else "") for e in uncited) + ".")
            out.append(para)
        publications = self._publications(data)
        if publications is not None:
            out.append(publications)
        return out

    def _publications(self, data) -> nodes.paragraph | None:
        """Publications the notes cite: named here so a reader who looks for them learns why they
        are not units of the register (they are not archives), each with the notes citing it."""
        cited: dict[str, list[tuple[str, int]]] = {}
        for doc_id, doc_notes in data.source_notes.items():
            for note in doc_notes.notes:
                for publication in note.publications:
                    places = cited.setdefault(publication.title, [])
                    if (doc_id, note.number) not in places:
                        places.append((doc_id, note.number))
        if not cited:
            return None
        para = nodes.paragraph("", "", classes=["ed-register-publications"])
        para += nodes.Text("Publications cited in the notes, which are not archival units: ")
        for index, title in enumerate(sorted(cited)):
            if index:
                para += nodes.Text("; ")
            para += nodes.emphasis(title, title)
            para += nodes.Text(" (")
            for j, (doc_id, number) in enumerate(sorted(cited[title])):
                if j:
                    para += nodes.Text(", ")
                para += note_link(doc_id, number, f"{self.short_titles.get(doc_id, doc_id)}, note {number}")
            para += nodes.Text(")")
        para += nodes.Text(".")
        return para

    def _title(self, unit: RegisterUnit) -> str:
        entry = unit.entry
        if entry and entry.abbreviation and entry.abbreviation != entry.name:
            return f"{entry.name} ({entry.abbreviation})"
        return unit.label

    def _register(self, unit: RegisterUnit, node: nodes.Element) -> None:
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        title = f"Archival register: {self._title(unit)}"
        domain.note_object(unit.id, self.env.docname, "archival-unit", title, node)
        register_label(self.env, unit.id, title)

    def _section(self, unit: RegisterUnit, data) -> nodes.section:
        section = nodes.section("", ids=[unit.id], classes=["ed-register-unit", f"ed-register-{unit.level.replace('_', '-')}"])
        section += nodes.title("", self._title(unit))
        self._register(unit, section)
        section += self._description(unit)
        file_units = [c for c in unit.children.values() if c.level == "file_unit"]
        if unit.citations or file_units:
            section += self._unit_list(unit, file_units)
        for child in sorted((c for c in unit.children.values() if c.level != "file_unit"), key=lambda u: u.label):
            section += self._section(child, data)
        return section

    def _description(self, unit: RegisterUnit) -> nodes.paragraph:
        entry = unit.entry
        para = nodes.paragraph("", "", classes=["ed-register-description"])
        para += nodes.inline("", LEVEL_NAMES[unit.level], classes=["ed-badge", "ed-register-level"])
        para += nodes.Text(" ")
        para += nodes.literal(unit.id, unit.id, classes=["ed-register-id"])
        if entry is None:
            para += nodes.Text(". Named in the notes as printed; not described in the registry.")
            return para
        if entry.kind:
            para += nodes.Text(f" · {entry.kind}")
        para += nodes.Text(". Cited as: " + "; ".join(f"“{form}”" for form in entry.forms) + ".")
        if entry.place:
            para += nodes.Text(f" {entry.place}.")
        if entry.description:
            para += nodes.Text(f" {entry.description}")
        if entry.url:
            para += nodes.Text(" ")
            para += nodes.reference(entry.url, entry.url, refuri=entry.url)
        return para

    def _citing(self, unit: RegisterUnit) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for index, (doc_id, number, item) in enumerate(sorted(unit.citations)):
            if index:
                out.append(nodes.Text("; "))
            out.append(note_link(doc_id, number, f"{self.short_titles.get(doc_id, doc_id)}, note {number}"))
            anchor = f"{doc_id}-n{number}"
            out.append(nodes.Text(" ("))
            out.append(nodes.literal(anchor, anchor))
            out.append(nodes.Text(")"))
            if item:
                out.append(nodes.Text(f", item: {item}"))
        return out

    def _unit_list(self, unit: RegisterUnit, file_units: list[RegisterUnit]) -> nodes.bullet_list:
        items = nodes.bullet_list(classes=["ed-register-files"])
        if unit.citations:
            item = nodes.list_item()
            para = nodes.paragraph()
            para += nodes.Text("Cited without a file unit in ")
            para.extend(self._citing(unit))
            item += para
            items += item
        for child in sorted(file_units, key=lambda u: u.label):
            item = nodes.list_item(ids=[child.id], classes=["ed-register-file-unit"])
            self._register(child, item)
            para = nodes.paragraph()
            para += nodes.strong(child.label, child.label)
            para += nodes.Text(" ")
            para += nodes.literal(child.id, child.id, classes=["ed-register-id"])
            para += nodes.Text(" — cited in ")
            para.extend(self._citing(child))
            item += para
            items += item
        return items


def setup(app: Sphinx) -> None:
    app.add_directive("archival-register", ArchivalRegister)
