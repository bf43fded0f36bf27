"""Reading a new source's text before anyone writes its metadata.

A contributor who adds a document should not have to know that a FRUS copy ends with the
editors' notes, whose numbers are glued to words of the text ("…Carter1"), or that
"[Page 341]" marks a page of the printed original.  :func:`detect` reads the text and says
what it found, and why, so ``edition new document`` can write metadata that converts the
text correctly the first time; :func:`check_undeclared_structure` (a check of ``edition
check``) warns when a text looks structured but its metadata does not say so.

Detection only proposes: it never changes the text, and every rule it proposes is checked
by the converter as any hand-written rule is (a heading must match exactly one line, every
note number must have its note).  Omissions are only suggested (as comments), because
leaving text out of the reading text is an editorial decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .convert import NOTE_MARKER, PAGE_BREAK, SOURCE_NOTE_LINE
from .errors import Problem

#: Lines of web pages that are not the author's text (navigation, appeals, sharing).
CHROME = re.compile(
    r"^(skip to (main )?content|view featured image|share( this)?( article)?|subscribe\b.*|sign up\b.*|follow us\b.*|"
    r"advertisement|read more\b.*|related( articles| posts)?|print( this)?( page)?|donate\b.*|support (us|our)\b.*|"
    r".*\b(newsletter|whatsapp|telegram channel|donation|donate|fundraising)\b.*)$",
    re.IGNORECASE,
)
#: Captions and credits of images: "Photo: …", "Above photo: …", "Image: …", "Credit: …".
CAPTION = re.compile(r"(\b(photo|image|picture|illustration|credit)s?\s*:|\bphoto by\b|\(photo\b)", re.IGNORECASE)
#: The first line of a FRUS document: its number in the volume, then its title.
FRUS_TITLE = re.compile(r"^(\d{1,4})\.\s+(\S.*)$")
#: A FRUS volume in an address or an id: frus1964-68v31/d151, frus-1964-68-v31-d151.
FRUS_ADDRESS = re.compile(r"frus-?(\d{4})-(\d{2,4})-?v(\d+)(?:p\d+)?[/-]d(\d+)", re.IGNORECASE)
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


@dataclass(frozen=True)
class Finding:
    """One thing detected: what it means for the metadata, why, and where in the text."""

    what: str
    why: str
    line: int | None = None

    def format(self, shown: str) -> str:
        where = f"{shown}:{self.line}: " if self.line else f"{shown}: "
        return f"{where}{self.what}\n    because {self.why}"


@dataclass
class Detection:
    """What the text shows: structure hints, bibliographic fields, and the reasons."""

    structure: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    omission_candidates: list[tuple[int, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    missing_notes: list[tuple[int, int]] = field(default_factory=list)  # (note number, line of its number)


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


def trailing_notes(text: str) -> list[tuple[int, int, str]]:
    """The trailing run of numbered lines 1, 2, … n at the end of the text: (number, line, note)."""
    run: list[tuple[int, int, str]] = []
    for number, line in reversed(_lines(text)):
        match = SOURCE_NOTE_LINE.match(line)
        if not match:
            break
        run.insert(0, (int(match.group(1)), number, match.group(2)))
    while run and [n for n, _, _ in run] != list(range(1, len(run) + 1)):
        run.pop(0)
    return run


def glued_numbers(text: str, before_line: int | None = None) -> list[tuple[int, int, str]]:
    """Numbers glued to a word or punctuation in the body: (number, line, context)."""
    found = []
    for number, line in _lines(text):
        if before_line is not None and number >= before_line:
            break
        for match in NOTE_MARKER.finditer(line):
            found.append((int(match.group(1)), number, line[max(0, match.start() - 15):match.end()]))
    return found


def looks_like_source_notes(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(notes, markers) when the text ends with numbered notes whose numbers are glued to
    words of the body; ([], []) otherwise.  At least one note number must be found glued,
    so a numbered list at the end of an article is not taken for notes."""
    notes = trailing_notes(text)
    if not notes:
        return [], []
    markers = [m for m in glued_numbers(text, notes[0][1]) if m[0] <= len(notes)]
    if not markers:
        return [], []
    return notes, markers


def _frus_fields(doc_id: str, url: str, number: str | None) -> dict[str, Any]:
    """container, volume, number and short title in the edition's form, from a FRUS address or id."""
    match = FRUS_ADDRESS.search(url or "") or FRUS_ADDRESS.search(doc_id)
    if not match:
        return {"number": number} if number else {}
    first, last, volume, doc = match.groups()
    last_full = last if len(last) == 4 else first[: 4 - len(last)] + last
    vol = roman(int(volume))
    return {
        "outlet": "Foreign Relations of the United States",
        "container": f"Foreign Relations of the United States, {first}–{last_full}, Volume {vol}",
        "volume": vol,
        "number": number or doc,
        "short_title": f"FRUS {first}–{last[-2:]}, {vol}, doc. {number or doc}",
    }


