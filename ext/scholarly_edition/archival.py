"""FRUS-style archival citations: parse a note into its parts without losing a character.

The Foreign Relations of the United States (FRUS) editors write archival references
general → specific ("National Archives and Records Administration, RG 59, Central Files
1964–66, POL 23–9 BOL"), abbreviate repeated references with "ibid." and refer to other
documents by type, number and post ("telegram 496 from La Paz", "See Document 152").
A reader wants those parts structured and linked; a historian wants the note exactly as
printed.  So this module never rewrites a note: it cuts it into :class:`Segment` spans
whose texts, joined, are the note again (``"".join(s.text for s in segments) == note``),
and hangs the structure (a :class:`Citation`, a :class:`DocumentRef`) on the spans.

It knows no Sphinx.  Repository and series names come from a :class:`Registry` (the
stand-off YAML files of :mod:`edition.archives`), so a new repository is a data change,
not a code change; where the registry knows nothing, generic FRUS conventions (record
groups, lot and job numbers, subject-numeric and decimal file codes) still give a
structure.  A citation that cannot be parsed stays verbatim and is reported as a
warning that quotes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable

#: Hierarchy levels of an archival citation, general to specific.
LEVELS = ("repository", "collection", "series", "file_unit", "item")

#: Security classifications and the no-marking formula FRUS uses at the head of the handling sentence.
CLASSIFICATION = re.compile(
    r"(?:Top Secret|Secret|Confidential|Limited Official Use|Official Use Only|Unclassified|"
    r"No classification marking)\b"
)
#: A record group of the National Archives.
RECORD_GROUP = re.compile(r"^RG \d+$")
#: Lot, job and Federal Records Center accession numbers: they identify a series.
LOT = re.compile(r"\b(?:Lot(?: File)? \d+ ?[A-Z] ?\d+|Job \d+[–-][A-Z]?\d+[A-Z]?|FRC \d+ ?[A-Z] ?\d+)")
#: The Department of State's central files, named with or without their years.
CENTRAL_FILES = re.compile(r"^(?:Central (?:Foreign Policy )?Files?)(?: \d{4}[–-]\d{2,4})?$")
#: File codes: subject-numeric ("POL 23–9 BOL", "TEL 6") and decimal ("770.00/1-2963", "379/4–1562").
FILE_CODE = re.compile(
    r"^(?:[A-Z]{2,5}(?: \d+(?:[–-]\d+)*)(?: [A-Z]{2,5})?|\d{3}(?:\.\d+)?[A-Z\d]*/\d+[–-]\d+)$"
)
#: A name that calls itself a series of files ("President’s Secretary’s Files", "Countries Series").
SERIES_WORDS = re.compile(r"\b(?:Files?|Series)$")
#: A span of years that completes the part before it ("Central Files, 1964-66").
YEARS = re.compile(r"^\d{4}[–-]\d{2,4}$")
#: Words that make a parenthetical look like an archival reference even when its repository is unknown.
ARCHIVAL_WORDS = re.compile(r"\b(?:Library|Archives?|Files?|Papers|Records|RG \d+|Lot \d+|Box \d+|Folder \d+|Job \d+)\b")
#: The start of a description of the document cited ("Memorandum of conversation; ibid., ...").
DOCUMENT_KIND = re.compile(
    r"^(?:Memorandum|Memo|Letter|Telegram|Circular telegram|Airgram|Despatch|Dispatch|Cable|"
    r"Intelligence (?:Information Cable|Note|Memorandum)|Report|Paper|Minutes|Notes|Record|Backchannel message|"
    r"Transcript|Briefing paper|Action memorandum|Information memorandum)\b"
)
#: Documents referred to by type, number and post: "telegram 496 from La Paz", "Telegram 267 to La Paz".
DOCUMENT_BY_NUMBER = re.compile(
    r"\b(?P<kind>[Tt]elegram|[Cc]ircular telegram|[Aa]irgram|[Dd]espatch|[Cc]able|[Bb]ackchannel message|[Ii]ntelligence [Nn]ote)"
    r" (?P<number>(?:[A-Z]{1,6}[ –-])?\d+(?:[–-]\d+)?)"
    r"(?: (?P<direction>to|from) (?:the )?(?P<post>[A-Z][\w’'.-]*(?: (?:de |da |do |del |la |el )?[A-Z][\w’'.-]*)*))?"
)
#: Documents of a FRUS volume referred to by number: "See Document 152", "Documents 150 and 151".
FRUS_DOCUMENT = re.compile(r"\b(?:[Ss]ee )?Documents? (?P<number>\d+)(?P<more>(?:(?:, | and |–)\d+)*)")
#: "ibid." in any case, the FRUS short form for the reference just cited.
IBID = re.compile(r"\b[Ii]bid\.")
#: Abbreviations after which a period does not end a sentence.
_NO_SENTENCE_END = re.compile(r"(?:\b(?:Vol|No|Nos|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Amb|p|pp|ca|cf|U\.S|Jr|Sr)|\b[A-Z])$")

#: Sentences of a source note after the handling line, by what they record.
REMARK_KINDS = (
    ("drafting", re.compile(r"^(?:Drafted|Cleared|Approved|Prepared|Initialed|Signed)\b|\b(?:drafted|cleared|approved) (?:by|in)\b")),
    ("transmission", re.compile(r"^(?:Repeated|Also sent|Sent|Pouched|Passed|Copies were sent|Received)\b")),
)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class ArchiveEntry:
    """One repository, collection or series of the registry."""

    id: str
    level: str  # repository | collection | series
    name: str
    forms: tuple[str, ...]
    parent: str | None = None
    abbreviation: str = ""
    kind: str = ""
    place: str = ""
    url: str = ""
    description: str = ""


@dataclass
class Registry:
    """Repositories, collections and series with the forms the notes write them in."""

    entries: dict[str, ArchiveEntry] = field(default_factory=dict)

    def add(self, entry: ArchiveEntry) -> None:
        self.entries[entry.id] = entry

    def children(self, parent: str | None, level: str) -> list[ArchiveEntry]:
        return [e for e in self.entries.values() if e.level == level and e.parent == parent]

    def match(self, text: str, level: str, parent: str | None) -> tuple[ArchiveEntry, str] | None:
        """The entry of ``level`` under ``parent`` whose longest form starts ``text``."""
        best: tuple[ArchiveEntry, str] | None = None
        for entry in self.children(parent, level):
            for form in entry.forms:
                if _starts_with_form(text, form) and (best is None or len(form) > len(best[1])):
                    best = (entry, form)
        return best


def _starts_with_form(text: str, form: str) -> bool:
    if not text.startswith(form):
        return False
    rest = text[len(form):]
    return rest == "" or rest.startswith(",") or rest.startswith(" ")


# --------------------------------------------------------------------------- results


@dataclass
class Citation:
    """An archival reference: repository → collection → series → file unit → item.

    ``levels`` holds the text of each level as printed (after "ibid." resolution it holds
    the levels inherited from the reference that "ibid." stands for); ``ids`` the
    registry or derived identifier of each level, used by the archival register.
    """

    text: str
    levels: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    ibid: bool = False
    inherited: tuple[str, ...] = ()
    lot: str = ""

    @property
    def expanded(self) -> str:
        """The full reference written out, as "ibid." stands for it."""
        return ", ".join(self.levels[level] for level in LEVELS if self.levels.get(level))

    @property
    def unit_id(self) -> str:
        """The most specific register unit: the file unit, else the series, and so on."""
        for level in ("file_unit", "series", "collection", "repository"):
            if level in self.ids:
                return self.ids[level]
        return ""


@dataclass(frozen=True)
class DocumentRef:
    """A reference to a document: by kind, number and post, or to a document of the volume."""

    kind: str
    number: str = ""
    direction: str = ""
    post: str = ""
    frus_numbers: tuple[str, ...] = ()


@dataclass
class Segment:
    """A span of a note: ``kind`` says what it is, ``part`` where in the note it stands."""

    text: str
    kind: str = "text"  # text | citation | document | document-description | unparsed
    part: str = "body"  # body | source | classification | drafting | transmission | remark
    start: int = 0
    citation: Citation | None = None
    document: DocumentRef | None = None


@dataclass(frozen=True)
class NoteIssue:
    """A problem found while parsing one note (located later by the caller)."""

    severity: str  # warning | error
    message: str
    hint: str
    offset: int


@dataclass
class ParsedNote:
    number: int
    text: str
    segments: list[Segment]
    issues: list[NoteIssue] = field(default_factory=list)

    @property
    def citations(self) -> list[Citation]:
        return [s.citation for s in self.segments if s.citation is not None]

    @property
    def documents(self) -> list[DocumentRef]:
        return [s.document for s in self.segments if s.document is not None]

    def part_text(self, part: str) -> str:
        return "".join(s.text for s in self.segments if s.part == part)


# --------------------------------------------------------------------------- citation parsing


def split_parts(text: str) -> list[tuple[int, str]]:
    """Split at ", " outside brackets and parentheses; each part with its offset."""
    parts: list[tuple[int, str]] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0 and text[i + 1:i + 2] == " ":
            parts.append((start, text[start:i]))
            start = i + 2
            i += 1
        i += 1
    parts.append((start, text[start:]))
    return [(offset, part) for offset, part in parts if part]


def slug(text: str) -> str:
    """An identifier-safe form of a name: lowercase ASCII words joined by hyphens."""
    import unicodedata

    text = re.sub(r"[‐-―−]", "-", text)  # dashes of every width separate words
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class CitationParser:
    """Parses archival references against a registry, resolving "ibid." as it goes.

    One parser reads the notes of one document in order: "ibid." stands for the
    reference cited just before it, in the same note or an earlier one.
    """

    def __init__(self, registry: Registry):
        self.registry = registry
        self.previous: Citation | None = None

    # -- public -------------------------------------------------------------

    def parse(self, text: str) -> Citation | None:
        """Parse one reference (no "ibid."); None when its repository is unknown."""
        match = self._repository(text)
        if match is None:
            return None
        entry, form = match
        citation = Citation(text)
        citation.levels["repository"] = form
        citation.ids["repository"] = entry.id
        rest = text[len(form):].lstrip(", ")
        self._fill(citation, split_parts(rest) if rest else [], entry.id, start_level="collection")
        self.previous = citation
        return citation

    def parse_ibid(self, text: str) -> Citation | None:
        """Resolve "ibid." or "ibid., <continuation>"; None when nothing was cited before."""
        if self.previous is None:
            return None
        before = self.previous
        continuation = IBID.sub("", text, count=1).lstrip(", ").strip()
        if not continuation:
            citation = replace(before, text=text, levels=dict(before.levels), ids=dict(before.ids), ibid=True, inherited=tuple(k for k in LEVELS if k in before.levels))
            self.previous = citation
            return citation
        level = self._level_of(continuation, before)
        keep = LEVELS[:LEVELS.index(level)]
        citation = Citation(text, ibid=True)
        for name in keep:
            if name in before.levels:
                citation.levels[name] = before.levels[name]
                citation.ids[name] = before.ids[name]
        citation.inherited = tuple(k for k in keep if k in before.levels)
        parent = self._parent_id(citation, level)
        self._fill(citation, split_parts(continuation), parent, start_level=level)
        self.previous = citation
        return citation

    # -- levels -------------------------------------------------------------

    def _repository(self, text: str) -> tuple[ArchiveEntry, str] | None:
        return self.registry.match(text, "repository", None)

    def _level_of(self, continuation: str, before: Citation) -> str:
        """At which level a continuation after "ibid.," starts."""
        if self._repository(continuation):
            return "repository"
        first = split_parts(continuation)[0][1]
        repo = before.ids.get("repository")
        if RECORD_GROUP.match(first) or self.registry.match(first, "collection", repo):
            return "collection"
        collection = before.ids.get("collection")
        if self.registry.match(first, "series", collection or repo) or LOT.search(first) or CENTRAL_FILES.match(first):
            return "series"
        if FILE_CODE.match(first) or first.startswith(("Box ", "Folder ")):
            return "file_unit"
        return "collection"

    def _parent_id(self, citation: Citation, level: str) -> str | None:
        index = LEVELS.index(level)
        for name in reversed(LEVELS[:index]):
            if name in citation.ids:
                return citation.ids[name]
        return None

    def _fill(self, citation: Citation, parts: list[tuple[int, str]], parent: str | None, start_level: str) -> None:
        """Assign the remaining comma-separated parts to levels, general to specific."""
        texts = [p for _, p in parts]
        i = 0
        if start_level == "repository":
            whole = ", ".join(texts)
            match = self._repository(whole)
            if match:
                entry, form = match
                citation.levels["repository"], citation.ids["repository"] = form, entry.id
                rest = whole[len(form):].lstrip(", ")
                texts = [p for _, p in split_parts(rest)] if rest else []
                parent, start_level = entry.id, "collection"
        repo_id = citation.ids.get("repository", parent or "")
        if start_level == "collection" and i < len(texts):
            known = self.registry.match(texts[i], "collection", repo_id)
            if known or RECORD_GROUP.match(texts[i]):
                name = texts[i]
                i += 1
                if i < len(texts) and texts[i].startswith("Records of "):  # "RG 59, Records of the Department of State"
                    name += ", " + texts[i]
                    i += 1
                citation.levels["collection"] = name
                citation.ids["collection"] = known[0].id if known else f"{repo_id}-{slug(name.split(',')[0])}"
            elif not self._is_series(texts[i], repo_id) and len(texts) - i >= 2 and not self._has_file_code(texts[i:i + 1]):
                citation.levels["collection"] = texts[i]
                citation.ids["collection"] = f"{repo_id}-{slug(texts[i])}"
                i += 1
            start_level = "series"
        parent = citation.ids.get("collection", citation.ids.get("repository", parent or ""))
        if start_level == "series" and i < len(texts):
            lot_at = next((j for j in range(i, len(texts)) if LOT.search(texts[j])), None)
            known = self.registry.match(texts[i], "series", parent)
            if known:
                end = i + 1
            elif CENTRAL_FILES.match(texts[i]):
                end = i + 1
            elif lot_at is not None:
                end = lot_at + 1
            elif (len(texts) - i >= 2 or SERIES_WORDS.search(texts[i])) and not FILE_CODE.match(texts[i]) and not texts[i].startswith(("Box ", "Folder ")):
                end = i + 1
            else:
                end = i
            if end < len(texts) and YEARS.match(texts[end]) and CENTRAL_FILES.match(texts[end - 1] if end else ""):
                end += 1  # "Central Files, 1964-66"
            if end > i:
                name = ", ".join(texts[i:end])
                citation.levels["series"] = name
                citation.ids["series"] = known[0].id if known and end == i + 1 else f"{parent}-{slug(name)}"
                lot = LOT.search(name)
                citation.lot = lot.group(0) if lot else ""
                i = end
            start_level = "file_unit"
        parent = citation.ids.get("series", parent)
        rest = texts[i:]
        if rest:
            code_at = next((j for j, t in enumerate(rest) if FILE_CODE.match(t)), None)
            unit = rest if code_at is None else rest[:code_at + 1]
            item = [] if code_at is None else rest[code_at + 1:]
            if start_level == "item":
                unit, item = [], rest
            if unit:
                citation.levels["file_unit"] = ", ".join(unit)
                citation.ids["file_unit"] = f"{parent}-{slug(', '.join(unit))}"
            if item:
                citation.levels["item"] = ", ".join(item)

    def _is_series(self, text: str, repo_id: str) -> bool:
        return bool(CENTRAL_FILES.match(text) or LOT.search(text) or self.registry.match(text, "series", repo_id))

    @staticmethod
    def _has_file_code(texts: Iterable[str]) -> bool:
        return any(FILE_CODE.match(t) for t in texts)


# --------------------------------------------------------------------------- note segmentation


def _sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence-ending period ("." + space + capital or "(")."""
    ends = []
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "." and depth == 0:
            after = text[i + 1:i + 3]
            if (after[:1] == " " and (after[1:2].isupper() or after[1:2] in "(“\"")) or i == len(text) - 1:
                if not _NO_SENTENCE_END.search(text[:i]):
                    ends.append(i + 1)
    return ends


