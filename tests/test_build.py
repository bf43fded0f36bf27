"""The whole edition builds with zero warnings and every document page is there."""

from __future__ import annotations


def test_full_build_has_every_document(built_html, corpus):
    for doc_id in corpus.documents:
        assert (built_html / "documents" / f"{doc_id}.html").exists(), doc_id
    assert (built_html / "index.html").exists()
    assert (built_html / "principles.html").exists()
    assert (built_html / "bibliography.html").exists()
