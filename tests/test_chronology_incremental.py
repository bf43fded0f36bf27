"""Incremental and parallel builds give the chronology and its markers exactly as a fresh build."""

from __future__ import annotations

import re

import os
import subprocess
import sys
import zlib
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import copy_project


def build(project: Path, out: Path, *options: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", *options, "-b", "html", "-d", str(out / ".doctrees"), "-c", str(project), str(project / "docs"), str(out)],
        capture_output=True, text=True, cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    later = path.stat().st_mtime + 10
    os.utime(path, (later, later))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def markers(out: Path, doc_id: str, anchor: str) -> list[tuple[str, str]]:
    holder = soup(out / "documents" / f"{doc_id}.html").find(id=anchor)
    return [(a.text, a["href"].split("#")[1]) for a in holder.select(".ed-event-marker a")]


def test_incremental_build_updates_page_markers_and_exports(tmp_path):
    project = copy_project(tmp_path)
    out = tmp_path / "html"
    build(project, out)
    # several events of 4 November are attested here: one date marker shows the day
    assert [text for text, _ in markers(out, "frus-1964-68-v31-d151", "frus-1964-68-v31-d151-p1")].count("4 November 1964") == 1
    assert markers(out, "kirkland-1998", "kirkland-1998-p2") == []
    assert ("1963", "1963-alexander-on-the-mnr") in markers(out, "kirkland-1998", "kirkland-1998-p1")

    events = project / "docs/annotations/events"
    edit(events / "1964-1982.yaml", '''    date: "1964-11-04"
    kind: coup
    title: General Ovando Candia announces a military junta''', '''    date: "1964-11-04~"
    kind: coup
    title: General Ovando Candia announces a junta (edited)''')
    edit(events / "1952-1964.yaml", "  - id: 1963-alexander-on-the-mnr\n", """  - id: 1964-test-new-event
    date: "1964?"
    kind: record
    title: A new event for the test
    attested_by:
      - kirkland-1998-p2
  - id: 1963-alexander-renamed
""")
    # a published event renamed: the anchor registry names its successor, as an editor must
    registry = project / "docs/anchors.txt"
    registry.write_text(re.sub(r"(?m)^(1963-alexander-on-the-mnr\s+ed:event\s+chronology)$", r"\1  ->  1963-alexander-renamed", registry.read_text("utf-8")), "utf-8")
    build(project, out)  # no -E: an incremental build

    assert ("c. 4 November 1964", "1964-11-04-ovando-announces-junta") in markers(out, "frus-1964-68-v31-d151", "frus-1964-68-v31-d151-p1")
    assert markers(out, "kirkland-1998", "kirkland-1998-p2") == [("1964?", "1964-test-new-event")]
    assert all(target != "1963-alexander-on-the-mnr" for _, target in markers(out, "kirkland-1998", "kirkland-1998-p1"))
    page = soup(out / "chronology.html")
    ovando = page.find(id="1964-11-04-ovando-announces-junta").find_parent(class_="ed-event")
    assert "announces a junta (edited)" in ovando.text and "c. 4 November 1964" in ovando.text
    assert page.find(id="1964-test-new-event") is not None
    assert page.find(id="1963-alexander-on-the-mnr") is None
    assert '"1964-test-new-event"' in (out / "chronology.json").read_text("utf-8")
    assert "1963-alexander-on-the-mnr," not in (out / "chronology.csv").read_text("utf-8")
    assert ("1963", "1963-alexander-renamed") in markers(out, "kirkland-1998", "kirkland-1998-p1")


def test_bad_event_is_a_build_warning_at_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    edit(project / "docs/annotations/events/since-2020.yaml", "      - mack-2025-p35\n", "      - mack-2025-p350\n")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", "-c", str(project), str(project / "docs"), str(tmp_path / "out")],
        capture_output=True, text=True, cwd=project,
    )
    assert "docs/annotations/events/since-2020.yaml:38: WARNING: event '2025-10-19-rodrigo-paz-elected': anchor 'mack-2025-p350' does not exist in the edition" in result.stderr


def _inventory_text(path: Path) -> str:
    data = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    return zlib.decompress(data[header_end:]).decode("utf-8")


def test_parallel_build_gives_the_same_output(tmp_path):
    project = copy_project(tmp_path)
    serial, parallel = tmp_path / "j1", tmp_path / "j2"
    build(project, serial, "-E", "-j", "1")
    build(project, parallel, "-E", "-j", "2")
    pages = ["chronology.html", *(f"documents/{p.stem}.html" for p in (project / "docs/documents").glob("*.md"))]
    for name in [*pages, "chronology.json", "chronology.csv", "chronology-timelinejs.json"]:
        assert (serial / name).read_text("utf-8") == (parallel / name).read_text("utf-8"), name
    assert _inventory_text(serial / "objects.inv") == _inventory_text(parallel / "objects.inv")
    assert "ed:event" in _inventory_text(parallel / "objects.inv")
