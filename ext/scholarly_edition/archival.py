"""FRUS-style archival citations: parse a note into its parts without losing a character.

The Foreign Relations of the United States (FRUS) editors write archival references
general → specific ("National Archives and Records Administration, RG 59, Central Files
1964–66, POL 23–9 BOL"), abbreviate repeated references with "ibid." and refer to other
documents by type, number and post ("telegram 496 from La Paz", "See Document 152").
A reader wants those parts structured and linked; a historian wants the note exactly as
printed.  So this module never rewrites a note: it cuts it into :class:`Segment` spans
whose texts, joined, are the note again (``"".join(s.text for s in segments) == note``),
and hangs the structure (a :class:`Citation`, a :class:`Publication`, a
:class:`DocumentRef`) on the spans.

It knows no Sphinx.  Repository, collection and series names come from a
:class:`Registry` (the stand-off YAML files of :mod:`scholarly_edition.archives`), so a
new repository is a data change, not a code change; where the registry knows nothing,
generic FRUS conventions (record groups, presidential libraries, lot and job numbers,
subject-numeric and decimal file codes) still give a structure.

Every level of a parsed citation records *how* it was recognised (:data:`HOW`): by a
registry entry, by a generic FRUS pattern, or by a guess from its position alone.  A
guess, an "ibid." continuation whose level cannot be told, and a reference that cannot
be parsed at all are reported as warnings with the note and offset, so that a parse is
either right or warned, never silently wrong.

Publications (FRUS volumes, the Public Papers of the Presidents, the Department of State
Bulletin, newspapers) are a separate kind of reference (:class:`Publication`): they are
never placed in the archival register, a cross-volume FRUS reference resolves to its own
volume on history.state.gov, and "ibid." stands for whichever reference, archival or
published, was cited last.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Union

from .publications import _PAGES, BULLETIN, MONTHS, Publication, frus_url, match_publication

#: Hierarchy levels of an archival citation, general to specific.
LEVELS = ("repository", "collection", "series", "file_unit", "item")
#: How a level was recognised, most to least certain.
HOW = ("registry", "pattern", "guess")


#: Security classifications and the no-marking formula FRUS uses at the head of the handling sentence.
CLASSIFICATION = re.compile(
    r"(?:Top Secret|Secret|Confidential|Limited Official Use|Official Use Only|Unclassified|"
    r"No classification marking)\b"
)
#: Handling and precedence markings that can open the handling line when no classification
#: is printed ("Extra Sensitive.", "Eyes Only.", "Priority.").
HANDLING = re.compile(
    r"(?:Extra Sensitive|Sensitive|Eyes Only|Literally Eyes Only|Personal and Confidential|Personal|"
    r"Exdis|Limdis|Nodis|Noforn|No Foreign Dissem|No Distribution|Roger Channel|Immediate|Priority|Flash|"
    r"Operational Immediate|Routine|Official[–-]Informal|Official Use)\b"
)
#: Sentences after the citation that record drafting, transmission or the state of the text.
REMARK_START = re.compile(
    r"(?:Drafted|Cleared|Approved|Prepared|Initialed|Signed|Repeated|Also sent|Sent|Pouched|Passed|"
    r"Received|Transmitted|Transcribed|Printed from|The source text|A (?:handwritten|typed|stamped) |A notation|"
    r"According to|This )\b"
)
#: A record group of the National Archives.
RECORD_GROUP = re.compile(r"^RG \d+$")
#: Lot, job and Federal Records Center accession numbers: they identify a series.  FRUS
#: sometimes prints a lot number without "Lot" after a colon ("S/S Files: 70 D 418").
LOT = re.compile(
    r"\b(?:Lot(?: File)? \d+ ?[A-Z] ?\d+|Job \d+[–-][A-Z]?\d+[A-Z]?|FRC \d+ ?[A-Z] ?\d+)"
    r"|(?:^|(?<=: ))\d{2} ?D ?\d{1,4}\b"
)
#: The Department of State's central files, named with or without their years.
CENTRAL_FILES = re.compile(r"^(?:Central (?:Foreign Policy )?Files?)(?: \d{4}[–-]\d{2,4})?$")
#: One file code: subject-numeric ("POL 23–9 BOL", "POL 7 GUYANA", "SCI 1–1 EURW–US",
#: "FN 10 DOM REP/IMF", "TEL 6") or decimal ("770.00/1-2963", "379/4–1562", "033.1100–NI/5–958").
_SUBJECT_CODE = r"[A-Z]{2,5}(?: \(?[A-Z]{2,4}\)?)? \d+(?:[–-]\d+)*(?: [A-Z]{2,}(?:[ –-][A-Z]+|/[A-Z]+)*)?"
_DECIMAL_CODE = r"\d{3}(?:\.\d+)?[A-Z\d]*(?:[–-][A-Z]{1,4})?(?:\([A-Z]\))?/\d+[–-]\d+"
_ONE_CODE = rf"(?:{_SUBJECT_CODE}|{_DECIMAL_CODE})"
#: A file code or a range of them ("739.00/10-261 through 739.00/11-1661").
FILE_CODE = re.compile(rf"^{_ONE_CODE}(?: through {_ONE_CODE})?$")
#: A name that calls itself a series ("President’s Secretary’s Files", "Countries Series", "Series V").
SERIES_WORDS = re.compile(r"(?:\b(?:Files?|Series)$|^Series [IVXLC\d]+$)")
#: A name that calls itself a collection: personal papers, record groups named in words, presidential materials.
COLLECTION_WORDS = re.compile(r"^(?:Papers of |Records of |.+ Papers$|.+ Presidential Materials$|.+ Records$)")
#: A span of years that completes the part before it ("Central Files, 1964-66").
YEARS = re.compile(r"^\d{4}[–-]\d{2,4}$")
#: Boxes, folders and volumes: file-unit words.
CONTAINER = re.compile(r"^(?:Box|Folder|Vol\.?|Volume|Tab) [\dIVXLC]")
#: A volume continuation after "ibid." ("Ibid., Vol. IV, Memos").
VOLUME = re.compile(r"^(?:Vol\.?|Volume) [\dIVXLC]")
#: The description of one item that FRUS puts after its collection (a recording, a memorandum).
ITEM_START = re.compile(
    r"^(?:Recording|Transcript|Memorandum|Letter|Telegram|Minutes|Notes|Summary|Record) (?:of|from|to|for|between|by)\b"
)
#: Repositories FRUS cites, recognised when the registry does not know them: a presidential
#: library, the National Archives, the Washington National Records Center, CIA, State, Defense.
GENERIC_REPOSITORY = re.compile(
    r"^(?:[A-Z][a-z]+ (?:Presidential )?Library|Washington National Records Center|"
    r"National Archives(?: and Records Administration)?|Central Intelligence Agency|"
    r"Department of (?:State|Defense)|National Security Council)(?=, |$)"
)
#: Words that make a parenthetical look like an archival reference even when its repository is unknown.
ARCHIVAL_WORDS = re.compile(r"\b(?:Library|Archives?|Files?|Papers|Records|RG \d+|Lot \d+|Box \d+|Folder \d+|Job \d+)\b")
#: The start of a description of the document cited ("Memorandum of conversation; ibid., ...").
DOCUMENT_KIND = re.compile(
    r"^(?:Memorandum|Memo|Letter|Telegram|Circular telegram|Airgram|Despatch|Dispatch|Cable|"
    r"Intelligence (?:Information Cable|Note|Memorandum)|Report|Paper|Minutes|Notes|Record|Backchannel message|"
    r"Transcript|Briefing paper|Action memorandum|Information memorandum|Recording)\b"
)
_POST_WORD = rf"(?!{MONTHS}\b)[A-Z][\w’'-]*(?:\.[A-Za-z][\w’'-]*)*"
#: Documents referred to by type, number and post: "telegram 496 from La Paz", "Telegram 267 to La Paz".
#: A date-time group ("271723Z") is a time stamp, not a number; a month name ends the post.
DOCUMENT_BY_NUMBER = re.compile(
    r"\b(?P<kind>[Tt]elegram|[Cc]ircular telegram|[Aa]irgram|[Dd]espatch|[Cc]able|[Bb]ackchannel message|[Ii]ntelligence [Nn]ote)"
    r" (?:(?P<stamp>\d{6}Z)\b|(?P<number>(?:[A-Z]{1,6}[ –-])?\d+(?:[–-]\d+)?)\b)"
    rf"(?: (?P<direction>to|from) (?:the )?(?P<post>{_POST_WORD}(?: (?:de |da |do |del |la |el )?{_POST_WORD})*))?"
)
#: Documents of a FRUS volume referred to by number: "See Document 152", "Documents 150 and 151".
FRUS_DOCUMENT = re.compile(r"\b(?:[Ss]ee )?Documents? (?P<number>\d+)(?P<more>(?:(?:, (?:and )?| and |–)\d+)*)")
#: "ibid." in any case, the FRUS short form for the reference just cited.
IBID = re.compile(r"\b[Ii]bid\.")
#: Two references in one: "Ibid. and FN 10 DOM REP, respectively".
RESPECTIVELY = re.compile(r"(?P<ibid>[Ii]bid\.)(?P<and> and )(?P<rest>[^;]+?)(?P<tail>, respectively\.?)")
#: A citation written in prose: "… is in the Johnson Library, National Security File, …".
PROSE_CITATION = re.compile(r"\b(?:is|are|was|were)(?: (?:also|printed|filed|found|located|preserved))? (?:in|among) (?:the )?(?=[A-Z])")
#: Abbreviations after which a period does not end a sentence.
_NO_SENTENCE_END = re.compile(r"(?:\b(?:Vol|No|Nos|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Amb|p|pp|ca|cf|U\.S|Jr|Sr|vol|doc)|\b[A-Z])$")

#: Sentences of a source note after the handling line, by what they record.
REMARK_KINDS = (
    ("drafting", re.compile(r"^(?:Drafted|Cleared|Approved|Prepared|Initialed|Signed)\b|\b(?:drafted|cleared|approved) (?:by|in)\b")),
    ("transmission", re.compile(r"^(?:Repeated|Also sent|Sent|Pouched|Passed|Copies were sent|Received|Transmitted)\b")),
)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class ArchiveEntry:
    """One repository, collection or series of the registry.

    ``omitted_series`` names the series a FRUS note means when it leaves the series out
    ("National Security File, Chile, Vol. II" for "…, Country File, Chile, …").
    """

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
    omitted_series: str = ""


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


#: Apostrophes the FRUS texts print interchangeably ("President’s", "Presidentʼs", "President's").
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


def _starts_with_form(text: str, form: str) -> bool:
    text, form = text[:len(form) + 1].translate(_APOSTROPHES), form.translate(_APOSTROPHES)
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
    registry or derived identifier of each level, used by the archival register; ``how``
    how each level was recognised (one of :data:`HOW`).  A series the note leaves out but
    the registry supplies (``omitted_series``) has an id and no text.
    """

    text: str
    levels: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    ibid: bool = False
    inherited: tuple[str, ...] = ()
    lot: str = ""
    unresolved: str = ""  # why a level could not be told, for the warning

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

    @property
    def confidence(self) -> str:
        """The least certain way any of its own (not inherited) levels was recognised."""
        own = [self.how[level] for level in self.how if level not in self.inherited]
        return max(own, key=HOW.index) if own else "registry"


