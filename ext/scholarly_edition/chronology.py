"""The chronological index: events registry, loaded and validated without Sphinx.

Events are stand-off annotations in small YAML files under ``docs/annotations/events/``
(one file per period).  Each event has an EDTF date, a kind from a closed list
(``schemas/event.schema.json``) and the anchors of the paragraphs (or FRUS source notes)
that attest it.  Three dates are kept apart:

* the date of the event (``date``);
* the date of a document, which is an event of kind ``document`` of its own and must agree
  with the document's metadata;
* the date of the record through which a source knows the event (``reported``), and the
  date a given source states when it differs (``date_given`` on an attestation).

Everything here returns :class:`~edition.errors.Problem` objects with file and line, so
``edition check`` and the Sphinx build report alike.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import dates
from .corpus import Corpus
from .errors import EditionError, Problem
from .schemas import load_schema, load_validated
from .yamlload import LineDict, LineList, load_yaml_file

EVENTS_DIR = "docs/annotations/events"
ENTITIES_DIR = "docs/annotations/entities"
NOTE_ANCHOR = re.compile(r"^(?P<doc>[a-z][a-z0-9-]*)-n(?P<number>\d+)$")
PARAGRAPH_ANCHOR = re.compile(r"^(?P<doc>[a-z][a-z0-9-]*)-p(?P<number>\d+)$")


@dataclass(frozen=True)
class Period:
    """A period of the chronology page: events are grouped by the lower bound of their date."""

    slug: str
    title: str
    start: _dt.date
    end: _dt.date
    #: The events file ``edition new event`` appends to (default ``<slug>.yaml``).
    file: str = ""

    @property
    def events_file(self) -> str:
        return self.file or f"{self.slug}.yaml"

    def contains(self, day: _dt.date) -> bool:
        return self.start <= day <= self.end


#: Where an edition lists the periods of its chronology (schema ``periods.schema.json``).
#: Periods are the edition's own words ("Military regimes, 1964–1982"), so they are data,
#: not code; an edition without the file has one period.
PERIODS_FILE = "docs/annotations/periods.yaml"
DEFAULT_PERIODS: tuple[Period, ...] = (Period("events", "Events", _dt.date.min, _dt.date.max, "events.yaml"),)


def load_periods(root: Path, problems: list[Problem] | None = None) -> tuple[Period, ...]:
    """The periods of an edition, in order, from ``docs/annotations/periods.yaml``; its
    problems (schema, dates, order) are added to ``problems``."""
    path = root / PERIODS_FILE
    if not path.exists():
        return DEFAULT_PERIODS
    found: list[Problem] = []
    data, found_problems = load_validated(path, PERIODS_FILE, "periods")
    found += found_problems
    periods: list[Period] = []
    for item in (data or {}).get("periods", []):
        try:
            start = _dt.date.fromisoformat(item["start"]) if "start" in item else _dt.date.min
            end = _dt.date.fromisoformat(item["end"]) if "end" in item else _dt.date.max
        except ValueError as exc:
            found.append(Problem(PERIODS_FILE, item.line, f"period {item['id']!r}: {exc}", "write dates as YYYY-MM-DD"))
            continue
        if periods and start <= periods[-1].end or start > end:
            found.append(Problem(PERIODS_FILE, item.line, f"period {item['id']!r} overlaps the one before it or ends before it starts", "list periods in order, each starting after the previous one ends"))
            continue
        periods.append(Period(item["id"], item["title"], start, end, item.get("file", "")))
    if problems is not None:
        problems.extend(found)
    return tuple(periods) if periods and not found else DEFAULT_PERIODS


def periods_of(events: list["Event"]) -> list[Period]:
    """The periods that hold at least one of ``events``, in order."""
    return sorted({e.period for e in events}, key=lambda p: (p.start, p.end, p.slug))


def kinds() -> list[str]:
    """The closed list of event kinds, as the schema defines it."""
    return list(load_schema("event")["$defs"]["event"]["properties"]["kind"]["enum"])


@dataclass(frozen=True)
class Attestation:
    """One anchor that attests an event, with the date this source gives if it differs."""

    anchor: str
    doc_id: str
    date_given: dates.EdtfDate | None = None
    quote: str = ""


@dataclass(frozen=True)
class Event:
    """One event of the chronology."""

    id: str
    date: dates.EdtfDate
    title: str
    kind: str
    attestations: tuple[Attestation, ...]
    path: str
    line: int
    description: str = ""
    document: str = ""
    reported: tuple[dates.EdtfDate, str] | None = None
    participants: tuple[str, ...] = ()
    disagreement: str = ""
    note: str = ""
    date_line: int = 0
    #: The period of the chronology that holds the earliest day of the date.
    period: Period = DEFAULT_PERIODS[0]

    @property
    def sort_key(self) -> tuple[_dt.date, _dt.date, str]:
        """Lower bound, then upper bound, then id (a stable order for equal dates)."""
        return (self.date.lower, self.date.upper, self.id)

    @property
    def documents(self) -> list[str]:
        """Ids of the documents that attest the event, in order of first attestation."""
        return list(dict.fromkeys(a.doc_id for a in self.attestations))

    @property
    def anchors(self) -> list[str]:
        return [a.anchor for a in self.attestations]



def period_of(day: _dt.date, periods: tuple[Period, ...] = DEFAULT_PERIODS) -> Period:
    for period in periods:
        if period.contains(day):
            return period
    return periods[-1]


def sort_events(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.sort_key)


def doc_of_anchor(anchor: str) -> str:
    match = PARAGRAPH_ANCHOR.match(anchor) or NOTE_ANCHOR.match(anchor)
    return match["doc"] if match else anchor


def event_files(root: Path, events_dir: str = EVENTS_DIR) -> list[Path]:
    """The registry's files, in a stable order."""
    directory = root / events_dir
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def entity_ids(root: Path, entities_dir: str = ENTITIES_DIR) -> set[str] | None:
    """Ids of the glossary's entities, or ``None`` when no glossary registry exists yet.

    The glossary is built on another branch; its files are read loosely here (any mapping
    with an ``id``, at any depth), so participants are checked as soon as it exists.
    """
    directory = root / entities_dir
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    if not files:
        return None
    found: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                found.add(value["id"])
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for path in files:
        try:
            collect(load_yaml_file(path))
        except EditionError:
            continue  # the glossary's own check reports its syntax errors
    return found


