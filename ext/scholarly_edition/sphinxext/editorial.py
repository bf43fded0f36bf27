"""Editorial notes: this edition's notes, placed after the words they are about.

Notes are read from ``docs/annotations/notes/<doc>.yaml`` (validated by
:mod:`edition.notes`).  Each document page gets an ``{editorial-notes}`` block appended
when it is read (the generated page itself is never touched); the directive parses each
note's MyST text (so ``{footcite}`` and ``{ed:ref}`` work inside notes) into an
:class:`editorial_note`.  The :class:`PlaceEditorialNotes` transform (priority 520,
before the chronology markers at 540 and the glossary links at 560) re-finds each quote
in its paragraph and inserts an :class:`editorial_note_ref` right after it; notes are
lettered a, b, c… in reading order, unlike the original's numbered notes.

HTML shows the notes under "Editor's notes" after the text, each with a link back to its
place; LaTeX puts each note at the foot of its page as a lettered footnote.
"""

from __future__ import annotations

import string
from pathlib import Path

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..errors import Problem
from ..notes import KIND_LABELS, NOTES_DIR, EditorialNote
from . import annotationdata
from .annotationdata import depend_on, get_annotations
from . import safe_markup
from .domain import EditionDomain
from .paragraphs import current_document, paragraph_number, register_label
from .problems import warn

HEADING = "Editor's notes"


class editorial_notes(nodes.General, nodes.Element):
    """The editorial notes of one page (HTML: a list after the text)."""


class editorial_note(nodes.General, nodes.Element):
    """One editorial note; ``letter`` is set when it is placed."""


class editorial_note_ref(nodes.Inline, nodes.Element):
    """The lettered mark after the quoted words (LaTeX: the footnote itself)."""


def letter_for(index: int) -> str:
    """a … z, then aa, ab …: letters keep editorial notes apart from numbered source notes."""
    letters = string.ascii_lowercase
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = letters[rest] + label
    return label


# --------------------------------------------------------------------------- reading


def append_notes_block(app: Sphinx, docname: str, source: list[str]) -> None:
    """Give every edition document page its editorial-notes block (the page file stays as generated)."""
    doc_id = docname.rsplit("/", 1)[-1]
    if not docname.startswith("documents/"):
        return
    data = get_annotations(app.env)
    if doc_id not in data.corpus.documents:
        return
    source[0] += f"\n\n```{{editorial-notes}} {doc_id}\n```\n\n```{{footbibliography}}\n```\n"


def _reference_list(label: str, targets: tuple[str, ...]) -> nodes.paragraph:
    """``label`` then links to ``ed`` objects, separated by semicolons (titles resolved later)."""
    paragraph = nodes.paragraph("", "", classes=["ed-enote-see"])
    paragraph += nodes.Text(label)
    for index, target in enumerate(targets):
        if index:
            paragraph += nodes.Text("; ")
        ref = pending_xref("", refdomain="ed", reftype="ref", reftarget=target, refexplicit=False, refwarn=True)
        ref += nodes.literal(target, target)
        paragraph += ref
    return paragraph


