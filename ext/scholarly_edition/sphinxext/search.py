"""Search with Pagefind: folded, faceted, and landing on the paragraph, note, entry or event.

Why Pagefind rather than Sphinx's own search (measured on the built edition, see
``tests/browser/test_search.py``): Sphinx's index gave "Anez" 0 hits and "Áñez" 10,
"Garcia Meza" and "García Meza" different sets, "Sa'ar" 70 mostly unrelated hits (the
apostrophe splits the word), showed titles with ``&quot;`` (it HTML-escapes object names
that its script then sets as text), and linked every ``ed`` object to ``page.html#<its
title>`` (its script takes the display name as the anchor when name and anchor agree).
Pagefind, indexing the same pages unchanged, folded accents and case ("Anez" = "Áñez",
"Garcia" = "García"), kept "Sa'ar"/"Sa’ar" one word, and reports every element with an
``id`` and the position of every hit, so a hit can be sent to the exact paragraph.  It is a
static index (no server), loaded in small pieces per query; its binary ships in its PyPI
package.

What this module does:

* On every page that is worth finding (not the search page, the general index or the
  print-only pages) the body is marked ``data-pagefind-body`` and the head carries its
  metadata: a plain-text title (no HTML entities), the kind of page, and for a document its
  id, short title and the chronology's periods it speaks of (for the search page's filters).
* After the HTML build, ``python -m pagefind`` writes the index to ``pagefind/``.
* ``templates/search.html`` replaces the theme's search page: a form with filters, and
  ``edition-search.js``, which turns each hit into a link to the nearest paragraph, note,
  glossary entry or event, with its type.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from ..chronology import load_periods
from .chronology_data import get_events
from .domain import EditionDomain

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
#: Pages not offered as results: the search page itself, indexes and print-only pages.
NOT_INDEXED = ("search", "genindex", "py-modindex")
NOT_INDEXED_PREFIXES = ("print/",)
#: What the edition adds that is not worth finding (numbers, chips, cite boxes, theme links).
EXCLUDE_SELECTORS = (".ed-pnum", "details.ed-cite", ".ed-event-marker", "sup.ed-enote-ref", ".headerlink",
                     ".ed-az", ".ed-entry-permalink", ".ed-chronology-filters", ".ed-filter-status", ".ed-timeline")


def _wanted(app: Sphinx, pagename: str) -> bool:
    return (app.builder.name == "html" and pagename not in NOT_INDEXED
            and not pagename.startswith(NOT_INDEXED_PREFIXES))


def page_kind(app: Sphinx, pagename: str) -> tuple[str, str]:
    """(kind, document short title) of a page: "document" with its title, or the apparatus it is."""
    domain: EditionDomain = app.env.get_domain("ed")  # type: ignore[assignment]
    for info in domain.documents.values():
        if info["docname"] == pagename:
            return "document", info["short_title"]
    objtypes = {objtype for docname, objtype, _ in domain.objects.values() if docname == pagename}
    if "entity" in objtypes:
        return "glossary", ""
    if "event" in objtypes:
        return "chronology", ""
    return "page", ""


def document_periods(app: Sphinx) -> dict[str, list[str]]:
    """doc id -> titles of the chronology's periods in which the document attests events."""
    events, _, _ = get_events(app.env)
    found: dict[str, set[str]] = {}
    for event in events:
        period = event.period
        for doc_id in event.documents:
            found.setdefault(doc_id, set()).add(period.slug)
    periods = _periods(app)
    order = [p.slug for p in periods]
    titles = {p.slug: p.title for p in periods}
    return {doc_id: [titles[s] for s in sorted(slugs, key=order.index)] for doc_id, slugs in found.items()}


def _periods(app: Sphinx):
    """The edition's periods (``periods.yaml``), read once per build, not once per page."""
    from .buildcache import per_build

    return per_build(app.env, "periods", lambda: load_periods(Path(app.confdir)))


