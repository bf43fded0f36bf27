"""The whole edition builds with zero warnings and every document page is there."""

from __future__ import annotations


def test_full_build_has_every_document(built_html, corpus):
    for doc_id in corpus.documents:
        assert (built_html / "documents" / f"{doc_id}.html").exists(), doc_id
    assert (built_html / "index.html").exists()
    assert (built_html / "principles.html").exists()
    assert (built_html / "bibliography.html").exists()


def test_search_is_pagefind_only(built_html):
    """The search page is Pagefind's; Sphinx's own index, which no page loads, is not built
    (it cost a tenth of a large build), while the theme's search form still leads to the page."""
    assert (built_html / "pagefind" / "pagefind.js").is_file()
    assert not (built_html / "searchindex.js").exists()
    index = (built_html / "index.html").read_text("utf-8")
    assert 'rel="search"' in index and 'action="search.html"' in index
    for page in built_html.rglob("*.html"):
        assert "searchindex.js" not in page.read_text("utf-8"), page
