"""Find a paragraph's words, in order, in text extracted from a PDF or an EPUB.

Extracted text differs from the source in ways that do not change a word: line breaks,
hyphenation at the end of a line (pdftotext joins "govern-/ment" and also
"Commander-/in-Chief"), ligatures ("ﬀi"), note numbers glued to the word they follow
("named.2"), running heads, margin numbers and footnotes between two lines of a
paragraph, and a word hyphenated across a page turn ("sec-", the running head, "tors").  Words are compared as their letters and digits, lower-cased; a paragraph is
found when its first words stand together in the text, every word follows in order, and
almost every word directly follows the one before (only a page turn may come between).

The edition's own insertions are told apart, never the source's words: a bracketed
insertion that opens with one of :data:`EDITION_INSERTIONS` ("[Editor's note i: …]",
"[ibid. = …]", "[Archival references: …]", "[Chronology: …]") is removed from the
extracted text before matching, and the letters of the edition's notes (``marks``) may be
glued to a word ("juntac") or stand alone ("junta c").  Both only ever remove text that
the edition added: a word of the source that is lost or altered is still missing.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\S+")

#: How the edition's bracketed insertions open in print (sourcenotes, editorial, printing).
EDITION_INSERTIONS = ("Editor's note ", "Editor’s note ", "ibid. = ", "Ibid. = ", "Archival references: ", "Chronology: ")
_INSERTION = re.compile(r"\[(?:" + "|".join(re.escape(o).replace(r"\ ", r"\s+") for o in EDITION_INSERTIONS) + ")")


#: An editorial footnote at the foot of a PDF page: its letter, "Editor's note.", its text,
#: up to the next note (a source note's number or another letter) or the end of the page.
#: pdftotext may glue the note's letter to a word hyphenated at the foot of the page ("afh").
_EDITORIAL_FOOTNOTE = re.compile(
    r"[a-z]\n+Editor['’]s note\..*?(?=\n\d+\n|\n[a-z]{1,2}\n+Editor['’]s note\.|\f|\Z)", flags=re.S
)


def without_insertions(text: str) -> str:
    """The text without the edition's bracketed insertions (nested brackets included) and
    without the edition's own footnotes (they open with "Editor's note.")."""
    text = _EDITORIAL_FOOTNOTE.sub(" ", text)
    out, position = [], 0
    while (found := _INSERTION.search(text, position)) is not None:
        out.append(text[position:found.start()])
        depth, end = 0, found.start()
        while end < len(text):
            depth += {"[": 1, "]": -1}.get(text[end], 0)
            end += 1
            if depth == 0:
                break
        out.append(" ")
        position = end
    out.append(text[position:])
    return "".join(out)


def words(text: str) -> list[str]:
    """The words of a text as comparable tokens (letters and digits only, lower case)."""
    text = unicodedata.normalize("NFKC", text)
    tokens = ("".join(ch for ch in raw if ch.isalnum()).lower() for raw in _WORD.findall(text))
    return [t for t in tokens if t]


def _same(extracted: str, source: str, marks: frozenset[str] = frozenset()) -> bool:
    """Equal, or the extracted word carries a note number ("named2") or one of the
    edition's note letters ("juntac", "force.e3") glued to it."""
    if extracted == source:
        return True
    if not extracted.startswith(source):
        return False
    rest = extracted[len(source):]
    if rest.isdigit():
        return True
    glued = rest.rstrip("0123456789")
    return glued in marks


def _split_by_mark(first: str, second: str, word: str, marks: frozenset[str]) -> bool:
    """A word the edition's note letter splits: "blaiserh" + "s" is "blaisers" with mark "h"."""
    return any(first == word[:cut] + mark and second == word[cut:] for mark in marks for cut in range(1, len(word)) if first.endswith(mark))


def _continuation(haystack: list[str], position: int, word: str, reach: int = 80, marks: frozenset[str] = frozenset()) -> int | None:
    """A word hyphenated across a page turn: "sec-" here, running head and notes, "tors" later."""
    if position >= len(haystack):
        return None
    part = haystack[position]
    if not part or len(part) >= len(word) or not word.startswith(part):
        return None
    rest = word[len(part):]
    for later in range(position + 1, min(len(haystack), position + reach)):
        if _same(haystack[later], rest, marks):
            return later + 1
    return None


def find_in_order(haystack: list[str], needle: list[str], start: int = 0, head: int = 4, max_breaks: int = 3, marks: frozenset[str] = frozenset()) -> int | None:
    """Where ``needle`` ends in ``haystack`` (searching from ``start``), or None.

    The first ``head`` words must stand together; after that every word must follow in
    order, and at most ``max_breaks`` times may other text (a running head, notes at the
    foot of a page, a margin number) come between two words.
    """
    if not needle:
        return start
    head = min(head, len(needle))
    for begin in range(start, len(haystack) - head + 1):
        if not all(_same(haystack[begin + i], needle[i], marks) for i in range(head)):
            continue
        position, breaks = begin + head, 0
        for word in needle[head:]:
            while position < len(haystack) and haystack[position] in marks and not _same(haystack[position], word, marks):
                position += 1  # a note letter of the edition standing alone ("junta c")
            if position < len(haystack) and _same(haystack[position], word, marks):
                position += 1
                continue
            if position + 1 < len(haystack) and _split_by_mark(haystack[position], haystack[position + 1], word, marks):
                position += 2  # a note letter inside a word: "Blaiserh 's" for "Blaiser's"
                continue
            breaks += 1
            rest = _continuation(haystack, position, word, marks=marks)
            if rest is not None:
                position = rest
                continue
            while position < len(haystack) and not _same(haystack[position], word, marks):
                position += 1
            if position == len(haystack) or breaks > max_breaks:
                break
            position += 1
        else:
            return position
    return None


def missing_paragraphs(text: str, paragraphs: list[tuple[str, str]], marks: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The anchors of the paragraphs (anchor, text) not found, in order, in ``text``.

    ``marks``: the letters of the edition's notes, which may stand next to a word."""
    haystack = words(without_insertions(text))
    marks = frozenset(marks)
    missing, position = [], 0
    for anchor, paragraph in paragraphs:
        end = find_in_order(haystack, words(paragraph), position, marks=marks)
        if end is None:
            missing.append(anchor)
        else:
            position = end
    return missing


def edition_marks(corpus) -> set[str]:
    """The letters of the edition's notes of a corpus (a, b, c … per document)."""
    from scholarly_edition.notes import load_notes
    from scholarly_edition.sphinxext.editorial import letter_for

    notes = load_notes(corpus).notes
    most = max((len(per_doc) for per_doc in notes.values()), default=0)
    return {letter_for(i) for i in range(most)}
