"""The chronology in Sphinx: the ``{chronology}`` page, dated markers in the texts, exports.

* ``{chronology}`` (used once, in ``docs/chronology.md``) renders every event of the
  registry, grouped by period and sorted by the lower then the upper bound of its EDTF
  date, with links to the attesting paragraphs, the dates as each source gives them and
  notes where sources disagree.  Each event becomes an ``ed:event`` object (objects.inv).
  The page is built from standard docutils nodes, so the LaTeX builder can make it an
  appendix; the filters and the SVG timeline are HTML-only ``raw`` nodes, and LaTeX skips
  them (the list itself is the timeline's text alternative).
* :class:`EventMarkers` (priority 540) appends to each attesting paragraph or source note a
  small dated marker (``ed-event-marker``) linking to the entry.  It is a separate inline
  node at the end of the paragraph, so the editorial-note references (520) and glossary
  links (560) of other modules in the same paragraphs are not disturbed.
* ``chronology.json``, ``chronology.csv`` and ``chronology-timelinejs.json`` are written into
  the HTML output after every build.

Reading is parallel-safe (events are registered in the ``ed`` domain as plain data) and
incremental builds stay correct: every page that shows events depends on the registry
files, and the chronology page is re-written whenever any document changed.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from .. import chronology_export
from ..chronology import NOTE_ANCHOR, periods_of, Event, kinds
from ..chronology_timeline import render_legend, render_svg
from ..errors import Problem
from . import exports
from .chronology_data import get_events, note_dependencies, setup_config
from .domain import EditionDomain
from .paragraphs import current_document, register_label
from .registry import get_sources
from . import dependencies

logger = logging.getLogger(__name__)

EXPORTS = ("chronology.json", "chronology.csv", "chronology-timelinejs.json")


def warn_at_file_line(problem: Problem) -> None:
    """Emit a problem as a warning at ``path:line`` (relative to the project root).

    ``problems.warn`` passes ``(path, line)``, which Sphinx takes for a docname and turns
    into ``docs/<path>.rst``; a ``"path:line"`` string is printed as it is.
    """
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    location = f"{problem.path}:{problem.line}" if problem.line else f"{problem.path}:"
    logger.warning(message, location=location, type="edition", subtype="chronology")


def kind_class(kind: str) -> str:
    return "ed-kind-" + kind.replace(" ", "-")


def event_title(event: Event) -> str:
    """The title of the ``ed:event`` object: '4 November 1964: Paz Estenssoro flees …'."""
    return f"{event.date.words()}: {event.title}"


def _evidence_ref(anchor: str, docname: str) -> pending_xref:
    """A link to an attesting paragraph (or source note), titled like 'Mack 2025, ¶ 7'."""
    return pending_xref("", nodes.inline(anchor, anchor), refdomain="ed", reftype="ref", reftarget=anchor, refexplicit=False, refwarn=True, refdoc=docname)


def _short_titles(env: BuildEnvironment) -> dict[str, str]:
    return {doc_id: doc.meta["short_title"] for doc_id, doc in get_sources(env).items()}


def _document_order(env: BuildEnvironment, events: list[Event]) -> list[str]:
    """Documents that attest events, in the order of their own dates."""
    sources = get_sources(env)
    present = {d for e in events for d in e.documents}
    return sorted(present, key=lambda d: (sources[d].date.sort_key if d in sources else (None,), d))


class ChronologyDirective(SphinxDirective):
    """Render the whole chronology (filters, timeline, periods and events)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        events, problems, _ = get_events(self.env)
        note_dependencies(self.env)
        for problem in problems:
            warn_at_file_line(problem)
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        for event in events:
            domain.note_object(event.id, self.env.docname, "event", event_title(event))
            register_label(self.env, event.id, event_title(event))
        short = _short_titles(self.env)
        documents = _document_order(self.env, events)
        result: list[nodes.Node] = [
            self._downloads(),
            self._filters(events, documents, short),
            nodes.raw("", self._timeline(events), format="html"),
            self._summary_table(events),
        ]
        for period in periods_of(events):
            inside = [e for e in events if e.period == period]
            if inside:
                result.append(self._period_section(period, inside, short))
        return result

    def _downloads(self) -> nodes.paragraph:
        """Links to the data exports, relative to this page (they sit at the HTML root)."""
        up = "../" * self.env.docname.count("/")
        para = nodes.paragraph(classes=["ed-chronology-downloads"])
        para += nodes.Text("Data: ")
        for number, (name, label) in enumerate(zip(EXPORTS, ("JSON", "CSV", "TimelineJS JSON"))):
            if number:
                para += nodes.Text(", ")
            para += nodes.reference("", label, refuri=up + name)
        para += nodes.Text(" (written with the HTML edition).")
        return para

    # -- filters and timeline (HTML only) -----------------------------------------------

    def _filters(self, events: list[Event], documents: list[str], short: dict[str, str]) -> nodes.raw:
        """Radio buttons and CSS that filter by kind or document without JavaScript."""
        present = [k for k in kinds() if any(e.kind == k for e in events)]
        options = [("ed-filter-all", "", f"All events ({len(events)})")]
        options += [(f"ed-filter-{kind_class(k)[3:]}", kind_class(k), f"{k} ({sum(e.kind == k for e in events)})") for k in present]
        options += [(f"ed-filter-doc-{d}", f"ed-doc-{d}", f"{short.get(d, d)} ({sum(d in e.documents for e in events)})") for d in documents]
        inputs = "".join(
            f'<input type="radio" name="ed-chronology-filter" id="{oid}" class="ed-filter-input"{" checked" if not css else ""}>'
            for oid, css, _ in options
        )
        rules = []
        for oid, css, _ in options:
            rules.append(f'#{oid}:checked ~ .ed-chronology-filters label[for="{oid}"]{{background:var(--ed-badge-bg,#1a56c4);color:var(--ed-badge-fg,#fff);border-color:var(--ed-badge-bg,#1a56c4)}}')
            rules.append(f'#{oid}:focus-visible ~ .ed-chronology-filters label[for="{oid}"]{{outline:2px solid var(--color-brand-primary,#2962ff);outline-offset:2px}}')
            if css:
                rules.append(f"#{oid}:checked ~ section .ed-event:not(.{css}){{display:none}}")
                rules.append(f"#{oid}:checked ~ section.ed-period:not(:has(.{css})){{display:none}}")
                rules.append(f"#{oid}:checked ~ .ed-filter-status .ed-filter-status-all{{display:none}}")
        kind_labels = "".join(f'<label for="{oid}">{escape(text)}</label>' for oid, css, text in options if css.startswith("ed-kind-"))
        doc_labels = "".join(f'<label for="{oid}">{escape(text)}</label>' for oid, css, text in options if css.startswith("ed-doc-"))
        html = (
            f'<style id="ed-chronology-filter-rules">{"".join(rules)}</style>{inputs}'
            '<fieldset class="ed-chronology-filters"><legend>Show</legend>'
            f'<div class="ed-filter-group"><label for="ed-filter-all">{escape(options[0][2])}</label></div>'
            f'<div class="ed-filter-group"><span class="ed-filter-heading">By kind:</span> {kind_labels}</div>'
            f'<div class="ed-filter-group"><span class="ed-filter-heading">By document:</span> {doc_labels}</div>'
            "</fieldset>"
            '<p class="ed-filter-status"><span class="ed-filter-status-all">All events are shown.</span> '
            "Choose a kind or a document to show only its events; the filters work without JavaScript.</p>"
        )
        return nodes.raw("", html, format="html")

    def _timeline(self, events: list[Event]) -> str:
        return (
            '<figure class="ed-timeline">'
            + render_svg(events)
            + render_legend(events)
            + "<figcaption>Timeline of the events, 1952–2025. Each dot links to its entry; hover for the date and title. "
            "The list below is the text version of this timeline.</figcaption></figure>"
        )

    # -- standard docutils nodes (HTML and LaTeX) ------------------------------------------

    def _summary_table(self, events: list[Event]) -> nodes.table:
        """Events per period, as a table (also the PDF's overview in place of the timeline)."""
        table = nodes.table(classes=["ed-chronology-summary"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (50, 15, 35):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        body = nodes.tbody()
        group += body

        def row(cells: list[nodes.Node | str], into: nodes.Element) -> None:
            tr = nodes.row()
            for cell in cells:
                entry = nodes.entry()
                entry += nodes.paragraph("", "", cell if isinstance(cell, nodes.Node) else nodes.Text(cell))
                tr += entry
            into += tr

        row(["Period", "Events", "From – to"], head)
        for period in periods_of(events):
            inside = [e for e in events if e.period == period]
            if not inside:
                continue
            link = nodes.reference("", period.title, refid=period.slug)
            row([link, str(len(inside)), f"{inside[0].date.words()} – {inside[-1].date.words()}"], body)
        row(["All periods", str(len(events)), ""], body)
        title = nodes.title("", "Events per period")
        table.insert(0, title)
        return table

    def _period_section(self, period, events: list[Event], short: dict[str, str]) -> nodes.section:
        section = nodes.section(ids=[period.slug], names=[period.slug], classes=["ed-period"])
        section += nodes.title("", period.title)
        for event in events:
            section += self._event_node(event, short)
        return section

    def _event_node(self, event: Event, short: dict[str, str]) -> nodes.container:
        classes = ["ed-event", kind_class(event.kind), *(f"ed-doc-{d}" for d in event.documents)]
        box = nodes.container(classes=classes)
        box += nodes.target("", "", ids=[event.id])
        head = nodes.paragraph(classes=["ed-event-head"])
        head += nodes.strong("", event.date.words(), classes=["ed-event-date"])
        head += nodes.Text(" — ")
        head += nodes.inline("", event.title, classes=["ed-event-title"])
        head += nodes.Text(" ")
        head += nodes.inline("", event.kind, classes=["ed-event-kind"])
        box += head
        if event.description:
            box += nodes.paragraph("", event.description, classes=["ed-event-description"])
        evidence = nodes.paragraph(classes=["ed-event-evidence"])
        evidence += nodes.emphasis("", "Attested in: ")
        for number, attestation in enumerate(event.attestations):
            if number:
                evidence += nodes.Text("; ")
            evidence += _evidence_ref(attestation.anchor, self.env.docname)
            if attestation.date_given and attestation.date_given.text != event.date.text:
                evidence += nodes.Text(f" (gives {attestation.date_given.words()})")
        evidence += nodes.Text(".")
        box += evidence
        if event.reported:
            when, record = event.reported
            box += nodes.paragraph("", f"Known from {record}, dated {when.words()}.", classes=["ed-event-reported"])
        if event.participants:
            people = nodes.paragraph(classes=["ed-event-participants"])
            people += nodes.emphasis("", "Participants: ")
            for number, entity in enumerate(event.participants):
                if number:
                    people += nodes.Text(", ")
                people += pending_xref("", nodes.inline(entity, entity), refdomain="ed", reftype="ref", reftarget=entity, refexplicit=False, refwarn=True, refdoc=self.env.docname)
            box += people
        if event.disagreement:
            note = nodes.container(classes=["ed-event-disagreement"])
            para = nodes.paragraph()
            para += nodes.strong("", "Sources disagree. ")
            para += nodes.Text(event.disagreement)
            note += para
            box += note
        if event.note:
            para = nodes.paragraph(classes=["ed-event-note"])
            para += nodes.emphasis("", "Editor's note: ")
            para += nodes.Text(event.note)
            box += para
        return box


def one_per_date(events: list[Event]) -> list[Event]:
    """The first event of each date: two events of one day at one paragraph show one date
    marker (it leads to the chronology, where the events of that day stand together)."""
    seen: set[str] = set()
    out = []
    for event in events:
        words = event.date.words()
        if words not in seen:
            seen.add(words)
            out.append(event)
    return out


class EventMarkers(SphinxTransform):
    """Append a dated marker linking to the chronology to every attesting paragraph or note."""

    default_priority = 540

    def apply(self, **kwargs: Any) -> None:
        if current_document(self.env) is None:
            return
        events, _, index = get_events(self.env)
        # No dependency on every events file and source: dependencies.py re-reads the pages
        # whose attesting events changed.
        for paragraph in list(self.document.findall(nodes.paragraph)):
            for anchor in paragraph["ids"]:
                for event in one_per_date(index.by_anchor.get(anchor, [])):
                    paragraph += self._marker(event)
        for footnote in list(self.document.findall(nodes.footnote)):
            anchors = [a for a in (*footnote["ids"], *footnote["names"]) if NOTE_ANCHOR.match(a)]
            paragraphs = [p for p in footnote.findall(nodes.paragraph)]
            for anchor in dict.fromkeys(anchors):
                for event in one_per_date(index.by_anchor.get(anchor, [])):
                    if paragraphs:
                        paragraphs[-1] += self._marker(event)

    def _marker(self, event: Event) -> nodes.inline:
        words = event.date.words()
        link = pending_xref("", nodes.Text(words), refdomain="ed", reftype="ref", reftarget=event.id, refexplicit=True, refwarn=True, refdoc=self.env.docname)
        return nodes.inline("", " ", link, classes=["ed-event-marker"])


def shorten_marker_titles(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A marker's link shows the event's date; its title need not repeat it ("22 January 2006:
    Evo Morales takes office" → "Evo Morales takes office").  Long pages carry dozens of
    markers, and the page-weight budget of the reading issue counts every byte."""
    for marker in doctree.findall(nodes.inline):
        if "ed-event-marker" not in marker["classes"]:
            continue
        for ref in marker.findall(nodes.reference):
            title, words = ref.get("reftitle", ""), ref.astext()
            if title.startswith(words + ": "):
                ref["reftitle"] = title[len(words) + 2:]


def resolve_source_notes(app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element) -> nodes.Element | None:
    """Link ``<doc>-n<k>`` to a FRUS source note even when no module registered notes."""
    if node.get("refdomain") != "ed":
        return None
    match = NOTE_ANCHOR.match(node.get("reftarget", ""))
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    if not match or match["doc"] not in domain.documents:
        return None
    info = domain.documents[match["doc"]]
    title = f"{info['short_title']}, note {match['number']}"
    content = contnode if node.get("refexplicit") else nodes.inline(title, title, classes=["xref", "ed", "ed-source-note"])
    return make_refnode(app.builder, node["refdoc"], info["docname"], node["reftarget"], content, title)


def chronology_docnames(env: BuildEnvironment) -> list[str]:
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    return sorted({docname for docname, objtype, _ in domain.objects.values() if objtype == "event"})


def rewrite_chronology(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The chronology shows titles of paragraphs from other pages: re-write it on every build
    (unless nothing changed at all)."""
    if dependencies.quiet(env):
        return []
    return [d for d in chronology_docnames(env) if d in env.all_docs]


def _anchor_links(app: Sphinx):
    env = app.env
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]

    def docname_of(anchor: str) -> str | None:
        if anchor in domain.objects:
            return domain.objects[anchor][0]
        match = NOTE_ANCHOR.match(anchor)
        if match and match["doc"] in domain.documents:
            return domain.documents[match["doc"]]["docname"]
        return None

    def url_of(anchor: str) -> str:
        docname = docname_of(anchor)
        return f"{app.builder.get_target_uri(docname)}#{anchor}" if docname else ""

    def title_of(anchor: str) -> str:
        if anchor in domain.objects:
            return domain.objects[anchor][2]
        match = NOTE_ANCHOR.match(anchor)
        if match and match["doc"] in domain.documents:
            return f"{domain.documents[match['doc']]['short_title']}, note {match['number']}"
        return anchor

    return url_of, title_of


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """Write the chronology as JSON, CSV and TimelineJS JSON into the HTML output."""
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":  # web files, not the book's
        return
    if dependencies.quiet(app.env) and (Path(app.outdir) / "chronology.json").exists():
        return
    events, _, _ = get_events(app.env)
    url_of, title_of = _anchor_links(app)
    outdir = exports.staging_dir(app)  # published by exports.publish after a clean build only
    title = app.config.project
    files = {
        "chronology.json": chronology_export.to_json(events, url_of, title_of, url_of, title),
        "chronology.csv": chronology_export.to_csv(events, url_of, title_of, url_of),
        "chronology-timelinejs.json": chronology_export.to_timelinejs(events, url_of, title_of, url_of, title),
    }
    for name, text in files.items():
        path = outdir / name
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", shorten_marker_titles)
    exports.register(*EXPORTS)
    setup_config(app)
    app.add_directive("chronology", ChronologyDirective)
    app.add_transform(EventMarkers)
    app.connect("missing-reference", resolve_source_notes)
    app.connect("env-get-updated", rewrite_chronology)
    app.connect("build-finished", write_exports)
