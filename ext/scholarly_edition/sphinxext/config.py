"""What the extension needs from a project, set up or checked before anything is read.

An edition's pages rely on other extensions: MyST with block attributes (every paragraph
anchor is written ``{#mack-2025-p7}`` above its paragraph: without ``attrs_block`` the
anchors would be lost *silently*), colon fences (the documents' cards), sphinx-design (the
cards) and sphinxcontrib-bibtex (each document page ends with ``footbibliography``).  So
the extension loads them itself and enables the MyST syntax extensions it relies on,
instead of leaving a new project to discover them one failure at a time.

Without ``bibtex_bibfiles`` it uses ``edition_bibliography`` (``docs/references.bib``),
or, when the edition has no bibliography, an empty one: a page that cites a work then
fails with "citation not found", at the page.

It also declares the configuration values that carry an edition's own words — the
annotation collection's label, the chronology page's title — with neutral defaults, so
that no text of any particular edition lives in the package, and it refuses to start
when the project sets no ``release``: the edition's version is printed in every citation,
and the toolkit's own version must never stand in for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Given to sphinxcontrib-bibtex when an edition has no bibliography at all.
EMPTY_BIBLIOGRAPHY = Path(__file__).parent / "empty.bib"
#: MyST syntax extensions that the generated pages and the extension's directives use.
REQUIRED_MYST_EXTENSIONS: tuple[str, ...] = ("attrs_block", "attrs_inline", "colon_fence")
#: Sphinx extensions the edition's pages need, loaded by the extension itself.
REQUIRED_EXTENSIONS: tuple[str, ...] = ("myst_parser", "sphinx_design", "sphinxcontrib.bibtex")

#: Configuration values declared here: name -> (default, rebuild, types, what it is).
#: Other values are declared by the module that uses them (see the toolkit's reference).
CONFIG_VALUES: dict[str, tuple[Any, str, tuple[type, ...], str]] = {
    "edition_annotations_label": (
        "", "html", (str,),
        "label of the W3C Web Annotation collection (data/annotations.jsonld); "
        "empty: 'Annotations of <edition_title or project>'",
    ),
    "edition_bibliography": (
        "docs/references.bib", "env", (str,),
        "the edition's BibTeX file, relative to the configuration directory; used as "
        "bibtex_bibfiles when conf.py sets none (each document page ends with a footbibliography); "
        "when it does not exist either, an empty bibliography shipped with the toolkit",
    ),
    "edition_myst_extensions_auto": (
        True, "env", (bool,),
        "enable the MyST extensions the toolkit needs (attrs_block, attrs_inline, colon_fence) "
        "when conf.py leaves them out; False: refuse to start and name them instead",
    ),
}


def annotations_label(config: Any) -> str:
    """The collection's label: the configured one, else one made from the edition's title."""
    label = getattr(config, "edition_annotations_label", "")
    if label:
        return label
    title = getattr(config, "edition_title", "") or config.project
    return f"Annotations of {title}"


def _check_config(app: Sphinx, config: Any) -> None:
    """Enable (or demand) the MyST extensions, and demand the edition's own release."""
    enabled = list(config.myst_enable_extensions or [])
    missing = [name for name in REQUIRED_MYST_EXTENSIONS if name not in enabled]
    if missing:
        if not config.edition_myst_extensions_auto:
            raise ConfigError(
                "scholarly_edition needs these MyST extensions, which conf.py does not enable: "
                + ", ".join(missing)
                + f"; add them to myst_enable_extensions (e.g. myst_enable_extensions = {[*enabled, *missing]!r})"
            )
        # A new list, not the default object mutated in place.
        config.myst_enable_extensions = [*enabled, *missing]
        logger.info("scholarly_edition: enabled the MyST extensions %s", ", ".join(missing))
    if not config.bibtex_bibfiles:
        # sphinxcontrib-bibtex refuses to start without a file; an edition without a
        # bibliography gets an empty one, and a page that cites a key then fails at the page.
        bibliography = Path(app.confdir) / config.edition_bibliography
        config.bibtex_bibfiles = [config.edition_bibliography if bibliography.is_file() else str(EMPTY_BIBLIOGRAPHY)]
    if not str(config.release or "").strip():
        raise ConfigError(
            "conf.py sets no `release`: the edition's version is printed in every citation and export; "
            "set it, e.g. release = \"0.1\" (the edition's own version, not the toolkit's)"
        )


def setup(app: Sphinx) -> None:
    for name in REQUIRED_EXTENSIONS:
        app.setup_extension(name)
    for name, (default, rebuild, types, _doc) in CONFIG_VALUES.items():
        app.add_config_value(name, default, rebuild, types=types)
    # Before MyST reads its configuration (at builder-inited) and before any other handler.
    app.connect("config-inited", _check_config, priority=100)