def search_metadata(app: Sphinx, pagename: str) -> str:
    """The metadata Pagefind keeps for a page, as <meta> elements of its head (attribute
    values: titles with commas stay whole; nothing is added to the page's text).

    The filters (document, kind, period) are applied by the search page to each hit, from
    this metadata and the chronology's data, not by Pagefind's own filters: those make its
    index differ from one run to the next, and the build must be deterministic.
    """
    kind, short = page_kind(app, pagename)
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else pagename
    fields: list[tuple[str, str]] = [("title", title), ("pagekind", kind)]
    if kind == "document":
        domain: EditionDomain = app.env.get_domain("ed")  # type: ignore[assignment]
        doc_id = next(d for d, info in domain.documents.items() if info["docname"] == pagename)
        fields += [("short", short), ("docid", doc_id), ("periods", "|".join(document_periods(app).get(doc_id, [])))]
    return "".join(f'<meta name="edition-search-{key}" data-pagefind-meta="{key}[content]" content="{html.escape(value)}">\n'
                   for key, value in fields)


def mark_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Mark a findable page's body for Pagefind and give it its metadata."""
    if pagename == "search":
        # The search page tells a chronology hit's period by the period section it is in.
        context["ed_periods_json"] = json.dumps({p.slug: p.title for p in _periods(app)}, ensure_ascii=False).replace("</", "<\\/")
        domain: EditionDomain = app.env.get_domain("ed")  # type: ignore[assignment]
        shorts = {doc_id: info["short_title"] for doc_id, info in sorted(domain.documents.items())}
        context["ed_documents_json"] = json.dumps(shorts, ensure_ascii=False).replace("</", "<\\/")
    if "body" not in context or not _wanted(app, pagename):
        return
    context["metatags"] = context.get("metatags", "") + search_metadata(app, pagename)
    context["body"] = f'<div data-pagefind-body>\n{context["body"]}</div>\n'


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """Run Pagefind over the finished HTML site (the html builder only)."""
    if exception is not None or app.builder.name != "html":
        return
    from . import dependencies

    index = Path(app.outdir) / INDEX_DIR
    if dependencies.quiet(app.env) and (index / "pagefind.js").is_file():
        return  # no page changed since the clean build that indexed them
    # Pagefind adds to its folder and never removes: fragments of pages as they were before
    # an incremental build would stay (and an incremental build would differ from a fresh one).
    shutil.rmtree(index, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(app.outdir), "--output-subdir", INDEX_DIR,
               "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (Path(app.outdir) / INDEX_DIR / "pagefind.js").is_file():
        logger.warning("the search index was not built (%s): %s", " ".join(command[1:4]), (result.stderr or result.stdout).strip()[:500],
                       type="edition", subtype="search")


#: Sphinx's own index, which no page of the edition loads (the search page is Pagefind's).
SPHINX_INDEX = "searchindex.js"


class PagefindHTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder without Sphinx's search index: the edition searches with Pagefind.

    Sphinx indexes every page it writes (stemming each word) and writes ``searchindex.js``,
    which the edition's search page never loads: at 200 documents that was a tenth of the
    build.  The builder keeps its search page and its ``rel="search"`` links (they lead to
    Pagefind's page); only the indexer is not made.  It also ends the workaround for
    sphinx-doc/sphinx#12599 (an incremental build lost the index entries of the pages it did
    not rewrite): there is no such index any more.
    """

    def prepare_writing(self, docnames) -> None:
        search, self.search = self.search, False  # the one place that makes (and loads) the indexer
        try:
            super().prepare_writing(docnames)
        finally:
            self.search = search


def remove_stale_sphinx_index(app: Sphinx, exception: Exception | None) -> None:
    """An output directory built by an earlier version keeps its ``searchindex.js``; a fresh
    build has none, and an incremental build must write what a fresh one writes."""
    if exception is None and app.builder.name == "html":
        (Path(app.outdir) / SPHINX_INDEX).unlink(missing_ok=True)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", mark_page)
    app.add_builder(PagefindHTMLBuilder, override=True)
    app.connect("build-finished", remove_stale_sphinx_index)
    app.connect("build-finished", build_index)