def detect(text: str, doc_id: str = "", url: str = "", authors: list[str] | None = None) -> Detection:
    """Read a source text and propose its structure hints and bibliographic fields."""
    result = Detection()
    lines = _lines(text)
    if not lines:
        return result
    title_line = lines[0]
    result.structure["title"] = title_line[1]
    names = {a.strip() for a in authors or [] if a.strip()}
    byline = next(((n, l) for n, l in lines[1:5] if names and re.sub(r"^(by|By|BY)\s+", "", l) in names | {" and ".join(sorted(names))}), None)
    if byline and sum(1 for _, l in lines if l == byline[1]) == 1:
        result.structure["byline"] = byline[1]
        result.findings.append(Finding(f"byline: {byline[1]!r}", "the line names the author(s) given with --author", byline[0]))

    notes, markers = looks_like_source_notes(text)
    if notes:
        result.structure["source_notes"] = True
        glued = sorted({n for n, _, _ in markers})
        first_marker = markers[0]
        result.findings.append(Finding(
            f"source notes: structure.source_notes = true (notes 1–{len(notes)} become footnotes at their numbers)",
            f"the text ends with {len(notes)} numbered line(s) (lines {notes[0][1]}–{notes[-1][1]}), and the number(s) "
            f"{', '.join(map(str, glued))} are glued to words of the text (line {first_marker[1]}: {first_marker[2]!r})",
            notes[0][1]))
        missing = [n for n, _, _ in notes if n not in glued]
        for n in missing:
            result.missing_notes.append((n, notes[n - 1][1]))
            result.findings.append(Finding(
                f"note {n} has no number in the text: `edition convert` will refuse the text until the copy is checked",
                "no number glued to a word matches it", notes[n - 1][1]))

    pages = [(number, m.group(1)) for number, line in lines for m in PAGE_BREAK.finditer(line)]
    if pages:
        result.structure["page_breaks"] = True
        result.findings.append(Finding(
            f"page breaks: structure.page_breaks = true (pages {', '.join(p for _, p in pages)} become citable marks)",
            f"the text has {len(pages)} mark(s) like {'[Page ' + pages[0][1] + ']'!r} (line {pages[0][0]})", pages[0][0]))

    frus_title = FRUS_TITLE.match(title_line[1])
    source_note = notes and notes[0][2].startswith("Source:")
    if frus_title and (source_note or "frus" in (doc_id + url).lower()):
        number = frus_title.group(1)
        title = NOTE_MARKER.sub("", frus_title.group(2)).strip()
        fields = _frus_fields(doc_id, url, number)
        result.metadata.update(fields)
        result.metadata["title"] = title
        result.metadata["genre"] = "primary source"
        reasons = [f"the first line starts with a document number ({number}.)"]
        if source_note:
            reasons.append("note 1 begins 'Source:', as the FRUS editors' first note does")
        result.findings.append(Finding(
            "a document of the Foreign Relations of the United States: " + ", ".join(f"{k} = {v!r}" for k, v in fields.items()),
            " and ".join(reasons) + ("" if "container" in fields else "; give --url https://history.state.gov/historicaldocuments/frusYYYY-YYvNN/dNNN to fill the volume"),
            title_line[0]))
        if "container" in fields:
            result.findings.append(Finding("add the volume's subtitle to 'container' by hand (e.g. '…, Volume XXXI, <subtitle>')",
                                           "the text does not name it", None))

    note_lines = {line for _, line, _ in notes}
    counts: dict[str, int] = {}
    for _, line in lines:
        counts[line] = counts.get(line, 0) + 1
    headings, captions = [], []
    body = [(n, l) for n, l in lines[1:] if n not in note_lines and (not byline or n != byline[0])]
    for index, (number, line) in enumerate(body):
        if counts[line] != 1:
            continue
        if CHROME.match(line):
            result.omission_candidates.append((number, line))
            continue
        if CAPTION.search(line) and len(line) < 160:
            captions.append((number, line))
            continue
        following = body[index + 1][1] if index + 1 < len(body) else ""
        if (len(line) <= 70 and not re.search(r"[.,;:!?…]$|[.!?][”’\"']$", line) and line[:1].isupper()
                and not NOTE_MARKER.search(line) and not PAGE_BREAK.search(line) and len(following) > len(line) * 2
                and index > 0 and len(line.split()) >= 2):
            headings.append((number, line))
    if headings:
        result.structure["headings"] = [line for _, line in headings]
        result.findings.append(Finding(
            f"{len(headings)} heading(s): {', '.join(repr(l) for _, l in headings[:3])}{' …' if len(headings) > 3 else ''}",
            "short lines without closing punctuation, each followed by a longer paragraph", headings[0][0]))
    if captions:
        result.structure["captions"] = [line for _, line in captions]
        result.findings.append(Finding(
            f"{len(captions)} caption(s) of images not reproduced: {', '.join(repr(l) for _, l in captions[:3])}{' …' if len(captions) > 3 else ''}",
            "they credit a photo or an image (\"Photo:\", \"Image:\", …)", captions[0][0]))
    if result.omission_candidates:
        result.findings.append(Finding(
            f"{len(result.omission_candidates)} omission candidate(s), suggested as comments in the metadata: "
            + ", ".join(repr(l) for _, l in result.omission_candidates[:3]),
            "they read like web-page chrome (navigation, sharing, newsletters, donation appeals); "
            "uncomment a rule only if the line is not the author's text", result.omission_candidates[0][0]))
    return result


