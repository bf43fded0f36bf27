"""The glossary in Sphinx: linked mentions with previews, entries with back-references, index, JSON.

Reading (per document, parallel-safe):
  * ``LinkMentions`` (transform, priority 560 — after editorial-note references at 520 and
    chronology markers at 540) matches the registry's aliases in the reading text of every
    paragraph, byline, caption and source note of an edition document, and wraps each match
    in an ``entity_mention`` node; the index entries of a block's mentions share one index
    node, put back before each mention for print (``MENTION_INDEX``).  It never looks inside ¶
    numbers, page-break marks, references, footnote labels, titles, the header box or
    omissions, and copes with text split over several Text nodes by other transforms.
    Mentions are stored as plain tuples in the ``ed`` domain's data, per docname.
  * ``{edition-glossary} <kind>`` renders the entries of one kind, A–Z, each at the
    permanent anchor of its id, and registers them as ``ed:entity`` objects (objects.inv).

Writing: on ``doctree-resolved``, ``GlossaryResolver`` fills the back-references of each entry from the mentions
collected in all documents, and links each mention to its entry.  ``env-get-updated``
returns the glossary pages, so they are rewritten whenever a mention, a title or an
annotation changed (the bug of sphinx.ext.todo, sphinx#9706, avoided), and not after an
edit that changes none of them (``_glossary_inputs``).  ``build-finished`` writes the registry
with its mentions to ``data/glossary.json``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import string
from pathlib import Path
from typing import Any, Iterable, Iterator

from docutils import nodes
from docutils.nodes import Element, Node
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.index_entries import split_index_msg
from sphinx.util.nodes import make_refnode

from . import buildcache, dependencies
from .buildcache import content_hash, per_build
from ..fileio import write_atomic
from ..glossary import KIND_TITLES, KINDS, Entity, Matcher, Registry, block_label, check_registry, entity_files, fold, load_registry
from . import safe_markup
from .domain import EditionDomain
from .omissions import omission
from .paragraphs import current_document, paragraph_number
from .problems import warn
from .registry import get_sources, sources_dir

logger = logging.getLogger(__name__)

MENTIONS_KEY = "entity_mentions"  # in the ed domain's data: docname -> [mention tuples]


# --- nodes -----------------------------------------------------------------------------


class entity_mention(nodes.inline):
    """A linked mention of an entity; HTML shows a preview of its description on hover and focus."""


class entity_backrefs(nodes.General, nodes.Element):
    """Placeholder in a glossary entry, filled with its mentions when the page is written."""


class anchor_ref(nodes.Inline, nodes.Element):
    """Placeholder for a link to a paragraph, note or caption anchor, resolved when written."""


# --- the registry as seen from Sphinx --------------------------------------------------


def entities_dir(env: BuildEnvironment) -> Path:
    return (Path(env.srcdir) / env.config.edition_entities_dir).resolve()


def project_root(env: BuildEnvironment) -> Path:
    """The project root, from which problems name files (``docs/annotations/...``)."""
    return Path(env.srcdir).resolve().parent


def _signature(env: BuildEnvironment) -> tuple:
    """The registry files' names and a hash of their contents (computed once per build)."""
    def compute() -> tuple:
        files = entity_files(entities_dir(env))
        return (tuple(p.name for p in files), content_hash(files))

    return per_build(env, "glossary signature", compute)


def get_registry(env: BuildEnvironment) -> tuple[Registry, Matcher]:
    """The registry and its matcher, loaded once per build (not stored in the pickled environment)."""
    def load() -> tuple[Registry, Matcher]:
        registry = load_registry(entities_dir(env), project_root(env))
        return registry, Matcher(registry)

    return per_build(env, "glossary registry", load)


