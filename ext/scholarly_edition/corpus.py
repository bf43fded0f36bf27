"""The edition's text as data, without a Sphinx build.

Annotations (entities, events, notes) point at paragraph anchors and quote the text.
Validating them must not need a full build, so this module runs the converter in memory
and exposes every anchor of the edition and the reading text of every paragraph.

The *reading text* of a paragraph is the source line as a reader sees it on the page:
note numbers that became footnote references are removed ("named.2" reads "named."),
page-break marks stay as "[Page 341]".  Its *fingerprint* (:func:`fingerprint`) is what the
anchor registry records, so a published anchor can never silently come to point at other
words.  A paragraph left out by an omission made after a release keeps its number; its
reading text is the omitted line, still on the page under the omission mark.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from .convert import NOTE_MARKER, Conversion, convert
from .errors import EditionError, Problem
from .metadata import SourceDocument, load_all

T = TypeVar("T")


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph of a document."""

    anchor: str
    doc_id: str
    number: int
    text: str
    source_line: int


@dataclass
class Corpus:
    """All documents, their anchors and paragraph texts."""

    root: Path
    documents: dict[str, SourceDocument]
    conversions: dict[str, Conversion]
    paragraphs: dict[str, Paragraph] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)  # anchor -> kind
    fingerprints: dict[str, str] = field(default_factory=dict)  # paragraph anchor -> fingerprint
    #: Results derived from this corpus and other inputs, shared by the checks of one run (see :meth:`shared`).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def shared(self, key: object, inputs: object, make: Callable[[], T]) -> T:
        """``make()``, computed once for this corpus and ``inputs``.

        Several checks derive the same things from the corpus (the parsed source notes, the
        glossary's mentions); each used to derive them again.  The value is reused only
        while ``inputs`` (the other data it was made from: a registry, a file's text) are
        the same object or equal, so a changed annotation file is never answered from a
        stale result.  Callers must not mutate what they get."""
        held = self.memo.get(key)
        if held is not None and (held[0] is inputs or held[0] == inputs):
            return held[1]
        value = make()
        self.memo[key] = (inputs, value)
        return value

    @classmethod
    def load(cls, root: Path, sources: str = "sources") -> "Corpus":
        documents = {doc.id: doc for doc in load_all(root / sources, root)}
        conversions = {doc_id: convert(doc, root) for doc_id, doc in documents.items()}
        corpus = cls(root, documents, conversions)
        corpus._index()
        return corpus

    @classmethod
    def load_partial(cls, root: Path, sources: str = "sources") -> tuple["Corpus", list[Problem], dict[str, str]]:
        """Every source that can be loaded and converted, and the problems of the others.

        ``edition check`` reports every problem in one pass: one broken source must not hide
        the problems of the other files.  Returns (corpus of the good documents, problems,
        broken) where ``broken`` maps the id of each document that could not be loaded to
        the file that stopped it, so that follow-on problems can be set aside."""
        from .metadata import discover_sources, display_path, load_source

        directory = root / sources
        problems: list[Problem] = []
        broken: dict[str, str] = {}
        documents: dict[str, SourceDocument] = {}
        conversions: dict[str, Conversion] = {}
        for meta_path in discover_sources(directory) if directory.is_dir() else []:
            try:
                doc = load_source(meta_path, root)
                conversions[doc.id] = convert(doc, root)
                documents[doc.id] = doc
            except EditionError as exc:
                problems.extend(exc.problems)
                broken[meta_path.stem] = display_path(meta_path, root)
        for txt in sorted(directory.glob("*.txt")) if directory.is_dir() else []:
            if not txt.with_suffix(".yaml").exists():
                problems.append(Problem(display_path(txt, root), None, "source text has no metadata file", f"add {txt.with_suffix('.yaml').name}"))
        corpus = cls(root, documents, conversions)
        corpus._index()
        return corpus, problems, broken

    def _index(self) -> None:
        for doc_id, conversion in self.conversions.items():
            self.anchors[doc_id] = "document"
            notes_on = bool(conversion.document.structure.get("source_notes"))
            for block in conversion.blocks:
                if not block.anchor:
                    continue
                kind = {"item": "paragraph"}.get(block.kind, block.kind)
                self.anchors[block.anchor] = kind
                if kind == "paragraph":
                    text = NOTE_MARKER.sub("", block.text) if notes_on else block.text
                    self.paragraphs[block.anchor] = Paragraph(block.anchor, doc_id, block.number, text, block.line)
                    self.fingerprints[block.anchor] = fingerprint(text)
                if block.kind == "omission":
                    for number, line in zip(block.kept_numbers, block.kept_paragraphs):
                        self.anchors[f"{doc_id}-p{number}"] = "omitted paragraph"  # leads to the omission mark
                        self.fingerprints[f"{doc_id}-p{number}"] = fingerprint(NOTE_MARKER.sub("", line) if notes_on else line)
                for page in _page_numbers(block.text) if conversion.document.structure.get("page_breaks") else []:
                    self.anchors[f"{doc_id}-page{page}"] = "pagebreak"
            for number in conversion.notes:
                self.anchors[f"{doc_id}-n{number}"] = "source note"

    def paragraphs_of(self, doc_id: str) -> list[Paragraph]:
        return [p for p in self.paragraphs.values() if p.doc_id == doc_id]

    def find(self, anchor: str, quote: str, prefix: str = "", suffix: str = "") -> list[int]:
        """Offsets at which ``prefix + quote + suffix`` occurs in a paragraph's reading text."""
        paragraph = self.paragraphs.get(anchor)
        if paragraph is None:
            return []
        text, needle = paragraph.text, prefix + quote + suffix
        hits, start = [], text.find(needle)
        while start >= 0:
            hits.append(start + len(prefix))
            start = text.find(needle, start + 1)
        return hits


def file_contents(paths) -> tuple:
    """(path, bytes) of each file (None when it cannot be read): the inputs key of
    :meth:`Corpus.shared` for data loaded from files, so that a value is reused only
    while every file it was made from still holds the same bytes."""
    contents = []
    for path in paths:
        try:
            contents.append((str(path), path.read_bytes()))
        except OSError:
            contents.append((str(path), None))
    return tuple(contents)


def normalised_reading_text(text: str) -> str:
    """The words a reader sees, independent of spacing and Unicode composition."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def fingerprint(text: str) -> str:
    """A short hash of a paragraph's normalised reading text (12 hex digits)."""
    return hashlib.sha256(normalised_reading_text(text).encode("utf-8")).hexdigest()[:12]


def _page_numbers(text: str) -> list[str]:
    from .convert import PAGE_BREAK

    return [m.group(1) for m in PAGE_BREAK.finditer(text)]
