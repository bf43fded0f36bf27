"""The edition builds without a warning and every paragraph of every source is in it.

Written by `edition init`; add tests of your own edition here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from scholarly_edition.metadata import load_all

ROOT = Path(__file__).resolve().parents[1]


def test_html_build_has_every_paragraph_anchor(tmp_path):
    out = tmp_path / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "html", "-c", str(ROOT), str(ROOT / "docs"), str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    documents = load_all(ROOT / "sources", ROOT)
    assert documents, "the edition has no source"
    for doc in documents:
        page = BeautifulSoup((out / "documents" / f"{doc.id}.html").read_text("utf-8"), "html.parser")
        anchors = [el["id"] for el in page.select(f"[id^='{doc.id}-p']")]
        assert anchors, f"{doc.id}: no paragraph anchor"
        numbers = sorted(int(a.rsplit("-p", 1)[1]) for a in anchors if a.rsplit("-p", 1)[1].isdigit())
        assert numbers == list(range(1, len(numbers) + 1)), f"{doc.id}: paragraph numbers have gaps: {numbers}"
