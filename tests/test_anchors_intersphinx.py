"""Another Sphinx project cites the edition through intersphinx.

A second, minimal project points ``intersphinx_mapping`` at the built edition (its
``objects.inv`` read from a local path) and cites a paragraph with ``{ref}``, with zero
warnings.  Entities and events (object types other modules add to the ``ed`` domain) are
cited the same way as soon as the inventory holds them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

pytestmark = pytest.mark.build


def inventory(built_html: Path) -> dict:
    loaded = InventoryFile.loads((built_html / "objects.inv").read_bytes(), uri="")
    return loaded.data if hasattr(loaded, "data") else loaded


def build_citing_project(tmp_path: Path, built_html: Path, body: str) -> tuple[subprocess.CompletedProcess, Path]:
    project = tmp_path / "citing"
    project.mkdir()
    (project / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx.ext.intersphinx']\n"
        "project = 'A paper citing the edition'\n"
        f"intersphinx_mapping = {{'edition': ({str(built_html)!r}, {str(built_html / 'objects.inv')!r})}}\n"
        "intersphinx_disabled_reftypes = []\n",
        "utf-8",
    )
    (project / "index.md").write_text("# A paper\n\n" + body + "\n", "utf-8")
    out = tmp_path / "citing-html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "html", str(project), str(out)],
        capture_output=True, text=True,
    )
    return result, out


def links(out: Path) -> dict[str, str]:
    soup = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    return {a.get_text(): a["href"] for a in soup.select("a.reference.external")}


def test_inventory_holds_paragraphs_with_readable_titles(built_html):
    data = inventory(built_html)
    item = data["ed:paragraph"]["mack-2025-p7"]
    title = item.display_name if hasattr(item, "display_name") else item[3]
    assert title == "Mack 2025, ¶ 7"
    assert "mack-2025-p7" in data["std:label"]  # so a plain {ref} finds it
    assert "frus-1964-68-v31-d151-n1" in data["std:label"]  # the FRUS editors' notes too


def test_another_project_cites_a_paragraph(tmp_path, built_html):
    body = "As the telegram has it ({ref}`edition:frus-1964-68-v31-d151-p2`), and as {ref}`mack-2025-p7` argues."
    result, out = build_citing_project(tmp_path, built_html, body)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    found = links(out)
    assert found["FRUS 1964–68, XXXI, doc. 151, ¶ 2"] == f"{built_html}/documents/frus-1964-68-v31-d151.html#frus-1964-68-v31-d151-p2"
    assert found["Mack 2025, ¶ 7"] == f"{built_html}/documents/mack-2025.html#mack-2025-p7"


@pytest.mark.parametrize("objtype", ["entity", "event"])
def test_another_project_cites_entities_and_events(tmp_path, built_html, objtype):
    data = inventory(built_html)
    objects = data.get(f"ed:{objtype}", {})
    if not objects:
        pytest.skip(f"the edition has no {objtype} objects yet (they come with the glossary/chronology)")
    name, item = sorted(objects.items())[0]
    title = item.display_name if hasattr(item, "display_name") else item[3]
    uri = item.uri if hasattr(item, "uri") else item[2]
    result, out = build_citing_project(tmp_path, built_html, f"See {{ref}}`edition:{name}`.")
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    assert links(out)[title] == f"{built_html}/{uri}"
