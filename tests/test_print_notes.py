"""Notes at the foot of the page, told apart, and the index of names with accented names.

A small project with one note of each kind and three index entries of the kind the
glossary makes is built with the edition's own print configuration and set by XeLaTeX
and xindy; the PDF is read back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_print_pdf import TEX_TOOLS, require_tools

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.build

CONF = f'''
import sys
sys.path.insert(0, {str(ROOT / "ext")!r})
from scholarly_edition.sphinxext import printing
project = "Notes"
release = "0"  # the extension refuses a project without its own release
smartquotes = False
extensions = ["scholarly_edition.sphinxext"]
edition_sources_dir = {str(ROOT / "sources")!r}
latex_engine = "xelatex"
latex_documents = [("index", "notes.tex", "Notes", "The editors", "manual")]
latex_additional_files = [str(printing.LATEX_STYLE)]
from pathlib import Path
latex_elements = printing.latex_elements(Path({str(ROOT)!r}), title="Notes: a test", version="0", author="The editors", subject="notes", keywords=[])
'''

INDEX = """\
Notes
=====

Chapter
-------

.. index:: single: Áñez, Jeanine
.. index:: single: Barrientos Ortuño, René
.. index:: single: Corrêa, Sérgio

A sentence of the source with the source's own note [#source]_ and a note of this edition [#ours]_.

.. [#source] The original's note on the sentence.

.. rst-class:: ed-editorial-note

.. [#ours] The editors' explanation of the sentence.
"""


@pytest.fixture(scope="module")
def notes_pdf(tmp_path_factory) -> tuple[str, str]:
    require_tools(TEX_TOOLS)
    project = tmp_path_factory.mktemp("notes")
    (project / "conf.py").write_text(CONF, encoding="utf-8")
    (project / "index.rst").write_text(INDEX, encoding="utf-8")
    out = project / "_build"
    sphinx = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "latex", str(project), str(out)], capture_output=True, text=True)
    assert sphinx.returncode == 0, sphinx.stderr
    latex = subprocess.run(["make", "-C", str(out), "all-pdf", "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error"], capture_output=True, text=True)
    assert latex.returncode == 0, latex.stdout[-3000:]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "notes.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    return (out / "notes.tex").read_text(encoding="utf-8"), text


def test_editorial_notes_are_a_second_series(notes_pdf):
    tex, _ = notes_pdf
    assert tex.count(r"\begin{footnote}") == 1  # the source's note only
    assert r"\edEditorialNote{" in tex


def test_both_notes_are_at_the_foot_numbered_and_lettered(notes_pdf):
    _, text = notes_pdf
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    source = lines.index("The original's note on the sentence.")
    ours = next(i for i, line in enumerate(lines) if "The editors' explanation of the sentence." in line)
    assert lines[source - 1] == "1"
    assert lines[ours - 1] == "a" and lines[ours].startswith("Ed.")
    assert ours > source, "the edition's notes are set below the original's"


def test_index_of_names_sorts_accented_names_under_their_letter(notes_pdf):
    _, text = notes_pdf
    index = text[text.rindex("Index of names"):]
    lines = [line.strip() for line in index.splitlines() if line.strip()]
    entries = [line for line in lines if "," in line]
    assert [e.split(",")[0] for e in entries] == ["Áñez", "Barrientos Ortuño", "Corrêa"], entries
    assert all(re.search(r",\s*\d+$", e) for e in entries), entries  # each with its page number
    assert lines.index("A") < lines.index(entries[0])
