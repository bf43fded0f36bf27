"""Editorial notes: this edition's own voice, kept apart from the texts (stand-off).

Each document's notes live in ``docs/annotations/notes/<doc-id>.yaml``.  A note targets a
paragraph anchor and an exact quote of its reading text, optionally narrowed by a prefix
and a suffix as in the W3C Web Annotation ``TextQuoteSelector``; the build places the
note's reference right after the quote.  Because the texts never change, a quote that is
missing or occurs more than once is an error of the annotation file, reported with its
file and line.  Kinds:

``explanation``     context a reader needs;
``emendation``/``sic`` the copy's error stays in the text, the note gives the correction;
``cross-reference`` another document tells the same thing;
``disagreement``    sources tell it differently (the note reconciles, it does not pick).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .archives import load_registry, parse_corpus_notes, build_register, iter_units
from .corpus import Corpus
from .errors import Problem
from .metadata import display_path
from .schemas import load_validated

NOTES_DIR = Path("docs/annotations/notes")
KIND_LABELS = {
    "explanation": "Explanation",
    "emendation": "Emendation",
    "sic": "Sic",
    "cross-reference": "Cross-reference",
    "disagreement": "Sources disagree",
}


@dataclass(frozen=True)
class EditorialNote:
    """One validated note, located in its file."""

    id: str
    doc_id: str
    kind: str
    anchor: str
    quote: str
    prefix: str
    suffix: str
    text: str
    correction: str
    see: tuple[str, ...]
    archives: tuple[str, ...]
    path: str
    line: int
    offset: int  # where the quote starts in the paragraph's reading text

    @property
    def html_id(self) -> str:
        return f"{self.doc_id}-ed-{self.id}"


@dataclass
class LoadedNotes:
    notes: dict[str, list[EditorialNote]] = field(default_factory=dict)  # doc id -> notes
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def archive_ids(corpus: Corpus) -> set[str]:
    """Every id of the registry and of the register's derived units."""
    loaded = load_registry(corpus.root)
    parsed, _ = parse_corpus_notes(corpus, loaded.registry)
    ids = set(loaded.registry.entries)
    ids.update(unit.id for unit in iter_units(build_register(loaded.registry, parsed)))
    return ids


def load_notes(corpus: Corpus, known_archives: set[str] | None = None) -> LoadedNotes:
    """Load, validate and locate every editorial note; problems are collected."""
    result = LoadedNotes()
    directory = corpus.root / NOTES_DIR
    if known_archives is None:
        known_archives = archive_ids(corpus)
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        result.files.append(path)
        shown = display_path(path, corpus.root)
        data, file_problems = load_validated(path, shown, "notes")
        if data is None:
            result.problems.extend(file_problems)
            continue
        doc_id = data["document"]
        if doc_id not in corpus.documents:
            result.problems.append(Problem(shown, data.line_of("document"), f"unknown document {doc_id!r}", f"use one of: {', '.join(sorted(corpus.documents))}"))
            continue
        if path.stem != doc_id:
            result.problems.append(Problem(shown, data.line_of("document"), f"notes on {doc_id!r} must be in {doc_id}.yaml", "rename the file after the document id"))
        seen: dict[str, int] = {}
        notes = data["notes"]
        for index, entry in enumerate(notes):
            line = notes.line_of(index)
            note, problems = _validate_note(corpus, entry, doc_id, shown, line, known_archives)
            if entry["id"] in seen:
                problems.append(Problem(shown, entry.line_of("id"), f"note id {entry['id']!r} is already used on line {seen[entry['id']]}", "give each note its own id"))
            seen.setdefault(entry["id"], line)
            result.problems.extend(problems)
            if note is not None and not problems:
                result.notes.setdefault(doc_id, []).append(note)
    return result


def _validate_note(corpus: Corpus, entry, doc_id: str, shown: str, line: int, known_archives: set[str]) -> tuple[EditorialNote | None, list[Problem]]:
    problems: list[Problem] = []
    anchor = entry["anchor"]
    target = target_text(corpus, anchor)
    if target is None or target[0] != doc_id:
        where = "does not exist" if target is None else f"belongs to {target[0]}"
        problems.append(Problem(shown, entry.line_of("anchor"), f"anchor {anchor!r} {where}", f"use a paragraph or source-note anchor of {doc_id}, e.g. {doc_id}-p1"))
        return None, problems
    prefix, suffix = entry.get("prefix", ""), entry.get("suffix", "")
    hits = find_quote(target[1], entry["quote"], prefix, suffix)
    if not hits:
        problems.append(Problem(shown, entry.line_of("quote"), f"quote {entry['quote']!r} (with its prefix and suffix) is not in {anchor}", "copy the words exactly from the paragraph's text as the edition shows it"))
    elif len(hits) > 1:
        problems.append(Problem(shown, entry.line_of("quote"), f"quote {entry['quote']!r} occurs {len(hits)} times in {anchor}", "add a prefix or suffix (the words just before or after) so that it matches once"))
    for index, target in enumerate(entry.get("see", []) or []):
        if target not in corpus.anchors:
            problems.append(Problem(shown, entry["see"].line_of(index), f"unknown anchor {target!r} in see", "use a paragraph anchor such as lotm-2019-p33 or a source note such as frus-1964-68-v31-d151-n3"))
    for index, unit in enumerate(entry.get("archives", []) or []):
        if unit not in known_archives:
            problems.append(Problem(shown, entry["archives"].line_of(index), f"unknown archive id {unit!r}", "use an id listed on the archival register (docs/annotations/archives/ or a file unit cited in a source note)"))
    if problems:
        return None, problems
    note = EditorialNote(
        id=entry["id"], doc_id=doc_id, kind=entry["kind"], anchor=anchor, quote=entry["quote"], prefix=prefix, suffix=suffix,
        text=entry["text"].strip(), correction=entry.get("correction", ""), see=tuple(entry.get("see", []) or []),
        archives=tuple(entry.get("archives", []) or []), path=shown, line=line, offset=hits[0],
    )
    return note, problems


def target_text(corpus: Corpus, anchor: str) -> tuple[str, str] | None:
    """(document id, reading text) of a paragraph or of a source note (``<doc>-n<k>``)."""
    paragraph = corpus.paragraphs.get(anchor)
    if paragraph is not None:
        return paragraph.doc_id, paragraph.text
    match = re.match(r"^(?P<doc>.+)-n(?P<number>\d+)$", anchor)
    if match and match["doc"] in corpus.conversions:
        note = corpus.conversions[match["doc"]].notes.get(int(match["number"]))
        if note is not None:
            return match["doc"], note.text
    return None


def find_quote(text: str, quote: str, prefix: str = "", suffix: str = "") -> list[int]:
    """Offsets of ``quote`` where ``prefix + quote + suffix`` occurs (TextQuoteSelector)."""
    needle, hits = prefix + quote + suffix, []
    start = text.find(needle)
    while start >= 0:
        hits.append(start + len(prefix))
        start = text.find(needle, start + 1)
    return hits


def check_notes(corpus: Corpus) -> list[Problem]:
    """Validate every editorial note file: schema, anchors, quotes, cross-references."""
    return load_notes(corpus).problems