Reference = Union[Citation, Publication]


@dataclass(frozen=True)
class DocumentRef:
    """A reference to a document: by kind, number (or time stamp) and post, or to a document of the volume."""

    kind: str
    number: str = ""
    direction: str = ""
    post: str = ""
    frus_numbers: tuple[str, ...] = ()
    timestamp: str = ""


@dataclass
class Segment:
    """A span of a note: ``kind`` says what it is, ``part`` where in the note it stands."""

    text: str
    kind: str = "text"  # text | citation | publication | document | document-description | unparsed
    part: str = "body"  # body | source | classification | drafting | transmission | remark
    start: int = 0
    citation: Citation | None = None
    document: DocumentRef | None = None
    publication: Publication | None = None


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
    def publications(self) -> list[Publication]:
        return [s.publication for s in self.segments if s.publication is not None]

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
    text = re.sub(r"[‐-―−]", "-", text)  # dashes of every width separate words
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class CitationParser:
    """Parses archival references against a registry, resolving "ibid." as it goes.

    One parser reads the notes of one document in order: "ibid." stands for the
    reference cited just before it (archival or published), in the same note or an
    earlier one.
    """

    def __init__(self, registry: Registry):
        self.registry = registry
        self.previous: Reference | None = None

    # -- public -------------------------------------------------------------

    def repository(self, text: str) -> tuple[str, str, str] | None:
        """(id, form, how) of the repository that starts ``text``: the registry's, else a generic FRUS one."""
        if BULLETIN.match(text):
            return None  # "Department of State Bulletin" is a publication, not the Department's files
        match = self.registry.match(text, "repository", None)
        if match is not None:
            return match[0].id, match[1], "registry"
        generic = GENERIC_REPOSITORY.match(text)
        if generic is not None:
            return slug(generic.group(0)), generic.group(0), "pattern"
        return None

    def parse(self, text: str) -> Citation | None:
        """Parse one reference (no "ibid."); None when its repository is unknown."""
        match = self.repository(text)
        if match is None:
            return None
        repo_id, form, how = match
        citation = Citation(text)
        citation.levels["repository"], citation.ids["repository"], citation.how["repository"] = form, repo_id, how
        rest = text[len(form):].lstrip(", ")
        self._fill(citation, [p for _, p in split_parts(rest)] if rest else [], repo_id, start_level="collection")
        self.previous = citation
        return citation

    def parse_continuation(self, text: str) -> Reference | None:
        """A continuation that stands for "ibid., <text>" ("Ibid. and FN 10 DOM REP, respectively")."""
        resolved = self.parse_ibid(f"Ibid., {text}")
        if resolved is not None:
            resolved.text = text
        return resolved

    def parse_ibid(self, text: str) -> Reference | None:
        """Resolve "ibid." or "ibid., <continuation>"; None when nothing was cited before."""
        before = self.previous
        if before is None:
            return None
        continuation = IBID.sub("", text, count=1).lstrip(", ").strip()
        if isinstance(before, Publication):
            resolved = self._publication_ibid(text, continuation, before)
            self.previous = resolved
            return resolved
        if not continuation:
            citation = Citation(text, dict(before.levels), dict(before.ids), dict(before.how), ibid=True,
                                inherited=tuple(k for k in LEVELS if k in before.ids), lot=before.lot)
            self.previous = citation
            return citation
        if not split_parts(continuation):
            return None
        level, how = self._level_of(continuation, before)
        keep = LEVELS[:LEVELS.index(level)]
        citation = Citation(text, ibid=True)
        for name in keep:
            if name in before.ids:
                if name in before.levels:
                    citation.levels[name] = before.levels[name]
                citation.ids[name] = before.ids[name]
                citation.how[name] = before.how.get(name, "pattern")
        citation.inherited = tuple(k for k in keep if k in before.ids)
        if level in ("series", "file_unit", "item") and before.lot and "series" in citation.inherited:
            citation.lot = before.lot
        parts = [p for _, p in split_parts(continuation)]
        if level == "file_unit" and VOLUME.match(parts[0]) and ", Vol" in before.levels.get("file_unit", ""):
            # "Ibid., Vol. IV, …" after "…, Chile, Vol. III, …": the same folder title, another volume.
            prefix = before.levels["file_unit"][: before.levels["file_unit"].rfind(", Vol")]
            parts[0] = f"{prefix}, {parts[0]}"
        parent = self._parent_id(citation, level)
        self._fill(citation, parts, parent, start_level=level)
        if how == "guess":
            citation.how[level] = "guess"
            citation.unresolved = f"the level at which “{continuation}” continues the reference before it is a guess ({level.replace('_', ' ')})"
        self.previous = citation
        return citation

    # -- publications ---------------------------------------------------------

    @staticmethod
    def _publication_ibid(text: str, continuation: str, before: Publication) -> Publication:
        ibid = Publication(text, before.kind, before.title, volume=before.volume, date=before.date,
                           document=before.document, pages=before.pages, url=before.url, ibid=True, bib_key=before.bib_key)
        if not continuation:
            return ibid
        doc = re.fullmatch(r"(?:Document|[Dd]oc\.) (\d+)\.?", continuation)
        pages = re.fullmatch(rf"({_PAGES})\.?", continuation)
        if doc and before.kind == "frus":
            ibid.document, ibid.pages = doc.group(1), ""
            ibid.url = frus_url(before.volume, doc.group(1)) if before.volume else ""
        elif pages:
            ibid.pages = pages.group(1)
            ibid.document = ""
            ibid.url = frus_url(before.volume) if before.volume else ""
        else:
            ibid.pages = ibid.document = ""
            ibid.url = frus_url(before.volume) if before.volume else ""
            ibid.date = "unresolved"
        return ibid

    # -- levels -------------------------------------------------------------

    def _level_of(self, continuation: str, before: Citation) -> tuple[str, str]:
        """At which level a continuation after "ibid.," starts, and how that was told."""
        if self.repository(continuation):
            return "repository", "pattern"
        first = split_parts(continuation)[0][1]
        repo = before.ids.get("repository")
        if self.registry.match(first, "collection", repo):
            return "collection", "registry"
        if RECORD_GROUP.match(first) or (COLLECTION_WORDS.match(first) and not SERIES_WORDS.search(first)):
            return "collection", "pattern"
        collection = before.ids.get("collection")
        if self.registry.match(first, "series", collection or repo):
            return "series", "registry"
        if LOT.search(first) or CENTRAL_FILES.match(first) or SERIES_WORDS.search(first):
            return "series", "pattern"
        if VOLUME.match(first):
            # "Ibid., Vol. IV": another volume of the folder cited before, if that folder has volumes.
            unit = before.levels.get("file_unit", "")
            return "file_unit", "pattern" if ", Vol" in unit or VOLUME.match(unit) else "guess"
        if FILE_CODE.match(first) or CONTAINER.match(first):
            return "file_unit", "pattern"
        if ITEM_START.match(first):
            return "item", "pattern"
        # A folder or item title: below the most specific level the reference before has.
        if "file_unit" in before.ids or "series" in before.ids:
            return "file_unit", "guess"
        if "collection" in before.ids:
            return "series", "guess"
        return "collection", "guess"

    @staticmethod
    def _parent_id(citation: Citation, level: str) -> str | None:
        index = LEVELS.index(level)
        for name in reversed(LEVELS[:index]):
            if name in citation.ids:
                return citation.ids[name]
        return None

    def _fill(self, citation: Citation, texts: list[str], parent: str | None, start_level: str) -> None:
        """Assign the remaining comma-separated parts to levels, general to specific."""
        i = 0
        how = citation.how
        if start_level == "repository":
            whole = ", ".join(texts)
            match = self.repository(whole)
            if match:
                repo_id, form, found = match
                citation.levels["repository"], citation.ids["repository"], how["repository"] = form, repo_id, found
                rest = whole[len(form):].lstrip(", ")
                texts = [p for _, p in split_parts(rest)] if rest else []
                parent, start_level = repo_id, "collection"
        repo_id = citation.ids.get("repository", parent or "")
        omitted = ""
        if start_level == "collection" and i < len(texts):
            known = self.registry.match(texts[i], "collection", repo_id)
            if known or RECORD_GROUP.match(texts[i]) or (COLLECTION_WORDS.match(texts[i]) and not self._is_series(texts[i], repo_id)):
                name = texts[i]
                i += 1
                if i < len(texts) and texts[i].startswith("Records of "):  # "RG 59, Records of the Department of State"
                    name += ", " + texts[i]
                    i += 1
                citation.levels["collection"] = name
                citation.ids["collection"] = known[0].id if known else f"{repo_id}-{slug(name.split(',')[0])}"
                how["collection"] = "registry" if known else "pattern"
                omitted = known[0].omitted_series if known else ""
            elif (not self._is_series(texts[i], repo_id) and len(texts) - i >= 2 and not FILE_CODE.match(texts[i])
                  and not CONTAINER.match(texts[i]) and not ITEM_START.match(texts[i]) and not SERIES_WORDS.search(texts[i])):
                citation.levels["collection"] = texts[i]
                citation.ids["collection"] = f"{repo_id}-{slug(texts[i])}"
                how["collection"] = "guess"
                i += 1
            start_level = "series"
        elif start_level == "series" and "collection" in citation.ids:
            entry = self.registry.entries.get(citation.ids["collection"])
            omitted = entry.omitted_series if entry else ""
        parent = citation.ids.get("collection", citation.ids.get("repository", parent or ""))
        if start_level == "series" and i < len(texts):
            lot_at = next((j for j in range(i, min(i + 2, len(texts))) if LOT.search(texts[j])), None)
            known = self.registry.match(texts[i], "series", parent)
            end, found = i, ""
            if known:
                end, found = i + 1, "registry"
            elif CENTRAL_FILES.match(texts[i]):
                end, found = i + 1, "pattern"
            elif lot_at is not None:
                end, found = lot_at + 1, "pattern"
            elif SERIES_WORDS.search(texts[i]):
                end, found = i + 1, "pattern"
            elif FILE_CODE.match(texts[i]) or CONTAINER.match(texts[i]) or ITEM_START.match(texts[i]):
                end = i
            elif omitted and omitted in self.registry.entries:
                # The note leaves the series out ("National Security File, Chile, Vol. II"): the
                # registry says which one it is; a volume or year after the folder title confirms it.
                cue = i + 1 < len(texts) and re.match(r"^(?:Vol\.?|Volume|Box) |^\d{4}\b|^(?:Security|General)$", texts[i + 1])
                citation.ids["series"] = omitted
                how["series"] = "pattern" if cue else "guess"
            elif len(texts) - i >= 2:
                end, found = i + 1, "guess"
            if end < len(texts) and end > i and YEARS.match(texts[end]) and CENTRAL_FILES.match(texts[end - 1]):
                end += 1  # "Central Files, 1964-66"
            if end > i:
                name = ", ".join(texts[i:end])
                citation.levels["series"] = name
                citation.ids["series"] = known[0].id if known and end == i + 1 else f"{parent}-{slug(name)}"
                how["series"] = found
                lot = LOT.search(name)
                citation.lot = lot.group(0) if lot else ""
                i = end
            start_level = "file_unit"
        parent = citation.ids.get("series", parent)
        rest = texts[i:]
        if not rest:
            return
        if start_level == "item" or ITEM_START.match(rest[0]):
            citation.levels["item"] = ", ".join(rest)
            how["item"] = "pattern"
            return
        code_at = next((j for j, t in enumerate(rest) if FILE_CODE.match(t)), None)
        unit = rest if code_at is None else rest[:code_at + 1]
        item = [] if code_at is None else rest[code_at + 1:]
        citation.levels["file_unit"] = ", ".join(unit)
        citation.ids["file_unit"] = f"{parent}-{slug(', '.join(unit))}"
        how["file_unit"] = "pattern"
        if item:
            citation.levels["item"] = ", ".join(item)
            how["item"] = "pattern"

    def _is_series(self, text: str, repo_id: str) -> bool:
        return bool(CENTRAL_FILES.match(text) or LOT.search(text) or self.registry.match(text, "series", repo_id))


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


