"""Keep the search index's index entries across incremental builds (sphinx-doc/sphinx#12599).

Sphinx keeps the index entries of the search index (``indexentries`` in ``searchindex.js``)
on the environment, but fills them while pages are written, after the environment was
pickled; an incremental build loads the rest of the search index from ``searchindex.js``
but not these entries.  So every page that an incremental build does not rewrite lost its
index entries (the glossary's mentions, among others), and an incremental build's search
index differed from a fresh build's.  Since the edition re-reads only the pages an edit
concerns, most pages are not rewritten, and the loss was visible.

Workaround: just before the search index is dumped (``html-collect-pages`` runs before it),
give each page that was not written this time the entries it had in the last build, and
store the complete entries beside the doctrees for the next build.  The entries are put in
the order of the page names, so that the index does not depend on which pages were written.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Iterator

from sphinx.application import Sphinx

STORE = "edition-search-index-entries.pickle"


def _restore_and_store(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    indexer = getattr(app.builder, "indexer", None)
    entries = getattr(indexer, "_index_entries", None)
    if indexer is None or not isinstance(entries, dict):
        return iter(())
    path = Path(app.doctreedir) / STORE
    try:
        previous: dict = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        previous = {}
    kept = set(getattr(indexer, "_titles", {}))  # every page in the index, written now or kept
    for docname in kept:
        if docname not in entries and docname in previous:
            entries[docname] = previous[docname]
    # One order whatever was written when (the index lists a term's pages in this order).
    ordered = {docname: entries[docname] for docname in sorted(entries) if docname in kept}
    entries.clear()
    entries.update(ordered)
    # Words that no page holds any more stay in a loaded index as empty lists ("documents91":
    # []); a fresh index has no such terms.  Drop them, so both indexes are the same.
    for mapping in (getattr(indexer, "_mapping", None), getattr(indexer, "_title_mapping", None)):
        if isinstance(mapping, dict):
            for word in [w for w, pages in mapping.items() if not pages]:
                del mapping[word]
    path.write_bytes(pickle.dumps(dict(entries), protocol=pickle.HIGHEST_PROTOCOL))
    return iter(())


def setup(app: Sphinx) -> None:
    app.connect("html-collect-pages", _restore_and_store)
