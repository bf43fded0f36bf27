"""Render contributed annotation text safely, and report unsafe text in the build.

Contributed text (glossary descriptions, editorial notes) is MyST.  It is parsed only
when :func:`edition.safety.check_markup` finds nothing unsafe in it; otherwise it is shown
as literal text (which the writers escape) and the problem is reported at file and line
by the same check ``edition check`` runs.  After parsing, any raw node, image or link with
an unsafe target that slipped through is neutralised (defence in depth).
"""

from __future__ import annotations


from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

from ..contributed import check_contributed_text
from . import buildcache, dependencies
from ..safety import check_markup, is_safe_url
from .problems import warn


def sanitize(parsed: list[nodes.Node]) -> list[nodes.Node]:
    """Neutralise raw output, images and unsafe links in parsed nodes."""
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
    return [nodes.Text(n.astext()) if isinstance(n, nodes.raw) else n for n in parsed]


def parse_block(directive: SphinxDirective, text: str, source: str, offset: int) -> list[nodes.Node]:
    """Block-level contributed text as nodes (literal paragraph when unsafe)."""
    if check_markup(text):
        return [nodes.paragraph(text, text, classes=["ed-unsafe-text"])]
    return sanitize(nested_parse_to_nodes(directive.state, text, source=source, offset=offset))


def parse_inline(directive: SphinxDirective, text: str, lineno: int) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Inline contributed text as nodes (literal text when unsafe)."""
    if check_markup(text):
        return [nodes.Text(text)], []
    parsed, messages = directive.parse_inline(text, lineno=lineno)
    return sanitize(parsed), messages


def _report(app: Sphinx, env: BuildEnvironment) -> None:
    """Report unsafe text and unknown citation keys once per build, in the main process."""
    if dependencies.quiet(env):
        return
    for problem in check_contributed_text(buildcache.corpus(env)):
        warn(problem, "contributed")


def setup(app: Sphinx) -> None:
    app.connect("env-check-consistency", _report)