def _note_text(corpus: Corpus, anchor: str) -> str | None:
    match = NOTE_ANCHOR.match(anchor)
    if not match or match["doc"] not in corpus.conversions:
        return None
    note = corpus.conversions[match["doc"]].notes.get(int(match["number"]))
    return note.text if note else None


def _spaces(text: str) -> str:
    """Collapse runs of white space (the copies have no-break spaces a reviewer cannot see)."""
    return re.sub(r"\s+", " ", text)


def _parse_date(value: Any, path: str, line: int, what: str, problems: list[Problem]) -> dates.EdtfDate | None:
    try:
        return dates.parse(value)
    except dates.EDTFError as exc:
        problems.append(Problem(path, line, f"{what}: {exc}", "write an EDTF date: 1964-11-04, 1964-11, 1964, 1964-11-03/1964-11-05, 1966?, 2019-12~, 196X"))
        return None


def _attestation(raw: Any, line: int, path: str, corpus: Corpus, event_id: str, problems: list[Problem]) -> Attestation | None:
    item = raw if isinstance(raw, dict) else {"anchor": raw}
    anchor = item["anchor"]
    kind = corpus.anchors.get(anchor)
    if kind == "omitted paragraph":
        problems.append(Problem(path, line, f"event {event_id!r}: paragraph {anchor!r} is now omitted (its anchor leads to the omission mark)",
                                "attest the event with a paragraph of the reading text, or remove the attestation"))
        return None
    if kind not in ("paragraph", "source note"):
        near = sorted((a for a in corpus.paragraphs if corpus.paragraphs[a].doc_id == doc_of_anchor(anchor)), key=lambda a: corpus.paragraphs[a].number)
        hint = f"paragraphs of {doc_of_anchor(anchor)} run from {near[0]} to {near[-1]}" if near else "use a paragraph anchor <doc>-p<n> or a source-note anchor <doc>-n<k>"
        problems.append(Problem(path, line, f"event {event_id!r}: anchor {anchor!r} does not exist in the edition", hint))
        return None
    date_given = None
    if "date_given" in item:
        line_given = item.line_of("date_given") if isinstance(item, LineDict) else line
        date_given = _parse_date(item["date_given"], path, line_given, f"event {event_id!r}: date_given of {anchor}", problems)
    quote = item.get("quote", "")
    if quote:
        text = corpus.paragraphs[anchor].text if kind == "paragraph" else (_note_text(corpus, anchor) or "")
        if _spaces(quote) not in _spaces(text):
            line_quote = item.line_of("quote") if isinstance(item, LineDict) else line
            problems.append(Problem(path, line_quote, f"event {event_id!r}: quote {quote!r} is not in {anchor}", "copy the words exactly as the reading text has them"))
    return Attestation(anchor, doc_of_anchor(anchor), date_given, quote)


