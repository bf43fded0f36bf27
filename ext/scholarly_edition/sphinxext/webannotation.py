"""Write the W3C Web Annotation export (``data/annotations.jsonld``) into the HTML output."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

from .. import __version__
from . import buildcache, dependencies
from ..fileio import write_atomic
from ..webannotation import collection


def _write(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    base = app.config.edition_base_url or app.config.html_baseurl or ""
    if base and not base.endswith("/"):
        base += "/"
    target = Path(app.outdir) / "data" / "annotations.jsonld"
    if dependencies.quiet(app.env) and target.exists():
        return
    corpus = buildcache.corpus(app.env)
    data = collection(corpus, base, __version__)
    write_atomic(Path(app.outdir) / "data" / "annotations.jsonld", json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _write)
