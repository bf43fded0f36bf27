"""True dependencies: which pages an edit of the sources or the annotations must re-read.

A document page depends on its own source and metadata (noted by ``{edition-document}``),
on its editorial-notes file (noted by the notes), and on the annotation entries that target
it: the events that its paragraphs attest, the glossary entities mentioned in it and the
archival registry its source notes cite.  It does not depend on every registry file: noting
those files as dependencies of every page made an edit of one source or one entity re-read
the whole edition.

Instead, ``env-get-outdated`` computes a fingerprint per document of the entries that target
it and re-reads the documents whose fingerprint changed:

* events: the events attesting any anchor of the document (as validated against the corpus);
* glossary: an entity that was added, removed or edited re-reads the pages that mentioned it
  in the last build (the mention index) and the pages whose text contains one of its aliases
  or that it names (selectors, document scopes);
* archives: a document with source notes depends on the archival registry files.

The apparatus pages (glossary, chronology, archival register, landing page) note every
annotation file they use; when a *new* annotation or source file appears (which no page
could have noted), every page that is not a document page is re-read as well.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..glossary import fold
from . import buildcache
from .buildcache import content_hash, per_build

ANCHOR_DOC = re.compile(r"^(?P<doc>[a-z0-9-]+?)-(?:p|n|fig|page)\d+$|^(?P<bdoc>[a-z0-9-]+)-byline$")
FINGERPRINTS = "_edition_doc_fingerprints"
ENTITY_PRINTS = "_edition_entity_fingerprints"
INPUTS = "_edition_input_files"


def _hash(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def input_files(env: BuildEnvironment) -> list[Path]:
    """Every source and annotation file the extension reads (once per build)."""
    def compute() -> list[Path]:
        from .registry import sources_dir

        annotations = (Path(env.srcdir) / "annotations").resolve()
        files = sorted(p for p in sources_dir(env).glob("*") if p.is_file())
        if annotations.is_dir():
            files += sorted(p for p in annotations.rglob("*.yaml") if p.is_file())
        return files

    return per_build(env, "input files", compute)


def _doc_of(anchor: str, documents: set[str]) -> str | None:
    if anchor in documents:
        return anchor
    match = ANCHOR_DOC.match(anchor)
    if match:
        doc = match["doc"] or match["bdoc"]
        return doc if doc in documents else None
    return None


def document_fingerprints(env: BuildEnvironment) -> dict[str, str]:
    """doc id -> a hash of the events and archival data that target the document."""
    from .annotationdata import get_annotations
    from .chronology_data import get_events

    corpus = buildcache.corpus(env)
    documents = set(corpus.documents)
    _, _, index = get_events(env)
    by_doc: dict[str, list] = {doc: [] for doc in documents}
    for anchor in sorted(index.by_anchor):
        doc = _doc_of(anchor, documents)
        if doc is not None:
            by_doc[doc].append((anchor, [repr(e) for e in index.by_anchor[anchor]]))
    data = get_annotations(env)
    archives = content_hash(_archive_files(env))
    out = {}
    for doc in sorted(documents):
        notes = data.source_notes.get(doc)
        out[doc] = _hash(by_doc[doc], repr(notes), archives if notes is not None else "")
    return out


def _archive_files(env: BuildEnvironment) -> list[Path]:
    directory = (Path(env.srcdir) / "annotations" / "archives").resolve()
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


def entity_fingerprints(env: BuildEnvironment) -> dict[str, str]:
    from .glossary import get_registry

    registry, _ = get_registry(env)
    return {eid: _hash(repr(entity)) for eid, entity in registry.entities.items()}


def _pages_touched_by_entities(env: BuildEnvironment, changed: set[str], doc_pages: dict[str, str]) -> set[str]:
    """Document pages that mentioned a changed entity, contain one of its aliases, or name it."""
    from .glossary import get_registry, mention_store

    pages = {docname for docname, records in mention_store(env).items() if any(r[0] in changed for r in records)}
    registry, _ = get_registry(env)
    entities = [registry.entities[e] for e in sorted(changed) if e in registry.entities]
    if not entities:
        return pages
    aliases = {fold(alias.text) for entity in entities for alias in entity.aliases}
    named = "\n".join(repr(entity) for entity in entities)
    for doc_id, doc in buildcache.corpus(env).documents.items():
        docname = doc_pages.get(doc_id)
        if docname is None or docname in pages:
            continue
        text = fold(doc.source.text)
        if doc_id in named or any(alias in text for alias in aliases):
            pages.add(docname)
    return pages


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The document pages whose annotation entries changed; the apparatus when files appeared."""
    from .domain import EditionDomain

    buildcache.per_build(env, "pages added or removed", lambda: bool(added or removed))
    files = input_files(env)
    inputs = (tuple(str(p) for p in files), content_hash(files))
    previous_inputs = getattr(env, INPUTS, None)
    env.__dict__[INPUTS] = inputs
    if previous_inputs == inputs:
        return []  # nothing the extension reads changed: no fingerprint to compute
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    doc_pages = {doc_id: info["docname"] for doc_id, info in domain.documents.items()}
    prints, entity_prints = document_fingerprints(env), entity_fingerprints(env)
    old_prints, old_entities = getattr(env, FINGERPRINTS, None), getattr(env, ENTITY_PRINTS, None)
    env.__dict__[FINGERPRINTS], env.__dict__[ENTITY_PRINTS] = prints, entity_prints
    if previous_inputs is None or old_prints is None or old_entities is None:
        return []  # first build: everything is read anyway
    pages = {doc_pages[d] for d, fp in prints.items() if d in doc_pages and old_prints.get(d) != fp}
    changed_entities = {e for e in entity_prints.keys() | old_entities.keys() if entity_prints.get(e) != old_entities.get(e)}
    if changed_entities:
        pages |= _pages_touched_by_entities(env, changed_entities, doc_pages)
    if previous_inputs[0] != inputs[0]:
        # A file appeared or vanished: no page could have noted it. Re-read the apparatus.
        documents = set(doc_pages.values())
        pages |= {name for name in env.found_docs if name not in documents}
    return sorted(p for p in pages if p in env.found_docs)