def _parentheticals(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level parenthetical group, brackets included."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


class NoteParser:
    """Cuts FRUS notes into structured segments; one instance per document, notes in order."""

    def __init__(self, registry: Registry, volume_url: str = ""):
        self.citations = CitationParser(registry)
        self.volume_url = volume_url

    def parse(self, number: int, text: str) -> ParsedNote:
        issues: list[NoteIssue] = []
        if text.startswith("Source: "):
            segments = self._source_note(text, issues)
        else:
            segments = self._body(text, 0, "body", issues)
        assert "".join(s.text for s in segments) == text, "segmentation lost text"
        return ParsedNote(number, text, segments, issues)

    # -- the source note ----------------------------------------------------

    def _source_note(self, text: str, issues: list[NoteIssue]) -> list[Segment]:
        """"Source: <citation>. <classification>. <remarks>" — each part tagged."""
        label = "Source: "
        segments = [Segment(label, "text", "source", 0)]
        head = re.search(r"\.\s+(?=" + CLASSIFICATION.pattern + ")", text)
        if head is None:
            ends = _sentence_ends(text)
            cite_end = (ends[0] - 1) if ends else len(text)
            remarks_at = ends[0] if ends else len(text)
        else:
            cite_end = head.start()
            remarks_at = head.end()
        if re.fullmatch(r"[Ii]bid", text[len(label):cite_end]):
            cite_end += 1  # "Source: Ibid. Secret." — the period belongs to "Ibid."
        segments += self._citation_span(text[len(label):cite_end], len(label), "source", issues, explicit=True)
        if remarks_at > cite_end:
            segments.append(Segment(text[cite_end:remarks_at], "text", "source", cite_end))
        rest = text[remarks_at:]
        if not rest:
            return segments
        bounds = [0, *[e for e in _sentence_ends(rest)], len(rest)]
        sentences = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
        for index, (a, b) in enumerate(sentences):
            sentence = rest[a:b]
            if index == 0 and head is not None:
                part = "classification"
            else:
                core = sentence.strip()
                part = next((kind for kind, pattern in REMARK_KINDS if pattern.search(core)), "remark")
            segments += self._body(sentence, remarks_at + a, part, issues)
        return segments

    # -- prose with parenthetical references ----------------------------------

    def _body(self, text: str, base: int, part: str, issues: list[NoteIssue]) -> list[Segment]:
        segments: list[Segment] = []
        cursor = 0
        for start, end in _parentheticals(text):
            inner = text[start + 1:end - 1]
            if not self._looks_like_reference(inner):
                continue
            segments += self._prose(text[cursor:start + 1], base + cursor, part, issues)
            segments += self._group(inner, base + start + 1, part, issues)
            segments.append(Segment(")", "text", part, base + end - 1))
            cursor = end
        segments += self._prose(text[cursor:], base + cursor, part, issues)
        return [s for s in segments if s.text]

    def _looks_like_reference(self, inner: str) -> bool:
        pieces = [p.strip() for p in inner.split(";")]
        return any(
            IBID.match(p) or self.citations._repository(p) or DOCUMENT_KIND.match(p) or DOCUMENT_BY_NUMBER.match(p) or ARCHIVAL_WORDS.search(p)
            for p in pieces
        )

    def _group(self, inner: str, base: int, part: str, issues: list[NoteIssue]) -> list[Segment]:
        """A parenthetical reference: pieces separated by "; "."""
        segments: list[Segment] = []
        offset = 0
        for index, piece in enumerate(inner.split(";")):
            if index:
                segments.append(Segment(";", "text", part, base + offset - 1))
            lead = len(piece) - len(piece.lstrip())
            if lead:
                segments.append(Segment(piece[:lead], "text", part, base + offset))
            core = piece.strip()
            trail = piece[lead + len(core):]
            at = base + offset + lead
            if IBID.match(core) or self.citations._repository(core) or ARCHIVAL_WORDS.search(core) and not DOCUMENT_KIND.match(core):
                segments += self._citation_span(core, at, part, issues, explicit=True)
            elif DOCUMENT_KIND.match(core) or DOCUMENT_BY_NUMBER.match(core):
                segments += self._prose(core, at, part, issues, description=True)
            else:
                segments += self._prose(core, at, part, issues)
            if trail:
                segments.append(Segment(trail, "text", part, at + len(core)))
            offset += len(piece) + 1
        return segments

    def _citation_span(self, text: str, base: int, part: str, issues: list[NoteIssue], explicit: bool) -> list[Segment]:
        if IBID.match(text):
            citation = self.citations.parse_ibid(text)
            if citation is None:
                issues.append(NoteIssue("error", f"“{text}” has no earlier reference to stand for", "“ibid.” repeats the reference cited just before it; cite the reference in full here", base))
                return [Segment(text, "unparsed", part, base)]
        else:
            citation = self.citations.parse(text)
        if citation is None:
            issues.append(NoteIssue("warning", f"archival citation not recognised, kept verbatim: “{text}”", "add its repository (and series) to docs/annotations/archives/, or report the form", base))
            return [Segment(text, "unparsed", part, base)]
        return [Segment(text, "citation", part, base, citation=citation)]

    def _prose(self, text: str, base: int, part: str, issues: list[NoteIssue], description: bool = False) -> list[Segment]:
        """Free text: find document references and prose "ibid."; the rest stays text."""
        found: list[tuple[int, int, Segment]] = []
        for m in DOCUMENT_BY_NUMBER.finditer(text):
            ref = DocumentRef(m["kind"].lower(), m["number"], m["direction"] or "", m["post"] or "")
            found.append((m.start(), m.end(), Segment(m.group(0), "document", part, base + m.start(), document=ref)))
        for m in FRUS_DOCUMENT.finditer(text):
            numbers = (m["number"], *re.findall(r"\d+", m["more"] or ""))
            ref = DocumentRef("frus-document", frus_numbers=tuple(numbers))
            found.append((m.start(), m.end(), Segment(m.group(0), "document", part, base + m.start(), document=ref)))
        for m in IBID.finditer(text):
            end = self._prose_ibid_end(text, m.end())
            found.append((m.start(), end, None))  # type: ignore[arg-type]
        found.sort(key=lambda f: f[0])
        segments: list[Segment] = []
        cursor = 0
        for start, end, segment in found:
            if start < cursor:
                continue
            if start > cursor:
                segments.append(Segment(text[cursor:start], "document-description" if description else "text", part, base + cursor))
            if segment is None:
                segments += self._citation_span(text[start:end], base + start, part, issues, explicit=False)
            else:
                segments.append(segment)
            cursor = end
        if cursor < len(text):
            segments.append(Segment(text[cursor:], "document-description" if description and not found else "text", part, base + cursor))
        return segments

    @staticmethod
    def _prose_ibid_end(text: str, after: int) -> int:
        """Where a prose "ibid., ..." continuation ends: at the end of its sentence."""
        if not text.startswith(", ", after):
            return after
        ends = [e - 1 for e in _sentence_ends(text) if e - 1 > after]
        return ends[0] if ends else len(text.rstrip(".")) if text.endswith(".") else len(text)


def parse_notes(notes: Iterable[tuple[int, str]], registry: Registry, volume_url: str = "") -> list[ParsedNote]:
    """Parse the notes of one document in order (so "ibid." resolves across notes)."""
    parser = NoteParser(registry, volume_url)
    return [parser.parse(number, text) for number, text in notes]


def frus_document_url(volume_url: str, number: str) -> str:
    """The history.state.gov address of document ``number`` of the volume of ``volume_url``."""
    m = re.match(r"^(https://history\.state\.gov/historicaldocuments/[^/]+)/d\d+$", volume_url or "")
    return f"{m.group(1)}/d{number}" if m else ""
