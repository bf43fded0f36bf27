"""Benchmark: the edition's build against plain Sphinx, on a synthetic volume of N documents.

Run with ``.venv/bin/python benchmarks/bench_build.py 50 200`` (``make bench``; ``make bench
N=800`` for a full FRUS volume).  For each N it writes a synthetic edition in a temporary
directory (see ``corpus_gen.py``: generated text, registry entities, FRUS-style notes and
events), the same pages stripped of the edition's directives for plain Sphinx (myst-parser +
furo), and then measures, interleaving the runs so that the load of a shared machine falls on
both sides of each ratio:

* a full build (``-E``, into an empty output directory) of the edition and of plain Sphinx,
  with ``-j 1`` and ``-j 2``;
* the edition's incremental build after one edited source (after ``edition convert``) and a
  rebuild with no change, against its full build;
* the peak resident memory of each build (``os.wait4``: the process and the workers it waited for);
* ``edition check`` and ``edition convert`` as commands.

CPU seconds (user + system of the build and its workers) are the fairest measure on a loaded
machine; wall seconds are what ``-j 2`` can improve.  Timings are printed, never asserted.
``--toolkit DIR`` builds with the extension of another checkout (to compare before/after).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_gen  # noqa: E402


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float
    warnings: int


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command; its wall time, CPU time and peak RSS (its own and its waited-for children's)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}\n{stderr[-3000:]}")
    warnings = stderr.count("WARNING")
    if warnings:
        print(f"  ! {warnings} warning(s) in {' '.join(command[-6:])}:\n{stderr[:1500]}", file=sys.stderr)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, warnings)


def sphinx(root: Path, out: str, *options: str) -> list[str]:
    if "-E" in options:
        # A full build starts cold: no output and no doctrees, so none of the edition's
        # content-addressed caches (rendered citations, page texts) is left from a run before.
        shutil.rmtree(root / "_build" / out, ignore_errors=True)
    return [sys.executable, "-m", "sphinx", "-q", "-b", "html", *options, "-c", ".", "docs", f"_build/{out}"]


def edit_one_source(root: Path, doc_id: str, round_: int) -> None:
    """Add (or take back) a sentence at the end of the first paragraph, as an editor
    correcting a transcription would; the annotations' quotes stay intact."""
    path = root / "sources" / f"{doc_id}.txt"
    lines = path.read_text("utf-8").split("\n")
    extra = " An edited sentence."
    lines[2] = lines[2][: -len(extra)] if lines[2].endswith(extra) else lines[2] + extra
    path.write_text("\n".join(lines), "utf-8")


