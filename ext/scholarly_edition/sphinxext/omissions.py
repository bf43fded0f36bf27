"""Declared omissions and images not reproduced: visible editorial marks.

Nothing of a source disappears silently.  Web-page chrome the edition leaves out of the
reading text is shown as "[omitted: publisher's donation appeal, 3 lines]", and the
omitted text stays on the page: collapsed in HTML (``<details>``), in small type in
print.  The directive's content is taken literally, never parsed as markup.

An omission made after a release keeps the paragraph numbers of the lines it leaves out
(option ``:paragraphs:``, written by the converter): each ``<doc>-p<n>`` stays a citable
paragraph anchor that leads to the omission mark, and no later paragraph is renumbered.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .domain import EditionDomain
from .paragraphs import current_document, register_label


class omission(nodes.General, nodes.Element):
    """An omitted passage: the mark is shown, the text is kept but collapsed."""


def omission_mark(node: omission) -> str:
    count = node["lines"]
    unit = "line" if count == 1 else "lines"
    return f"[omitted: {node['reason']}, {count} {unit}]"


def literal_paragraphs(lines: list[str], classes: list[str]) -> list[nodes.paragraph]:
    """One paragraph per non-empty line, text taken as it is."""
    return [nodes.paragraph(line.strip(), line.strip(), classes=classes) for line in lines if line.strip()]


class OmissionDirective(SphinxDirective):
    """```{omission} reason`` with the omitted text as content."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"name": directives.unchanged_required, "lines": directives.nonnegative_int, "source-line": directives.nonnegative_int,
                   "paragraphs": directives.positive_int_list}

    def run(self) -> list[nodes.Node]:
        lines = list(self.content)
        node = omission(
            reason=self.arguments[0],
            lines=self.options.get("lines", len([l for l in lines if l.strip()])),
            source_line=self.options.get("source-line", 0),
            ids=[self.options["name"]] if "name" in self.options else [],
            classes=["ed-omission"],
        )
        node += literal_paragraphs(lines, ["ed-omitted-text"])
        self.set_source_info(node)
        if node["ids"]:
            document = current_document(self.env)
            title = f"{document['short_title'] if document else self.env.docname}: {omission_mark(node)}"
            domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
            domain.note_object(node["ids"][0], self.env.docname, "omission", title, node)
            register_label(self.env, node["ids"][0], title)
            node["kept_numbers"] = list(self.options.get("paragraphs", []))
            short = document["short_title"] if document else self.env.docname
            doc_id = document["id"] if document else self.env.docname.rsplit("/", 1)[-1]
            for number in node["kept_numbers"]:
                anchor = f"{doc_id}-p{number}"
                node["ids"].append(anchor)
                kept_title = f"{short}, ¶ {number} (omitted: {node['reason']})"
                domain.note_object(anchor, self.env.docname, "paragraph", kept_title, node)
                register_label(self.env, anchor, kept_title)
        return [node]


class ImageNotReproducedDirective(SphinxDirective):
    """```{image-not-reproduced}`` with the caption or credit of the source as content."""

    has_content = True
    option_spec = {"name": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["ed-image-not-reproduced"], ids=[self.options["name"]] if "name" in self.options else [])
        container += nodes.paragraph("", "[image not reproduced]", classes=["ed-editorial", "ed-image-placeholder"])
        container += literal_paragraphs(list(self.content), ["ed-caption"])
        self.set_source_info(container)
        return [container]


def visit_omission_html(self, node: omission) -> None:
    self.body.append(self.starttag(node, "details", "", CLASS="ed-omission"))
    self.body.append(f'<summary class="ed-editorial">{self.encode(omission_mark(node))}</summary>\n')
    self.body.append('<div class="ed-omitted" aria-label="omitted text">\n')


def depart_omission_html(self, node: omission) -> None:
    self.body.append("</div></details>\n")


def visit_omission_latex(self, node: omission) -> None:
    self.body.append("\n\\begin{edomission}{%s}\n" % self.encode(omission_mark(node)))


def depart_omission_latex(self, node: omission) -> None:
    self.body.append("\n\\end{edomission}\n")


def visit_omission_text(self, node: omission) -> None:
    self.new_state(0)
    self.add_text(omission_mark(node))
    self.end_state()
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(
        omission,
        html=(visit_omission_html, depart_omission_html),
        latex=(visit_omission_latex, depart_omission_latex),
        text=(visit_omission_text, None),
    )
    app.add_directive("omission", OmissionDirective)
    app.add_directive("image-not-reproduced", ImageNotReproducedDirective)
