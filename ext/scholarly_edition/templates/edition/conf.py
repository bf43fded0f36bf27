"""Sphinx configuration of {{title_py}} (source directory: docs/).

Written by `edition init` (sphinx-scholarly-edition {{toolkit_version}}).  Every `edition_*`
value is documented in the toolkit's reference; build with `make html`.
"""

from __future__ import annotations

from pathlib import Path

from scholarly_edition.sphinxext import printing

ROOT = Path(__file__).parent.resolve()

project = {{title_repr}}
author = {{editors_repr}}
copyright = {{copyright_repr}}
# The edition's own version: it is printed in every citation (raise it at each release).
version = release = "0.1.0"
language = {{language_repr}}

# The toolkit loads MyST, sphinx-design and sphinxcontrib-bibtex itself, and enables the
# MyST extensions it needs (attrs_block, attrs_inline, colon_fence).
extensions = ["scholarly_edition.sphinxext"]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 0
# The texts' own quotes, dashes and ellipses are kept exactly.
smartquotes = False

root_doc = "index"
exclude_patterns = ["_build", "**/_*.md", "annotations/**"]
nitpicky = True

edition_sources_dir = str(ROOT / "sources")
edition_title = project
# The edition's public address, once it has one (citations and permalinks use it).
edition_base_url = {{base_url_repr}}

bibtex_bibfiles = ["docs/references.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "author_year"

html_theme = "furo"
html_title = project
html_static_path: list[str] = []
html_last_updated_fmt = None

# -- Print edition: PDF through XeLaTeX (make pdf) and EPUB (make epub) ----------------------
edition_subject = {{subject_repr}}
latex_engine = "xelatex"
latex_use_xindy = True
latex_documents = [(printing.PRINT_ROOT, {{slug_repr}} + ".tex", project, author, "manual", False)]
latex_appendices = printing.appendices(ROOT / "docs")
latex_additional_files = [str(printing.LATEX_STYLE)]
latex_show_urls = "inline"
latex_show_pagerefs = False
latex_elements = printing.latex_elements(
    ROOT, title=project, version=release, author=author, subject=edition_subject,
    abstract=edition_subject, licence={{licence_text_repr}}, keywords=["scholarly edition"],
    language=language,
)

epub_title = project
epub_author = epub_publisher = author
epub_copyright = copyright
epub_description = edition_subject
epub_identifier = epub_uid = {{slug_repr}} + "-" + release
epub_scheme = ""
epub_basename = {{slug_repr}}
epub_exclude_files = [f"{page}.xhtml" for page in printing.PRINT_PAGES] + ["search.xhtml", ".buildinfo.bak"]
epub_show_urls = "inline"
epub_tocscope = "includehidden"
