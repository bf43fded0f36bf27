"""Write the W3C Web Annotation export (``data/annotations.jsonld``) into the HTML output.

The selectors must anchor in the pages as a browser sees them, so the export is written
after the pages: each document page is read back and the ``textContent`` of every element
an annotation targets (paragraphs, notes of the original) and the text of every editorial
note are handed to :func:`scholarly_edition.webannotation.collection`.
"""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.application import Sphinx

from .config import annotations_label
from . import buildcache, dependencies
from ..fileio import write_atomic
from ..webannotation import collection


def rendered_texts(page: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(element id → textContent, editorial note id → its text) of one built page."""
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    texts: dict[str, str] = {}
    for element in soup.select("p[id], aside[id], div[id], li[id], dd[id], figure[id], blockquote[id]"):
        texts[element["id"]] = element.get_text()
    notes: dict[str, str] = {}
    for aside in soup.select("aside.ed-enote[id]"):
        paragraphs = [p.get_text(" ", strip=True) for p in aside.find_all("p") if "ed-enote-head" not in (p.get("class") or [])]
        notes[aside["id"]] = "\n\n".join(p for p in paragraphs if p)
    return texts, notes


def _cached_rendered_texts(page: Path, cache_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """:func:`rendered_texts`, kept beside the doctrees by the page's content hash: an
    incremental build re-reads only the pages it rewrote (parsing a page is most of the
    export's cost)."""
    import hashlib

    data = page.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
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
    data = collection(corpus, base, app.config.release, title, rendered, bodies, label=annotations_label(app.config))
    from . import exports  # published by exports.publish after a clean build only

    write_atomic(exports.staging_dir(app) / "data" / "annotations.jsonld", json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")  # compact: the C encoder (indent= is pure Python)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _write)
    from . import exports

    exports.register("data/annotations.jsonld")
