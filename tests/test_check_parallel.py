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


INTERRUPTED = '''
import os, sys
from scholarly_edition import checks
from scholarly_edition.errors import Problem
if not checks._can_fork():
    print("cannot fork"); sys.exit(0)
class Corpus: documents = {str(i): None for i in range(checks.PARALLEL_FROM + 1)}
def long_answer(corpus):  # more than a pipe holds (64 KiB): the child blocks until it is read
    return [Problem("f", i, "x" * 100, "h") for i in range(5000)]
def interrupted(corpus):
    raise KeyboardInterrupt
checks.CHECKS[:] = [("second-process", long_answer), (sorted(checks.FIRST_PROCESS)[0], interrupted)]
try:
    checks.run_all(Corpus(), parallel=True)
except KeyboardInterrupt:
    print("interrupted")
'''


def test_an_interrupted_check_does_not_hang_on_the_second_process(tmp_path):
    """Ctrl-C while this process runs its checks: the child, blocked writing a long answer
    into the pipe, is ended, and the interrupt reaches the command (it used to wait for ever).
    Run in a fresh interpreter: forking needs a process with one thread."""
    import subprocess
    import sys

    script = tmp_path / "interrupted.py"
    script.write_text(INTERRUPTED, "utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(ROOT / "ext"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    if result.stdout.strip() == "cannot fork":
        pytest.skip("no second process on this machine")
    assert result.stdout.strip() == "interrupted"
