"""Sphinx extension of the annotated edition.

Each concern lives in its own module with its own ``setup``: the source registry, the
``ed`` domain, documents and their header boxes, paragraph anchors and page breaks,
omissions.  Later apparatus (glossary, notes, chronology, citation) plug in the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from . import documents, domain, omissions, paragraphs, registry
from . import glossary
from . import editorial, register, sourcenotes
from . import chronology
from . import anchors, cite
from . import printing
from . import exports, safe_markup, webannotation
from . import config
from . import reading, search
from . import contents

STATIC_DIR = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx, config) -> None:
    """At config-inited, so that the stored and the new configuration stay equal and an
    incremental build is not turned into a full one ("the configuration has changed")."""
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> dict[str, Any]:
    config.setup(app)  # first: the extensions it needs, its own configuration checks
    registry.setup(app)
    app.add_domain(domain.EditionDomain)
    documents.setup(app)
    paragraphs.setup(app)
    omissions.setup(app)
    glossary.setup(app)
    sourcenotes.setup(app)
    register.setup(app)
    editorial.setup(app)
    chronology.setup(app)
    printing.setup(app)
    safe_markup.setup(app)
    exports.setup(app)
    webannotation.setup(app)
    app.connect("config-inited", _add_static_path)
    app.add_css_file("edition.css")
    cite.setup(app)
    anchors.setup(app)
    reading.setup(app)
    search.setup(app)
    contents.setup(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
