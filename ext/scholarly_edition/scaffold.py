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
# -- validation before anything is written (the trust boundary of `edition new`) ----------

#: The id each kind of object may have (as its schema says); never a path.
ID_PATTERNS = {
    "document": re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"),
    "note": re.compile(r"^[a-z][a-z0-9-]*$"),
    "entity": re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"),
    "event": re.compile(r"^[0-9]{3}[0-9x](-[0-9]{2}){0,2}(-[a-z0-9]+)+$"),
}
ID_HINTS = {
    "document": "use lowercase letters, digits and single hyphens, e.g. mack-2025",
    "note": "use lowercase letters, digits and hyphens, e.g. paz-flight-date",
    "entity": "use lowercase letters, digits and single hyphens, surname first for persons, e.g. barrientos-rene",
    "event": "start with the date and add words, e.g. 1980-07-17-cocaine-coup",
}
MAX_ID_LENGTH = 80


def _taken_ids(root: Path, corpus: Corpus | None = None) -> set[str]:
    """Every id in use, of any kind: documents, anchors, and the ids of every annotation."""
    from .yamlload import LineDict, LineList, load_yaml_file

    taken: set[str] = set()
    if corpus is not None:
        taken |= set(corpus.anchors)
    sources = root / SOURCES_DIR
    taken |= {p.stem for p in sources.iterdir()} if sources.is_dir() else set()

    def walk(value: Any) -> None:
        if isinstance(value, LineDict):
            if isinstance(value.get("id"), str):
                taken.add(value["id"])
            for item in value.values():
                walk(item)
        elif isinstance(value, LineList):
            for item in value:
                walk(item)

    annotations = root / "docs" / "annotations"
    for path in sorted(annotations.rglob("*.yaml")) if annotations.is_dir() else []:
        try:
            walk(load_yaml_file(path))
        except EditionError:
            continue  # `edition check` reports that file; its ids cannot be known
    return taken


def validate_id(kind: str, new_id: str, root: Path, corpus: Corpus | None = None) -> None:
    """Refuse an id that is malformed, could name a path, or is taken by anything: before any write."""
    shown = f"--id {new_id!r}"
    if not new_id or "/" in new_id or "\\" in new_id or ".." in new_id or "\x00" in new_id:
        raise _fail(f"{shown} is not an id: it contains a path separator or '..'", f"an id names an object, never a path: {ID_HINTS[kind]}")
    if len(new_id) > MAX_ID_LENGTH or not ID_PATTERNS[kind].match(new_id):
        raise _fail(f"{shown} is not a valid {kind} id", ID_HINTS[kind])
    if new_id in _taken_ids(root, corpus):
        raise _fail(f"{shown} is taken already", "choose another id: ids are unique across documents, anchors, notes, entities, events and archives")


def validate_texts(fields: dict[str, Any]) -> None:
    """Every contributed value passes the trust boundary before it reaches a file: all problems at once."""
    from .trust import check_field

    problems: list[Problem] = []
    for option, (key, values) in fields.items():
        for value in values if isinstance(values, list) else [values]:
            if not value:
                continue
            for issue in check_field(key, str(value)):
                problems.append(Problem("edition new", None, f"{option}: {issue.message}", issue.hint, issue.offset + 1))
    if problems:
        raise EditionError(problems)


class _Dumper(yaml.SafeDumper):
    """Block style, long lines kept whole, strings quoted only when YAML needs it."""


