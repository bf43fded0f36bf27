"""Find a paragraph's words, in order, in text extracted from a PDF or an EPUB.

Extracted text differs from the source in ways that do not change a word: line breaks,
hyphenation at the end of a line (pdftotext joins "govern-/ment" and also
"Commander-/in-Chief"), ligatures ("ﬀi"), note numbers glued to the word they follow
("named.2"), running heads, margin numbers and footnotes between two lines of a
paragraph, and a word hyphenated across a page turn ("sec-", the running head, "tors").  Words are compared as their letters and digits, lower-cased; a paragraph is
found when its first words stand together in the text, every word follows in order, and
almost every word directly follows the one before (only a page turn may come between).
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\S+")


def words(text: str) -> list[str]:
    """The words of a text as comparable tokens (letters and digits only, lower case)."""
    text = unicodedata.normalize("NFKC", text)
    tokens = ("".join(ch for ch in raw if ch.isalnum()).lower() for raw in _WORD.findall(text))
    return [t for t in tokens if t]


def _same(extracted: str, source: str) -> bool:
    """Equal, or the extracted word carries a note number glued to it ("named2")."""
    return extracted == source or (extracted.startswith(source) and extracted[len(source):].isdigit())


def _continuation(haystack: list[str], position: int, word: str, reach: int = 80) -> int | None:
    """A word hyphenated across a page turn: "sec-" here, running head and notes, "tors" later."""
    if position >= len(haystack):
        return None
    part = haystack[position]
    if not part or len(part) >= len(word) or not word.startswith(part):
        return None
    rest = word[len(part):]
    for later in range(position + 1, min(len(haystack), position + reach)):
        if _same(haystack[later], rest):
            return later + 1
    return None


def find_in_order(haystack: list[str], needle: list[str], start: int = 0, head: int = 4, max_breaks: int = 3) -> int | None:
    """Where ``needle`` ends in ``haystack`` (searching from ``start``), or None.

    The first ``head`` words must stand together; after that every word must follow in
    order, and at most ``max_breaks`` times may other text (a running head, notes at the
    foot of a page, a margin number) come between two words.
    """
    if not needle:
        return start
    head = min(head, len(needle))
    for begin in range(start, len(haystack) - head + 1):
        if not all(_same(haystack[begin + i], needle[i]) for i in range(head)):
            continue
        position, breaks = begin + head, 0
        for word in needle[head:]:
            if position < len(haystack) and _same(haystack[position], word):
                position += 1
                continue
            breaks += 1
            rest = _continuation(haystack, position, word)
            if rest is not None:
                position = rest
                continue
            while position < len(haystack) and not _same(haystack[position], word):
                position += 1
            if position == len(haystack) or breaks > max_breaks:
                break
            position += 1
        else:
            return position
    return None


def missing_paragraphs(text: str, paragraphs: list[tuple[str, str]]) -> list[str]:
    """The anchors of the paragraphs (anchor, text) not found, in order, in ``text``."""
    haystack = words(text)
    missing, position = [], 0
    for anchor, paragraph in paragraphs:
        end = find_in_order(haystack, words(paragraph), position)
        if end is None:
            missing.append(anchor)
        else:
            position = end
    return missing
