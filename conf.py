"""Sphinx configuration of the edition (source directory: docs/).

Build with ``make html`` (or ``sphinx-build -E -W --keep-going -n -c . docs _build/html``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "ext"))  # the extension also works uninstalled

from edition import __version__  # noqa: E402

project = "Bolivia's Coups, 1964–2019: Five Documents"
author = "The editors of the Bolivia coups edition"
copyright = "2026, the editors; source texts: their rights holders (see each document)"
version = __version__
release = __version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "edition.sphinxext",
]

myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 0
# The texts' own quotes, dashes and ellipses are kept exactly: no typographic rewriting.
smartquotes = False

root_doc = "index"
exclude_patterns = ["_build", "**/_*.md"]
edition_sources_dir = str(ROOT / "sources")

bibtex_bibfiles = ["docs/references.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "author_year"

html_theme = "furo"
html_title = "Bolivia's Coups, 1964–2019"
html_static_path: list[str] = []
html_theme_options = {
    "source_repository": "",
    "navigation_with_keys": True,
}
html_last_updated_fmt = None
html_copy_source = True

nitpicky = True

# Annotation files (and their README) are data, not pages.
exclude_patterns.append("annotations/**")
# The chronology is an appendix of the PDF (its toctree in docs/index.md is HTML-only, so
# LaTeX does not include it twice). Additive, so that other appendices can be appended too.
latex_appendices = [*globals().get("latex_appendices", []), "chronology"]
# Citations and permalinks: the edition's public address, once it has one (e.g.
# "https://<host>/<path>/"). Until then citations say "[edition URL]/documents/…" and the
# page's script fills in the address the reader is at; html_baseurl is used when this is empty.
edition_base_url = ""
