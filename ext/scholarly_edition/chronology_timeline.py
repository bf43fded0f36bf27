"""A static SVG timeline of the chronology, drawn at build time (no JavaScript).

Years run left to right; the periods of the page are shaded bands; each event is a dot
linked to its entry, with its date and title as a tooltip (``<title>``).  Events that
fall on the same spot are stacked upwards, so the crowded days of November 1964 and
November 2019 show as columns.  The SVG has a title and a description for screen readers;
the list of events on the page is its full text alternative.
"""

from __future__ import annotations

import datetime as _dt
from html import escape

from .chronology import periods_of, Event

WIDTH = 1000
MARGIN = 30
AXIS_Y = 250
DOT = 5
STEP = 2 * DOT + 1
COLUMN = 2 * DOT + 2  # events closer than this (in pixels) share a column

#: Colours of the kinds in the timeline (the legend repeats them in words).
KIND_COLOURS = {
    "revolution": "#f46d43", "coup": "#b2182b", "massacre": "#67001f", "repression": "#d6604d", "protest": "#f4a582",
    "election": "#2166ac", "appointment": "#4393c3", "resignation": "#92c5de",
    "diplomatic act": "#1b7837", "visit": "#5aae61", "arms deal": "#762a83", "military aid": "#9970ab",
    "record": "#8c510a", "document": "#000000", "decree": "#bf812d", "law": "#dfc27d",
    "judicial act": "#35978f", "economy": "#80cdc1", "founding": "#01665e", "campaign": "#999999",
    "contested succession": "#c51b7d",
}
PERIOD_SHADES = ("#f3f0e8", "#e8edf3")


def _year_fraction(day: _dt.date) -> float:
    start = _dt.date(day.year, 1, 1)
    length = (_dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def _span(events: list[Event]) -> tuple[int, int]:
    first = min(e.date.lower.year for e in events)
    last = max(min(e.date.upper, e.date.lower.replace(year=e.date.lower.year + 1)).year for e in events)
    return (first // 10) * 10, (last // 10 + 1) * 10


def render_svg(events: list[Event], href: str = "#{id}") -> str:
    """The timeline as an SVG element (a string of markup ready to embed in HTML)."""
    if not events:
        return ""
    first, last = _span(events)

    def x_of(day: _dt.date) -> float:
        return MARGIN + (_year_fraction(day) - first) / (last - first) * (WIDTH - 2 * MARGIN)

    dots: list[str] = []
    heights: dict[int, int] = {}
    for event in events:
        column = int(x_of(event.date.lower) // COLUMN)
        level = heights.get(column, 0)
        heights[column] = level + 1
        y = AXIS_Y - DOT - 2 - level * STEP
        colour = KIND_COLOURS.get(event.kind, "#666")
        label = escape(f"{event.date.words()}: {event.title} ({event.kind})")
        link = escape(href.format(id=event.id))
        # Out of the tab order: each dot's event is a link of the list below (WCAG 2.5.8's
        # "equivalent" control, at full size), so a keyboard does not cross a dot per event.
        dots.append(f'<a href="{link}" tabindex="-1"><circle cx="{column * COLUMN + DOT:.1f}" cy="{y}" r="{DOT}" fill="{colour}"><title>{label}</title></circle></a>')
    top = min(AXIS_Y - DOT - 2 - (max(heights.values()) - 1) * STEP - DOT - 4, 20)
    parts: list[str] = []
    for number, period in enumerate(periods_of(events)):
        start = max(period.start, _dt.date(first, 1, 1))
        end = min(period.end, _dt.date(last, 1, 1))
        if start >= end:
            continue
        x0, x1 = x_of(start), x_of(end)
        parts.append(f'<rect x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{AXIS_Y - top}" fill="{PERIOD_SHADES[number % 2]}"><title>{escape(period.title)}</title></rect>')
    parts.append(f'<line x1="{MARGIN}" y1="{AXIS_Y}" x2="{WIDTH - MARGIN}" y2="{AXIS_Y}" stroke="#333"/>')
    for year in range(first, last + 1, 10):
        x = x_of(_dt.date(year, 1, 1))
        parts.append(f'<line x1="{x:.1f}" y1="{AXIS_Y}" x2="{x:.1f}" y2="{AXIS_Y + 6}" stroke="#333"/>')
        parts.append(f'<text x="{x:.1f}" y="{AXIS_Y + 20}" text-anchor="middle" font-size="12">{year}</text>')
    parts += dots
    height = AXIS_Y + 30 - top
    description = (
        f"{len(events)} events from {events[0].date.words()} to {events[-1].date.words()}, "
        f"one dot each, placed by the earliest day of its date and stacked where they crowd; "
        f"shaded bands mark the periods of the chronology. The list below gives every event in text."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ed-timeline-svg" viewBox="0 {top} {WIDTH} {height}" '
        f'aria-labelledby="ed-timeline-title" aria-describedby="ed-timeline-desc">'
        f'<title id="ed-timeline-title">Timeline of the events in the documents of the edition</title>'
        f'<desc id="ed-timeline-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )


def render_legend(events: list[Event]) -> str:
    """The colours of the kinds present, in words (HTML list)."""
    present = list(dict.fromkeys(e.kind for e in events))
    items = "".join(
        f'<li><span class="ed-timeline-swatch" style="background:{KIND_COLOURS.get(kind, "#666")}"></span>{escape(kind)}</li>'
        for kind in sorted(present)
    )
    return f'<ul class="ed-timeline-legend" aria-label="Colours of the kinds of event">{items}</ul>'
