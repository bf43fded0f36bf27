"""Benchmark: how long the validator and the builds take on the current edition.

Run with ``.venv/bin/python benchmarks/bench_check.py [--runs N]``.  Timings are measured
here, never asserted in tests (the machine's load varies).  It prints the median and the
spread of each measurement:

* ``edition check`` in-process (corpus load, conversion in memory, every check);
* ``edition check`` as a command (what a contributor waits for, interpreter start included);
* a full HTML build (``-E``) and an incremental build after touching one document.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ext"))


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def report(name: str, times: list[float]) -> None:
    print(f"{name:<44} median {statistics.median(times):6.2f} s   min {min(times):6.2f} s   max {max(times):6.2f} s   (n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--builds", action="store_true", help="also time full and incremental HTML builds")
    args = parser.parse_args()

    from scholarly_edition.checks import run_all
    from scholarly_edition.corpus import Corpus

    def in_process() -> None:
        problems = run_all(Corpus.load(ROOT))
        assert not [p for p in problems if p.severity == "error"], problems

    report("edition check (in process)", timed(in_process, args.runs))
    command = [sys.executable, "-m", "scholarly_edition", "check", "--root", str(ROOT), "-q"]
    report("edition check (command)", timed(lambda: subprocess.run(command, check=True), args.runs))
    if args.builds:
        with tempfile.TemporaryDirectory() as out:
            build = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-c", str(ROOT), str(ROOT / "docs"), out]
            report("full HTML build (-E)", timed(lambda: subprocess.run([*build[:3], "-E", *build[3:]], check=True), max(1, args.runs // 2)))
            page = ROOT / "docs" / "documents" / "mack-2025.md"

            def incremental() -> None:
                page.touch()
                subprocess.run(build, check=True)

            report("incremental build (one document touched)", timed(incremental, max(1, args.runs // 2)))


if __name__ == "__main__":
    main()
