"""Another Sphinx project cites the edition with ``scholarly_edition.cite`` (the client mode).

The citing project loads only the client extension and intersphinx, cites a paragraph, an
entity, an event, an editorial note and a FRUS note of the built edition, each by its slug
and by the readable name that ``objects.inv`` carries, and builds with ``-W -n``.  The
objects cited are picked from the inventory (except the two names the issue asks for by
name), so the test follows whatever the edition contains.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

from scholarly_edition.sphinxext.client import _fold, _uninverted

pytestmark = pytest.mark.build


def _items(built_html: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """objtype -> slug -> (display name, uri) of the edition's ``ed`` objects."""
    loaded = InventoryFile.loads((built_html / "objects.inv").read_bytes(), uri="")
    data = loaded.data if hasattr(loaded, "data") else loaded
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for objtype, objects in data.items():
        if objtype.startswith("ed:"):
            out[objtype] = {
                slug: ((item.display_name, item.uri) if hasattr(item, "display_name") else (item[3], item[2]))
                for slug, item in objects.items()
            }
    return out


def _unique_name(items: dict[str, dict[str, tuple[str, str]]], objtype: str, prefix: str = "") -> tuple[str, str, str]:
    """The first object of a type (slug starting with ``prefix``) whose readable name no
    other object of the edition carries: (slug, name, uri)."""
    counts: dict[str, int] = {}
    for objects in items.values():
        for name, _ in objects.values():
            counts[_fold(name)] = counts.get(_fold(name), 0) + 1
    for slug, (name, uri) in sorted(items.get(objtype, {}).items()):
        if slug.startswith(prefix) and name and counts[_fold(name)] == 1:
            return slug, name, uri
    pytest.fail(f"the edition has no {objtype} with a unique readable name (prefix {prefix!r})")


def test_uninverted_names():
    assert _uninverted("Barrientos Ortuño, René") == "René Barrientos Ortuño"
    assert _uninverted("Mack 2025, ¶ 14") == "¶ 14 Mack 2025"  # tried only when the name itself is unknown
    assert _uninverted("no comma") == "no comma"


def test_client_cites_by_slug_and_by_readable_name(tmp_path, built_html):
    items = _items(built_html)
    cases = [
        ("mack-2025-p14", "Mack 2025, ¶ 14", items["ed:paragraph"]["mack-2025-p14"][1]),
        ("barrientos-rene", "Barrientos Ortuño, René", items["ed:entity"]["barrientos-rene"][1]),
        _unique_name(items, "ed:event"),
        _unique_name(items, "ed:editorial-note"),
        _unique_name(items, "ed:source-note", "frus-"),
    ]
    lines = []
    for slug, name, _ in cases:
        lines.append(f"- {{ed:ref}}`edition:{slug}`")
        lines.append(f"- {{ed:ref}}`edition:{name}`")
    project = tmp_path / "citing"
    project.mkdir()
    (project / "conf.py").write_text(
        "extensions = ['myst_parser', 'scholarly_edition.cite']\n"
        "project = 'A paper citing the edition'\n"
        f"intersphinx_mapping = {{'edition': ({str(built_html)!r}, {str(built_html / 'objects.inv')!r})}}\n",
        "utf-8",
    )
    (project / "index.md").write_text("# A paper\n\n" + "\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "citing-html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "html", str(project), str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    soup = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select("li a.reference.external")]
    expected = [f"{built_html}/{uri}" for _, _, uri in cases for _ in (0, 1)]
    assert hrefs == expected
    # The client writes none of the edition's output into the citing project's site.
    for name in ("data", "cite", "chronology.json"):
        assert not (out / name).exists(), name