def bench(n: int, runs: int, toolkit_env: dict[str, str], keep: Path | None, full_only: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"bench{n}-") as tmp:
        base = keep or Path(tmp)
        ed, plain = base / "edition", base / "plain"
        documents = corpus_gen.generate(ed, n)
        edition_cmd = [sys.executable, "-m", "scholarly_edition"]
        convert = [run([*edition_cmd, "convert"], ed, toolkit_env)]
        corpus_gen.plain_copy(ed, plain, documents)
        results: dict[str, list[Run]] = {}

        def add(name: str, r: Run) -> None:
            results.setdefault(name, []).append(r)

        edited = documents[len(documents) // 2]
        for i in range(runs):
            # Interleaved: each pair of a ratio runs back to back.
            add("plain -j1", run(sphinx(plain, "j1", "-E"), plain, toolkit_env))
            add("edition -j1", run(sphinx(ed, "j1", "-E"), ed, toolkit_env))
            add("edition check", run([*edition_cmd, "check", "-q"], ed, toolkit_env))
            if full_only:
                continue
            add("edition no change", run(sphinx(ed, "j1"), ed, toolkit_env))
            edit_one_source(ed, edited, i)
            convert.append(run([*edition_cmd, "convert"], ed, toolkit_env))
            add("edition one source edited", run(sphinx(ed, "j1"), ed, toolkit_env))
            add("plain -j2", run(sphinx(plain, "j2", "-E", "-j", "2"), plain, toolkit_env))
            add("edition -j2", run(sphinx(ed, "j2", "-E", "-j", "2"), ed, toolkit_env))
        add("edition convert", Run(*(statistics.median(getattr(c, f) for c in convert) for f in ("wall", "cpu", "rss_mib", "warnings"))))

    med = {name: Run(*(statistics.median(getattr(r, f) for r in rs) for f in ("wall", "cpu", "rss_mib", "warnings"))) for name, rs in results.items()}
    print(f"\nN = {n} documents ({runs} interleaved run(s); medians; CPU = user+sys of the build and its workers)\n")
    print(f"| {'build':<28} | {'wall s':>7} | {'CPU s':>7} | {'peak RSS MiB':>12} |")
    print(f"|{'-' * 30}|{'-' * 9}|{'-' * 9}|{'-' * 14}|")
    for name, r in med.items():
        print(f"| {name:<28} | {r.wall:7.2f} | {r.cpu:7.2f} | {r.rss_mib:12.0f} |")
    e1, p1 = med["edition -j1"], med["plain -j1"]
    ratios = {
        "full build ÷ plain Sphinx (CPU, -j1)": e1.cpu / p1.cpu,
        "full build ÷ plain Sphinx (wall, -j1)": e1.wall / p1.wall,
        "peak RSS edition ÷ plain (-j1)": e1.rss_mib / p1.rss_mib,
    }
    if not full_only:
        e2, p2 = med["edition -j2"], med["plain -j2"]
        ratios.update({
            "-j 2 speed-up, edition (wall j1 ÷ j2)": e1.wall / e2.wall,
            "-j 2 speed-up, plain (wall j1 ÷ j2)": p1.wall / p2.wall,
            "incremental, one source edited ÷ full (CPU)": med["edition one source edited"].cpu / e1.cpu,
            "incremental, one source edited ÷ full (wall)": med["edition one source edited"].wall / e1.wall,
            "no-change rebuild ÷ full (CPU)": med["edition no change"].cpu / e1.cpu,
            "no-change rebuild ÷ full (wall)": med["edition no change"].wall / e1.wall,
        })
    print(f"\n| {'ratio (N = ' + str(n) + ')':<46} | {'value':>6} |")
    print(f"|{'-' * 48}|{'-' * 8}|")
    for name, value in ratios.items():
        print(f"| {name:<46} | {value:6.2f} |")
    return {"full_cpu": e1.cpu, "plain_cpu": p1.cpu, **ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[50, 200], help="numbers of documents (default: 50 200)")
    parser.add_argument("--runs", type=int, default=1, help="interleaved runs per size (medians are printed)")
    parser.add_argument("--toolkit", type=Path, help="a checkout whose ext/ is built instead of this one's")
    parser.add_argument("--full-only", action="store_true", help="only the full builds (-j 1) and the commands: for N = 800 on a busy machine")
    parser.add_argument("--keep", type=Path, help="write the corpora here (and keep them) instead of a temp dir")
    args = parser.parse_args()
    env = dict(os.environ, NO_COLOR="1")
    if args.toolkit:
        corpus_gen.use_toolkit(args.toolkit.resolve())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(corpus_gen._ext_dir()), env.get("PYTHONPATH", "")]))
    totals = {}
    for n in args.sizes:
        keep = args.keep / str(n) if args.keep else None
        totals[n] = bench(n, args.runs, env, keep, args.full_only)
    if len(totals) > 1:
        sizes = sorted(totals)
        print()
        for small, big in zip(sizes, sizes[1:]):
            print(f"full build CPU, N = {big} ÷ N = {small}: edition {totals[big]['full_cpu'] / totals[small]['full_cpu']:.1f}×, "
                  f"plain Sphinx {totals[big]['plain_cpu'] / totals[small]['plain_cpu']:.1f}×")


if __name__ == "__main__":
    main()
