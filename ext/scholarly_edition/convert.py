"""The converter: a verbatim source text plus its metadata becomes a MyST page.

The page is generated, committed and never edited by hand.  Conversion is
deterministic (the same input always gives the same bytes) and the only changes to the
text are the declared ones: markup escaping (invisible once rendered), note numbers that
become footnote references, ``[Page N]`` markers that become linkable page-break marks,
declared omissions that become visible editorial marks with the omitted text kept on the
page, and the normalisations listed in :data:`edition.metadata.NORMALISATIONS`.

Every paragraph gets the anchor ``<doc>-p<n>`` in reading order; headings get
``<doc>-h<n>``, captions of images not reproduced ``<doc>-fig<n>``, page breaks
``<doc>-page<N>`` and source notes ``<doc>-n<k>``.

Paragraph numbers never move.  An omission keeps the numbers of the lines it leaves out
(``keep_numbers``, the default): they lead to the omission mark, so omitting a paragraph
after a release cannot renumber the paragraphs after it.  Only omissions that existed
before the first release, when no number had been published, say ``keep_numbers: false``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .errors import EditionError, Problem, ProblemCollector
from .metadata import NOT_NAMED, SourceDocument, as_plain, display_path

#: Characters that CommonMark/MyST could read as markup anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#|$~&^%])")
#: Constructs that are markup only at the start of a line.
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")
_BLOCK_START_CHARS = "-+=>:(!"

#: A note number glued to the word or punctuation before it ("Posts1", "named.2"),
#: followed by white space or the end of the line.  Digits after a dash ("POL 23–9"),
#: a space ("Lot 70 D 443") or another digit are never markers.
#: ("(?=\d)" first only makes the search fast, with the same matches: the look-behind was tried at every position.)
NOTE_MARKER = re.compile(r"(?=\d)(?<=[^\W\d_]|[.,;:!?”’\"')])(\d{1,2})(?=\s|$)")
#: A source note at the end of the copy: "  1. Source: ...".
SOURCE_NOTE_LINE = re.compile(r"^\s*(\d{1,3})\.\s+(\S.*)$")
#: A page break of the printed original.
PAGE_BREAK = re.compile(r"\[Page (\d+)\]")

GENERATED_NOTICE = (
    "% This page is generated from sources/{id}.txt and sources/{id}.yaml by `edition convert`.\n"
    "% Do not edit it by hand: change the source metadata and run `make convert`.\n"
)


def escape_inline(text: str) -> str:
    """Escape ``text`` so MyST renders it literally, whatever characters it contains."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    escaped = _ORDERED_LIST_START.sub(r"\1\\\2", escaped)
    if escaped[:1] in _BLOCK_START_CHARS:
        escaped = "\\" + escaped
    return escaped


@dataclass
class Block:
    """One block of the page in reading order."""

    kind: str  # title | byline | heading | caption | paragraph | item | omission | note
    text: str
    line: int
    anchor: str = ""
    number: int = 0
    reason: str = ""
    omitted_lines: int = 0
    #: For an omission: the lines it leaves out that keep a paragraph number (their text).
    kept_paragraphs: list[str] = field(default_factory=list)
    #: For an omission: the paragraph numbers those lines keep.
    kept_numbers: list[int] = field(default_factory=list)


@dataclass
class Conversion:
    """The result of converting one source: the page and what was found on the way."""

    document: SourceDocument
    blocks: list[Block]
    notes: dict[int, Block] = field(default_factory=dict)

    @cached_property
    def markdown(self) -> str:
        """The MyST page, rendered when first asked for: validation and the build's corpus
        need only the blocks, and rendering (YAML front matter included) is most of the cost."""
        return _render(self.document, self.blocks, self.notes)

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind in ("paragraph", "item")]


@dataclass
class _Span:
    start: int
    end: int
    reason: str
    rule_line: int
    keep_numbers: bool = True


