"""Sphinx configuration of the edition (source directory: docs/).

Build with ``make html`` (or ``sphinx-build -E -W --keep-going -n -c . docs _build/html``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "ext"))  # the extension also works uninstalled

from scholarly_edition import __version__  # noqa: E402

project = "Bolivia's Coups, 1964–2019"
author = "The editors of the Bolivia coups edition"
copyright = "2026, the editors; source texts: their rights holders (see each document)"
version = __version__
release = __version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "scholarly_edition.sphinxext",
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
# Citations and permalinks: the edition's public address, once it has one (e.g.
# "https://<host>/<path>/"). Until then citations say "[edition URL]/documents/…" and the
# page's script fills in the address the reader is at; html_baseurl is used when this is empty.
edition_base_url = ""
# -- Print edition: PDF through XeLaTeX (make pdf) and EPUB (make epub) ---------------------
# The helpers live in ext/scholarly_edition/sphinxext/printing.py; appendices are every apparatus page
# present (glossary, chronology, archives), then the bibliography.
from scholarly_edition.sphinxext import printing  # noqa: E402

edition_subject = "Documents on Bolivia's coups of 1964, 1980 and 2019: FRUS telegram, scholarship and journalism, annotated"
latex_engine = "xelatex"
latex_use_xindy = True
latex_documents = [(printing.PRINT_ROOT, "bolivia-coups-edition.tex", project, author, "manual", False)]
latex_appendices = printing.appendices(ROOT / "docs")
latex_additional_files = [str(printing.LATEX_STYLE)]
# URLs in parentheses, never as footnotes: the foot of the page holds the notes of the texts.
latex_show_urls = "inline"
latex_show_pagerefs = False
latex_elements = printing.latex_elements(
    ROOT, title=project, version=release, author=author, subject=edition_subject,
    abstract="Documents on Bolivia's coups of 1964, 1980 and 2019: every word of each text kept, "
    "every paragraph numbered for citation, every intervention of the editors marked.",
    licence="The edition's own text, code and annotations are published under the Creative Commons "
    "Attribution 4.0 licence (CC BY 4.0). The source texts keep their own rights, stated below and on "
    "each document's first page.",
    keywords=["Bolivia", "coup d'état", "1964", "1980", "2019", "Foreign Relations of the United States", "scholarly edition"],
)

epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_description = edition_subject
# The NCX table of contents repeats epub_uid as the book's identifier: keep the two equal.
epub_identifier = epub_uid = "bolivia-coups-edition-" + release
epub_scheme = ""
epub_basename = "bolivia-coups-edition"
epub_exclude_files = [f"{page}.xhtml" for page in printing.PRINT_PAGES] + ["search.xhtml", ".buildinfo.bak"]
epub_show_urls = "inline"
# The landing page's toctrees are hidden (the HTML sidebar shows them): the EPUB's own contents list needs them.
epub_tocscope = "includehidden"
