"""Sphinx configuration of the toolkit's documentation (sphinx-scholarly-edition).

Build with ``make toolkit-docs`` from the repository root (``-E -W --keep-going -n``).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent.resolve()
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent / "ext"))  # the toolkit also works uninstalled

from scholarly_edition import __version__  # noqa: E402

project = "sphinx-scholarly-edition"
author = "the authors of sphinx-scholarly-edition"
copyright = "2026, the authors of sphinx-scholarly-edition (MIT licence)"
version = release = __version__
language = "en"

extensions = ["myst_parser", "toolkitdoc"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3
root_doc = "index"
exclude_patterns = ["_build", "_ext"]
nitpicky = True
html_theme = "furo"
html_title = f"sphinx-scholarly-edition {release}"