def _find_omissions(doc: SourceDocument, shown_meta: str, collector: ProblemCollector) -> list[_Span]:
    """Locate each declared omission in the text; a rule that matches nothing is an error."""
    text = doc.source.text
    spans: list[_Span] = []
    rules = doc.structure.get("omissions", []) or []
    for index, rule in enumerate(rules):
        rule_line = rules.line_of(index) if hasattr(rules, "line_of") else None
        start_text = rule["start"]
        reason = str(rule.get("reason", ""))
        if "`" in reason or "\n" in reason or "\r" in reason:
            # the reason stands in the directive's first line: a backtick or a line break
            # would end the fence and let the omitted source text be read as markup
            reason_line = rule.line_of("reason") if hasattr(rule, "line_of") else rule_line
            collector.error(shown_meta, reason_line, f"omission reason {reason!r} contains a backtick or a line break", "write the reason on one line, without backticks")
            continue
        positions = [m.start() for m in re.finditer(re.escape(start_text), text)]
        occurrence = rule.get("occurrence")
        if not positions:
            collector.error(shown_meta, rule_line, f"omission rule matches nothing: start text {start_text!r} is not in the source", "copy the start text exactly from the source file")
            continue
        if occurrence is None and len(positions) > 1:
            collector.error(shown_meta, rule_line, f"omission start text {start_text!r} occurs {len(positions)} times", "add 'occurrence: N' to say which one is meant")
            continue
        if occurrence is not None and occurrence > len(positions):
            collector.error(shown_meta, rule_line, f"omission rule asks for occurrence {occurrence} of {start_text!r}, which occurs {len(positions)} times", "fix the occurrence number")
            continue
        begin = positions[(occurrence or 1) - 1]
        if "end" in rule:
            end_at = text.find(rule["end"], begin)
            if end_at < 0:
                collector.error(shown_meta, rule_line, f"omission rule matches nothing: end text {rule['end']!r} does not follow its start", "copy the end text exactly from the source file")
                continue
            end = end_at + len(rule["end"])
        else:
            line_end = text.find("\n", begin)
            end = len(text) if line_end < 0 else line_end
        spans.append(_Span(begin, end, rule["reason"], rule_line or 0, bool(rule.get("keep_numbers", True))))
    spans.sort(key=lambda s: s.start)
    for before, after in zip(spans, spans[1:]):
        if after.start < before.end:
            collector.error(shown_meta, after.rule_line, "omission overlaps the one before it", "make the omitted spans disjoint")
    return spans


def _segments(text: str, spans: list[_Span]) -> list[tuple[str, int, _Span | None]]:
    """Split the text into kept and omitted pieces, each with its starting line."""
    pieces: list[tuple[str, int, _Span | None]] = []
    cursor = 0
    for span in spans:
        if span.start > cursor:
            pieces.append((text[cursor:span.start], text.count("\n", 0, cursor) + 1, None))
        pieces.append((text[span.start:span.end], text.count("\n", 0, span.start) + 1, span))
        cursor = span.end
    if cursor < len(text):
        pieces.append((text[cursor:], text.count("\n", 0, cursor) + 1, None))
    return pieces


def _whole_lines(text: str, span: _Span) -> list[str]:
    """The lines an omission leaves out entirely (a line it only cuts stays a paragraph)."""
    lines = text[span.start:span.end].split("\n")
    if span.start > 0 and text[span.start - 1] != "\n":
        lines = lines[1:]
    if span.end < len(text) and text[span.end] != "\n" and lines:
        lines = lines[:-1]
    return lines


def _classify(doc: SourceDocument, shown_meta: str, shown_text: str, collector: ProblemCollector) -> list[Block]:
    """Turn the source into blocks: structure hints decide headings, captions and the like."""
    structure = doc.structure
    wanted: dict[str, tuple[str, int]] = {}
    for key, kind in (("title", "title"), ("byline", "byline")):
        if key in structure:
            wanted[structure[key]] = (kind, structure.line_of(key))
    for key, kind in (("headings", "heading"), ("captions", "caption")):
        values = structure.get(key, []) or []
        for index, value in enumerate(values):
            if value in wanted:
                collector.error(shown_meta, values.line_of(index), f"{value!r} is declared twice in the structure hints", "declare each line once")
            wanted[value] = (kind, values.line_of(index))
    found: dict[str, int] = {}
    marker = structure.get("list_marker")
    blocks: list[Block] = []
    spans = _find_omissions(doc, shown_meta, collector)
    for piece, first_line, span in _segments(doc.source.text, spans):
        if span is not None:
            kept_lines = [line for line in piece.split("\n") if line.strip()]
            numbered = [line.strip() for line in _whole_lines(doc.source.text, span) if line.strip() and line.strip() not in wanted] if span.keep_numbers else []
            blocks.append(Block("omission", piece, first_line, reason=span.reason, omitted_lines=len(kept_lines), kept_paragraphs=numbered))
            continue
        for offset, raw_line in enumerate(piece.split("\n")):
            line = raw_line.strip()
            if not line:
                continue
            number = first_line + offset
            if line in wanted:
                kind = wanted[line][0]
                found[line] = found.get(line, 0) + 1
                blocks.append(Block(kind, line, number))
            elif marker and line.startswith(marker):
                blocks.append(Block("item", line[len(marker):].strip(), number))
            else:
                blocks.append(Block("paragraph", line, number))
    for value, (kind, rule_line) in wanted.items():
        if found.get(value, 0) == 0:
            collector.error(shown_meta, rule_line, f"{kind} {value!r} matches no line of the source", "copy the whole line exactly from the source file")
        elif found[value] > 1:
            collector.error(shown_meta, rule_line, f"{kind} {value!r} matches {found[value]} lines of the source", "declare an omission for the repeated copy, or report the ambiguity")
    if not any(b.kind == "title" for b in blocks):
        collector.error(shown_meta, structure.line, "the document has no title line", "set structure.title to the source line that is the title")
    return blocks


