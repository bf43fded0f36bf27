"""EDTF dates of the chronology: parsing, sort order and wording for readers."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

from scholarly_edition import dates
from scholarly_edition.chronology import load_periods, period_of


@pytest.mark.parametrize("text, lower, upper", [
    ("1964-11-04", "1964-11-04", "1964-11-04"),
    ("1964-11", "1964-11-01", "1964-11-30"),
    ("1964", "1964-01-01", "1964-12-31"),
    ("1964-11-03/1964-11-05", "1964-11-03", "1964-11-05"),
    ("1966?", "1966-01-01", "1966-12-31"),
    ("2019-12~", "2019-12-01", "2019-12-31"),
    ("196X", "1960-01-01", "1969-12-31"),
    ("2019-01~/2019-04~", "2019-01-01", "2019-04-30"),
    ("2020-11/..", "2020-11-01", "9999-12-31"),
])
def test_bounds(text, lower, upper):
    date = dates.parse(text)
    assert (date.lower.isoformat(), date.upper.isoformat()) == (lower, upper)


@pytest.mark.parametrize("text", ["1964-13", "1964-11-3", "4 November 1964", "1964/11/04", "", "November", "1964-11-31"])
def test_invalid_edtf_is_refused(text):
    with pytest.raises(dates.EDTFError):
        dates.parse(text)


@pytest.mark.parametrize("text, words", [
    ("1964-11-04", "4 November 1964"),
    ("1964-11", "November 1964"),
    ("1964-11?", "November 1964?"),
    ("2019-12~", "c. December 2019"),
    ("1966%", "c. 1966?"),
    ("1964-11-03/1964-11-05", "3–5 November 1964"),
    ("1981-05/1981-08", "May–August 1981"),
    ("1974-01/1975-08-19", "between January 1974 and 19 August 1975"),
    ("2019-01~/2019-04~", "between c. January 2019 and c. April 2019"),
    ("2020-11/..", "November 2020 or later"),
    ("196X", "the 1960s"),
    ("19XX", "the 20th century"),
])
def test_wording(text, words):
    assert dates.describe(text) == words


def test_sort_by_lower_then_upper_bound():
    texts = ["1964-11-05", "1964-11", "1964-11-03/1964-11-05", "1964-11-04", "1964", "196X", "1964-11-03"]
    ordered = sorted(texts, key=lambda t: dates.parse(t).sort_key)
    # 196X starts in 1960; "1964" starts on 1 January; November's month and the 3–5 interval
    # start on the same or an earlier day than the days, and the shorter span comes first.
    assert ordered == ["196X", "1964", "1964-11", "1964-11-03", "1964-11-03/1964-11-05", "1964-11-04", "1964-11-05"]


def test_periods_cover_every_day_without_overlap():
    problems: list = []
    PERIODS = load_periods(Path(__file__).resolve().parents[1], problems)
    assert problems == []
    for before, after in zip(PERIODS, PERIODS[1:]):
        assert before.end + _dt.timedelta(days=1) == after.start
    assert period_of(_dt.date(1964, 11, 3), PERIODS).slug == "military-regimes"
    assert period_of(_dt.date(1964, 11, 2), PERIODS).slug == "revolution-and-rebuilt-army"
    assert period_of(_dt.date(2019, 10, 20), PERIODS).slug == "crisis-2019-2020"
    assert period_of(_dt.date(2025, 11, 9), PERIODS).slug == "since-2020"