def _event(raw: LineDict, path: str, corpus: Corpus, entities: set[str] | None, problems: list[Problem], periods: tuple[Period, ...] = DEFAULT_PERIODS) -> Event | None:
    event_id = raw["id"]
    date = _parse_date(raw["date"], path, raw.line_of("date"), f"event {event_id!r}: date", problems)
    attestations = []
    listed: LineList = raw["attested_by"]
    for index, item in enumerate(listed):
        attestation = _attestation(item, listed.line_of(index), path, corpus, event_id, problems)
        if attestation:
            attestations.append(attestation)
    reported = None
    if "reported" in raw:
        when = _parse_date(raw["reported"]["date"], path, raw["reported"].line_of("date"), f"event {event_id!r}: reported date", problems)
        reported = (when, raw["reported"]["in"]) if when else None
    participants = tuple(raw.get("participants", ()))
    if entities is not None:
        for index, entity in enumerate(participants):
            if entity not in entities:
                problems.append(Problem(path, raw["participants"].line_of(index), f"event {event_id!r}: participant {entity!r} is not an entity of the glossary", f"use an id from {ENTITIES_DIR}/ or add the entity there"))
    document = raw.get("document", "")
    if raw["kind"] == "document" and document not in corpus.documents:
        problems.append(Problem(path, raw.line_of("document") if document else raw.line_of("kind"), f"event {event_id!r}: kind document needs 'document:' with the id of an edition document", f"known documents: {', '.join(sorted(corpus.documents))}"))
    elif document and raw["kind"] != "document":
        problems.append(Problem(path, raw.line_of("document"), f"event {event_id!r}: 'document:' is only for events of kind document", "remove the field or set kind: document"))
    if date is None or not attestations:
        return None
    return Event(
        id=event_id, date=date, title=raw["title"], kind=raw["kind"], attestations=tuple(attestations),
        path=path, line=raw.line, description=raw.get("description", ""), document=document,
        reported=reported, participants=participants, disagreement=raw.get("disagreement", ""), note=raw.get("note", ""),
        date_line=raw.line_of("date"), period=period_of(date.lower, periods),
    )


def _check_documents(events: list[Event], corpus: Corpus, root: Path, problems: list[Problem], events_dir: str) -> None:
    """Each document's own date is an event, dated as its metadata dates it."""
    by_document = {e.document: e for e in events if e.kind == "document"}
    for doc_id, document in sorted(corpus.documents.items()):
        event = by_document.get(doc_id)
        expected = document.meta["date"]["edtf"]
        if event is None:
            problems.append(Problem(events_dir, None, f"document {doc_id!r} has no event of kind document", f"add an event with kind: document, document: {doc_id}, date: {expected!r}"))
        elif event.date.text != expected:
            problems.append(Problem(event.path, event.date_line, f"event {event.id!r}: date {event.date.text!r} differs from the date of {doc_id} in its metadata ({expected!r})", f"use {expected!r}, or correct {_display(document.meta_path, root)}"))


def load_events(root: Path, corpus: Corpus, events_dir: str = EVENTS_DIR, entities_dir: str = ENTITIES_DIR) -> tuple[list[Event], list[Problem]]:
    """Load, validate and sort every event; return the valid events and all problems found."""
    problems: list[Problem] = []
    events: list[Event] = []
    first_seen: dict[str, tuple[str, int]] = {}
    entities = entity_ids(root, entities_dir)
    periods = load_periods(root, problems)
    for file in event_files(root, events_dir):
        path = _display(file, root)
        data, file_problems = load_validated(file, path, "event")
        if data is None:
            problems.extend(file_problems)
            continue
        for raw in data["events"]:
            event_id, line = raw["id"], raw.line_of("id")
            if event_id in first_seen:
                other_path, other_line = first_seen[event_id]
                problems.append(Problem(path, line, f"duplicate event id {event_id!r} (first defined at {other_path}:{other_line})", "give each event its own id"))
                continue
            first_seen[event_id] = (path, line)
            event = _event(raw, path, corpus, entities, problems, periods)
            if event:
                events.append(event)
    if not problems:
        _check_documents(events, corpus, root, problems, events_dir)
    return sort_events(events), problems


def check_chronology(corpus: Corpus) -> list[Problem]:
    """``edition check``: validate the events registry against the texts."""
    return shared_events(corpus)[1]


def shared_events(corpus: Corpus) -> tuple[list[Event], list[Problem]]:
    """:func:`load_events` of the corpus's edition, once per run while the events, entity
    and period files are unchanged (the chronology check and the dates rule both need it)."""
    from .corpus import file_contents

    root = corpus.root
    entities = root / ENTITIES_DIR
    inputs = file_contents([*event_files(root), *(sorted(entities.glob("*.yaml")) if entities.is_dir() else []), root / PERIODS_FILE])
    events, problems = corpus.shared("events", inputs, lambda: load_events(root, corpus))
    return list(events), list(problems)


@dataclass
class EventIndex:
    """Events by anchor: which events a paragraph or note attests (for markers)."""

    by_anchor: dict[str, list[Event]] = field(default_factory=dict)

    @classmethod
    def of(cls, events: list[Event]) -> "EventIndex":
        index = cls()
        for event in events:
            for anchor in dict.fromkeys(event.anchors):
                index.by_anchor.setdefault(anchor, []).append(event)
        return index
