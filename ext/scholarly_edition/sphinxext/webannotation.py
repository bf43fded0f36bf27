"""Write the W3C Web Annotation export (``data/annotations.jsonld``) into the HTML output.

The selectors must anchor in the pages as a browser sees them, so the export is written
after the pages: each document page is read back and the ``textContent`` of every element
an annotation targets (paragraphs, notes of the original) and the text of every editorial
note are handed to :func:`scholarly_edition.webannotation.collection`.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
from sphinx.application import Sphinx

from .config import annotations_label
from . import buildcache, dependencies
from ..fileio import write_atomic
from ..webannotation import collection


#: The elements an annotation can target (paragraphs, notes of the original, omissions, …).
_TARGETS = "//p[@id]|//aside[@id]|//div[@id]|//li[@id]|//dd[@id]|//figure[@id]|//blockquote[@id]"
_EDITORIAL_NOTES = '//aside[@id][contains(concat(" ", normalize-space(@class), " "), " ed-enote ")]'


_PARSER = lxml.html.HTMLParser(encoding="utf-8")  # the pages are written in UTF-8
#: Part of the cache key of a page's texts: texts cached by another way of reading pages
#: (BeautifulSoup before lxml gave note bodies other spaces) are read again, not reused.
EXTRACTOR = "lxml-textcontent-1"


def rendered_texts(page: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(element id → textContent, editorial note id → its text) of one built page.

    Parsed with lxml (libxml2's HTML parser): reading every page back with BeautifulSoup's
    pure-Python parser was a third of a 200-document build.  ``text_content()`` is the DOM's
    ``textContent``, which is what a browser's selector engine (Apache Annotator, Hypothesis)
    anchors in; a note's body is the text of its paragraphs with the whitespace of the
    markup collapsed, as a reader sees it.
    """
    root = lxml.html.document_fromstring(page.read_bytes(), parser=_PARSER)
    texts = {element.get("id"): element.text_content() for element in root.xpath(_TARGETS)}
    notes: dict[str, str] = {}
    for aside in root.xpath(_EDITORIAL_NOTES):
        paragraphs = (" ".join(p.text_content().split()) for p in aside.iter("p") if "ed-enote-head" not in (p.get("class") or "").split())
        notes[aside.get("id")] = "\n\n".join(p for p in paragraphs if p)
    return texts, notes


def _cached_rendered_texts(page: Path, cache_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """:func:`rendered_texts`, kept beside the doctrees by the page's content hash: an
    incremental build re-reads only the pages it rewrote (parsing a page is most of the
    export's cost)."""
    import hashlib

    data = page.read_bytes()
    digest = hashlib.sha256(data + EXTRACTOR.encode()).hexdigest()  # a new extractor is a new key
    cached = cache_dir / f"{page.stem}.json"
    if cached.is_file():
        try:
            stored = json.loads(cached.read_text("utf-8"))
            if stored.get("sha256") == digest:
                return stored["texts"], stored["notes"]
        except (ValueError, KeyError):
            pass  # a damaged cache file is rebuilt
    texts, notes = rendered_texts(page)
    write_atomic(cached, json.dumps({"sha256": digest, "texts": texts, "notes": notes}, ensure_ascii=False))
    return texts, notes


def _write(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    base = app.config.edition_base_url or app.config.html_baseurl or ""
    if base and not base.endswith("/"):
        base += "/"
    if dependencies.quiet(app.env) and (Path(app.outdir) / "data" / "annotations.jsonld").exists():
        return  # nothing it reads changed since the clean build that published it
    corpus = buildcache.corpus(app.env)
    rendered: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for doc_id in sorted(corpus.documents):
        page = Path(app.outdir) / app.builder.get_target_uri(f"documents/{doc_id}").split("#", 1)[0]
        if page.is_file():
            texts, notes = _cached_rendered_texts(page, Path(app.doctreedir) / "edition-webannotation")
            rendered.update(texts)
            bodies.update(notes)
    title = app.config.edition_title or app.config.project
    from .annotationdata import get_annotations
    from .chronology_data import get_events
    from .glossary import get_registry

    # What the build loaded already (once per build), not loaded again from the corpus.
    annotations = get_annotations(app.env)
    data = collection(corpus, base, app.config.release, title, rendered, bodies, label=annotations_label(app.config),
                      notes=annotations.editorial, registry=get_registry(app.env)[0], events=get_events(app.env)[0],
                      source_notes=annotations.source_notes)
    from . import exports  # published by exports.publish after a clean build only

    write_atomic(exports.staging_dir(app) / "data" / "annotations.jsonld", json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")  # compact: the C encoder (indent= is pure Python)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _write)
    from . import exports

    exports.register("data/annotations.jsonld")