class EditorialNotesDirective(SphinxDirective):
    """``{editorial-notes} <doc-id>``: the notes of a document, parsed, not yet placed."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        doc_id = self.arguments[0]
        data = get_annotations(self.env)
        notes_file = data.root / NOTES_DIR / f"{doc_id}.yaml"
        # A notes file added later is caught by _pages_with_new_notes_files (a directory is
        # no dependency Sphinx can check: it would make every build re-read the page).
        depend_on(self.env, [notes_file] if notes_file.exists() else [])
        notes = data.editorial.notes.get(doc_id, [])
        if not notes:
            return []
        container = editorial_notes("", classes=["ed-editorial-notes"])
        container["doc_id"] = doc_id
        for note in notes:
            container += self._note(note, data.root)
        return [container]

    def _note(self, note: EditorialNote, root: Path) -> editorial_note:
        node = editorial_note("", ids=[note.html_id], classes=["ed-enote", f"ed-enote-{note.kind}"])
        for key in ("id", "kind", "anchor", "quote", "prefix", "suffix", "path", "line", "doc_id"):
            node[key] = getattr(note, key)
        head = nodes.paragraph("", "", classes=["ed-enote-head"])
        head += nodes.inline("", KIND_LABELS[note.kind], classes=["ed-enote-kind"])
        head += nodes.Text(" · on “")
        head += nodes.inline("", note.quote, classes=["ed-enote-quote"])
        head += nodes.Text("”")
        if note.correction:
            head += nodes.Text(" — read: ")
            head += nodes.inline("", note.correction, classes=["ed-enote-correction"])
        node += head
        node.extend(safe_markup.parse_block(self, note.text, source=str(root / note.path), offset=note.line))
        if note.see:
            node += _reference_list("See: ", note.see)
        if note.archives:
            node += _reference_list("See also: ", note.archives)  # each link reads "Archival register: <unit>"
        return node


# --------------------------------------------------------------------------- placing


def reading_text(paragraph: nodes.paragraph) -> list[tuple[nodes.Text, int]]:
    """The paragraph's Text nodes as a reader reads them, each with its start offset.

    Paragraph numbers, footnote marks and editorial marks are not part of the text.
    """
    skipped = (paragraph_number, nodes.footnote_reference, editorial_note_ref)
    pieces: list[tuple[nodes.Text, int]] = []
    offset = 0

    def walk(node: nodes.Node) -> None:
        nonlocal offset
        for child in node.children:
            if isinstance(child, skipped) or (isinstance(child, nodes.Element) and "ed-ibid-expansion" in child["classes"]):
                continue
            if isinstance(child, nodes.Text):
                pieces.append((child, offset))
                offset += len(child.astext())
            elif isinstance(child, nodes.Element):
                walk(child)

    walk(paragraph)
    return pieces


def insert_after_offset(paragraph: nodes.paragraph, end: int, mark: nodes.Node) -> bool:
    """Insert ``mark`` into ``paragraph`` right after the character at ``end - 1``.

    A Text node in the paragraph or in a plain span is split there; when the quote ends
    inside a link (a page-break mark, a citation) the mark goes right after the link.
    """
    for text, start in reading_text(paragraph):
        length = len(text.astext())
        if not start < end <= start + length:
            continue
        atomic = None
        node = text.parent
        while node is not None and node is not paragraph:
            if isinstance(node, (nodes.reference, pending_xref, nodes.literal)) or "ed-page-break" in node.get("classes", []):
                atomic = node
            node = node.parent
        if atomic is not None:
            atomic.parent.insert(atomic.parent.index(atomic) + 1, mark)
            return True
        parent = text.parent
        cut = end - start
        before, after = text.astext()[:cut], text.astext()[cut:]
        index = parent.index(text)
        parent[index:index + 1] = [nodes.Text(before), mark] + ([nodes.Text(after)] if after else [])
        return True
    return False


def _find(full: str, note: editorial_note) -> list[int]:
    needle = note["prefix"] + note["quote"] + note["suffix"]
    hits, at = [], full.find(needle)
    while at >= 0:
        hits.append(at + len(note["prefix"]))
        at = full.find(needle, at + 1)
    return hits


class PlaceEditorialNotes(SphinxTransform):
    """Re-find each quote and put the note's lettered mark right after it."""

    default_priority = 520

    def apply(self, **kwargs) -> None:
        document = current_document(self.env)
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        for container in list(self.document.findall(editorial_notes)):
            paragraphs = {i: p for p in self.document.findall(nodes.paragraph) for i in p["ids"]}
            for footnote in self.document.findall(nodes.footnote):  # notes on the original's notes
                first = next((c for c in footnote.children if isinstance(c, nodes.paragraph)), None)
                if first is not None:
                    paragraphs.update({i: first for i in footnote["ids"]})
            order = {anchor: n for n, anchor in enumerate(paragraphs)}
            placed: list[tuple[tuple[int, int], editorial_note, nodes.paragraph, int]] = []
            for note in list(container.children):
                if not isinstance(note, editorial_note):
                    continue
                paragraph = paragraphs.get(note["anchor"])
                full = "".join(t.astext() for t, _ in reading_text(paragraph)) if paragraph is not None else ""
                hits = _find(full, note) if paragraph is not None else []
                if len(hits) != 1:
                    found = "not found" if not hits else f"found {len(hits)} times"
                    warn(Problem(note["path"], note["line"], f"editorial note {note['id']!r}: quote {note['quote']!r} {found} in {note['anchor']} as built", "check the quote against the built paragraph"), "notes")
                    container.remove(note)
                    continue
                placed.append(((order[note["anchor"]], hits[0]), note, paragraph, hits[0] + len(note["quote"])))
            placed.sort(key=lambda p: p[0])
            container.children = []
            short_title = document["short_title"] if document else container["doc_id"]
            for index, (_key, note, paragraph, end) in enumerate(placed):
                letter = letter_for(index)
                note["letter"] = letter
                where = note["anchor"].rsplit("-", 1)[-1]
                place = f"¶ {where[1:]}" if where.startswith("p") else f"note {where[1:]}"
                title = f"{short_title}, editor's note {letter} ({place})"
                mark = editorial_note_ref("", ids=[note["ids"][0] + "-ref"], classes=["ed-enote-ref"])
                mark["refid"] = note["ids"][0]
                mark["letter"] = letter
                mark["title"] = f"Editor's note {letter}: {KIND_LABELS[note['kind']]}"
                insert_after_offset(paragraph, end, mark)
                container += note
                domain.note_object(note["ids"][0], self.env.docname, "editorial-note", title, note)
                register_label(self.env, note["ids"][0], title)
            if not placed:
                container.parent.remove(container)


