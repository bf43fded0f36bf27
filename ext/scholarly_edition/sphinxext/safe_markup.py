"""Render contributed text safely in Sphinx, and report unsafe text in the build.

Contributed text (glossary descriptions, editorial notes, source summaries) is restricted
MyST.  :mod:`scholarly_edition.trust` decides, exactly as ``edition check`` does, whether a
text may be parsed at all; a text it refuses is shown as literal words (which the writers
escape) and the problem is reported at file and line by the same check.

Defence in depth, should a refused construct ever get past the check:

* contributed text is parsed inside :func:`contributed_context`, which turns off the
  docutils settings ``file_insertion_enabled`` and ``raw_enabled`` for the time of the
  parse.  ``include``, ``literalinclude``, ``raw``, ``csv-table :file:``/``:url:`` and
  whatever ``eval-rst`` would run all honour them, at any nesting depth, so the build
  never resolves a file path that comes from contributed text;
* the pages of the documents are generated from contributed sources, so
  ``{edition-document}`` turns both settings off for the rest of its page
  (:func:`deny_file_insertion`); the edition's own pages (``docs/*.md``) stay trusted;
* after parsing, raw nodes, images and links with unsafe targets are neutralised.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

from ..contributed import check_contributed_text
from . import buildcache, dependencies
from ..trust import check_myst, is_safe_url
from .problems import warn

logger = logging.getLogger(__name__)

#: The docutils settings that let a directive read a file or emit raw output.
_DANGEROUS_SETTINGS = {"file_insertion_enabled": False, "raw_enabled": False}


def deny_file_insertion(document: nodes.document) -> None:
    """From here on, nothing parsed into ``document`` may read a file or emit raw output."""
    for name, value in _DANGEROUS_SETTINGS.items():
        setattr(document.settings, name, value)


@contextmanager
def contributed_context(document: nodes.document) -> Iterator[None]:
    """Parse contributed text with file insertion and raw output turned off, then restore."""
    saved = {name: getattr(document.settings, name, True) for name in _DANGEROUS_SETTINGS}
    deny_file_insertion(document)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(document.settings, name, value)


def sanitize(parsed: list[nodes.Node]) -> list[nodes.Node]:
    """Neutralise raw output, images, included literals and unsafe links in parsed nodes."""
    for tree in parsed:
        if not isinstance(tree, nodes.Element):
            continue
        for raw in list(tree.findall(nodes.raw)):
            raw.replace_self(nodes.Text(raw.astext()))
        for image in list(tree.findall(nodes.image)):
            image.replace_self(nodes.Text(image.get("alt", "")))
        for ref in list(tree.findall(nodes.reference)):
            if "refuri" in ref and not is_safe_url(ref["refuri"]):
                ref.replace_self(nodes.inline("", "", *ref.children))
        for download in list(tree.findall(addnodes.download_reference)):  # would copy a file into the output
            download.replace_self(nodes.inline("", "", *download.children))
        for literal in list(tree.findall(nodes.literal_block)):
            if literal.get("source") or literal.get("include"):  # literalinclude's output
                literal.replace_self(nodes.paragraph("", "[file content refused]"))
    return [nodes.Text(n.astext()) if isinstance(n, nodes.raw) else n for n in parsed]


def parse_block(directive: SphinxDirective, text: str, source: str, offset: int) -> list[nodes.Node]:
    """Block-level contributed text as nodes (literal paragraph when unsafe)."""
    if check_myst(text):
        return [nodes.paragraph(text, text, classes=["ed-unsafe-text"])]
    with contributed_context(directive.state.document):
        return sanitize(nested_parse_to_nodes(directive.state, text, source=source, offset=offset))


def parse_inline(directive: SphinxDirective, text: str, lineno: int) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Inline contributed text as nodes (literal text when unsafe)."""
    if check_myst(text):
        return [nodes.Text(text)], []
    with contributed_context(directive.state.document):
        parsed, messages = directive.parse_inline(text, lineno=lineno)
    return sanitize(parsed), messages


