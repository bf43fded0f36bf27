"""The reading layer of the HTML edition: template overrides and reading aids.

* ``templates/`` overrides small parts of the furo theme (accessibility repairs, upstream
  style: the same markup with the missing attributes), registered before the theme's own.
* ``edition-reading.js`` brings a landed paragraph's start into view, makes closed drawers
  inert and repairs what the templates cannot reach.  The site works without it.
"""

from __future__ import annotations

import re
from pathlib import Path

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .cite import cite_box
from .omissions import omission

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _add_templates_path(app: Sphinx, config) -> None:
    """At config-inited, like the static path, so an incremental build stays incremental."""
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES_DIR))


class OmissionsBeforeTheTitle(SphinxPostTransform):
    """On the web page, an omission that precedes a document's title (lines of the copy
    above its headline: a site's name, a library's label) is shown after the header box and
    the document's cite box, not above the title: the page opens with its title.  The mark
    says what was omitted and where it stood; the print and EPUB editions keep the copy's order.
    """

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if self.app.builder.name == "epub":
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or section.parent is not self.document:
            return
        leading = []
        for child in self.document.children[: self.document.index(section)]:
            if isinstance(child, omission):
                leading.append(child)
        if not leading:
            return
        box = next((n for n in section.findall(cite_box) if n["number"] is None), None)
        anchor = box if box is not None else next(iter(section.findall(nodes.title)), None)
        if anchor is None or anchor.parent is None:
            return
        position = anchor.parent.index(anchor) + 1
        for node in leading:
            node["classes"].append("ed-omission-before-title")
            self.document.remove(node)
            anchor.parent.insert(position, node)
            position += 1


def setup(app: Sphinx) -> None:
    app.add_post_transform(OmissionsBeforeTheTitle)
    app.connect("config-inited", _add_templates_path)
    app.add_js_file("edition-reading.js", loading_method="defer")
    app.connect("html-page-context", repair_body)


#: docutils' bibliography markup that axe reports: a role="list" whose children are not all
#: list items (critical: aria-required-children), and the deprecated doc-biblioentry role.
#: The lists stay lists to the eye; their entries are plain groups with their own labels.
_BODY_REPAIRS = (
    ('<div role="list" class="citation-list">', '<div class="citation-list">'),
    (' role="doc-biblioentry"', ""),
)


#: furo wraps a table in a <div class="table-wrapper"> that repeats the table's id (a
#: duplicate id for the Nu checker and for every link to the table): the table keeps it.
_WRAPPER_ID = re.compile(r'(<div class="table-wrapper[^"]*") id="([^"]+)"(>\s*<table[^>]*\bid="\2")')
#: A <style> element in the body (the chronology's filter rules) is invalid there: it moves
#: to the head, where it applies just the same.
_BODY_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S)


def repair_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Apply :data:`_BODY_REPAIRS` to a page's body (HTML builders other than the EPUB)."""
    if app.builder.format != "html" or app.builder.name == "epub" or "body" not in context:
        return
    body = context["body"]
    for old, new in _BODY_REPAIRS:
        body = body.replace(old, new)
    body = _WRAPPER_ID.sub(r"\1\3", body)
    styles = _BODY_STYLE.findall(body)
    if styles:
        body = _BODY_STYLE.sub("", body)
        context["metatags"] = context.get("metatags", "") + "\n".join(styles) + "\n"
    context["body"] = body
