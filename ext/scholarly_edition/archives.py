"""The registry of archives and the archival structure of every source note.

Repositories, collections and series live in small stand-off YAML files under
``docs/annotations/archives/`` (one repository per file, its collections and series
nested).  This module loads and validates them (schema, duplicate ids and forms, parents
that do not exist) and parses the source notes of every document with
:mod:`edition.archival`, so that ``edition check`` and the Sphinx build report the same
problems with file and line, and the archival register is computed without a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .archival import HOW, LEVELS, ArchiveEntry, ParsedNote, Registry, parse_notes
from .corpus import Corpus
from .errors import Problem
from .metadata import display_path
from .schemas import load_validated
from .yamlload import LineDict

ARCHIVES_DIR = Path("docs/annotations/archives")
BIBLIOGRAPHY = Path("docs/references.bib")
_ORDER = {"repository": 0, "collection": 1, "series": 2}


@dataclass
class LoadedRegistry:
    registry: Registry
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (file, line)
    files: list[Path] = field(default_factory=list)


def load_registry(root: Path) -> LoadedRegistry:
    """Load every ``*.yaml`` of the archives directory; problems are collected, not raised."""
    loaded = LoadedRegistry(Registry())
    directory = root / ARCHIVES_DIR
    pending_parents: list[tuple[ArchiveEntry, str, int]] = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        loaded.files.append(path)
        shown = display_path(path, root)
        data, file_problems = load_validated(path, shown, "archives")
        if data is None:
            loaded.problems.extend(file_problems)
            continue
        parent = data.get("parent")
        if parent is not None:
            pending_parents.append((_entry(data, parent), shown, data.line_of("parent")))
        _add_tree(loaded, data, parent, shown)
    for entry, shown, line in pending_parents:
        if entry.parent not in loaded.registry.entries:
            loaded.problems.append(Problem(shown, line, f"unknown archive id {entry.parent!r} (parent of {entry.id!r})", "use the id of a repository or collection defined in docs/annotations/archives/"))
    for entry in loaded.registry.entries.values():
        if entry.omitted_series and entry.omitted_series not in loaded.registry.entries:
            shown, line = loaded.lines[entry.id]
            loaded.problems.append(Problem(shown, line, f"unknown archive id {entry.omitted_series!r} (omitted series of {entry.id!r})", "name a series defined in docs/annotations/archives/"))
    _check_forms(loaded)
    return loaded


def _entry(data: LineDict, parent: str | None) -> ArchiveEntry:
    return ArchiveEntry(
        id=data["id"], level=data["level"], name=data["name"], forms=tuple(data["forms"]), parent=parent,
        abbreviation=data.get("abbreviation", ""), kind=data.get("kind", ""), place=data.get("place", ""),
        url=data.get("url", ""), description=" ".join(str(data.get("description", "")).split()),
        omitted_series=data.get("omitted_series", ""),
    )


def _add_tree(loaded: LoadedRegistry, data: LineDict, parent: str | None, shown: str, parent_level: str | None = None) -> None:
    entry = _entry(data, parent)
    if entry.id in loaded.registry.entries:
        first = loaded.lines[entry.id]
        loaded.problems.append(Problem(shown, data.line_of("id"), f"archive id {entry.id!r} is already defined in {first[0]}:{first[1]}", "give each repository, collection and series its own id"))
        return
    if parent_level is not None and _ORDER[entry.level] <= _ORDER[parent_level]:
        loaded.problems.append(Problem(shown, data.line_of("level"), f"{entry.level} {entry.id!r} cannot stand under a {parent_level}", "nest collections in repositories and series in collections or repositories"))
    loaded.registry.add(entry)
    loaded.lines[entry.id] = (shown, data.line_of("id"))
    children = data.get("children", []) or []
    for child in children:
        _add_tree(loaded, child, entry.id, shown, entry.level)


def _check_forms(loaded: LoadedRegistry) -> None:
    """A form claimed twice under one parent would make parsing ambiguous."""
    seen: dict[tuple[str | None, str, str], str] = {}
    for entry in loaded.registry.entries.values():
        for form in entry.forms:
            key = (entry.parent, entry.level, form)
            if key in seen:
                shown, line = loaded.lines[entry.id]
                loaded.problems.append(Problem(shown, line, f"the form {form!r} is claimed by {seen[key]!r} and {entry.id!r}", "each form may name one entry at a level"))
            seen[key] = entry.id


@dataclass
class DocumentNotes:
    """The parsed source notes of one document, with where each note stands."""

    doc_id: str
    source_path: str
    notes: list[ParsedNote]
    lines: dict[int, int]


def parse_corpus_notes(corpus: Corpus, registry: Registry) -> tuple[dict[str, DocumentNotes], list[Problem]]:
    """Parse the source notes of every document that has them.

    Parsed once per corpus, registry and bibliography: the archives check, the editorial
    notes (archive ids) and the glossary (citation spans) all need the same parse."""
    urls = bibliography_urls(corpus.root)  # once per corpus, not once per document (quadratic at N = 800)
    results, problems = corpus.shared("parse_corpus_notes", (registry, urls), lambda: _parse_corpus_notes(corpus, registry, urls))
    return dict(results), list(problems)


def _parse_corpus_notes(corpus: Corpus, registry: Registry, urls: dict[str, str]) -> tuple[dict[str, DocumentNotes], list[Problem]]:
    results: dict[str, DocumentNotes] = {}
    problems: list[Problem] = []
    for doc_id, conversion in corpus.conversions.items():
        if not conversion.notes:
            continue
        doc = conversion.document
        shown = display_path(doc.source.path, corpus.root)
        numbered = [(number, block.text) for number, block in conversion.notes.items()]
        parsed = parse_notes(numbered, registry, doc.meta.get("url", ""))
        link_publications(parsed, urls)
        lines = {number: block.line for number, block in conversion.notes.items()}
        results[doc_id] = DocumentNotes(doc_id, shown, parsed, lines)
        source_lines: list[str] | None = None
        for note in parsed:
            for issue in note.issues:
                # The note line in the source reads "  N. text": report the column of the problem.
                if source_lines is None:
                    source_lines = doc.source.text.split("\n")  # split once per document, not per issue
                raw = source_lines[lines[note.number] - 1]
                column = raw.find(note.text) + issue.offset + 1 if note.text in raw else None
                problems.append(Problem(shown, lines[note.number], f"note {note.number}: {issue.message}", issue.hint, column, issue.severity))
    return results, problems


_BIB_ENTRY = re.compile(r"@\s*[A-Za-z]+\s*\{\s*([^,\s]+)\s*,(.*?)(?=\n\s*@|\Z)", re.S)
_BIB_URL = re.compile(r"\burl\s*=\s*[{\"]\s*(https://[^\s}\"]+)\s*[}\"]", re.I)


def bibliography_urls(root: Path) -> dict[str, str]:
    """The address of every entry of ``docs/references.bib`` that has one, with its key.

    A publication cited in a note links to the bibliography when an entry has the same
    address (a FRUS document or volume on history.state.gov): addresses are compared, never
    guessed, so a work is linked only to the entry that describes it.
    """
    path = root / BIBLIOGRAPHY
    if not path.exists():
        return {}
    urls: dict[str, str] = {}
    for m in _BIB_ENTRY.finditer(path.read_text(encoding="utf-8")):
        url = _BIB_URL.search(m.group(2))
        if url:
            urls.setdefault(url.group(1).rstrip("/"), m.group(1))
    return urls


def link_publications(notes: list[ParsedNote], urls: dict[str, str]) -> None:
    """Give each publication the bibliography key of the entry with its address, if any."""
    for note in notes:
        for publication in note.publications:
            publication.bib_key = urls.get(publication.url, "") if publication.url else ""


@dataclass
class RegisterUnit:
    """One node of the archival register with the notes that cite it."""

    id: str
    level: str
    label: str
    entry: ArchiveEntry | None
    children: dict[str, "RegisterUnit"] = field(default_factory=dict)
    citations: list[tuple[str, int, str]] = field(default_factory=list)  # (doc id, note number, item)


def build_register(registry: Registry, parsed: dict[str, DocumentNotes]) -> dict[str, RegisterUnit]:
    """Repository → collection → series → file unit, each with every note citing it."""
    roots: dict[str, RegisterUnit] = {}
    for doc_id, doc_notes in parsed.items():
        for note in doc_notes.notes:
            for citation in note.citations:
                level_map = roots
                node: RegisterUnit | None = None
                for level in LEVELS[:-1]:
                    unit_id = citation.ids.get(level)
                    if not unit_id:
                        continue
                    entry = registry.entries.get(unit_id)
                    label = entry.name if entry else citation.levels[level]
                    node = level_map.setdefault(unit_id, RegisterUnit(unit_id, level, label, entry))
                    level_map = node.children
                if node is not None:
                    key = (doc_id, note.number, citation.levels.get("item", ""))
                    if key not in node.citations:
                        node.citations.append(key)
    return roots


def iter_units(units: dict[str, RegisterUnit]):
    for unit in units.values():
        yield unit
        yield from iter_units(unit.children)


def check_archives(corpus: Corpus) -> list[Problem]:
    """Validate the registry and parse every source note against it."""
    loaded = load_registry(corpus.root)
    _parsed, problems = parse_corpus_notes(corpus, loaded.registry)
    return loaded.problems + problems


@dataclass
class ArchivalReport:
    """How every archival reference of the edition was recognised, level by level.

    ``levels[level][how]`` counts the levels a note states itself (``how`` one of
    :data:`~scholarly_edition.archival.HOW`); ``levels[level]["inherited"]`` those that
    "ibid." carries over from the reference before.  Guessed levels are warnings too.
    """

    documents: int = 0
    notes: int = 0
    citations: int = 0
    ibid: int = 0
    unparsed: int = 0
    warnings: int = 0
    levels: dict[str, dict[str, int]] = field(default_factory=lambda: {level: {h: 0 for h in (*HOW, "inherited")} for level in LEVELS})
    publications: dict[str, int] = field(default_factory=dict)
    documents_cited: int = 0

    def lines(self) -> list[str]:
        """The report as printed by ``edition check --archival-report``."""
        out = [
            f"archival references in {self.notes} note(s) of {self.documents} document(s): "
            f"{self.citations} citation(s) ({self.ibid} by “ibid.”), {sum(self.publications.values())} publication(s), "
            f"{self.documents_cited} document reference(s), {self.unparsed} unparsed, {self.warnings} warning(s)",
            f"  {'level':<12}{'registry':>10}{'pattern':>10}{'guess':>8}{'inherited':>11}",
        ]
        for level in LEVELS:
            row = self.levels[level]
            out.append(f"  {level.replace('_', ' '):<12}{row['registry']:>10}{row['pattern']:>10}{row['guess']:>8}{row['inherited']:>11}")
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.publications.items())) or "none"
        out.append(f"  publications (never in the archival register): {kinds}")
        return out


def archival_report(parsed: dict[str, DocumentNotes]) -> ArchivalReport:
    """Count, for every parsed note, how each level of each reference was recognised."""
    report = ArchivalReport(documents=len(parsed))
    for doc_notes in parsed.values():
        for note in doc_notes.notes:
            report.notes += 1
            report.warnings += sum(1 for issue in note.issues if issue.severity == "warning")
            report.unparsed += sum(1 for segment in note.segments if segment.kind == "unparsed")
            report.documents_cited += len(note.documents)
            for publication in note.publications:
                report.publications[publication.kind] = report.publications.get(publication.kind, 0) + 1
            for citation in note.citations:
                report.citations += 1
                report.ibid += citation.ibid
                for level in LEVELS:
                    if level not in citation.ids and level not in citation.levels:
                        continue
                    how = "inherited" if level in citation.inherited else citation.how.get(level, "pattern")
                    report.levels[level][how] += 1
    return report
