"""`edition check` runs its checks in two processes on a large edition: the problems must be
those of a serial run, in the same order, and a check that fails must fail the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarly_edition import checks
from scholarly_edition.corpus import Corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(ROOT)


def _formatted(problems) -> list[str]:
    return [(p.severity, p.format()) for p in problems]


def test_two_processes_report_what_one_reports(corpus, monkeypatch):
    if not checks._can_fork():
        pytest.skip("no second process here (no fork, one core, or other threads running)")
    serial = checks.run_all(corpus)
    monkeypatch.setattr(checks, "PARALLEL_FROM", 1)
    calls = []
    real = checks._run_forked
    monkeypatch.setattr(checks, "_run_forked", lambda c: calls.append(1) or real(c))
    assert _formatted(checks.run_all(corpus, parallel=True)) == _formatted(serial)
    assert calls, "the two-process path was not taken"


def test_a_failing_check_fails_as_in_a_serial_run(corpus, monkeypatch):
    if not checks._can_fork():
        pytest.skip("no second process here (no fork, one core, or other threads running)")
    monkeypatch.setattr(checks, "PARALLEL_FROM", 1)

    def broken(_corpus):
        raise RuntimeError("broken check")

    # One failing check in each process: the first in CHECKS order is the one raised.
    second = next(i for i, (name, _c) in enumerate(checks.CHECKS) if name not in checks.FIRST_PROCESS)
    first = max(i for i, (name, _c) in enumerate(checks.CHECKS) if name in checks.FIRST_PROCESS)
    patched = list(checks.CHECKS)
    patched[second] = (patched[second][0], broken)
    patched[first] = (patched[first][0], lambda _c: (_ for _ in ()).throw(ValueError("later check")))
    monkeypatch.setattr(checks, "CHECKS", patched)
    expected = RuntimeError if second < first else ValueError
    with pytest.raises(expected):
        checks.run_all(corpus, parallel=True)