def _dump_item(item: dict[str, Any], indent: int) -> str:
    text = yaml.dump([item], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _appended(path: Path, header: str, snippet: str) -> str:
    """The new content of an annotation file with ``snippet`` appended (nothing written)."""
    from .fileio import read_contributed

    existing = read_contributed(path, str(path), 512_000).decode("utf-8") if path.exists() or path.is_symlink() else header
    separator = "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    return existing + separator + snippet


def _append(path: Path, header: str, snippet: str) -> None:
    from .fileio import write_atomic

    write_atomic(path, _appended(path, header, snippet))


def _fail(message: str, hint: str) -> EditionError:
    return EditionError(Problem("edition new", None, message, hint))


def _check_quote(corpus: Corpus, anchor: str, quote: str, prefix: str = "", suffix: str = "") -> None:
    if anchor not in corpus.paragraphs:
        raise _fail(f"no paragraph with the anchor {anchor!r}", "copy the anchor from the ¶ number's link on the page: <document id>-p<number>")
    hits = corpus.find(anchor, quote, prefix, suffix)
    if len(hits) != 1:
        found = "is not in" if not hits else f"occurs {len(hits)} times in"
        raise _fail(f"quote {quote!r} {found} {anchor}", "copy the exact words from the page; add --prefix/--suffix when they occur more than once")


def new_note(corpus: Corpus, anchor: str, quote: str, kind: str, note_id: str, text: str = "", prefix: str = "", suffix: str = "", correction: str = "", see: list[str] | None = None) -> tuple[Path, str]:
    """An editorial note on ``quote`` in paragraph ``anchor``: (file, snippet)."""
    validate_id("note", note_id, corpus.root, corpus)
    validate_texts({"--text": ("text", text), "--correction": ("correction", correction), "--quote": ("quote", quote),
                    "--prefix": ("prefix", prefix), "--suffix": ("suffix", suffix)})
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
    validate_id("entity", entity_id, corpus.root, corpus)
    validate_texts({"--headword": ("headword", headword), "--sort": ("sort", sort), "--alias": ("aliases", aliases),
                    "--description": ("description", description)})
    missing = [a for a in attested if a not in corpus.anchors]
    if missing:
        raise _fail(f"unknown anchor(s): {', '.join(missing)}", "cite the paragraphs that attest the entity: <document id>-p<number>")
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
    from .chronology import load_periods, period_of

    validate_id("event", event_id, corpus.root, corpus)
    validate_texts({"--title": ("title", title), "--kind": ("kind", kind), "--description": ("description", description), "--quote": ("quote", quote)})
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
    period = period_of(parsed.lower, load_periods(corpus.root))
    return corpus.root / EVENTS_DIR / period.events_file, _dump_item(item, 2)


def new_document(root: Path, doc_id: str, text_file: Path, title: str, outlet: str, genre: str, date: str, rights: str, authors: list[str], language: str = "en", date_basis: str = "",
                 detection=None, url: str = "") -> list[Path]:
    """Add a source: copy the text verbatim, write its metadata, a bibliography entry and the
    document's own event in the chronology.  Returns the files written."""
    validate_id("document", doc_id, root)
    validate_texts({"--title": ("title", title), "--outlet": ("outlet", outlet), "--rights": ("rights", rights),
                    "--author": ("family", authors), "--date-basis": ("basis", date_basis), "--language": ("language", language)})
    target = root / SOURCES_DIR / f"{doc_id}.txt"
    meta_path = target.with_suffix(".yaml")
    if target.exists() or meta_path.exists() or target.is_symlink() or meta_path.is_symlink():
        raise _fail(f"a source with the id {doc_id!r} exists already", "choose another id")
    if target.resolve().parent != (root / SOURCES_DIR).resolve():
        raise _fail(f"--id {doc_id!r} would write outside sources/", "choose an id without path separators")
    try:
        dates.parse(date)
    except dates.EDTFError as exc:
        raise _fail(str(exc), "write the date in EDTF") from None
    from .trust import MAX_SOURCE_BYTES

    raw = text_file.read_bytes()
    if len(raw) > MAX_SOURCE_BYTES:
        raise _fail(f"--text-file is larger than {MAX_SOURCE_BYTES} bytes", "a source of the edition is one document; split it")
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
    header = f"# Metadata of sources/{doc_id}.txt. Schema: ext/scholarly_edition/schemas/source.schema.json\n"
    bib = root / BIBLIOGRAPHY
    from .fileio import read_contributed, write_all

    existing_bib = read_contributed(bib, str(BIBLIOGRAPHY), 2_000_000).decode("utf-8") if bib.exists() or bib.is_symlink() else ""
    day = re.match(r"\d{4}(?:-\d{2}){0,2}", date)
    event = {"id": f"{day.group(0) if day else 'xxxx'}-{doc_id}", "date": date, "kind": "document", "document": doc_id, "title": title,
             "attested_by": [f"{doc_id}-p1"]}
    events = root / EVENTS_DIR / "documents.yaml"
    files: dict[Path, str | bytes] = {
        target: raw,  # byte for byte: the source is never retyped
        meta_path: header + yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100) + suggestions,
        bib: existing_bib.rstrip("\n") + "\n\n" + bibtex_entry(bibkey, names, title, outlet, date),
        events: _appended(events, "title: Dates of the edition's documents\nevents:\n", _dump_item(event, 2)),
    }
    write_all(files)  # all four files or none
    return [target, meta_path, bib, events]


def bibtex_entry(bibkey: str, names: list[dict[str, str]], title: str, outlet: str, date: str) -> str:
    """The document's entry, written by pybtex (quoting and LaTeX escaping are the library's).

    Braces and backslashes are refused: BibTeX counts every brace, escaped or not, so a
    stray one would close the entry early and drop the fields after it."""
    from pybtex.database import BibliographyData, Entry, Person

    for option, value in (("--title", title), ("--outlet", outlet), *(("--author", n.get("given", "") + " " + n["family"]) for n in names)):
        bad = next((c for c in value if c in "{}\\"), None)
        if bad:
            raise _fail(f"{option} {value!r} contains {bad!r}, which BibTeX cannot hold safely", "leave the character out of the scaffold and add the entry to docs/references.bib by hand if it is needed")
    # pybtex's writer escapes LaTeX's special characters (% & _ #) itself.
    persons = {"author": [Person(last=n["family"], first=n.get("given", "")) for n in names]} if names else {}
    entry = Entry("misc", fields={"title": "{" + title + "}", "howpublished": outlet, "note": f"Date (EDTF): {date}"}, persons=persons)
    return BibliographyData({bibkey: entry}).to_string("bibtex")


def write(path: Path, snippet: str, header: str = "") -> None:
    """Append ``snippet`` to an annotation file (created with ``header`` if new)."""
    _append(path, header, snippet)


NOTE_FILE_HEADER = "# Editorial notes. Schema: ext/scholarly_edition/schemas/notes.schema.json\ndocument: {doc}\nnotes:\n"
