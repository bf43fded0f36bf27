"""The glossary registry: persons, organisations, places and terms, and where the texts name them.

Entities live in small YAML files under ``docs/annotations/entities/`` (stand-off: the
generated pages are never touched).  Each has aliases — every surface form in the texts —
and mentions are found by matching those aliases: the longest leftmost match on word
boundaries, in one pass over the text with one compiled regular expression per document
(alternatives sorted longest first).  An alias may be limited to some documents, because
"Paz" is Víctor Paz Estenssoro in the 1964 texts and Rodrigo Paz in 2025.  Where matching
cannot find a mention (words run together in the copy) or must not link one, an entity
lists ``mentions`` or ``exclude`` as text-quote selectors (anchor + quote, optional
prefix/suffix).

This module has no Sphinx import: ``edition check`` and the Sphinx extension use it alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from . import dates
from .corpus import Corpus
from .errors import EditionError, Problem
from .metadata import display_path
from .schemas import validate
from .yamlload import LineDict, LineList, load_yaml_file

KINDS = ("person", "organisation", "place", "term")
KIND_TITLES = {"person": "People", "organisation": "Organisations", "place": "Places", "term": "Terms"}
ENTITIES_DIR = Path("docs") / "annotations" / "entities"

#: Characters folded before matching, beyond dropping accents: typographic apostrophes.
_EXTRA_FOLDS = {"\u2019": "'", "\u2018": "'", "\u02bc": "'"}


class _FoldTable(dict):
    """``str.translate`` table of :func:`fold`, filled one character at a time when first met
    (folding was once done with a normalisation per character per call: a hot spot)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _EXTRA_FOLDS:
            out = _EXTRA_FOLDS[char]
        elif char.isspace():  # no-break and thin spaces of web copies match a plain space
            out = " "
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
            out = base if len(base) == 1 else char
        self[code] = out
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Fold accents, typographic apostrophes and odd spaces, one character for one, case kept.

    The result has the same length as ``text``, so match offsets in the folded text are
    offsets in the original: "René Barrientos Ortuño" and "Rene Barrientos Ortuno" fold
    alike, "US" and "us" do not.
    """
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Selector:
    """A place in a text block: anchor, exact quote, optional prefix and suffix."""

    anchor: str
    quote: str
    prefix: str = ""
    suffix: str = ""
    path: str = ""
    line: int | None = None

    def locate(self, text: str) -> list[int]:
        """Start offsets of the quote where prefix + quote + suffix occurs in ``text``."""
        needle = self.prefix + self.quote + self.suffix
        hits, start = [], text.find(needle)
        while start >= 0:
            hits.append(start + len(self.prefix))
            start = text.find(needle, start + 1)
        return hits


@dataclass(frozen=True)
class Alias:
    """A surface form; ``documents`` limits it to those documents (None: everywhere)."""

    text: str
    documents: tuple[str, ...] | None
    line: int | None


@dataclass
class Entity:
    """One glossary entry as written in the registry."""

    id: str
    kind: str
    headword: str
    sort: str
    aliases: list[Alias]
    description: str
    attested: list[str]
    path: str
    line: int | None
    dates: str = ""
    wikidata: str = ""
    lang: str = ""  # language of the headword's name (BCP 47), when not English
    see_also: list[str] = field(default_factory=list)
    mentions: list[Selector] = field(default_factory=list)
    exclude: list[Selector] = field(default_factory=list)
    id_line: int | None = None
    attested_lines: list[int | None] = field(default_factory=list)

    @property
    def initial(self) -> str:
        """The letter the entry is filed under (accents folded), e.g. Á → A."""
        first = fold(self.sort.lstrip("'\"“‘(")[:1]).upper()
        return first if first.isalpha() else "#"

    @property
    def sort_key(self) -> tuple[str, str]:
        return (fold(self.sort).casefold(), self.id)

    @cached_property
    def preview(self) -> str:
        """The description as plain text, for tooltips: MyST emphasis and roles stripped.

        Cached: every mention node of the build carries it (three regular expressions each).
        """
        text = re.sub(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", self.description)
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
        return re.sub(r"[*_`]", "", text).strip()

    def date_words(self) -> str:
        return dates.describe(self.dates) if self.dates else ""


@dataclass(frozen=True)
class Mention:
    """One mention of an entity in a text block."""

    entity: str
    start: int
    end: int
    text: str
    explicit: bool = False


@dataclass
class Registry:
    """All entities, the files they came from, and the problems found loading them."""

    entities: dict[str, Entity]
    files: list[Path]
    problems: list[Problem] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.sort_key)

    def selectors(self, anchor: str) -> tuple[list[tuple[str, Selector]], list[Selector]]:
        """Explicit mentions (entity id, selector) and exclusions for one block."""
        index = self._selector_index()
        return index[0].get(anchor, []), index[1].get(anchor, [])

    def _selector_index(self) -> tuple[dict[str, list[tuple[str, Selector]]], dict[str, list[Selector]]]:
        cached = getattr(self, "_selector_cache", None)
        if cached is None:
            explicit: dict[str, list[tuple[str, Selector]]] = {}
            excluded: dict[str, list[Selector]] = {}
            for entity in self.entities.values():
                for sel in entity.mentions:
                    explicit.setdefault(sel.anchor, []).append((entity.id, sel))
                for sel in entity.exclude:
                    excluded.setdefault(sel.anchor, []).append(sel)
            cached = (explicit, excluded)
            self._selector_cache = cached
        return cached


def entity_files(directory: Path) -> list[Path]:
    """The registry files, in a stable order."""
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


def _selectors(raw: Iterable, path: str, items: LineList | None) -> list[Selector]:
    result = []
    for i, item in enumerate(raw or []):
        line = items.line_of(i) if isinstance(items, LineList) else None
        result.append(Selector(item["anchor"], item["quote"], item.get("prefix", ""), item.get("suffix", ""), path, line))
    return result


def _entity_from(data: LineDict, path: str) -> Entity:
    aliases = []
    raw_aliases = data.get("aliases", [])
    for i, raw in enumerate(raw_aliases):
        line = raw_aliases.line_of(i) if isinstance(raw_aliases, LineList) else None
        if isinstance(raw, str):
            aliases.append(Alias(raw, None, line))
        else:
            aliases.append(Alias(raw["text"], tuple(raw["documents"]), line))
    return Entity(
        id=data["id"],
        kind=data["kind"],
        headword=data["headword"],
        sort=data["sort"],
        aliases=aliases,
        description=data["description"].strip(),
        attested=list(data["attested"]),
        path=path,
        line=data.line,
        dates=str(data.get("dates", "")),
        wikidata=data.get("wikidata", ""),
        lang=data.get("lang", ""),
        see_also=list(data.get("see_also", [])),
        mentions=_selectors(data.get("mentions"), path, data.get("mentions")),
        exclude=_selectors(data.get("exclude"), path, data.get("exclude")),
        attested_lines=[data["attested"].line_of(i) if isinstance(data["attested"], LineList) else data.line for i in range(len(data["attested"]))],
    )


def _invalid_items(problems: list[Problem], data: LineList) -> set[int]:
    """Indices of list items that a schema problem points into (matched by line)."""
    bad = set()
    starts = [data.line_of(i) for i in range(len(data))]
    for problem in problems:
        if problem.line is None:
            continue
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else 10**9
            if start <= problem.line < end:
                bad.add(i)
    return bad


def load_registry(directory: Path, root: Path | None = None) -> Registry:
    """Load and check every registry file on its own terms (syntax, schema, ids, aliases).

    Problems that need the texts (anchors, mentions) are found by :func:`check_registry`.
    """
    files = entity_files(directory)
    registry = Registry({}, files)
    problems = registry.problems
    first_seen: dict[str, Entity] = {}
    for file in files:
        shown = display_path(file, root)
        try:
            data = load_yaml_file(file, shown)
        except EditionError as exc:
            problems.extend(exc.problems)
            continue
        if data is None:
            continue
        if not isinstance(data, LineList):
            problems.append(Problem(shown, getattr(data, "line", 1) or 1, "an entity file must be a list of entities", "start each entity with '- id: ...'"))
            continue
        file_problems = []
        for i, item in enumerate(data):
            # An unknown kind is the commonest slip: say it plainly, not in schema terms.
            if isinstance(item, LineDict) and "kind" in item and item["kind"] not in KINDS:
                file_problems.append(Problem(shown, item.line_of("kind"), f"unknown kind {item['kind']!r} of entity {item.get('id', '?')!r}", f"use one of: {', '.join(KINDS)}"))
        schema_problems = [p for p in validate(data, "entity", shown) if "kind" not in p.message.split(":")[0]]
        file_problems.extend(schema_problems)
        problems.extend(file_problems)
        bad = _invalid_items(file_problems, data)
        for i, item in enumerate(data):
            if i in bad or not isinstance(item, LineDict):
                continue
            entity = _entity_from(item, shown)
            if entity.id in first_seen:
                other = first_seen[entity.id]
                problems.append(Problem(shown, item.line_of("id"), f"duplicate entity id {entity.id!r} (first defined at {other.path}:{other.id_line})", "give each entity its own id"))
                continue
            entity.id_line = item.line_of("id")
            if entity.dates:
                try:
                    dates.parse(entity.dates)
                except dates.EDTFError as exc:
                    problems.append(Problem(shown, item.line_of("dates"), f"dates of {entity.id!r}: {exc}", "write an EDTF date, e.g. 1919/1969 or 1964-11-04"))
            first_seen[entity.id] = entity
            registry.entities[entity.id] = entity
    problems.extend(_alias_conflicts(registry))
    problems.extend(_see_also_problems(registry))
    return registry


def _alias_conflicts(registry: Registry) -> list[Problem]:
    """An alias claimed by two entities in one scope is an error (at the second claim)."""
    problems = []
    claims: dict[str, list[tuple[Entity, Alias]]] = {}
    for entity in registry.entities.values():
        for alias in entity.aliases:
            claims.setdefault(fold(alias.text), []).append((entity, alias))
    for folded, owners in claims.items():
        for j, (entity, alias) in enumerate(owners):
            for other, other_alias in owners[:j]:
                if other.id == entity.id:
                    continue
                overlap = _scopes_overlap(alias.documents, other_alias.documents)
                if overlap:
                    where = "every document" if overlap == ("*",) else ", ".join(overlap)
                    problems.append(Problem(entity.path, alias.line, f"alias {alias.text!r} of {entity.id!r} is already claimed by {other.id!r} ({other.path}:{other_alias.line}) in {where}", "limit one of the aliases to documents ('documents: [...]') or remove it"))
    return problems


def _scopes_overlap(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...]:
    if a is None and b is None:
        return ("*",)
    if a is None:
        return tuple(b or ())
    if b is None:
        return tuple(a)
    return tuple(d for d in a if d in b)


def _see_also_problems(registry: Registry) -> list[Problem]:
    problems = []
    for entity in registry.entities.values():
        for target in entity.see_also:
            if target not in registry.entities:
                problems.append(Problem(entity.path, entity.line, f"see_also of {entity.id!r} names unknown entity {target!r}", "use the id of an entity in docs/annotations/entities/"))
    return problems


def compound_surname(entity: Entity) -> str:
    """A person's family name of two or more words, from the sort key ("García Meza, Luis"
    -> "García Meza"), when its headword contains it: texts write such names without the
    given name ("Garcia Meza"), and they are too specific to mean anyone else.  A
    one-word surname ("Carter") is never implied: it must be an alias, scoped if need be."""
    if entity.kind != "person" or ", " not in entity.sort:
        return ""
    family = entity.sort.split(", ", 1)[0].strip()
    return family if len(family.split()) >= 2 and family in entity.headword else ""


class Matcher:
    """Finds mentions in a document's text: one compiled alternation per document.

    Alternatives are sorted longest first, so at each position the longest alias that
    ends on a word boundary wins ("La Paz" over "Paz", "Ester Morales Ayma" over
    "Morales"); the scan moves left to right without overlaps.
    """

    def __init__(self, registry: Registry):
        self.registry = registry
        self._patterns: dict[str | None, tuple[re.Pattern[str], dict[str, str]] | None] = {}
        # Documents whose scoped aliases are the same share one table and one pattern:
        # building and compiling them per document made large editions quadratic.
        self._scoped = [(i, alias.documents) for i, alias in enumerate(a for e in registry.entities.values() for a in e.aliases) if alias.documents is not None]
        self._by_scope: dict[tuple[int, ...], tuple[re.Pattern[str], dict[str, str]] | None] = {}

    def _table(self, doc_id: str | None) -> dict[str, str]:
        table: dict[str, str] = {}
        for entity in self.registry.entities.values():
            for alias in entity.aliases:
                if alias.documents is None or (doc_id is not None and doc_id in alias.documents):
                    table.setdefault(fold(alias.text), entity.id)
        surnames: dict[str, list[str]] = {}
        for entity in self.registry.entities.values():
            surname = compound_surname(entity)
            if surname:
                surnames.setdefault(fold(surname), []).append(entity.id)
        for surname, owners in surnames.items():
            if len(owners) == 1:  # written aliases win; a surname two people share implies no one
                table.setdefault(surname, owners[0])
        return table

    def _pattern(self, doc_id: str | None) -> tuple[re.Pattern[str], dict[str, str]] | None:
        """The compiled alternation of one document, made once per set of scoped aliases
        that apply to it (once in all for an edition without scoped aliases), not per document."""
        if doc_id not in self._patterns:
            scope = tuple(i for i, documents in self._scoped if doc_id is not None and doc_id in documents)
            if scope not in self._by_scope:
                table = self._table(doc_id)
                if not table:
                    self._by_scope[scope] = None
                else:
                    alternatives = sorted(table, key=lambda a: (-len(a), a))
                    body = "|".join(re.escape(a) for a in alternatives)
                    # The look-ahead for an alias's first letter changes no match; it spares the
                    # alternation at the positions where no alias can start (most of a text).
                    first = "" if "" in table else "(?=[" + "".join(re.escape(c) for c in sorted({a[0] for a in table})) + "])"
                    self._by_scope[scope] = (re.compile(rf"{first}(?<!\w)(?:{body})(?!\w)"), table)
            self._patterns[doc_id] = self._by_scope[scope]
        return self._patterns[doc_id]

    def find(self, doc_id: str | None, text: str) -> list[Mention]:
        """All alias matches in ``text`` (one pass), as mentions with offsets."""
        return [Mention(entity, start, end, text[start:end]) for entity, start, end in self.spans(doc_id, text)]

    def spans(self, doc_id: str | None, text: str) -> list[tuple[str, int, int]]:
        """All alias matches in ``text`` as (entity id, start, end), in order.

        What :meth:`find` finds, without a :class:`Mention` object per match: the build links
        every block of every page through this (17,000 matches at 200 documents), and makes
        its own records.
        """
        compiled = self._pattern(doc_id)
        if compiled is None:
            return []
        pattern, table = compiled
        return [(table[m.group(0)], *m.span()) for m in pattern.finditer(fold(text))]


def resolve_mentions(matcher: Matcher, doc_id: str, anchor: str, text: str) -> tuple[list[Mention], list[Problem]]:
    """Matches in one block, with the registry's exclusions and explicit mentions applied."""
    explicit, excluded = matcher.registry.selectors(anchor)
    problems: list[Problem] = []
    blocked: list[tuple[int, int]] = []
    for sel in excluded:
        hits = sel.locate(text)
        if len(hits) != 1:
            problems.append(_selector_problem(sel, len(hits), "exclude"))
        blocked += [(h, h + len(sel.quote)) for h in hits[:1]]
    forced: list[Mention] = []
    for entity_id, sel in explicit:
        hits = sel.locate(text)
        if len(hits) != 1:
            problems.append(_selector_problem(sel, len(hits), "mention"))
        forced += [Mention(entity_id, h, h + len(sel.quote), sel.quote, True) for h in hits[:1]]
    spans = blocked + [(m.start, m.end) for m in forced]
    found = [m for m in matcher.find(doc_id, text) if not any(m.start < e and s < m.end for s, e in spans)]
    return sorted(found + forced, key=lambda m: m.start), problems


