"""The chronology as data for reuse: JSON, CSV and TimelineJS JSON.

The three exports are written next to the HTML edition (``chronology.json``,
``chronology.csv``, ``chronology-timelinejs.json``).  URLs are relative to the HTML root
so that the files stay valid wherever the edition is published.  TimelineJS
(https://timeline.knightlab.com/) reads the third file as it is.

Every text comes from contributed files, so each format escapes it for its consumer
(:mod:`scholarly_edition.trust`): TimelineJS renders ``headline`` and ``text`` as HTML, so
they are HTML-escaped; CSV cells that a spreadsheet would run as a formula get a leading
apostrophe; JSON is data and keeps the text as written.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Callable

from .chronology import periods_of, Event
from .trust import escape_csv_cell, escape_html

Linker = Callable[[str], str]

CSV_COLUMNS = [
    "id", "date", "date_words", "earliest", "latest", "kind", "period", "title", "description",
    "documents", "anchors", "reported_date", "reported_in", "participants", "disagreement", "note", "url",
]


def event_record(event: Event, url_of_anchor: Linker, title_of_anchor: Linker, url_of_event: Linker) -> dict:
    """One event as plain JSON data; the three dates are kept in separate fields."""
    return {
        "id": event.id,
        "date": event.date.text,
        "date_words": event.date.words(),
        "earliest": event.date.lower.isoformat(),
        "latest": None if event.date.upper.year > 9000 else event.date.upper.isoformat(),
        "kind": event.kind,
        "period": event.period.title,
        "title": event.title,
        "description": event.description,
        "document": event.document or None,
        "documents": event.documents,
        "attested_by": [
            {
                "anchor": a.anchor,
                "document": a.doc_id,
                "citation": title_of_anchor(a.anchor),
                "url": url_of_anchor(a.anchor),
                "date_given": a.date_given.text if a.date_given else None,
                "quote": a.quote or None,
            }
            for a in event.attestations
        ],
        "reported": {"date": event.reported[0].text, "in": event.reported[1]} if event.reported else None,
        "participants": list(event.participants),
        "disagreement": event.disagreement or None,
        "note": event.note or None,
        "url": url_of_event(event.id),
    }


def to_json(events: list[Event], url_of_anchor: Linker, title_of_anchor: Linker, url_of_event: Linker, edition: str) -> str:
    data = {
        "edition": edition,
        "description": "Events attested in the documents of the edition, dated in EDTF (https://www.loc.gov/standards/datetime/).",
        "periods": [{"id": p.slug, "title": p.title} for p in periods_of(events)],
        "events": [event_record(e, url_of_anchor, title_of_anchor, url_of_event) for e in events],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(events: list[Event], url_of_anchor: Linker, title_of_anchor: Linker, url_of_event: Linker) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        record = event_record(event, url_of_anchor, title_of_anchor, url_of_event)
        writer.writerow({key: escape_csv_cell(value) for key, value in {
            **{key: record[key] for key in ("id", "date", "date_words", "earliest", "latest", "kind", "period", "title", "description", "disagreement", "note", "url")},
            "documents": " ".join(record["documents"]),
            "anchors": " ".join(a["anchor"] for a in record["attested_by"]),
            "reported_date": record["reported"]["date"] if record["reported"] else "",
            "reported_in": record["reported"]["in"] if record["reported"] else "",
            "participants": " ".join(record["participants"]),
        }.items()})
    return buffer.getvalue()


def _timelinejs_date(day, precise_to: str) -> dict:
    date = {"year": day.year}
    if precise_to in ("month", "day"):
        date["month"] = day.month
    if precise_to == "day":
        date["day"] = day.day
    return date


def _precision(text: str) -> str:
    core = text.split("/")[0].rstrip("?~%")
    return {10: "day", 7: "month"}.get(len(core), "year")


def to_timelinejs(events: list[Event], url_of_anchor: Linker, title_of_anchor: Linker, url_of_event: Linker, edition: str) -> str:
    """TimelineJS 3 JSON: one slide per event, grouped by period, with eras for the periods."""
    slides = []
    for event in events:
        precision = _precision(event.date.text)
        evidence = "; ".join(f'<a href="{escape_html(url_of_anchor(a.anchor))}">{escape_html(title_of_anchor(a.anchor))}</a>' for a in event.attestations)
        text = f"<p>{escape_html(event.date.words())}. {escape_html(event.description)}</p><p>Attested in: {evidence}.</p>"
        if event.disagreement:
            text += f"<p>Sources disagree: {escape_html(event.disagreement)}</p>"
        slide = {
            "unique_id": event.id,
            "start_date": _timelinejs_date(event.date.lower, precision),
            "text": {"headline": escape_html(event.title), "text": text},
            "group": event.period.title,
            "display_date": event.date.words(),
        }
        if "/" in event.date.text and event.date.upper.year < 9000 and event.date.upper != event.date.lower:
            slide["end_date"] = _timelinejs_date(event.date.upper, _precision(event.date.text.split("/")[1]))
        slides.append(slide)
    eras = []
    for period in periods_of(events):
        inside = [e for e in events if e.period == period]
        if inside:
            eras.append({
                "start_date": {"year": inside[0].date.lower.year},
                "end_date": {"year": max(e.date.lower.year for e in inside)},
                "text": {"headline": period.title},
            })
    data = {"title": {"text": {"headline": escape_html(edition), "text": "<p>A chronology of the documents of the edition.</p>"}}, "events": slides, "eras": eras}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
