"""Scaffolding for contributors: ready templates for a note, an entity, an event, a document.

Each function checks what it can before writing (the anchor exists, the quote is found
exactly once, the id is new), then either returns the YAML snippet (to print) or appends
it to the right annotation file, creating the file with its header when needed.  What a
contributor must still write is marked with :data:`PLACEHOLDER`, which ``edition check``
refuses, so an unfinished template can never be merged by mistake.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from . import dates
from .corpus import Corpus
from .errors import EditionError, Problem
from .metadata import NOT_NAMED

#: Marks what the contributor still has to write; `edition check` reports it as an error.
from .contributed import PLACEHOLDER  # noqa: E402

NOTES_DIR = Path("docs") / "annotations" / "notes"
ENTITIES_DIR = Path("docs") / "annotations" / "entities"
EVENTS_DIR = Path("docs") / "annotations" / "events"
SOURCES_DIR = Path("sources")
BIBLIOGRAPHY = Path("docs") / "references.bib"

ENTITY_FILES = {"person": "persons.yaml", "organisation": "organisations.yaml", "place": "places.yaml", "term": "terms.yaml"}
#: Period of the chronology -> the events file that holds it.
EVENT_FILES = {
    "revolution-and-rebuilt-army": "1952-1964.yaml",
    "military-regimes": "1964-1982.yaml",
    "civilian-rule": "1982-2005.yaml",
    "morales-years": "2006-2019.yaml",
    "crisis-2019-2020": "2019-2020.yaml",
    "since-2020": "since-2020.yaml",
}


class _Dumper(yaml.SafeDumper):
    """Block style, long lines kept whole, strings quoted only when YAML needs it."""


def _dump_item(item: dict[str, Any], indent: int) -> str:
    text = yaml.dump([item], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _append(path: Path, header: str, snippet: str) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header, "utf-8")
    existing = path.read_text("utf-8")
    separator = "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    path.write_text(existing + separator + snippet, "utf-8")


def _fail(message: str, hint: str) -> EditionError:
    return EditionError(Problem("edition new", None, message, hint))


def _check_quote(corpus: Corpus, anchor: str, quote: str, prefix: str = "", suffix: str = "") -> None:
    if anchor not in corpus.paragraphs:
        raise _fail(f"no paragraph with the anchor {anchor!r}", "copy the anchor from the ¶ number's link on the page, e.g. mack-2025-p13")
    hits = corpus.find(anchor, quote, prefix, suffix)
    if len(hits) != 1:
        found = "is not in" if not hits else f"occurs {len(hits)} times in"
        raise _fail(f"quote {quote!r} {found} {anchor}", "copy the exact words from the page; add --prefix/--suffix when they occur more than once")


def new_note(corpus: Corpus, anchor: str, quote: str, kind: str, note_id: str, text: str = "", prefix: str = "", suffix: str = "", correction: str = "", see: list[str] | None = None) -> tuple[Path, str]:
    """An editorial note on ``quote`` in paragraph ``anchor``: (file, snippet)."""
    _check_quote(corpus, anchor, quote, prefix, suffix)
    doc_id = corpus.paragraphs[anchor].doc_id
    item: dict[str, Any] = {"id": note_id, "kind": kind, "anchor": anchor, "quote": quote}
    if prefix:
        item["prefix"] = prefix
    if suffix:
        item["suffix"] = suffix
    if kind in ("sic", "emendation"):
        item["correction"] = correction or PLACEHOLDER
    if see:
        item["see"] = list(see)
    item["text"] = text or PLACEHOLDER
    path = corpus.root / NOTES_DIR / f"{doc_id}.yaml"
    return path, _dump_item(item, 2)


def new_entity(corpus: Corpus, entity_id: str, kind: str, headword: str, sort: str, aliases: list[str], attested: list[str], description: str = "") -> tuple[Path, str]:
    """A glossary entity: (file, snippet)."""
    if kind not in ENTITY_FILES:
        raise _fail(f"unknown kind {kind!r}", f"use one of: {', '.join(ENTITY_FILES)}")
    missing = [a for a in attested if a not in corpus.anchors]
    if missing:
        raise _fail(f"unknown anchor(s): {', '.join(missing)}", "cite the paragraphs that attest the entity, e.g. lotm-2019-p22")
    item = {"id": entity_id, "kind": kind, "headword": headword, "sort": sort or headword, "aliases": aliases or [headword],
            "description": description or PLACEHOLDER, "attested": attested}
    from .schemas import validate  # the entry must pass the validator that `edition check` runs

    problems = validate([item], "entity", "edition new entity")
    if problems:
        raise EditionError([Problem(p.path, None, p.message, p.hint + "; attested anchors are paragraphs (-p7), notes (-n2), images (-fig1) or bylines")
                            for p in problems])
    return corpus.root / ENTITIES_DIR / ENTITY_FILES[kind], _dump_item(item, 0)


def new_event(corpus: Corpus, event_id: str, date: str, kind: str, title: str, anchor: str, quote: str = "", description: str = "") -> tuple[Path, str]:
    """A chronology event attested by ``anchor`` (and ``quote``): (file, snippet)."""
    from .chronology import period_of

    try:
        parsed = dates.parse(date)
    except dates.EDTFError as exc:
        raise _fail(str(exc), "write the date in EDTF, e.g. 1980-07-17, 1965-09, 2019-12~, 1966?") from None
    if quote:
        _check_quote(corpus, anchor, quote)
    elif anchor not in corpus.anchors:
        raise _fail(f"no anchor {anchor!r}", "cite the paragraph that attests the event")
    attestation: Any = {"anchor": anchor, "quote": quote} if quote else anchor
    item = {"id": event_id, "date": date, "kind": kind, "title": title, "description": description or PLACEHOLDER, "attested_by": [attestation]}
    period = period_of(parsed.lower)
    return corpus.root / EVENTS_DIR / EVENT_FILES[period.slug], _dump_item(item, 2)


def new_document(root: Path, doc_id: str, text_file: Path, title: str, outlet: str, genre: str, date: str, rights: str, authors: list[str], language: str = "en", date_basis: str = "",
                 detection=None, url: str = "") -> list[Path]:
    """Add a source: copy the text verbatim, write its metadata, a bibliography entry and the
    document's own event in the chronology.  Returns the files written."""
    target = root / SOURCES_DIR / f"{doc_id}.txt"
    meta_path = target.with_suffix(".yaml")
    if target.exists() or meta_path.exists():
        raise _fail(f"a source with the id {doc_id!r} exists already", "choose another id")
    try:
        dates.parse(date)
    except dates.EDTFError as exc:
        raise _fail(str(exc), "write the date in EDTF") from None
    raw = text_file.read_bytes()
    first_line = next((line.strip() for line in raw.decode("utf-8-sig", errors="replace").splitlines() if line.strip()), "")
    bibkey = doc_id.replace("-", "")
    names = []
    for name in authors:
        given, _, family = name.rpartition(" ")
        names.append({"family": family, "given": given} if given else {"family": family})
    meta: dict[str, Any] = {
        "id": doc_id, "title": title, "short_title": title if len(title) < 30 else doc_id,
        "authors": names or NOT_NAMED, "outlet": outlet, "genre": genre, "language": language,
        "date": {"edtf": date, **({"basis": date_basis, "inferred": True} if date_basis else {})},
        "rights": rights, "bibkey": bibkey, "structure": {"title": first_line},
    }
    suggestions = ""
    if detection is not None:  # what the text shows (structure_detect): notes, page breaks, headings, FRUS fields
        from .structure_detect import apply_detection, omission_comments

        meta, suggestions = apply_detection(meta, detection, url), omission_comments(detection)
    shutil.copyfile(text_file, target)  # byte for byte: the source is never retyped
    header = f"# Metadata of sources/{doc_id}.txt. Schema: ext/scholarly_edition/schemas/source.schema.json\n"
    meta_path.write_text(header + yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100) + suggestions, "utf-8")
    author_field = " and ".join(f"{n['family']}, {n.get('given', '')}".strip(", ") for n in names)
    entry = f"\n@misc{{{bibkey},\n" + (f"  author       = {{{author_field}}},\n" if author_field else "") + \
        f"  title        = {{{{{title}}}}},\n  howpublished = {{{outlet}}},\n  note         = {{Date (EDTF): {date}}}\n}}\n"
    bib = root / BIBLIOGRAPHY
    bib.write_text(bib.read_text("utf-8") + entry, "utf-8")
    day = re.match(r"\d{4}(?:-\d{2}){0,2}", date)
    event = {"id": f"{day.group(0) if day else 'xxxx'}-{doc_id}", "date": date, "kind": "document", "document": doc_id, "title": title,
             "attested_by": [f"{doc_id}-p1"]}
    events = root / EVENTS_DIR / "documents.yaml"
    _append(events, "title: Dates of the edition's documents\nevents:\n", _dump_item(event, 2))
    return [target, meta_path, bib, events]


def write(path: Path, snippet: str, header: str = "") -> None:
    """Append ``snippet`` to an annotation file (created with ``header`` if new)."""
    _append(path, header, snippet)


NOTE_FILE_HEADER = "# Editorial notes. Schema: ext/scholarly_edition/schemas/notes.schema.json\ndocument: {doc}\nnotes:\n"