def _selector_problem(sel: Selector, count: int, what: str) -> Problem:
    quoted = repr(sel.prefix + sel.quote + sel.suffix)
    if count == 0:
        return Problem(sel.path, sel.line, f"{what} selector {quoted} not found in {sel.anchor}", "copy the words exactly as the paragraph has them")
    return Problem(sel.path, sel.line, f"{what} selector {quoted} matches {count} times in {sel.anchor}", "add a prefix or suffix so that it matches once")


@dataclass(frozen=True)
class TextBlock:
    """A linkable block of an edition document: paragraph, list item, byline, caption or source note."""

    doc_id: str
    anchor: str
    label: str
    text: str


def text_blocks(corpus: Corpus) -> Iterator[TextBlock]:
    """Every block whose mentions the edition links, in reading order, notes last."""
    for doc_id, conversion in corpus.conversions.items():
        for block in conversion.blocks:
            if not block.anchor:
                continue
            if block.kind in ("paragraph", "item"):
                yield TextBlock(doc_id, block.anchor, block_label(block.anchor), corpus.paragraphs[block.anchor].text)
            elif block.kind in ("byline", "caption"):
                yield TextBlock(doc_id, block.anchor, block_label(block.anchor), block.text)
        for number, note in conversion.notes.items():
            anchor = f"{doc_id}-n{number}"
            yield TextBlock(doc_id, anchor, block_label(anchor), note.text)