def _split_top(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside parentheses and brackets (pieces keep their spaces)."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


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
        segments = [s for s in segments if s.text]
        if "".join(s.text for s in segments) != text:  # never lose or add a character
            raise AssertionError("segmentation lost text")
        return ParsedNote(number, text, segments, issues)

    # -- the source note ----------------------------------------------------

    def _source_note(self, text: str, issues: list[NoteIssue]) -> list[Segment]:
        """"Source: <citation>. <handling>. <remarks>" — each part tagged.

        The citation ends at the first ". " followed by a classification, a handling
        marking ("Extra Sensitive.") or a remark ("Drafted by …"): the citation itself
        may hold periods ("Vol. III", "Lot 70 D 443.").
        """
        label = "Source: "
        segments = [Segment(label, "text", "source", 0)]
        head = re.search(r"\.\s+(?=" + CLASSIFICATION.pattern + "|" + HANDLING.pattern + ")", text)
        remark = re.search(r"\.\s+(?=" + REMARK_START.pattern + ")", text)
        if remark is not None and (head is None or remark.start() < head.start()):
            head = None  # no handling line: the remarks follow the citation directly
            cite_end, remarks_at = remark.start(), remark.end()
        elif head is not None:
            cite_end, remarks_at = head.start(), head.end()
        else:
            ends = _sentence_ends(text)
            cite_end = (ends[0] - 1) if ends else len(text)
            remarks_at = ends[0] if ends else len(text)
        cite_end = max(cite_end, len(label))
        if re.fullmatch(r"[Ii]bid", text[len(label):cite_end]):
            cite_end += 1  # "Source: Ibid. Secret." — the period belongs to "Ibid."
        segments += self._reference_span(text[len(label):cite_end], len(label), "source", issues)
        if remarks_at > cite_end:
            segments.append(Segment(text[cite_end:remarks_at], "text", "source", cite_end))
        rest = text[remarks_at:]
        if not rest:
            return segments
        bounds = [0, *[e for e in _sentence_ends(rest)], len(rest)]
        sentences = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
        for index, (a, b) in enumerate(sentences):
            sentence = rest[a:b]
            core = sentence.strip()
            if index == 0 and head is not None:
                part = "classification"
            elif part_is_handling(core) and all(p == "classification" for p in [s.part for s in segments if s.part != "source"]):
                part = "classification"  # "Secret. Extra Sensitive." — a second handling sentence
            else:
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
        pieces = [p.strip() for p in _split_top(inner, ";")]
        return any(
            IBID.match(p) or self.citations.repository(p) or DOCUMENT_KIND.match(p) or DOCUMENT_BY_NUMBER.match(p)
            or ARCHIVAL_WORDS.search(p) or self._publication_at_start(p)
            for p in pieces
        )

    @staticmethod
    def _publication_at_start(text: str) -> tuple[int, int, Publication] | None:
        found = match_publication(text)
        return found if found is not None and found[0] == 0 else None

    def _group(self, inner: str, base: int, part: str, issues: list[NoteIssue]) -> list[Segment]:
        """A parenthetical reference: pieces separated by "; "."""
        segments: list[Segment] = []
        offset = 0
        for index, piece in enumerate(_split_top(inner, ";")):
            if index:
                segments.append(Segment(";", "text", part, base + offset - 1))
            lead = len(piece) - len(piece.lstrip())
            if lead:
                segments.append(Segment(piece[:lead], "text", part, base + offset))
            core = piece.strip()
            trail = piece[lead + len(core):]
            at = base + offset + lead
            both = RESPECTIVELY.fullmatch(core)
            if both is not None:
                # "Ibid. and FN 10 DOM REP, respectively": the reference before, then a continuation of it.
                segments += self._citation_span(both["ibid"], at, part, issues)
                segments.append(Segment(both["and"], "text", part, at + both.start("and")))
                segments += self._continuation_span(both["rest"], at + both.start("rest"), part, issues)
                segments.append(Segment(both["tail"], "text", part, at + both.start("tail")))
            elif self._publication_at_start(core) or IBID.match(core) or self.citations.repository(core):
                segments += self._reference_span(core, at, part, issues)
            elif DOCUMENT_KIND.match(core) or DOCUMENT_BY_NUMBER.match(core):
                joined = self._joined_citation(core)
                if joined is None:
                    segments += self._prose(core, at, part, issues, description=True)
                else:  # "Memorandum from Rusk to Johnson, Johnson Library, …": description, comma, citation
                    segments += self._prose(core[:joined], at, part, issues, description=True)
                    segments.append(Segment(", ", "text", part, at + joined))
                    segments += self._reference_span(core[joined + 2:], at + joined + 2, part, issues)
            elif ARCHIVAL_WORDS.search(core):
                segments += self._reference_span(core, at, part, issues)
            else:
                segments += self._prose(core, at, part, issues)
            if trail:
                segments.append(Segment(trail, "text", part, at + len(core)))
            offset += len(piece) + 1
        return segments

    def _joined_citation(self, core: str) -> int | None:
        """Where a citation joined to its description by a comma starts (the comma's offset)."""
        for offset, part in split_parts(core)[1:]:
            if IBID.match(part) or self.citations.repository(core[offset:]) or self._publication_at_start(core[offset:]):
                return offset - 2
        return None

    def _reference_span(self, text: str, base: int, part: str, issues: list[NoteIssue]) -> list[Segment]:
        """One reference: a publication, "ibid." or an archival citation."""
        publication = self._publication_at_start(text)
        if publication is not None and not IBID.match(text):
            start, end, found = publication
            self.citations.previous = found
            segments = [Segment(text[:end], "publication", part, base, publication=found)]
            if end < len(text):
                segments += self._prose(text[end:], base + end, part, issues)
            return segments
        return self._citation_span(text, base, part, issues)

    def _citation_span(self, text: str, base: int, part: str, issues: list[NoteIssue]) -> list[Segment]:
        if IBID.match(text):
            reference = self.citations.parse_ibid(text)
            if reference is None:
                issues.append(NoteIssue("error", f"“{text}” has no earlier reference to stand for", "“ibid.” repeats the reference cited just before it; cite the reference in full here", base))
                return [Segment(text, "unparsed", part, base)]
            if isinstance(reference, Publication):
                if reference.date == "unresolved":
                    reference.date = ""
                    issues.append(NoteIssue("warning", f"“{text}”: the continuation after “ibid.” does not fit the publication it stands for ({reference.title})", "check the note; FRUS continues a publication with a document or page number", base))
                return [Segment(text, "publication", part, base, publication=reference)]
            citation = reference
        else:
            citation = self.citations.parse(text)
        if citation is None:
            issues.append(NoteIssue("warning", f"archival citation not recognised, kept verbatim: “{text}”", "add its repository (and series) to docs/annotations/archives/, or report the form", base))
            return [Segment(text, "unparsed", part, base)]
        self._confidence_issues(citation, base, issues)
        return [Segment(text, "citation", part, base, citation=citation)]

    def _continuation_span(self, text: str, base: int, part: str, issues: list[NoteIssue]) -> list[Segment]:
        reference = self.citations.parse_continuation(text)
        if reference is None:
            issues.append(NoteIssue("warning", f"“{text}” continues no earlier reference", "check the note", base))
            return [Segment(text, "unparsed", part, base)]
        if isinstance(reference, Publication):
            return [Segment(text, "publication", part, base, publication=reference)]
        reference.unresolved = reference.unresolved.replace("“Ibid., ", "“")
        self._confidence_issues(reference, base, issues)
        return [Segment(text, "citation", part, base, citation=reference)]

    @staticmethod
    def _confidence_issues(citation: Citation, base: int, issues: list[NoteIssue]) -> None:
        """A guessed level is a warning: the register would otherwise file the note silently under it."""
        if citation.unresolved:
            issues.append(NoteIssue("warning", f"“{citation.text}”: {citation.unresolved}", "add the collection or series to docs/annotations/archives/, or report the form", base))
            return
        for level in LEVELS:
            if citation.how.get(level) == "guess" and level not in citation.inherited:
                shown = citation.levels.get(level, "")
                where = citation.text.find(shown) if shown else -1
                what = f"“{shown}”" if shown else "left out by the note"
                issues.append(NoteIssue(
                    "warning", f"in “{citation.text}” the {level.replace('_', ' ')} {what} is a guess (not in the registry, and no FRUS pattern fits)",
                    "add it to docs/annotations/archives/ as a collection or series, or report the form", base + max(where, 0)))

    def _prose(self, text: str, base: int, part: str, issues: list[NoteIssue], description: bool = False) -> list[Segment]:
        """Free text: find document references, publications, prose citations and "ibid."; the rest stays text."""
        found: list[tuple[int, int, int, Segment | str | None]] = []  # (start, order, end, what)
        for m in PROSE_CITATION.finditer(text):
            if self.citations.repository(text[m.end():]):
                found.append((m.end(), 1, self._sentence_end(text, m.end()), "citation"))
        at = 0
        while (publication := match_publication(text, at)) is not None:
            start, end, _ = publication
            found.append((start, 0, end, "publication"))
            at = max(end, start + 1)
        for m in DOCUMENT_BY_NUMBER.finditer(text):
            ref = DocumentRef(m["kind"].lower(), m["number"] or "", m["direction"] or "", m["post"] or "", timestamp=m["stamp"] or "")
            found.append((m.start(), 2, m.end(), Segment(m.group(0), "document", part, base + m.start(), document=ref)))
        for m in FRUS_DOCUMENT.finditer(text):
            numbers = (m["number"], *re.findall(r"\d+", m["more"] or ""))
            ref = DocumentRef("frus-document", frus_numbers=tuple(numbers))
            found.append((m.start(), 3, m.end(), Segment(m.group(0), "document", part, base + m.start(), document=ref)))
        for m in IBID.finditer(text):
            found.append((m.start(), 4, self._prose_ibid_end(text, m.end()), None))
        found.sort(key=lambda f: (f[0], f[1]))
        segments: list[Segment] = []
        cursor = 0
        for start, _order, end, what in found:
            if start < cursor or end <= start:
                continue
            if start > cursor:
                segments.append(Segment(text[cursor:start], "document-description" if description else "text", part, base + cursor))
            if what is None:
                segments += self._citation_span(text[start:end], base + start, part, issues)
            elif what == "publication":
                segments += self._reference_span(text[start:end], base + start, part, issues)
            elif what == "citation":
                segments += self._citation_span(text[start:end], base + start, part, issues)
            else:
                assert isinstance(what, Segment)
                segments.append(what)
            cursor = end
        if cursor < len(text):
            segments.append(Segment(text[cursor:], "document-description" if description and not found else "text", part, base + cursor))
        return segments

    @staticmethod
    def _sentence_end(text: str, after: int) -> int:
        """Where the sentence that holds offset ``after`` ends, before its period.

        A reference in prose also ends where a parenthesis or a semicolon begins.
        """
        ends = [e - 1 for e in _sentence_ends(text) if e - 1 > after]
        end = ends[0] if ends else len(text)
        stop = re.compile(r"[(;)]").search(text, after)
        if stop is not None and stop.start() < end:
            end = stop.start()
        span = text[after:end].rstrip()
        if not ends or end < (ends[0] if ends else len(text)):
            span = span[:-1] if span.endswith(".") and len(span) > 1 else span
        return after + len(span)

    @classmethod
    def _prose_ibid_end(cls, text: str, after: int) -> int:
        """Where a prose "ibid., ..." continuation ends: at the end of its sentence."""
        if not text.startswith(", ", after):
            return after
        return cls._sentence_end(text, after)


def part_is_handling(sentence: str) -> bool:
    """A sentence made of classification and handling markings only ("Extra Sensitive.")."""
    words = [w.strip() for w in sentence.rstrip(".").split(";")]
    return bool(words) and all(CLASSIFICATION.fullmatch(w) or HANDLING.fullmatch(w) for w in words)


def parse_notes(notes: Iterable[tuple[int, str]], registry: Registry, volume_url: str = "") -> list[ParsedNote]:
    """Parse the notes of one document in order (so "ibid." resolves across notes)."""
    parser = NoteParser(registry, volume_url)
    return [parser.parse(number, text) for number, text in notes]


def frus_document_url(volume_url: str, number: str) -> str:
    """The history.state.gov address of document ``number`` of the volume of ``volume_url``."""
    m = re.match(r"^(https://history\.state\.gov/historicaldocuments/[^/]+)/d\d+$", volume_url or "")
    return f"{m.group(1)}/d{number}" if m else ""