def _split_source_notes(blocks: list[Block]) -> dict[int, Block]:
    """Take the trailing numbered notes (1, 2, ... n, consecutive) off the end of the blocks.

    Only a run that starts at 1 and counts up to the last line is taken, so a numbered
    paragraph of the text itself ("836. Subject: ...") is never mistaken for a note.
    """
    run: list[tuple[int, Block]] = []
    for block in reversed(blocks):
        match = SOURCE_NOTE_LINE.match(block.text) if block.kind == "paragraph" else None
        if not match:
            break
        run.insert(0, (int(match.group(1)), block))
    while run and [n for n, _ in run] != list(range(1, len(run) + 1)):
        run.pop(0)
    notes: dict[int, Block] = {}
    for number, block in run:
        blocks.remove(block)
        text = SOURCE_NOTE_LINE.match(block.text).group(2)  # type: ignore[union-attr]
        notes[number] = Block("note", text, block.line, number=number)
    return notes


def _check_note_markers(blocks: list[Block], notes: dict[int, Block], shown_text: str, collector: ProblemCollector) -> None:
    """Every marker needs a note and every note a marker, each exactly once and in order."""
    seen: dict[int, int] = {}
    for block in blocks:
        if block.kind in ("omission", "caption"):
            continue
        for match in NOTE_MARKER.finditer(block.text):
            number = int(match.group(1))
            if number not in notes:
                collector.error(shown_text, block.line, f"note number {number} (in {block.text[max(0, match.start() - 12):match.end()]!r}) has no note", "copy the missing note from the original to the end of the text; if the number is part of the words (a year, a figure), report it: only a number glued to a word is read as a note number", match.start() + 1)
            elif number in seen:
                collector.error(shown_text, block.line, f"note number {number} occurs twice in the text", "each note is referred to once")
            seen[number] = block.line
    for number, note in notes.items():
        if number not in seen:
            collector.error(shown_text, note.line, f"note {number} has no number in the text", "check the copy: the note number may be missing from the text")
    if list(seen) != sorted(seen):
        collector.error(shown_text, None, "note numbers in the text are out of order", "check the copy against the original")


def _assign_anchors(doc_id: str, blocks: list[Block]) -> None:
    """Number paragraphs, headings, captions and omissions in reading order."""
    prefixes = {"paragraph": "p", "item": "p", "heading": "h", "caption": "fig", "omission": "omission"}
    counters: dict[str, int] = {}
    for block in blocks:
        if block.kind == "byline":
            block.anchor = f"{doc_id}-byline"
            continue
        if block.kind == "omission":
            # the omitted lines keep their paragraph numbers: later numbers never move
            for _ in block.kept_paragraphs:
                counters["p"] = counters.get("p", 0) + 1
                block.kept_numbers.append(counters["p"])
        prefix = prefixes.get(block.kind)
        if prefix is None:
            continue
        counters[prefix] = counters.get(prefix, 0) + 1
        block.number = counters[prefix]
        block.anchor = f"{doc_id}-{prefix}{block.number}"