def _report(app: Sphinx, env: BuildEnvironment) -> None:
    """Report unsafe text and unknown citation keys once per build, in the main process.

    Under ``-W`` a build with any warning so far (refused text, a YAML bomb, a broken
    annotation file) stops here, after reading and before writing: no page and no export
    of a failed build is ever written.  A quiet rebuild (nothing read changed since a
    clean build, :func:`.dependencies.quiet`) skips the check, which found nothing then."""
    from .exports import mark_refused, purge

    problems = [] if dependencies.quiet(env) else check_contributed_text(buildcache.corpus(env))
    for problem in problems:
        warn(problem, "contributed")
        if problem.severity == "error":
            mark_refused(app)  # no export may carry refused text
    count = getattr(app, "_warncount", 0)
    if count and getattr(app, "_fail_on_warnings", False):
        purge(app)  # exports an earlier build left must not outlive this failure
        logger.error("%d warning(s) while reading the edition, and warnings are errors (-W): the build stops before writing; "
                     "nothing was written (no page, no export)", count)
        # A clean stop, not a crash report: the problems were printed above with file and line.
        raise SystemExit(1)


@lru_cache(maxsize=65536)
def _is_safe_link(url: str) -> bool:
    """:func:`..trust.is_safe_url`, remembered: a page links to the same glossary entries and
    pages hundreds of times (30,000 links at 200 documents)."""
    return is_safe_url(url)


def neutralise_unsafe_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On every page, a link whose address is not http(s), mailto or internal becomes plain text.

    Addresses reach pages from places the edition does not render itself (the
    bibliography of ``references.bib`` through sphinxcontrib-bibtex, for one); whatever
    the check said, no ``javascript:``, ``data:`` or ``vbscript:`` link is ever written."""
    for ref in list(doctree.findall(nodes.reference)):
        if "refuri" in ref and not _is_safe_link(str(ref["refuri"])):
            ref.replace_self(nodes.inline("", "", *ref.children, classes=["ed-refused-link"]))


def neutralise_raw_in_generated_pages(app: Sphinx, doctree: nodes.document) -> None:
    """The pages of the documents are generated from contributed sources: any raw output
    in them (raw HTML of a source text that escaped its markup) is shown as words."""
    docname = app.env.docname
    folder = str(app.config.edition_documents_dir).strip("/") + "/"
    if not docname.startswith(folder):
        return
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        raw.replace_self(nodes.literal(text, text, classes=["ed-refused-raw"]))


def _load_sources_or_stop(app: Sphinx) -> None:
    """Load the sources before reading: a refused source (a symlink, a YAML bomb, an
    oversize file) stops the build with its file and line, not with a crash report."""
    from ..errors import EditionError
    from .exports import purge
    from .registry import get_sources

    try:
        get_sources(app.env)
    except EditionError as exc:
        for problem in exc.problems:
            warn(problem, "sources")
        purge(app)
        logger.error("%d problem(s) in the sources: the build stops before reading; nothing was written (no page, no export)", len(exc.problems))
        raise SystemExit(1) from None


def refuse_downloads_from_outside(app: Sphinx, doctree: nodes.document) -> None:
    """No page may publish a file from outside the source directory as a download.

    Runs before Sphinx registers the downloads of a page (priority 400 < 500), so a link
    that resolves outside ``docs/`` (``../../../etc/passwd``, or through a symlink) is never
    copied into the output; it stays as words, with a warning naming the page."""
    env = app.env
    srcdir = Path(env.srcdir).resolve()
    for node in list(doctree.findall(addnodes.download_reference)):
        target = str(node.get("reftarget", ""))
        _rel, filename = env.relfn2path(target, env.docname)
        resolved = Path(filename).resolve()
        if resolved == srcdir or srcdir in resolved.parents:
            continue
        logger.warning("link to %r would publish a file from outside the edition's sources: refused", target, location=node, type="edition", subtype="download")
        node.replace_self(nodes.inline("", "", *node.children))


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", refuse_downloads_from_outside, priority=400)
    app.connect("builder-inited", _load_sources_or_stop)
    app.connect("env-check-consistency", _report)
    app.connect("doctree-read", neutralise_raw_in_generated_pages)
    app.connect("doctree-resolved", neutralise_unsafe_links)