_LABEL = re.compile(r"-(?:(p)(\d+)|(n)(\d+)|(fig)(\d+)|(byline))$")


def block_label(anchor: str) -> str:
    """How a block is cited: ¶ 7, n. 3, fig. 2, byline."""
    match = _LABEL.search(anchor)
    if not match:
        return anchor
    if match.group(1):
        return f"¶ {match.group(2)}"
    if match.group(3):
        return f"n. {match.group(4)}"
    if match.group(5):
        return f"fig. {match.group(6)}"
    return "byline"


def archival_citation_spans(corpus: Corpus, parsed: Mapping[str, Any] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Spans of source notes that are archival citations, by note anchor.

    The build links each citation to the archival register as a whole; a name inside it
    ("National Archives and Records Administration, RG 59, ...") is not linked to the
    glossary as well (links do not nest), so the validator leaves those spans out too.

    ``parsed``: the source notes as ``archives.parse_corpus_notes`` gives them, when the
    caller has them already (a Sphinx build parses them once per build; parsing them again
    here was most of the cost of :func:`corpus_mentions`).
    """
    if parsed is None:
        from .archives import load_registry as load_archives, parse_corpus_notes

        parsed, _ = parse_corpus_notes(corpus, load_archives(corpus.root).registry)
    spans: dict[str, list[tuple[int, int]]] = {}
    for doc_id, document_notes in parsed.items():
        for note in document_notes.notes:
            spans[f"{doc_id}-n{note.number}"] = [
                (seg.start, seg.start + len(seg.text)) for seg in note.segments if seg.kind == "citation"
            ]
    return spans


def corpus_mentions(registry: Registry, corpus: Corpus, include_citations: bool = False, source_notes: Mapping[str, Any] | None = None) -> tuple[dict[str, list[tuple[TextBlock, Mention]]], list[Problem]]:
    """Every mention in the texts, by entity id (what the build will link).

    With ``include_citations``, names inside archival citations of source notes count too
    (they are named in the texts, though linked to the archival register instead).
    ``source_notes``: the parsed source notes, if the caller has them (see
    :func:`archival_citation_spans`).
    """
    matcher = Matcher(registry)
    citations = {} if include_citations else archival_citation_spans(corpus, source_notes)
    by_entity: dict[str, list[tuple[TextBlock, Mention]]] = {}
    problems: list[Problem] = []
    for block in text_blocks(corpus):
        mentions, block_problems = resolve_mentions(matcher, block.doc_id, block.anchor, block.text)
        problems += block_problems
        skip = citations.get(block.anchor, [])
        for mention in mentions:
            if any(start <= mention.start and mention.end <= end for start, end in skip):
                continue
            by_entity.setdefault(mention.entity, []).append((block, mention))
    return by_entity, problems


def check_registry(registry: Registry, corpus: Corpus) -> list[Problem]:
    """Problems that need the texts: unknown anchors, selectors, entities never mentioned."""
    problems = list(registry.problems)
    known_blocks = {b.anchor for b in text_blocks(corpus)}
    known_docs = set(corpus.documents)
    for entity in registry.entities.values():
        for anchor, line in zip(entity.attested, entity.attested_lines):
            if anchor not in known_blocks:
                problems.append(Problem(entity.path, line, f"description of {entity.id!r} cites missing anchor {anchor!r}", "cite a paragraph anchor such as mack-2025-p13 (see the ¶ numbers of the document)"))
        for alias in entity.aliases:
            for doc in alias.documents or ():
                if doc not in known_docs:
                    problems.append(Problem(entity.path, alias.line, f"alias {alias.text!r} of {entity.id!r} is limited to unknown document {doc!r}", f"known documents: {', '.join(sorted(known_docs))}"))
        for sel in [*entity.mentions, *entity.exclude]:
            if sel.anchor not in known_blocks:
                problems.append(Problem(sel.path, sel.line, f"selector of {entity.id!r} names missing anchor {sel.anchor!r}", "use the anchor of a paragraph, note or caption"))
    mentions, selector_problems = shared_mentions(registry, corpus)
    problems += [p for p in selector_problems if p not in problems]
    for entity in registry.entities.values():
        if entity.id not in mentions:
            problems.append(Problem(entity.path, entity.line, f"entity {entity.id!r} ({entity.headword}) has no mention in the texts", "add the surface form the texts use to its aliases, or remove the entity", severity="warning"))
    return problems


def registry_dir(root: Path) -> Path:
    return root / ENTITIES_DIR


def check_glossary(corpus: Corpus) -> list[Problem]:
    """The validator's check: load the registry next to the corpus and check it against the texts."""
    return check_registry(shared_registry(corpus), corpus)


def shared_registry(corpus: Corpus) -> Registry:
    """The registry of the corpus's edition, loaded once per run while its files are unchanged
    (the glossary check and the names rule of ``edition check`` both need it)."""
    from .corpus import file_contents

    directory = registry_dir(corpus.root)
    return corpus.shared(("glossary registry", str(directory)), file_contents(entity_files(directory)), lambda: load_registry(directory, corpus.root))


def shared_mentions(registry: Registry, corpus: Corpus) -> tuple[dict[str, list[tuple[TextBlock, Mention]]], list[Problem]]:
    """:func:`corpus_mentions` with citations, computed once per corpus and registry
    (the glossary check and the names rule of ``edition check`` both need it)."""
    return corpus.shared(("corpus mentions", True), registry, lambda: corpus_mentions(registry, corpus, include_citations=True))