def render_inline(text: str, doc_id: str, source_notes: bool, page_breaks: bool) -> str:
    """Escape a line and turn note numbers and page breaks into MyST markup."""
    tokens: list[tuple[int, int, str]] = []
    if page_breaks:
        for m in PAGE_BREAK.finditer(text):
            tokens.append((m.start(), m.end(), f"{{page-break}}`{m.group(1)}`"))
    if source_notes:
        for m in NOTE_MARKER.finditer(text):
            tokens.append((m.start(), m.end(), f"[^{doc_id}-n{int(m.group(1))}]"))
    tokens.sort()
    out, cursor = [], 0
    for start, end, markup in tokens:
        out.append(_escape_piece(text[cursor:start], at_line_start=cursor == 0))
        out.append(markup)
        cursor = end
    out.append(_escape_piece(text[cursor:], at_line_start=cursor == 0))
    return "".join(out)


def _escape_piece(piece: str, at_line_start: bool) -> str:
    if not piece:
        return ""
    return escape_inline(piece) if at_line_start else _INLINE_SPECIAL.sub(r"\\\1", piece)


def _fence_for(lines: list[str]) -> str:
    """A backtick fence longer than any backtick run in the content."""
    longest = max((len(m.group(0)) for line in lines for m in re.finditer(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _front_matter(doc: SourceDocument) -> str:
    meta = {k: v for k, v in as_plain(doc.meta).items() if k != "structure"}
    meta["normalisations"] = doc.source.normalisations
    body = yaml.safe_dump({"edition": meta}, allow_unicode=True, sort_keys=True, width=100)
    return "---\n" + body + "---\n"


def _render(doc: SourceDocument, blocks: list[Block], notes: dict[int, Block]) -> str:
    structure = doc.structure
    doc_id = doc.id
    notes_on = bool(structure.get("source_notes"))
    pages_on = bool(structure.get("page_breaks"))
    parts = [_front_matter(doc), GENERATED_NOTICE.format(id=doc_id)]
    in_list = False
    for block in blocks:
        inline = render_inline(block.text, doc_id, notes_on, pages_on) if block.kind not in ("omission", "caption") else ""
        if block.kind != "item" and in_list:
            in_list = False
        if block.kind == "title":
            parts.append(f"({doc_id})=\n# {inline}\n\n```{{edition-document}} {doc_id}\n```\n")
        elif block.kind == "byline":
            parts.append(f"{{#{block.anchor} .ed-byline}}\n{inline}\n")
        elif block.kind == "heading":
            parts.append(f"({block.anchor})=\n## {inline}\n")
        elif block.kind == "paragraph":
            parts.append(f"{{#{block.anchor}}}\n{inline}\n")
        elif block.kind == "item":
            parts.append(f"- {{#{block.anchor}}}\n  {inline}\n")
            in_list = True
        elif block.kind == "caption":
            fence = _fence_for([block.text])
            parts.append(f"{fence}{{image-not-reproduced}}\n:name: {block.anchor}\n\n{block.text}\n{fence}\n")
        elif block.kind == "omission":
            lines = block.text.split("\n")
            fence = _fence_for(lines)
            body = "\n".join(lines)
            kept = f":paragraphs: {' '.join(map(str, block.kept_numbers))}\n" if block.kept_numbers else ""
            parts.append(
                f"{fence}{{omission}} {block.reason}\n:name: {block.anchor}\n:lines: {block.omitted_lines}\n:source-line: {block.line}\n{kept}\n{body}\n{fence}\n"
            )
    for number, note in notes.items():
        parts.append(f"[^{doc_id}-n{number}]: {render_inline(note.text, doc_id, False, pages_on)}\n")
    return "\n".join(parts)


def convert(doc: SourceDocument, root: Path | None = None) -> Conversion:
    """Convert one source document; raise :class:`EditionError` listing every problem."""
    shown_meta = display_path(doc.meta_path, root)
    shown_text = display_path(doc.source.path, root)
    collector = ProblemCollector()
    blocks = _classify(doc, shown_meta, shown_text, collector)
    notes: dict[int, Block] = {}
    if doc.structure.get("source_notes"):
        notes = _split_source_notes(blocks)
        if not notes:
            collector.error(shown_meta, doc.structure.line_of("source_notes"), "source_notes is set but the text ends with no numbered notes", "remove source_notes or check the copy")
        _check_note_markers(blocks, notes, shown_text, collector)
    collector.raise_if_errors()
    _assign_anchors(doc.id, blocks)
    return Conversion(doc, blocks, notes)


def authors_line(doc: SourceDocument) -> str:
    names = doc.author_names()
    return ", ".join(names) if names else NOT_NAMED