def _report_problems(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Check the registry against the texts, once per change, before documents are read.

    Runs in the main process before parallel reading, so each problem is reported once, at
    its file and line, exactly as ``edition check`` reports it.
    """
    if dependencies.quiet(env):
        return
    registry, _ = get_registry(env)
    source_signature = content_hash(sorted(sources_dir(env).glob("*")))
    key = (_signature(env), source_signature)
    if getattr(env, "_edition_glossary_checked", None) == key:
        return
    corpus = buildcache.corpus(env)
    problems = check_registry(registry, corpus)
    for problem in problems:
        warn(problem, "glossary")
    # Remember a clean check only: problems are reported again by every build until fixed.
    env._edition_glossary_checked = None if problems else key  # type: ignore[attr-defined]


def _outdated_by_registry(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """When a registry file is added, removed or edited, re-read every page that uses it."""
    signature = _signature(env)
    previous = getattr(env, "_edition_glossary_read_signature", None)
    env._edition_glossary_read_signature = signature  # type: ignore[attr-defined]
    if previous is None or previous == signature:
        return []
    # Document pages: only those that mention an edited entity (dependencies.py).
    return sorted(p for p in glossary_pages(env) if p in env.found_docs)


# --- mention data (plain tuples in the ed domain's data) ---------------------------------

# (entity id, doc id, block anchor, block label, mention id)
MentionRecord = tuple[str, str, str, str, str]


def mention_store(env: BuildEnvironment) -> dict[str, list[MentionRecord]]:
    return env.get_domain("ed").data.setdefault(MENTIONS_KEY, {})


def _purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    mention_store(env).pop(docname, None)


def _merge_info(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    # ``other`` is an unpickled worker environment without domain objects: read its raw data.
    theirs = other.domaindata.get("ed", {}).get(MENTIONS_KEY, {})
    ours = mention_store(env)
    for docname in docnames:
        if docname in theirs:
            ours[docname] = theirs[docname]


def glossary_pages(env: BuildEnvironment) -> set[str]:
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    return {docname for docname, objtype, _ in domain.objects.values() if objtype == "entity"}


#: Beside the doctrees: what the glossary pages were last written from (see :func:`_glossary_inputs`).
WRITTEN = "edition-glossary-written.txt"


def _glossary_pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Back-references come from every document: rewrite the glossary when what it shows changed.

    Why not after every change: a glossary page holds every back-reference of the edition
    and is the costliest page to write (a third of an incremental build at 200 documents).
    An edit that changes no mention, title or annotation leaves it as it is; Sphinx still
    rewrites it when the page itself was read again.  After a build that ended with a
    warning or an error nothing is remembered, so the next build rewrites it (and reports
    again what writing it reports).
    """
    if dependencies.quiet(env):
        return []
    pages = sorted(glossary_pages(env))
    if pages and _last_written(app) == _written_key(app):
        return []
    # Forget the last inputs until this build ends well: a build stopped while writing
    # (Ctrl-C) must not leave a record that a half-written glossary is current.
    (Path(app.doctreedir) / WRITTEN).unlink(missing_ok=True)
    return pages


def _glossary_inputs(env: BuildEnvironment) -> str:
    """A hash of all that a glossary page shows beyond its own text: the mentions (with their
    documents' titles and pages), every page's title (navigation), every annotation file, the
    other files at the top of the source directory (the bibliography its descriptions cite)
    and the configuration values of the edition and of HTML.  Computed once per build, after
    reading.  Only the document pages are left out: what they give the glossary is above."""
    def compute() -> str:
        domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
        src = Path(env.srcdir)
        annotations = src / "annotations"
        files = sorted(p for p in src.glob("*") if p.is_file())
        files += sorted(p for p in annotations.rglob("*") if p.is_file()) if annotations.is_dir() else []
        config = sorted((name, repr(env.config[name])) for name in dir(env.config)
                        if name.startswith(("edition_", "html_")) or name in ("project", "release", "version", "language", "root_doc"))
        titles = sorted((docname, title.astext()) for docname, title in env.titles.items())
        documents = sorted((doc_id, repr(info)) for doc_id, info in domain.documents.items())
        state = repr((sorted(all_mentions(env).items()), documents, titles, sorted(env.found_docs), config))
        return content_hash(files) + hashlib.blake2b(state.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()

    return per_build(env, "glossary inputs", compute)


def _written_key(app: Sphinx) -> str:
    return f"{app.builder.name}\n{app.outdir}\n{_glossary_inputs(app.env)}"


def _last_written(app: Sphinx) -> str | None:
    try:
        return (Path(app.doctreedir) / WRITTEN).read_text("utf-8")
    except OSError:
        return None


def _record_written(app: Sphinx, exception: Exception | None) -> None:
    """Remember what the glossary pages were written from, after a build without a warning."""
    path = Path(app.doctreedir) / WRITTEN
    if exception is None and getattr(app, "_warncount", 1) == 0 and glossary_pages(app.env) and not dependencies.quiet(app.env):
        write_atomic(path, _written_key(app))
    elif exception is not None or getattr(app, "_warncount", 1) != 0:
        path.unlink(missing_ok=True)


# --- linking mentions ------------------------------------------------------------------

#: Nodes whose text is never searched for mentions.
SKIP_NODES: tuple[type[Node], ...] = (
    paragraph_number,
    nodes.reference,
    addnodes.pending_xref,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.label,
    nodes.title,
    nodes.rubric,
    nodes.literal,
    nodes.raw,
    nodes.target,
    nodes.substitution_reference,
    nodes.math,
    addnodes.index,
    omission,
    entity_mention,
)
SKIP_CLASSES = {"ed-page-break", "ed-pnum", "ed-editorial", "ed-docheader"}


LINK_ATTRIBUTES = ("refuri", "refid", "reftarget", "refname")


def _skipped(node: Node) -> bool:
    """Never link inside links, labels, marks or another apparatus's reference nodes."""
    if isinstance(node, SKIP_NODES):
        return True
    if isinstance(node, Element):
        return bool(SKIP_CLASSES & set(node.get("classes", []))) or any(node.get(a) for a in LINK_ATTRIBUTES)
    return False


def eligible_text(node: Element) -> Iterator[nodes.Text]:
    """The Text nodes of a block that a reader reads as running text, in order."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield child
        elif isinstance(child, Element) and not _skipped(child):
            yield from eligible_text(child)


def text_runs(block: Element) -> list[list[nodes.Text]]:
    """Adjacent sibling Text nodes grouped: a name never spans other inline markup.

    Why a walk of its own rather than grouping :func:`eligible_text`: siblings are told
    apart by identity here.  ``Element.index`` compares children with ``==``, and a Text
    node is a string, so two equal Text siblings (", " twice in a paragraph) were confused,
    and each lookup scanned the parent's children again.
    """
    runs: list[list[nodes.Text]] = []

    def walk(element: Element) -> None:
        run: list[nodes.Text] | None = None
        for child in element.children:
            if isinstance(child, nodes.Text):
                if run is None:
                    run = []
                    runs.append(run)
                run.append(child)
            else:
                run = None
                if isinstance(child, Element) and not _skipped(child):
                    walk(child)

    walk(block)
    return runs


def linkable_blocks(document: nodes.document, doc_id: str) -> Iterator[tuple[str, Element]]:
    """(anchor, element) for each paragraph, byline, caption and source note of the page."""
    own = re.compile(rf"^{re.escape(doc_id)}-(p\d+|byline|n\d+|fig\d+)$")
    for node in document.findall(Element):
        anchors = [i for i in node.get("ids", []) if own.match(i)]
        if not anchors:
            continue
        anchor = anchors[0]
        if isinstance(node, nodes.paragraph):
            yield anchor, node
        elif isinstance(node, nodes.footnote):
            for paragraph in node.findall(nodes.paragraph):
                yield anchor, paragraph
        elif isinstance(node, nodes.container):
            for paragraph in node.findall(nodes.paragraph):
                if "ed-caption" in paragraph["classes"]:
                    yield anchor, paragraph


#: Class of the index node that holds the index entries of all mentions of one block.
#: HTML needs only the entries (the index page and the search index read them, in the
#: same order); print needs each entry where its mention stands, for the page number in the
#: index of names, so :func:`expand_mention_indexes` puts them back there when a page is
#: written by a builder other than HTML.
MENTION_INDEX = "ed-mention-index"


def _valid_entry(entry: tuple[str, str, str, str, str | None]) -> bool:
    return _valid_index_value(entry[0], entry[1])


@functools.lru_cache(maxsize=4096)
def _valid_index_value(entry_type: str, value: str) -> bool:
    """Whether Sphinx accepts the entry (checked once per entity, not per mention)."""
    try:
        split_index_msg(entry_type, value)
    except ValueError:
        return False
    return True


def _insert_before(node: Element, new: Node) -> None:
    # ``index`` compares with ``==``, which is identity for an Element (not for a Text node).
    node.parent.insert(node.parent.index(node), new)


def expand_mention_indexes(doctree: nodes.document) -> None:
    """One index node before each mention, as print needs them (see :data:`MENTION_INDEX`)."""
    blocks = [node for node in doctree.findall(addnodes.index) if MENTION_INDEX in node["classes"]]
    if not blocks:
        return
    by_id = {node["ids"][0]: node for node in doctree.findall(entity_mention) if node.get("ids")}
    for block_index in blocks:
        kept = []
        for entry in block_index["entries"]:
            mention = by_id.get(entry[2])
            if mention is None:
                kept.append(entry)
            else:
                _insert_before(mention, addnodes.index(entries=[entry], inline=True))
        if kept:
            block_index["entries"] = kept
        else:
            block_index.parent.remove(block_index)


class LinkMentions(SphinxTransform):
    """Find the mentions of registered entities in an edition document and link them."""

    default_priority = 560

    def apply(self, **kwargs: Any) -> None:
        registry, matcher = get_registry(self.env)
        document = current_document(self.env)
        store = mention_store(self.env)
        records: list[MentionRecord] = []
        if document is not None and registry.entities:
            # No dependency on the registry files: dependencies.py re-reads exactly the pages
            # that mention an edited entity.
            for anchor, block in linkable_blocks(self.document, document["id"]):
                records += self._link_block(registry, matcher, document["id"], anchor, block)
        records += self._number_role_mentions(registry, records)
        if records:
            store[self.env.docname] = records
        else:
            store.pop(self.env.docname, None)

    def _link_block(self, registry: Registry, matcher: Matcher, doc_id: str, anchor: str, block: Element) -> list[MentionRecord]:
        """Link the mentions of one block; return their records.

        Why it is shaped so: it runs for every paragraph of every page (17,000 mentions at
        200 documents), so each run's text is joined once, and the spans that exclusions and
        explicit mentions block are computed once per block.  The index entries of the
        block's mentions go into one index node (see :data:`MENTION_INDEX`), not one node
        per mention: the doctrees stay in memory from reading to writing, and 17,000 nodes
        of eight containers each made every collection of the garbage collector slower.
        """
        runs = text_runs(block)
        texts = ["".join(run) for run in runs]
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text)
        explicit, excluded = registry.selectors(anchor)
        found: list[tuple[int, int, str]] = []  # (start, end, entity id) in the block's text
        spans: list[tuple[int, int]] = []
        if explicit or excluded:
            stream = "".join(texts)
            spans = [(h, h + len(sel.quote)) for sel in excluded for h in sel.locate(stream)[:1]]
            found = [(h, h + len(sel.quote), eid) for eid, sel in explicit for h in sel.locate(stream)[:1]]
            spans += [(s, e) for s, e, _ in found]
        for text, start in zip(texts, starts):
            for entity_id, s, e in matcher.spans(doc_id, text):
                s, e = s + start, e + start
                if not spans or not any(s < be and bs < e for bs, be in spans):
                    found.append((s, e, entity_id))
        records: list[MentionRecord] = []
        found.sort(key=lambda m: m[0])
        label = block_label(anchor)
        for run, text, start in reversed(list(zip(runs, texts, starts))):
            end = start + len(text)
            inside = [m for m in found if start <= m[0] and m[1] <= end]
            if inside:
                self._rewrite_run(registry, run, text, start, inside)
        # Ids name the block and the entity ("mack-2025-p7-barrientos-rene", "...-2" for a second
        # mention), so they survive edits of other entries; numbered in reading order.
        seen: dict[str, int] = {}
        block_index: addnodes.index | None = None
        for mention_node in list(block.findall(entity_mention)):
            if mention_node.get("ids"):
                continue
            entity = registry.entities[mention_node["entity"]]
            seen[entity.id] = seen.get(entity.id, 0) + 1
            mid = f"{anchor}-{entity.id}" + (f"-{seen[entity.id]}" if seen[entity.id] > 1 else "")
            mention_node["ids"] = [mid]
            entry = ("single", entity.sort, mid, "", None)
            if not _valid_entry(entry):  # Sphinx drops an invalid node with a warning: this mention's alone
                _insert_before(mention_node, addnodes.index(entries=[entry], inline=True))
            else:
                if block_index is None:  # where the block's first index entry stood
                    block_index = addnodes.index(entries=[], inline=True, classes=[MENTION_INDEX])
                    _insert_before(mention_node, block_index)
                block_index["entries"].append(entry)
            records.append((entity.id, doc_id, anchor, label, mid))
        return records

    def _rewrite_run(self, registry: Registry, run: list[nodes.Text], text: str, start: int, mentions: list[tuple[int, int, str]]) -> None:
        """Replace a run of Text nodes by text and mention nodes (the same text in all)."""
        parent = run[0].parent
        pieces: list[Node] = []
        cursor = 0
        for m_start, m_end, entity_id in mentions:
            s, e = m_start - start, m_end - start
            if s < cursor:
                continue
            if s > cursor:
                pieces.append(nodes.Text(text[cursor:s]))
            pieces.append(make_mention(registry.entities[entity_id], text[s:e]))
            cursor = e
        if cursor < len(text):
            pieces.append(nodes.Text(text[cursor:]))
        children = parent.children
        first = next(i for i, child in enumerate(children) if child is run[0])  # by identity: see text_runs
        parent[first:first + len(run)] = pieces

    def _number_role_mentions(self, registry: Registry, records: list[MentionRecord]) -> list[MentionRecord]:
        """Mentions made with the ``{entity}`` role outside the linked blocks: id, index, record."""
        extra: list[MentionRecord] = []
        for number, node in enumerate(self.document.findall(entity_mention), start=1):
            if node.get("ids") or node["entity"] not in registry.entities:
                continue
            holder = node.parent
            while holder is not None and not holder.get("ids"):
                holder = holder.parent
            anchor = holder["ids"][0] if holder is not None else ""
            mid = f"{anchor or 'entity'}-r{number}"
            node["ids"] = [mid]
            entity = registry.entities[node["entity"]]
            node.parent.insert(node.parent.index(node), addnodes.index(entries=[("single", entity.sort, mid, "", None)], inline=True))
            document = current_document(self.env)
            label = block_label(anchor) if document and anchor else ""  # other pages are cited by title
            extra.append((entity.id, document["id"] if document else "", anchor, label, mid))
        return extra


def make_mention(entity: Entity, text: str) -> entity_mention:
    """An unresolved mention node: the entity's id, and its headword and preview (the EPUB's link title).

    ``entity.preview`` is computed once per entity, so the mentions of a page share one
    string, which the doctree's pickle then stores once.
    """
    node = entity_mention(text, text, classes=["ed-mention", f"ed-{entity.kind}"], entity=entity.id, headword=entity.headword, preview=entity.preview)
    if entity.lang and name_form(text) in _own_name_forms(entity.sort, entity.headword):
        node["lang"] = entity.lang  # the name in its own language, not an abbreviation or a translation
    return node


@functools.lru_cache(maxsize=4096)
def _own_name_forms(sort: str, headword: str) -> frozenset[str]:
    """The forms of an entity's own name (sort key, headword without a gloss in parentheses),
    computed once per entity, not once per mention."""
    return frozenset({name_form(sort), name_form(re.sub(r"\s*\(.*\)$", "", headword))})


def name_form(text: str) -> str:
    """A name compared loosely: accents, case and curly apostrophes aside."""
    return fold(text).casefold().replace("’", "'")


class EntityRole(SphinxRole):
    """``{entity}`text <id>``: a mention the matcher cannot find, in pages the edition writes."""

    def run(self) -> tuple[list[Node], list[nodes.system_message]]:
        match = re.match(r"^(.*?)\s*<([a-z0-9-]+)>$", self.text, re.S)
        text, entity_id = (match.group(1), match.group(2)) if match else (self.text, "")
        registry, _ = get_registry(self.env)
        for path in registry.files:
            self.env.note_dependency(str(path))
        entity = registry.entities.get(entity_id)
        if entity is None:
            message = f"unknown entity {entity_id!r} in {{entity}} role" if entity_id else "the {entity} role needs `text <entity-id>`"
            return [nodes.Text(text)], [self.inliner.reporter.warning(message, line=self.lineno)]
        return [make_mention(entity, text or entity.headword)], []


# --- the glossary page ---------------------------------------------------------------


def _date_words(entity: Entity) -> str:
    from .. import dates

    if not entity.dates:
        return ""
    if "/" in entity.dates:
        low, high = entity.dates.split("/", 1)
        return f"{dates.describe(low)}–{dates.describe(high)}"
    return dates.describe(entity.dates)


class GlossaryDirective(SphinxDirective):
    """``{edition-glossary} person``: the entries of one kind, A–Z, with back-references."""

    required_arguments = 1

    def run(self) -> list[Node]:
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"unknown kind {kind!r} (use one of: {', '.join(KINDS)})")
        registry, _ = get_registry(self.env)
        for path in registry.files:
            self.env.note_dependency(str(path))
        entities = registry.by_kind(kind)
        domain: EditionDomain = self.env.get_domain("ed")  # type: ignore[assignment]
        box = nodes.container(classes=["ed-glossary", f"ed-glossary-{kind}"])
        letters: dict[str, list[Entity]] = {}
        for entity in entities:
            letters.setdefault(entity.initial, []).append(entity)
        box += self._az_nav(kind, letters)
        for letter, group in letters.items():
            box += nodes.rubric(letter, letter, ids=[f"{kind}-{letter.lower()}"], classes=["ed-glossary-letter"])
            for entity in group:
                box += self._entry(entity)
                domain.note_object(entity.id, self.env.docname, "entity", entity.headword)
        return [box]

    def _az_nav(self, kind: str, letters: dict[str, list[Entity]]) -> nodes.paragraph:
        nav = nodes.paragraph(classes=["ed-az"])
        nav += nodes.inline("", f"{KIND_TITLES[kind]} A–Z: ", classes=["ed-az-label"])
        for letter in [*string.ascii_uppercase, *sorted(set(letters) - set(string.ascii_uppercase))]:
            if letter in letters:
                nav += nodes.reference(letter, letter, refid=f"{kind}-{letter.lower()}", reftitle=f"{KIND_TITLES[kind]}: {letter}")
            else:
                nav += nodes.inline(letter, letter, classes=["ed-az-empty"])
            nav += nodes.Text(" ")
        return nav

    def _entry(self, entity: Entity) -> nodes.container:
        entry = nodes.container(ids=[entity.id], classes=["ed-entry", f"ed-entry-{entity.kind}"])
        head = nodes.paragraph(classes=["ed-entry-head"])
        head += nodes.strong(entity.headword, entity.headword, classes=["ed-headword"])
        when = _date_words(entity)
        if when:
            head += nodes.inline("", f" ({when})", classes=["ed-entry-dates"])
        head += nodes.reference("", "¶", refid=entity.id, classes=["ed-entry-permalink"], reftitle=f"Permanent link to {entity.headword}")
        entry += head
        body = nodes.paragraph(classes=["ed-entry-description"])
        inline, messages = safe_markup.parse_inline(self, entity.description, lineno=self.lineno)
        body.extend(inline)
        body += nodes.Text(" ")
        attested = nodes.inline("", "", classes=["ed-attested"])
        attested += nodes.Text("(")
        for i, anchor in enumerate(entity.attested):
            if i:
                attested += nodes.Text("; ")
            attested += anchor_ref(anchor=anchor)
        attested += nodes.Text(")")
        body += attested
        entry += body
        entry.extend(messages)
        surface = sorted({a.text for a in entity.aliases if a.text != entity.headword} | {s.quote for s in entity.mentions})
        details = nodes.paragraph(classes=["ed-entry-details"])
        if surface:
            details += nodes.inline("", "In the texts as: ", classes=["ed-label"])
            details += nodes.Text("; ".join(surface) + ". ")
        if entity.see_also:
            details += nodes.inline("", "See also: ", classes=["ed-label"])
            for i, target in enumerate(entity.see_also):
                if i:
                    details += nodes.Text(", ")
                xref = addnodes.pending_xref("", refdomain="ed", reftype="ref", reftarget=target, refexplicit=True, refwarn=True)
                other = self._registry_headword(target)
                xref += nodes.inline(other, other)
                details += xref
            details += nodes.Text(". ")
        if entity.wikidata:
            url = f"https://www.wikidata.org/wiki/{entity.wikidata}"
            details += nodes.inline("", "Wikidata: ", classes=["ed-label"])
            details += nodes.reference(entity.wikidata, entity.wikidata, refuri=url)
            details += nodes.Text(".")
        if details.children:
            entry += details
        entry += entity_backrefs(entity=entity.id)
        return entry

    def _registry_headword(self, entity_id: str) -> str:
        registry, _ = get_registry(self.env)
        entity = registry.entities.get(entity_id)
        return entity.headword if entity else entity_id


# --- resolving when writing ------------------------------------------------------------


def _doc_of_anchor(domain: EditionDomain, anchor: str) -> str | None:
    candidates = [doc_id for doc_id in domain.documents if anchor.startswith(doc_id + "-") or anchor == doc_id]
    return max(candidates, key=len) if candidates else None


def document_order(env: BuildEnvironment) -> list[str]:
    """Document ids in date order, the order in which back-references are listed."""
    from .documents import sorted_documents

    return [doc.id for doc in sorted_documents(get_sources(env))]


def all_mentions(env: BuildEnvironment) -> dict[str, list[tuple[str, str, str, str, str]]]:
    """entity id -> [(doc id, docname, anchor, label, mention id)], in document then reading order."""
    order = {doc_id: i for i, doc_id in enumerate(document_order(env))}
    result: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for docname in sorted(mention_store(env)):
        for entity_id, doc_id, anchor, label, mid in mention_store(env)[docname]:
            result.setdefault(entity_id, []).append((doc_id, docname, anchor, label, mid))
    for records in result.values():
        records.sort(key=lambda r: (order.get(r[0], len(order)), r[1]))  # stable: reading order kept
    return result


class GlossaryResolver:
    """Link mentions to entries, fill back-references and anchor links of one resolved doctree.

    Runs on ``doctree-resolved``, i.e. when a page is written, with the mentions of all
    documents merged into the environment (also under ``-j``).

    Why it is written for speed: a glossary page holds every back-reference of the edition
    (about 85 per document) and every document page links each of its mentions, so this
    makes one link per mention twice over.  ``make_refnode`` would compute the same relative
    URI for each of them (``relative_uri`` splits and compares both paths every time);
    here it is computed once per target page, and the nodes are the ones ``make_refnode``
    makes (same attributes, same order), built in one call.
    """

    def __init__(self, app: Sphinx, docname: str):
        self.builder = app.builder
        self.env = app.env
        self.docname = docname
        self.domain: EditionDomain = app.env.get_domain("ed")  # type: ignore[assignment]
        self._uris: dict[str, str] = {}

    def run(self, doctree: nodes.document) -> None:
        # One walk finds the three kinds of placeholder; they are replaced in the order
        # anchor links, back-references, mentions (none of them contains another kind).
        anchors: list[anchor_ref] = []
        backrefs: list[entity_backrefs] = []
        mention_nodes: list[entity_mention] = []
        for node in doctree.findall(_is_placeholder):
            (anchors if isinstance(node, anchor_ref) else backrefs if isinstance(node, entity_backrefs) else mention_nodes).append(node)
        for node in anchors:
            node.replace_self(self._anchor_link(node["anchor"]))
        if backrefs:
            mentions = all_mentions(self.env)
            for node in backrefs:
                node.replace_self(self._backrefs(mentions.get(node["entity"], [])))
        missing: set[str] = set()
        objects = self.domain.objects
        html = self.builder.format == "html"
        if not html:
            expand_mention_indexes(doctree)
        for node in mention_nodes:
            entity_id = node["entity"]
            entry = objects.get(entity_id)
            if entry is None or entry[1] != "entity":
                missing.add(entity_id)
                node.replace_self(nodes.inline(node.astext(), node.astext(), ids=node.get("ids", [])))
                continue
            if html:
                # What make_refnode gives: a fragment on the same page, else the page's relative URI.
                node["refuri"] = "#" + entity_id if entry[0] == self.docname else self._relative_uri(entry[0]) + "#" + entity_id
            else:
                ref = make_refnode(self.builder, self.docname, entry[0], entity_id, nodes.Text(node.astext()))
                ref["ids"] = node.get("ids", [])
                node.replace_self(ref)
        if missing:
            logger.warning("mentions of %d entities have no glossary entry (e.g. %s): add a page with the edition-glossary directive for each kind", len(missing), sorted(missing)[0], location=self.docname, type="edition", subtype="glossary")

    def _relative_uri(self, todocname: str) -> str:
        """The builder's relative URI from this page to ``todocname``, computed once per target."""
        uri = self._uris.get(todocname)
        if uri is None:
            uri = self._uris[todocname] = self.builder.get_relative_uri(self.docname, todocname)
        return uri

    def _refnode(self, todocname: str, targetid: str, child: Node, title: str | None = None) -> nodes.reference:
        """``sphinx.util.nodes.make_refnode`` with the relative URI cached (same node, same attribute order)."""
        if self.docname == todocname and targetid:
            target = {"refid": targetid}
        else:
            uri = self._relative_uri(todocname)
            target = {"refuri": uri + "#" + targetid if targetid else uri}
        if title:
            target["reftitle"] = title
        return nodes.reference("", "", child, internal=True, **target)

    def _anchor_link(self, anchor: str) -> Node:
        doc_id = _doc_of_anchor(self.domain, anchor)
        if doc_id is None:
            return nodes.Text(anchor)
        info = self.domain.documents[doc_id]
        title = f"{info['short_title']}, {block_label(anchor)}"
        return self._refnode(info["docname"], anchor, nodes.Text(title), title)

    def _backrefs(self, records: list[tuple[str, str, str, str, str]]) -> Node:
        if not records:
            return nodes.paragraph("", "No mention in the texts.", classes=["ed-backrefs", "ed-editorial"])
        if self.builder.format == "html":
            return self._backrefs_html(records)
        listing = nodes.bullet_list(classes=["ed-backrefs"])
        for docname, title, links in self._backref_groups(records):
            para = nodes.paragraph()
            para += self._refnode(docname, "", nodes.inline(title, title, classes=["ed-backref-doc"]), title)
            para += nodes.Text(": ")
            for i, (first, text, reftitle) in enumerate(links):
                if i:
                    para += nodes.Text(", ")
                para += self._refnode(docname, first, nodes.Text(text), reftitle)
            listing += nodes.list_item("", para)
        label = nodes.paragraph("", "", classes=["ed-backrefs-label"])
        label += nodes.inline("", f"Mentioned {len(records)}×: ", classes=["ed-label"])
        return nodes.container("", label, listing, classes=["ed-backrefs-box"])


    def _backref_groups(self, records: list[tuple[str, str, str, str, str]]) -> Iterator[tuple[str, str, list[tuple[str, str, str]]]]:
        """What both renderings of the back-references show: per page that mentions the
        entity (in the order of the mentions), its docname and title, and per block its
        first mention's id, its label with the count of mentions, and the link's title."""
        groups: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for doc_id, docname, anchor, label, mid in records:
            groups.setdefault((doc_id, docname), []).append((anchor, label, mid))
        documents = self.domain.documents
        for (doc_id, docname), items in groups.items():
            info = documents.get(doc_id)
            title = info["short_title"] if info else (self.env.titles[docname].astext() if docname in self.env.titles else docname)
            by_block: dict[str, list[tuple[str, str]]] = {}
            for anchor, label, mid in items:
                by_block.setdefault(anchor, []).append((label, mid))
            links = []
            for hits in by_block.values():
                label, first = hits[0]
                text = (label or title) + (f" ({len(hits)}×)" if len(hits) > 1 else "")
                links.append((first, text, f"{title}, {label}"))
            yield docname, title, links

    def _backrefs_html(self, records: list[tuple[str, str, str, str, str]]) -> nodes.raw:
        """The back-references of one entity as the HTML that :meth:`_backrefs`'s nodes are
        written as, byte for byte (tested against them), in one raw node.

        The glossary lists every mention of every entity: 17,000 links at 200 documents,
        70,000 at 800.  As docutils nodes they were most of the glossary page's cost, first
        to resolve and then to translate (1.6 + 0.6 s at 200 documents, growing with the
        volume).  Every text is escaped here as the HTML translator escapes it (its own
        ``encode``/``attval``), so contributed titles stay words."""
        encode, attval = _html_text, _html_attribute
        out = ['<div class="ed-backrefs-box docutils container">\n',
               f'<p class="ed-backrefs-label"><span class="ed-label">{encode(f"Mentioned {len(records)}×: ")}</span></p>\n',
               '<ul class="ed-backrefs simple">\n']

        def link(todocname: str, targetid: str, inner: str, title: str) -> str:
            if self.docname == todocname and targetid:
                href = "#" + targetid
            else:
                uri = self._relative_uri(todocname)
                href = (uri + "#" + targetid if targetid else uri) or "#"
            if not safe_markup._is_safe_link(href):  # as neutralise_unsafe_links does to nodes, which this HTML skips
                return f'<span class="ed-refused-link">{inner}</span>'
            titled = f' title="{attval(title)}"' if title else ""
            return f'<a class="reference internal" href="{attval(href)}"{titled}>{inner}</a>'

        for docname, title, links in self._backref_groups(records):
            parts = [link(docname, "", f'<span class="ed-backref-doc">{encode(title)}</span>', title), ": "]
            for i, (first, text, reftitle) in enumerate(links):
                if i:
                    parts.append(", ")
                parts.append(link(docname, first, encode(text), reftitle))
            out.append("<li><p>" + "".join(parts) + "</p></li>\n")
        out.append("</ul>\n</div>\n")
        html = "".join(out)
        return nodes.raw(html, html, format="html")


#: docutils' HTML escaping (``HTMLTranslator.special_characters``): what its ``encode`` does to text.
_HTML_SPECIAL = {ord("&"): "&amp;", ord("<"): "&lt;", ord('"'): "&quot;", ord(">"): "&gt;", ord("@"): "&#64;"}


def _html_text(text: str) -> str:
    return str(text).translate(_HTML_SPECIAL)


def _html_attribute(text: str) -> str:
    """docutils' ``attval``: whitespace runs made one space, then escaped."""
    return _html_text(re.sub(r"[\n\r\t\v\f]", " ", str(text)))


def _is_placeholder(node: Node) -> bool:
    return isinstance(node, (anchor_ref, entity_backrefs, entity_mention))


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    GlossaryResolver(app, docname).run(doctree)


# --- HTML rendering --------------------------------------------------------------------


def visit_entity_mention_html(self, node: entity_mention) -> None:
    """A plain link to the glossary entry; the preview text is stored once per edition.

    The link's fragment names the entity.  The previews of all entities are one JSON file,
    ``data/previews.json`` (:func:`_write_previews`), not repeated in every mention:
    ``edition-previews.js`` shows them beside the link on hover, keyboard focus and a first
    tap, inside the viewport, and gives them to screen readers through ``aria-describedby``.
    They never enter the reading text, the search index, copied text or the EPUB.  Without
    JavaScript the mention is a plain link to its entry.  The markup is kept small: a long
    document has hundreds of mentions.
    """
    mid = node["ids"][0] if node.get("ids") else ""
    lang = f' lang="{self.attval(node["lang"])}"' if node.get("lang") else ""
    # The entity's kind is in the previews' JSON, not repeated on each of hundreds of mentions.
    classes = " ".join(c for c in node["classes"] if not c.startswith("ed-") or c == "ed-mention")
    self.body.append(f'<span class="{classes}"' + (f' id="{mid}"' if mid else "") + f"{lang}>")
    self.body.append(f'<a href="{self.attval(node.get("refuri", ""))}">{self.encode(node.astext())}</a></span>')
    raise nodes.SkipNode


def preview_data(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """entity id -> {headword, kind, preview[, lang]} of every entity, sorted (deterministic)."""
    registry, _ = get_registry(env)
    previews: dict[str, dict[str, str]] = {}
    for entity_id in sorted(registry.entities):
        entity = registry.entities[entity_id]
        item = {"headword": entity.headword, "kind": entity.kind, "preview": entity.preview}
        if entity.lang:
            item["lang"] = entity.lang
        previews[entity_id] = item
    return previews


def _write_previews(app: Sphinx, exception: Exception | None) -> None:
    """``data/previews.json``: every entity's preview, once for the whole edition."""
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    from . import exports  # published by exports.publish after a clean build only
    from ..trust import inert_json

    if dependencies.quiet(app.env) and (Path(app.outdir) / "data" / "previews.json").exists():
        return  # nothing it reads changed since the clean build that published it
    target = exports.staging_dir(app) / "data" / "previews.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(inert_json(preview_data(app.env)) + "\n", "utf-8")


def visit_entity_mention_text(self, node: entity_mention) -> None:
    self.add_text(node.astext())
    raise nodes.SkipNode


def _skip(self, node: Node) -> None:
    raise nodes.SkipNode


# --- JSON export ---------------------------------------------------------------------


def glossary_data(env: BuildEnvironment, builder) -> dict[str, Any]:
    """The registry with every mention, as plain data (sorted: identical on every build)."""
    registry, _ = get_registry(env)
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    mentions = all_mentions(env)
    entities = []
    for kind in KINDS:
        for entity in registry.by_kind(kind):
            page = domain.objects.get(entity.id)
            entities.append({
                "id": entity.id,
                "kind": entity.kind,
                "headword": entity.headword,
                "sort": entity.sort,
                "description": entity.description,
                "attested": entity.attested,
                "aliases": [{"text": a.text, **({"documents": list(a.documents)} if a.documents else {})} for a in entity.aliases],
                "dates": entity.dates or None,
                "wikidata": entity.wikidata or None,
                "see_also": entity.see_also,
                "url": f"{builder.get_target_uri(page[0])}#{entity.id}" if page else None,
                "mentions": [
                    {"document": doc_id, "anchor": anchor, "label": label, "id": mid, "url": f"{builder.get_target_uri(docname)}#{mid}"}
                    for doc_id, docname, anchor, label, mid in mentions.get(entity.id, [])
                ],
            })
    return {"entities": entities, "counts": {kind: sum(1 for e in entities if e["kind"] == kind) for kind in KINDS} | {"mentions": sum(len(e["mentions"]) for e in entities)}}


def _write_json(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":  # web files, not the book's
        return
    from . import exports  # published by exports.publish after a clean build only

    if dependencies.quiet(app.env) and (Path(app.outdir) / "data" / "glossary.json").exists():
        return  # nothing it reads changed since the clean build that published it
    target = exports.staging_dir(app) / "data" / "glossary.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(glossary_data(app.env, app.builder), ensure_ascii=False, indent=1) + "\n", "utf-8")


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_entities_dir", "annotations/entities", "env", types=[str])
    app.add_node(
        entity_mention,
        html=(visit_entity_mention_html, None),
        text=(visit_entity_mention_text, None),
        latex=(visit_entity_mention_text, None),
    )
    app.add_node(entity_backrefs, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_node(anchor_ref, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_transform(LinkMentions)
    app.connect("doctree-resolved", _resolve)
    app.add_directive("edition-glossary", GlossaryDirective)
    app.add_role("entity", EntityRole())
    app.connect("env-get-outdated", _outdated_by_registry)
    app.connect("env-before-read-docs", _report_problems)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("env-get-updated", _glossary_pages_to_rewrite)
    app.connect("build-finished", _record_written)
    app.connect("build-finished", _write_json)
    from . import exports

    exports.register("data/glossary.json", "data/previews.json")
    app.connect("build-finished", _write_previews)
    app.add_js_file("edition-previews.js", loading_method="defer")
