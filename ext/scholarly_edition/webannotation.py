"""The edition's annotations as a W3C Web Annotation collection (JSON-LD).

Every stand-off annotation of the edition targets a paragraph (or a note of the original)
and an exact quote, which is exactly the W3C model: a ``SpecificResource`` whose
``source`` is the paragraph's URL and whose selectors are a ``TextQuoteSelector``
(``exact``, ``prefix``, ``suffix``) and a ``TextPositionSelector`` (``start``, ``end``).
Exported here:

* editorial notes (``commenting``, ``editing`` for sic/emendation, ``linking`` for
  cross-references), with the note text as a plain-text ``TextualBody``;
* glossary mentions (``identifying``), whose body is the glossary entry;
* chronology attestations (``tagging``/``linking``), whose body is the chronology entry.

Two things make the selectors anchor in a browser, strictly, as Apache Annotator or
Recogito do it:

* **the text a browser sees.**  A paragraph's ``textContent`` is not the source line: the
  page puts the paragraph number before it and editorial-note letters inside it.  The
  selectors are computed on the clean reading text and then mapped onto the rendered text
  (given by the build), by aligning the two (the rendered text is the clean text with
  insertions); positions are offsets in the element's ``textContent``;
* **absolute addresses.**  With the edition's base URL every IRI is absolute; without one
  the collection declares ``@base`` explicitly as the edition's root relative to the file
  (``data/annotations.jsonld`` → ``../``), so JSON-LD processors resolve every id and source
  to the pages that exist.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping

from .corpus import Corpus

if TYPE_CHECKING:
    from .chronology import Event
    from .glossary import Registry
    from .notes import LoadedNotes

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_WINDOW = 32
NOTE_PURPOSE = {"sic": "editing", "emendation": "editing", "cross-reference": "linking", "disagreement": "commenting", "explanation": "commenting"}
#: Where the export lives in the edition, and its root relative to it (the explicit @base).
EXPORT_PATH = "data/annotations.jsonld"
RELATIVE_BASE = "../"


def _text_of(corpus: Corpus, anchor: str) -> str:
    if anchor in corpus.paragraphs:
        return corpus.paragraphs[anchor].text
    doc_id, _, number = anchor.rpartition("-n")
    conversion = corpus.conversions.get(doc_id)
    if conversion and number.isdigit() and int(number) in conversion.notes:
        return conversion.notes[int(number)].text
    return ""


#: Words and single other characters, each with the spaces before it: the units of the first
#: alignment pass.  (Spaces as tokens of their own would match one another everywhere, and
#: the matcher's work would grow with the square of their number.)
_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])|\s+")


def _char_alignment(clean: str, rendered: str) -> list[int | None]:
    """Offsets in ``rendered`` of each character of ``clean``, by difflib's longest matching
    blocks (None where a character is not matched)."""
    positions: list[int | None] = [None] * len(clean)
    for a, b, size in difflib.SequenceMatcher(None, clean, rendered, autojunk=False).get_matching_blocks():
        positions[a:a + size] = range(b, b + size)
    return positions


def _token_alignment(clean: str, rendered: str) -> list[int | None]:
    """The same alignment computed on words first, and on characters only inside the words
    that differ (a note letter glued to a word).  Character-level matching of whole
    paragraphs is quadratic in practice (spaces and common letters match everywhere) and was
    most of the export's time; words are few and distinctive, and the character pass then
    runs on a few letters at a time."""
    clean_spans = [m.span() for m in _TOKEN.finditer(clean)]
    rendered_spans = [m.span() for m in _TOKEN.finditer(rendered)]
    matcher = difflib.SequenceMatcher(None, [clean[a:b] for a, b in clean_spans], [rendered[a:b] for a, b in rendered_spans], autojunk=False)
    positions: list[int | None] = [None] * len(clean)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (a, b), (c, _) in zip(clean_spans[i1:i2], rendered_spans[j1:j2]):
                positions[a:b] = range(c, c + b - a)
        elif tag == "replace":
            a, b = clean_spans[i1][0], clean_spans[i2 - 1][1]
            c, d = rendered_spans[j1][0], rendered_spans[j2 - 1][1]
            positions[a:b] = [None if p is None else c + p for p in _char_alignment(clean[a:b], rendered[c:d])]
        # "insert": what the page adds; "delete": words the page lacks (left unmatched).
    return positions


def _fill_gaps(clean: str, rendered: str, positions: list[int | None]) -> list[int] | None:
    """The alignment with each run of unmatched characters placed in the rendered text
    between its matched neighbours, at the first place it fits (None when it does not fit).

    The matchers find long common blocks, not necessarily a complete embedding: a letter the
    page inserted can take the place of a source letter and leave that one unmatched."""
    filled = list(positions)
    i = 0
    while i < len(filled):
        if filled[i] is not None:
            i += 1
            continue
        j = i
        while j < len(filled) and filled[j] is None:
            j += 1
        at = filled[i - 1] + 1 if i else 0  # type: ignore[operator]
        limit = filled[j] if j < len(filled) else len(rendered)
        for k in range(i, j):
            at = rendered.find(clean[k], at, limit)
            if at < 0:
                return None
            filled[k] = at
            at += 1
        i = j
    return filled  # type: ignore[return-value]


@lru_cache(maxsize=4096)
def align(clean: str, rendered: str) -> tuple[int, ...] | None:
    """For each offset of ``clean`` (and its end), the offset in ``rendered``; None when the
    rendered text is not the clean text with insertions (then the page and the sources
    disagree, and no selector on the rendered text could be trusted).

    The usual page only puts the paragraph number before the text.  Otherwise words are
    aligned first (:func:`_token_alignment`), then characters (difflib's longest blocks), and
    last the leftmost embedding; whatever is left unmatched between matched neighbours is
    placed by :func:`_fill_gaps`.  So whenever the rendered text is the clean text with
    insertions there is an answer, and the first that is found is the one that keeps words
    whole."""
    if rendered.endswith(clean):
        offset = len(rendered) - len(clean)
        return tuple(range(offset, len(rendered) + 1))
    for matcher in (_token_alignment, _char_alignment, lambda c, r: [None] * len(c)):
        positions = _fill_gaps(clean, rendered, matcher(clean, rendered))
        if positions is not None:
            return tuple(positions) + ((positions[-1] + 1) if positions else 0,)
    return None


def selectors(text: str, start: int, end: int, rendered: str | None = None) -> list[dict[str, Any]]:
    """TextQuoteSelector and TextPositionSelector of ``text[start:end]``, on the rendered text
    when it is given (the quote then includes what the page inserts inside it)."""
    if rendered is not None and rendered != text:
        mapping = align(text, rendered)
        if mapping is not None and end > start:
            start, end, text = mapping[start], mapping[end - 1] + 1, rendered
    return [
        {"type": "TextQuoteSelector", "exact": text[start:end], "prefix": text[max(0, start - CONTEXT_WINDOW):start],
         "suffix": text[end:end + CONTEXT_WINDOW]},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _doc_of(corpus: Corpus, anchor: str) -> str:
    if anchor in corpus.paragraphs:
        return corpus.paragraphs[anchor].doc_id
    return max((d for d in corpus.documents if anchor.startswith(d + "-")), key=len, default=anchor)


_ROLE = re.compile(r"\{[A-Za-z:-]+\}`(?:(?P<text>[^`<]*?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]*))`")
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")


def plain_body(myst: str, anchor_titles: Mapping[str, str] | None = None) -> str:
    """A note's MyST as plain text, when the build gives no rendered text: a role shows its
    text (or, for a bare anchor, the anchor's title), a link its text and address, emphasis
    and literals their words."""
    titles = anchor_titles or {}

    def role(match: re.Match[str]) -> str:
        if match["bare"] is not None:
            return titles.get(match["bare"], match["bare"])
        return match["text"]

    text = _ROLE.sub(role, myst)
    text = _LINK.sub(lambda m: f"{m['text']} ({m['url']})", text)
    text = re.sub(r"(\*\*|\*|__|`)(.+?)\1", r"\2", text)
    return re.sub(r"[ \t]+\n", "\n", text).strip()


class _Exporter:
    def __init__(self, corpus: Corpus, base: str, rendered: Mapping[str, str]):
        self.corpus, self.base, self.rendered = corpus, base, rendered

    def iri(self, path: str) -> str:
        return self.base + path

    def target(self, anchor: str, start: int | None = None, end: int | None = None, text: str | None = None) -> dict[str, Any]:
        doc_id = _doc_of(self.corpus, anchor)
        target: dict[str, Any] = {"type": "SpecificResource", "source": self.iri(f"documents/{doc_id}.html#{anchor}")}
        text = text if text is not None else _text_of(self.corpus, anchor)
        if start is not None and end is not None and text:
            target["selector"] = selectors(text, start, end, self.rendered.get(anchor))
        return target


def collection(corpus: Corpus, base: str = "", version: str = "", title: str = "", rendered: Mapping[str, str] | None = None,
               note_bodies: Mapping[str, str] | None = None, label: str = "", *, notes: "LoadedNotes | None" = None,
               registry: "Registry | None" = None, events: "list[Event] | None" = None,
               source_notes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """All annotations of the edition as one ``AnnotationCollection`` with a single page.

    ``base``: the edition's absolute address ending in "/", or "" (relative IRIs under an
    explicit ``@base``); ``title``: the edition's title (the collection's label);
    ``rendered``: anchor → the ``textContent`` of that element in the built page;
    ``note_bodies``: a note's HTML id → its text as the page shows it;
    ``notes``, ``registry``, ``events``, ``source_notes``: the editorial notes, glossary
    registry, events and parsed source notes when
    the caller has loaded them already (the Sphinx build has, once per build); loaded from the
    corpus otherwise.
    """
    from .chronology import load_events
    from .glossary import corpus_mentions, load_registry, registry_dir
    from .notes import load_notes

    rendered = rendered or {}
    bodies = note_bodies or {}
    out = _Exporter(corpus, base, rendered)
    titles = {anchor: f"{corpus.documents[p.doc_id].meta['short_title']}, ¶ {p.number}" for anchor, p in corpus.paragraphs.items()}
    items: list[dict[str, Any]] = []
    for doc_id, doc_notes in sorted((load_notes(corpus) if notes is None else notes).notes.items()):
        for note in doc_notes:
            start = note.offset
            purpose = NOTE_PURPOSE.get(note.kind, "commenting")
            value = bodies.get(note.html_id) or plain_body(note.text, titles)
            body = [{"type": "TextualBody", "value": value, "format": "text/plain", "language": "en", "purpose": purpose}]
            if note.correction:
                body.append({"type": "TextualBody", "value": note.correction, "format": "text/plain", "purpose": "editing"})
            items.append({
                "id": out.iri(f"{EXPORT_PATH}#note-{note.html_id}"),
                "type": "Annotation",
                "motivation": purpose,
                "body": body,
                "target": out.target(note.anchor, start, start + len(note.quote)),
            })
    if registry is None:
        registry = load_registry(registry_dir(corpus.root), corpus.root)
    mentions, _ = corpus_mentions(registry, corpus, source_notes=source_notes)
    for entity_id, hits in sorted(mentions.items()):
        for block, mention in hits:
            items.append({
                "id": out.iri(f"{EXPORT_PATH}#mention-{block.anchor}-{mention.start}"),
                "type": "Annotation",
                "motivation": "identifying",
                "body": {"type": "SpecificResource", "source": out.iri(f"glossary.html#{entity_id}"), "purpose": "identifying"},
                "target": out.target(block.anchor, mention.start, mention.end, block.text),
            })
    if events is None:
        events, _ = load_events(corpus.root, corpus)
    for event in events:
        for attestation in event.attestations:
            text = _text_of(corpus, attestation.anchor)
            at = text.find(attestation.quote) if attestation.quote else -1
            span = (at, at + len(attestation.quote)) if at >= 0 else (None, None)
            items.append({
                "id": out.iri(f"{EXPORT_PATH}#event-{event.id}-{attestation.anchor}"),
                "type": "Annotation",
                "motivation": "tagging",
                "body": [{"type": "SpecificResource", "source": out.iri(f"chronology.html#{event.id}"), "purpose": "tagging"},
                         {"type": "TextualBody", "value": f"{event.date.words()}: {event.title}", "format": "text/plain", "purpose": "describing"}],
                "target": out.target(attestation.anchor, *span),
            })
    label = label or (f"Annotations of {title}" if title else "Annotations of the edition")
    return {
        "@context": CONTEXT if base else [CONTEXT, {"@base": RELATIVE_BASE}],
        "id": out.iri(EXPORT_PATH),
        "type": "AnnotationCollection",
        "label": label + (f", version {version}" if version else ""),
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
