"""``scholarly_edition.cite``: the Sphinx extension for projects that *cite* an edition.

Load it with ``sphinx.ext.intersphinx`` in a project that refers to an edition's
paragraphs, documents, notes, names or events — ``{ed:ref}`edition:mack-2025-p14``` or
``{ed:ref}`edition:Mack 2025, ¶ 14``` — without building an edition.  The implementation
is :mod:`scholarly_edition.sphinxext.client`; it is imported only when Sphinx loads this
extension, so that the toolkit's core never imports Sphinx.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    from .sphinxext.client import setup as client_setup

    return client_setup(app)
