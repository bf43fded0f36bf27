"""EDTF dates: parsing, bounds for sorting, and wording for readers.

The Library of Congress Extended Date/Time Format lets the edition say exactly what it
knows: ``1964-11-04`` (a day), ``2019-12~`` (about December 2019), ``1966?`` (1966,
uncertain), ``2019-12-18/2019-12-26`` (the span between two days), ``[2019-12-18..2019-12-26]``
(one day of that span).  Parsing is done by the ``edtf``
package; this module adds the wording in English and sort keys.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

import edtf

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


class EDTFError(ValueError):
    """Raised for a string that is not valid EDTF."""


@dataclass(frozen=True)
class EdtfDate:
    """A parsed EDTF value with its original text."""

    text: str
    parsed: object

    @property
    def lower(self) -> _dt.date:
        """Earliest day the value can denote (sort key)."""
        return _bounds(self.text)[0]

    @property
    def upper(self) -> _dt.date:
        """Latest day the value can denote (second sort key)."""
        return _bounds(self.text)[1]

    @property
    def sort_key(self) -> tuple[_dt.date, _dt.date, str]:
        return (self.lower, self.upper, self.text)

    def words(self) -> str:
        """The date as a reader would say it: '4 November 1964', 'c. December 2019'."""
        return describe(self.text)

    def iso_range(self) -> tuple[str, str]:
        return (self.lower.isoformat(), self.upper.isoformat())


def _struct_to_date(value: object) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, float):  # open interval ends are +/- infinity
        return _dt.date.max if value > 0 else _dt.date.min
    year, month, day = value.tm_year, value.tm_mon, value.tm_mday
    if year <= 0:  # open or unknown ends collapse to the far past
        return _dt.date.min
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return _dt.date.max if year > 9000 else _dt.date(year, month, 1)


@lru_cache(maxsize=4096)
def _bounds(text: str) -> tuple[_dt.date, _dt.date]:
    parsed = _parse_cached(text).parsed
    return (_struct_to_date(parsed.lower_strict()), _struct_to_date(parsed.upper_strict()))


_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _plain_date(text: str):
    """A plain calendar date (``1964``, ``1964-11``, ``1964-11-04``) built without the EDTF
    grammar, which costs tens of milliseconds per value (seconds for a volume of documents);
    anything else, including an impossible day, goes through the grammar."""
    from edtf.parser.parser_classes import Date

    match = _PLAIN.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return Date(year=year, month=month, day=day)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> EdtfDate:
    plain = _plain_date(text)
    if plain is not None:
        return EdtfDate(text, plain)
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as exc:  # edtf raises its own EDTFParseException
        raise EDTFError(f"{text!r} is not valid EDTF ({type(exc).__name__})") from None
    return EdtfDate(text, parsed)


def parse(text: str) -> EdtfDate:
    """Parse an EDTF string, raising :class:`EDTFError` with the reason.

    Parsing with the ``edtf`` package's grammar costs milliseconds per value, and the same
    dates are parsed by the converter, the chronology and the citations: results are cached
    per process (values are immutable).
    """
    if not isinstance(text, str) or not text.strip():
        raise EDTFError("empty date")
    return _parse_cached(text.strip())


_SIMPLE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<q>[?~%]?)$")
#: A decade or century with unspecified digits (EDTF level 1): ``196X``, ``19XX``.
_UNSPECIFIED = re.compile(r"^(?P<digits>\d{2,3})(?P<x>X{1,2})(?P<q>[?~%]?)$")


def qualify(words: str, qualifier: str, circa: str = "c.") -> str:
    """Say an EDTF qualifier in words: ``~`` is 'c.' (or the citation style's 'ca.'),
    ``?`` a trailing question mark, ``%`` both."""
    if qualifier == "~":
        return f"{circa} {words}"
    if qualifier == "?":
        return f"{words}?"
    if qualifier == "%":
        return f"{circa} {words}?"
    return words


def _describe_unspecified(match: re.Match[str]) -> str:
    digits, qualifier = match["digits"], match["q"]
    if len(match["x"]) == 1 and len(digits) == 3:
        return qualify(f"the {digits}0s", qualifier)
    century = int(digits) + 1
    suffix = "th" if 10 <= century % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(century % 10, "th")
    return qualify(f"the {century}{suffix} century", qualifier)


def _describe_simple(text: str) -> str:
    match = _SIMPLE.match(text)
    if not match:
        unspecified = _UNSPECIFIED.match(text)
        return _describe_unspecified(unspecified) if unspecified else text
    year, month, day, qualifier = match["year"], match["month"], match["day"], match["q"]
    if day:
        words = f"{int(day)} {MONTHS[int(month) - 1]} {int(year)}"
    elif month:
        words = f"{MONTHS[int(month) - 1]} {int(year)}"
    else:
        words = str(int(year))
    return qualify(words, qualifier)


def _describe_compact_interval(start: str, end: str) -> str | None:
    """'3–5 November 1964', 'May–August 1981': an interval of plain dates of one month or year."""
    first, last = _SIMPLE.match(start), _SIMPLE.match(end)
    if not first or not last or first["q"] or last["q"] or first["year"] != last["year"]:
        return None
    year = int(first["year"])
    if first["day"] and last["day"] and first["month"] == last["month"]:
        return f"{int(first['day'])}–{int(last['day'])} {MONTHS[int(first['month']) - 1]} {year}"
    if first["month"] and last["month"] and not first["day"] and not last["day"]:
        return f"{MONTHS[int(first['month']) - 1]}–{MONTHS[int(last['month']) - 1]} {year}"
    return None


def describe(text: str) -> str:
    """Word an EDTF string for readers.  Intervals become 'between A and B'."""
    text = text.strip()
    one_of = re.fullmatch(r"\[([^.\]]+)\.\.([^.\]]+)\]", text)
    if one_of:  # EDTF "one of a set": a single date somewhere between the two
        start, end = one_of.groups()
        return f"one day of {_describe_compact_interval(start, end) or f'{_describe_simple(start)} to {_describe_simple(end)}'}"
    if "/" in text:
        start, end = text.split("/", 1)
        if start in ("", ".."):
            return f"before {_describe_simple(end)}" if end not in ("", "..") else "date unknown"
        if end == "..":
            return f"{_describe_simple(start)} or later"
        if end == "":
            return f"from {_describe_simple(start)}, end unknown"
        return _describe_compact_interval(start, end) or f"between {_describe_simple(start)} and {_describe_simple(end)}"
    return _describe_simple(text)
