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
from . import dependencies
from . import contents

STATIC_DIR = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx, config) -> None:
    """At config-inited, so that the stored and the new configuration stay equal and an
    incremental build is not turned into a full one ("the configuration has changed").

    Sphinx compares the two configurations before ``builder-inited``; furo (which adds
    ``pygments_dark_style`` when the theme is loaded) and sphinx-design (which appends its
    static path at ``builder-inited``) change the configuration after that comparison, so
    every incremental build logged "The configuration has changed (html_static_path,
    pygments_dark_style)".  Their changes are made here, before the comparison, instead.
    """
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))
    if config.html_theme == "furo":
        app.setup_extension("furo")  # adds pygments_dark_style now (loading the theme later is a no-op)
        _guard_furo(app)
        app.connect("builder-inited", _furo_post_transforms_only_for_its_builders)
    if "sphinx_design" in config.extensions:
        from sphinx_design.extension import STATIC_DIR as DESIGN_STATIC

        if str(DESIGN_STATIC) not in config.html_static_path:
            config.html_static_path.append(str(DESIGN_STATIC))


#: Builders that render with ``html_theme``; others (EPUB, LaTeX, text) never loaded furo.
THEMED_BUILDERS = {"html", "dirhtml", "singlehtml"}


def _guard_furo(app: Sphinx) -> None:
    """furo, set up early for the configuration's sake, must stay out of builds that do not
    use the theme (EPUB, LaTeX, text never loaded it; its own check refuses them): each of its
    event handlers runs only for the builders that render with ``html_theme``."""
    from sphinx.events import EventListener

    def guarded(handler):
        def run(app_: Sphinx, *args, **kwargs):
            if app_.builder.name in THEMED_BUILDERS:
                return handler(app_, *args, **kwargs)
            return None
        return run

    for listeners in app.events.listeners.values():
        for index, listener in enumerate(listeners):
            if getattr(listener.handler, "__module__", "") == "furo":
                listeners[index] = EventListener(listener.id, guarded(listener.handler), listener.priority)


def _furo_post_transforms_only_for_its_builders(app: Sphinx) -> None:
    if app.builder.name not in THEMED_BUILDERS:
        app.registry.post_transforms[:] = [t for t in app.registry.post_transforms if t.__module__ != "furo"]


def _dedupe_static_path(app: Sphinx) -> None:
    """sphinx-design appends its static path again at builder-inited: keep one of each."""
    app.config.html_static_path[:] = list(dict.fromkeys(app.config.html_static_path))


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
    app.connect("builder-inited", _dedupe_static_path, priority=550)  # after sphinx-design, before printing's EPUB folder (600)
    app.add_css_file("edition.css")
    cite.setup(app)
    anchors.setup(app)
    reading.setup(app)
    search.setup(app)
    dependencies.setup(app)
    contents.setup(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