def omission_comments(detection: Detection) -> str:
    """The omission candidates as commented YAML, ready to be uncommented under ``structure:``."""
    if not detection.omission_candidates:
        return ""
    out = ["  # Omission candidates (web-page chrome?).  Uncomment a rule only if the line is not the",
           "  # author's text; the omitted text stays visible on the page under an omission mark.",
           "  # omissions:"]
    for number, line in detection.omission_candidates:
        quoted = line.replace("\\", "\\\\").replace('"', '\\"')
        out += [f"  #   - start: \"{quoted}\"  # line {number}", "  #     reason: <why it is left out, e.g. website navigation link>"]
    return "\n".join(out) + "\n"


def check_undeclared_structure(corpus) -> list[Problem]:
    """``edition check`` (rule ``undeclared-structure``): a text that ends with numbered notes
    whose numbers are glued to words, or that has "[Page N]" marks, must declare them;
    otherwise the notes would be read as paragraphs and the numbers as part of the words."""
    from .metadata import display_path

    problems: list[Problem] = []
    for doc_id, doc in sorted(corpus.documents.items()):
        shown_text = display_path(doc.source.path, corpus.root)
        shown_meta = display_path(doc.meta_path, corpus.root)
        structure = doc.structure
        text = doc.source.text
        if not structure.get("source_notes"):
            notes, markers = looks_like_source_notes(text)
            if notes:
                problems.append(Problem(
                    shown_text, notes[0][1],
                    f"the text ends with numbered notes 1–{len(notes)} and note numbers are glued to words "
                    f"(line {markers[0][1]}: {markers[0][2]!r}), but {shown_meta} does not declare source notes: "
                    "they would be read as paragraphs and the numbers as part of the words",
                    f"add 'source_notes: true' under 'structure:' in {shown_meta}", severity="warning"))
        if not structure.get("page_breaks"):
            page = next(((n, m.group(0)) for n, line in _lines(text) for m in PAGE_BREAK.finditer(line)), None)
            if page:
                problems.append(Problem(
                    shown_text, page[0],
                    f"the text has page marks like {page[1]!r}, but {shown_meta} does not declare page breaks",
                    f"add 'page_breaks: true' under 'structure:' in {shown_meta}", severity="warning"))
        summary = doc.meta.get("summary") if hasattr(doc.meta, "get") else None
        if not summary or "[to be written]" in str(summary):
            problems.append(Problem(
                shown_meta, doc.meta.line_of("summary") if summary and hasattr(doc.meta, "line_of") else None,
                f"document {doc_id!r} has no summary: its card on the landing page would be empty",
                "write 'summary: >-' with two sentences on what the document is and why it is in the edition"))
    return problems


def apply_detection(meta: dict[str, Any], detection: Detection, url: str = "") -> dict[str, Any]:
    """The scaffold's metadata with what the text shows: structure hints, FRUS fields, a short
    title in the edition's form ("Family Year", "FRUS 1964–68, XXXI, doc. 151") and a summary
    still to write.  ``structure`` stays the last key (omission suggestions follow it)."""
    from .contributed import PLACEHOLDER

    out = {k: v for k, v in meta.items() if k != "structure"}
    for key in ("container", "volume", "number", "short_title", "summary"):
        if key in detection.metadata:
            out[key] = detection.metadata[key]
    if "short_title" not in detection.metadata:
        authors = out.get("authors")
        year = str(out.get("date", {}).get("edtf", ""))[:4]
        if isinstance(authors, list) and authors and year.isdigit():
            out["short_title"] = f"{authors[0]['family']} {year}"
    if url:
        out["url"] = url
    out.setdefault("summary", PLACEHOLDER)
    out["structure"] = {**meta.get("structure", {}), **detection.structure}
    return out
