"""The edition's annotations as a W3C Web Annotation collection (JSON-LD).

Every stand-off annotation of the edition targets a paragraph (or a note of the original)
and an exact quote, which is exactly the W3C model: a ``SpecificResource`` whose
``source`` is the paragraph's URL and whose selector is a ``TextQuoteSelector``
(``exact``, ``prefix``, ``suffix``).  Exported here:

* editorial notes (``commenting``, ``editing`` for sic/emendation, ``linking`` for
  cross-references), with the note text as a ``TextualBody``;
* glossary mentions (``identifying``), whose body is the glossary entry;
* chronology attestations (``tagging``/``linking``), whose body is the chronology entry.

The export is computed from the annotation files and the sources, not from a build, so
it is the same under ``-j`` and on incremental builds.
"""

from __future__ import annotations

from typing import Any

from .corpus import Corpus

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_WINDOW = 32
NOTE_PURPOSE = {"sic": "editing", "emendation": "editing", "cross-reference": "linking", "disagreement": "commenting", "explanation": "commenting"}


def _text_of(corpus: Corpus, anchor: str) -> str:
    if anchor in corpus.paragraphs:
        return corpus.paragraphs[anchor].text
    doc_id, _, number = anchor.rpartition("-n")
    conversion = corpus.conversions.get(doc_id)
    if conversion and number.isdigit() and int(number) in conversion.notes:
        return conversion.notes[int(number)].text
    return ""


def _selector(text: str, start: int, end: int) -> dict[str, str]:
    return {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT_WINDOW):start],
        "suffix": text[end:end + CONTEXT_WINDOW],
    }


def _doc_of(corpus: Corpus, anchor: str) -> str:
    if anchor in corpus.paragraphs:
        return corpus.paragraphs[anchor].doc_id
    return max((d for d in corpus.documents if anchor.startswith(d + "-")), key=len, default=anchor)


def _target(base: str, corpus: Corpus, anchor: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    doc_id = _doc_of(corpus, anchor)
    target: dict[str, Any] = {"type": "SpecificResource", "source": f"{base}documents/{doc_id}.html#{anchor}"}
    text = _text_of(corpus, anchor)
    if start is not None and end is not None and text:
        target["selector"] = _selector(text, start, end)
    return target


def _with_text(target: dict[str, Any], text: str, start: int, end: int) -> dict[str, Any]:
    target["selector"] = _selector(text, start, end)
    return target


def collection(corpus: Corpus, base: str = "", version: str = "", label: str = "Annotations of the edition") -> dict[str, Any]:
    """All annotations of the edition as one ``AnnotationCollection`` with a single page."""
    from .glossary import corpus_mentions, load_registry, registry_dir
    from .notes import load_notes
    from .chronology import load_events

    items: list[dict[str, Any]] = []
    for doc_id, notes in sorted(load_notes(corpus).notes.items()):
        for note in notes:
            start = note.offset
            items.append({
                "id": f"{base}data/annotations.jsonld#note-{note.html_id}",
                "type": "Annotation",
                "motivation": NOTE_PURPOSE.get(note.kind, "commenting"),
                "body": [{"type": "TextualBody", "value": note.text, "format": "text/markdown", "purpose": NOTE_PURPOSE.get(note.kind, "commenting")}]
                + ([{"type": "TextualBody", "value": note.correction, "purpose": "editing"}] if note.correction else []),
                "target": _target(base, corpus, note.anchor, start, start + len(note.quote)),
            })
    registry = load_registry(registry_dir(corpus.root), corpus.root)
    mentions, _ = corpus_mentions(registry, corpus)
    for entity_id, hits in sorted(mentions.items()):
        for block, mention in hits:
            items.append({
                "id": f"{base}data/annotations.jsonld#mention-{block.anchor}-{mention.start}",
                "type": "Annotation",
                "motivation": "identifying",
                "body": {"type": "SpecificResource", "source": f"{base}glossary.html#{entity_id}", "purpose": "identifying"},
                "target": _with_text(_target(base, corpus, block.anchor), block.text, mention.start, mention.end),
            })
    events, _ = load_events(corpus.root, corpus)
    for event in events:
        for attestation in event.attestations:
            text = _text_of(corpus, attestation.anchor)
            at = text.find(attestation.quote) if attestation.quote else -1
            span = (at, at + len(attestation.quote)) if at >= 0 else (None, None)
            items.append({
                "id": f"{base}data/annotations.jsonld#event-{event.id}-{attestation.anchor}",
                "type": "Annotation",
                "motivation": "tagging",
                "body": [{"type": "SpecificResource", "source": f"{base}chronology.html#{event.id}", "purpose": "tagging"},
                         {"type": "TextualBody", "value": f"{event.date.words()}: {event.title}", "purpose": "describing"}],
                "target": _target(base, corpus, attestation.anchor, *span),
            })
    return {
        "@context": CONTEXT,
        "id": f"{base}data/annotations.jsonld",
        "type": "AnnotationCollection",
        "label": f"{label}{f', version {version}' if version else ''}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