def rewrite_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """When a page was added or removed, every page's navigation (the sidebar) changed:
    rewrite them all (from their stored doctrees; nothing is read again).  Sphinx itself
    rewrites only the pages it read."""
    if buildcache.per_build(env, "pages added or removed", lambda: False):
        return sorted(env.found_docs)
    return []


# --- quiet builds: nothing the extension reads changed ------------------------------------

CLEAN = "edition-clean-inputs.txt"


def _quiet_key(env: BuildEnvironment) -> str:
    """Everything the edition-wide work (validation reports, exports, apparatus pages) reads:
    the sources and annotation files, the other data files of the source directory, the
    anchor registries, the symbolic links of the source directory, and the configuration
    values of the edition."""
    def compute() -> str:
        from ..anchors import released_files
        from .anchors import registry_path

        src = Path(env.srcdir)
        data = sorted(p for p in src.glob("*") if p.is_file() and p.suffix in (".bib", ".txt", ".md"))
        # What the consistency check reads besides: the anchor registry (wherever the
        # configuration puts it) and the registries of earlier releases; and the symbolic
        # links under the source directory, which the contributed-text report refuses.
        confdir = Path(buildcache.app_of(env).confdir)
        registries = [registry_path(env), *released_files(confdir)]
        links = sorted((str(p), str(p.readlink())) for p in src.rglob("*") if p.is_symlink())
        config = sorted((name, repr(env.config[name])) for name in dir(env.config)
                        if name.startswith("edition_") or name in ("html_baseurl", "release", "project"))
        return _hash(content_hash(input_files(env)), content_hash(data), content_hash(registries), links, config,
                     tuple(str(p) for p in input_files(env)))

    return per_build(env, "quiet key", compute)


def note_docs_to_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    buildcache.per_build(env, "docs to read", lambda: frozenset(docnames))


def quiet(env: BuildEnvironment) -> bool:
    """True when the last build finished without a warning, nothing the extension reads
    changed since, and this build reads no page but the landing page (which the anchors
    check re-reads on every build).  Then the edition-wide reports (which found nothing),
    the apparatus pages and the data exports are what the last build made: skipping them
    makes a rebuild with no change cost little more than starting Sphinx."""
    def compute() -> bool:
        read = buildcache.per_build(env, "docs to read", lambda: None)
        if read is None or not read <= {env.config.root_doc}:
            return False
        return unchanged_since_a_clean_build(env)

    return per_build(env, "quiet", compute)


def unchanged_since_a_clean_build(env: BuildEnvironment) -> bool:
    """True when the last HTML build into this output finished without a warning and nothing
    the extension reads (sources, annotation files, configuration) changed since."""
    def compute() -> bool:
        app = buildcache.app_of(env)
        if getattr(app.builder, "format", "") != "html" or not (Path(app.outdir) / "data").is_dir():
            return False
        try:
            return (Path(app.doctreedir) / CLEAN).read_text("utf-8") == _quiet_key(env)
        except OSError:
            return False

    return per_build(env, "unchanged since a clean build", compute)


def record_clean(app: Sphinx, exception: Exception | None) -> None:
    """Remember the inputs of a build that finished without a warning (or forget them)."""
    path = Path(app.doctreedir) / CLEAN
    if exception is None and getattr(app, "_warncount", 1) == 0 and app.builder.format == "html":
        path.write_text(_quiet_key(app.env), "utf-8")
    else:
        path.unlink(missing_ok=True)


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated)
    app.connect("env-get-updated", rewrite_navigation)
    app.connect("env-before-read-docs", note_docs_to_read, priority=100)  # before the reports
    app.connect("build-finished", record_clean, priority=900)  # after every export