class EditorialNotesToFootnotes(SphinxPostTransform):
    """LaTeX: each note goes into its mark, which is written as a lettered footnote."""

    default_priority = 5
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for container in list(self.document.findall(editorial_notes)):
            marks = {m["refid"]: m for m in self.document.findall(editorial_note_ref)}
            for note in list(container.children):
                mark = marks.get(note["ids"][0])
                if mark is None:
                    continue
                if _inside(mark, nodes.footnote):
                    # A footnote inside a footnote is not possible: the note goes in brackets.
                    mark.replace_self(_bracketed(note))
                    continue
                mark.extend(note.children)
            container.parent.remove(container)


def _inside(node: nodes.Node, kind: type) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parent
    return False


def _bracketed(note: editorial_note) -> nodes.inline:
    """The note as an inline editorial insertion: [Editor's note a: ...]."""
    inline = nodes.inline("", "", classes=["ed-editorial"])
    inline += nodes.Text(f" [Editor's note {note['letter']}: ")
    for index, block in enumerate(c for c in note.children if isinstance(c, nodes.paragraph)):
        if index:
            inline += nodes.Text(" ")
        inline.extend(block.children)
    inline += nodes.Text("]")
    return inline


# --------------------------------------------------------------------------- writing


def visit_notes_html(self, node: editorial_notes) -> None:
    self.body.append(self.starttag(node, "section", CLASS="ed-editorial-notes", **{"aria-label": HEADING}))
    self.body.append(f'<p class="rubric ed-enotes-heading">{HEADING}</p>\n')


def depart_notes_html(self, node: editorial_notes) -> None:
    self.body.append("</section>\n")


def visit_note_html(self, node: editorial_note) -> None:
    self.body.append(self.starttag(node, "aside", CLASS="ed-enote", role="note"))
    letter = node.get("letter", "?")
    self.body.append(f'<span class="ed-enote-label"><a href="#{node["ids"][0]}-ref" title="Back to the text">{letter}</a></span>')


def depart_note_html(self, node: editorial_note) -> None:
    self.body.append("</aside>\n")


def visit_ref_html(self, node: editorial_note_ref) -> None:
    self.body.append(self.starttag(node, "sup", "", CLASS="ed-enote-ref"))
    self.body.append(f'<a href="#{node["refid"]}" title="{self.attval(node["title"])}" role="doc-noteref">{node["letter"]}</a></sup>')
    raise nodes.SkipNode


def visit_ref_latex(self, node: editorial_note_ref) -> None:
    if not node.children:
        raise nodes.SkipNode
    letter = node["letter"]
    self.body.append(r"\begingroup\renewcommand{\thefootnote}{\textit{%s}}\footnote{\textit{Editor's note.} " % letter)


def depart_ref_latex(self, node: editorial_note_ref) -> None:
    self.body.append(r"}\addtocounter{footnote}{-1}\endgroup{}")


def visit_ref_text(self, node: editorial_note_ref) -> None:
    self.add_text(f"[{node['letter']}]")
    raise nodes.SkipNode


def visit_notes_text(self, node: editorial_notes) -> None:
    self.new_state(0)
    self.add_text(HEADING)
    self.end_state()


def visit_note_text(self, node: editorial_note) -> None:
    self.new_state(0)
    self.add_text(f"[{node.get('letter', '?')}] ")


def depart_note_text(self, node: editorial_note) -> None:
    self.end_state()


def skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _pass(self, node: nodes.Node) -> None:
    pass


def _pages_with_new_notes_files(app: Sphinx, env, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Re-read the page of a document whose notes file appeared or disappeared."""
    directory = Path(app.confdir) / NOTES_DIR
    present = sorted(p.stem for p in directory.glob("*.yaml")) if directory.is_dir() else []
    previous = getattr(env, "_edition_notes_files", None)
    env._edition_notes_files = present  # type: ignore[attr-defined]
    if previous is None or previous == present:
        return []
    docs = set(present) ^ set(previous)
    return sorted(name for name in env.found_docs if name.rsplit("/", 1)[-1] in docs)


def setup(app: Sphinx) -> None:
    annotationdata.setup(app)
    app.connect("env-get-outdated", _pages_with_new_notes_files)
    app.add_node(editorial_notes, html=(visit_notes_html, depart_notes_html), latex=(skip, None), text=(visit_notes_text, _pass))
    app.add_node(editorial_note, html=(visit_note_html, depart_note_html), latex=(skip, None), text=(visit_note_text, depart_note_text))
    app.add_node(editorial_note_ref, html=(visit_ref_html, None), latex=(visit_ref_latex, depart_ref_latex), text=(visit_ref_text, None))
    app.add_directive("editorial-notes", EditorialNotesDirective)
    app.connect("source-read", append_notes_block)
    app.add_transform(PlaceEditorialNotes)
    app.add_post_transform(EditorialNotesToFootnotes)
