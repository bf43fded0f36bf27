"""Coverage of the glossary: every capitalised name in the five texts is an entity or a reviewed ignore.

The scan lists maximal sequences of capitalised words ("Central Obrera Boliviana",
"Juan Carlos Huarachi"; "of", "the", "de", "la" may join them) in every paragraph, caption
and source note, after masking what the glossary already links.  A sentence's first word
is not taken as a name on its own (it is capitalised anyway), but the words after it are
("In March" yields "March").  What remains must be in IGNORED below, each with its reason.
"""

from __future__ import annotations

import re
from collections import Counter

from scholarly_edition.glossary import corpus_mentions, fold, load_registry, registry_dir, text_blocks

CONNECTORS = {"of", "the", "de", "la", "del", "for", "and", "on"}
WORD = r"[A-Z][\w'.-]*"
SEQUENCE = re.compile(rf"(?<![\w'])({WORD}(?:\s+(?:(?:{'|'.join(CONNECTORS)})\s+)*{WORD})*)")
SENTENCE_END = ".!?:;…"
OPENERS = " \t\n\"“”‘’'()[]"

_MONTHS = "January February March April May June July August September October November December Nov"
_DAYS = "Saturday Thursday"
_DEMONYMS = "American Americans Argentinean Bolivian Bolivians German Israeli Israelis Latin Palestinian Spanish"
_TITLES = (
    "President Vice Chancellor Secretary First General Chief Commander Commander-in-Chief Minister Interior "
    "Assistant State Western Hemisphere Affairs Economy Public Head Campaign Attorney Parliamentarians "
    "International Relations Government Administration Executive"
)
_ARCHIVAL = "BOL POL Lot D Vol II Memoranda Memorandum Country File Files Political Internal Defense Plan Source Secret Priority Drafted Telegram"

#: word -> why it is not a glossary entry.  Reviewed: each reason applies to every use in the texts.
IGNORED: dict[str, str] = {
    **{w: "a month or day: dates belong to the chronology, not the glossary" for w in (_MONTHS + " " + _DAYS).split()},
    **{w: "an adjective or demonym of a place that has its own entry (Bolivia, Israel, Latin America ...)" for w in _DEMONYMS.split()},
    **{w: "a word of an office or title (President, Commander-in-Chief, Minister of Economy ...): the holders have entries" for w in _TITLES.split()},
    **{w: "part of an archival citation in a FRUS source note (file codes, series, classification): the archival register's business" for w in _ARCHIVAL.split()},
    "Page": "the page-break mark [Page 341] of the printed FRUS volume, not a name",
    "Photo": "a photo-credit label in a caption",
    "I": "the pronoun",
    "God": "a religious invocation quoted from campaign speeches (\"in the name of God\"), not an actor of the events",
    "Pandora's": "an idiom (\"Pandora's box\")",
}


def _base(word: str) -> str:
    """The word without a possessive ending or trailing punctuation (October's -> October)."""
    word = word.rstrip(".,")
    return word[:-2] if word.endswith("'s") and word not in IGNORED else word


def starts_sentence(before: str) -> bool:
    """Whether a word preceded by ``before`` opens a sentence, a quotation or a list item."""
    stripped = before.rstrip()
    if stripped.endswith(("“", '"')):
        return True  # a quotation starts: "and added, “Now ..."
    stripped = re.sub(r"(\(?\d+\))+$", "", stripped.rstrip(OPENERS.replace(")", ""))).rstrip()  # "2) The", "did.(3) So"
    if stripped.endswith(")"):
        opening = stripped.rfind("(")
        # A parenthetical citation that itself follows a sentence: "... control.” (Memorandum ...) Reporting"
        return opening >= 0 and starts_sentence(stripped[:opening])
    stripped = stripped.rstrip(OPENERS)
    return not stripped or stripped[-1] in SENTENCE_END


def uncovered_names(corpus) -> Counter:
    registry = load_registry(registry_dir(corpus.root), corpus.root)
    mentions, _ = corpus_mentions(registry, corpus, include_citations=True)
    spans: dict[str, list[tuple[int, int]]] = {}
    for found in mentions.values():
        for block, mention in found:
            spans.setdefault(block.anchor, []).append((mention.start, mention.end))
    left: Counter = Counter()
    for block in text_blocks(corpus):
        text = fold(block.text)
        for start, end in spans.get(block.anchor, []):
            text = text[:start] + "|" * (end - start) + text[end:]
        for match in SEQUENCE.finditer(text):
            words = match.group(1).rstrip(".,'").split()
            if starts_sentence(text[: match.start()]):
                words = words[1:]
            while words and words[0] in CONNECTORS:
                words = words[1:]
            names = [w for w in words if w not in CONNECTORS]
            if names and not all(_base(w) in IGNORED for w in names):
                left[" ".join(words)] += 1
    return left


def test_every_capitalised_name_is_an_entity_or_a_reviewed_ignore(corpus):
    left = uncovered_names(corpus)
    assert not left, "names in the texts that no entity covers (add an entity or a justified ignore):\n" + "\n".join(f"  {n}× {name}" for name, n in sorted(left.items()))


def test_ignore_list_is_short_and_justified():
    reasons = set(IGNORED.values())
    assert len(reasons) <= 10, "the ignore list has grown into many categories: review it"
    assert all(len(reason) > 10 for reason in reasons)
    # No ignored word is a name the registry could cover: none is an alias of an entity.
    from pathlib import Path

    from scholarly_edition.glossary import load_registry

    root = Path(__file__).resolve().parent.parent
    registry = load_registry(registry_dir(root), root)
    aliases = {a.text for e in registry.entities.values() for a in e.aliases}
    assert not aliases & set(IGNORED)


def test_scan_finds_a_name_that_no_entity_covers(corpus, tmp_path):
    """The coverage scan is not vacuous: remove an entity and its name is reported."""
    from conftest import copy_project
    from scholarly_edition.corpus import Corpus

    project = copy_project(tmp_path)
    persons = project / "docs" / "annotations" / "entities" / "persons.yaml"
    text = persons.read_text("utf-8")
    start = text.index("- id: huarachi-juan-carlos")
    end = text.index("- id: salvatierra-adriana")
    persons.write_text(text[:start] + text[end:], "utf-8")
    left = uncovered_names(Corpus.load(project))
    assert left == Counter({"Juan Carlos Huarachi": 1})
