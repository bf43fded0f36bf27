"""Edition-wide coverage rules of ``edition check``: the apparatus reaches every name and date.

Two named rules, documented in CONTRIBUTING ("Rules of `edition check`"):

``names-without-entities``
    Every capitalised name in a text (a maximal run of capitalised words; "of", "the",
    "de", "la" … may join them) is linked to a glossary entity, or each of its words is in
    the reviewed ignore list.  A sentence's first word is not a name on its own.
``dates-without-events``
    Every explicit date in a text (day–month–year, month–year, month–day, a bare year) is
    covered by an event of the chronology attested at that paragraph or note, or is in the
    reviewed ignore list.

Both ignore lists live in ``docs/annotations/coverage.yaml``, each entry with its reason.
An ignore that no longer matches anything is reported, so the lists never rot.

For a document that a release has published (its page is in a released anchor registry,
``docs/anchors-released/``) a gap is an **error**; for a document not yet released it is a
**warning** — the to-do list of its annotation, which must be empty before its release.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import Corpus
from .errors import Problem
from .metadata import display_path

COVERAGE_FILE = Path("docs") / "annotations" / "coverage.yaml"
NAMES_RULE = "names-without-entities"
DATES_RULE = "dates-without-events"

# ------------------------------------------------------------------ the ignore lists


@dataclass
class Ignores:
    """The reviewed exceptions: word -> (reason, line); (anchor, text) -> (reason, line)."""

    words: dict[str, tuple[str, int]]
    dates: dict[tuple[str, str], tuple[str, int]]
    problems: list[Problem]


def load_ignores(root: Path) -> Ignores:
    """Read ``docs/annotations/coverage.yaml`` (missing file: no exceptions)."""
    from .yamlload import load_yaml_file

    path = root / COVERAGE_FILE
    shown = str(COVERAGE_FILE)
    ignores = Ignores({}, {}, [])
    if not path.exists():
        return ignores
    try:
        data: Any = load_yaml_file(path, shown)
    except Exception as exc:  # a YAML error names its own line
        problems = getattr(exc, "problems", None)
        ignores.problems += problems if problems else [Problem(shown, None, f"cannot read the file: {exc}", "fix the YAML syntax")]
        return ignores
    if not isinstance(data, dict):
        ignores.problems.append(Problem(shown, 1, "expected a mapping with 'names-without-entities' and 'dates-without-events'", "see CONTRIBUTING: Rules"))
        return ignores
    for index, item in enumerate(data.get(NAMES_RULE) or []):
        line = data[NAMES_RULE].line_of(index) if hasattr(data[NAMES_RULE], "line_of") else None
        reason, words = (item.get("reason"), item.get("words")) if isinstance(item, dict) else (None, None)
        if not isinstance(reason, str) or len(reason) < 10 or not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            ignores.problems.append(Problem(shown, line, f"entry {index + 1} of {NAMES_RULE} needs 'words' (a list) and a 'reason' of at least 10 characters", "write why none of these words is a name the glossary should explain"))
            continue
        for word in words:
            ignores.words[word] = (reason, line or 0)
    for index, item in enumerate(data.get(DATES_RULE) or []):
        line = data[DATES_RULE].line_of(index) if hasattr(data[DATES_RULE], "line_of") else None
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("anchor", "text", "reason")) or len(item["reason"]) < 40:
            ignores.problems.append(Problem(shown, line, f"entry {index + 1} of {DATES_RULE} needs 'anchor', 'text' and a 'reason' of at least 40 characters", "say why no event of the chronology should cover this date"))
            continue
        ignores.dates[(item["anchor"], item["text"])] = (item["reason"], line or 0)
    return ignores


# ------------------------------------------------------------------ where a block is, who is released


def block_locations(corpus: Corpus) -> dict[str, tuple[str, int]]:
    """anchor -> (source file, line) for every paragraph, caption, byline and source note."""
    where: dict[str, tuple[str, int]] = {}
    for doc_id, conversion in corpus.conversions.items():
        shown = display_path(conversion.document.source.path, corpus.root)
        for block in conversion.blocks:
            if block.anchor:
                where[block.anchor] = (shown, block.line)
        for number, note in conversion.notes.items():
            where[f"{doc_id}-n{number}"] = (shown, note.line)
    return where


def released_documents(root: Path) -> set[str]:
    """Ids of the documents whose page a release has published."""
    from . import anchors

    released: set[str] = set()
    for path in anchors.released_files(root):
        entries, _ = anchors.load(path)
        released |= {e.anchor for e in entries if e.kind == "ed:document"}
    return released


def _severity(doc_id: str, released: set[str]) -> str:
    return "error" if doc_id in released else "warning"


def _doc_of(anchor: str, corpus: Corpus) -> str:
    """The longest document id that, followed by "-", begins ``anchor`` ("" if none).

    Looks up the anchor's own prefixes, longest first, instead of trying every document
    (which made the rules quadratic in the number of documents)."""
    end = anchor.rfind("-")
    while end > 0:
        if anchor[:end] in corpus.documents:
            return anchor[:end]
        end = anchor.rfind("-", 0, end)
    return ""


# ------------------------------------------------------------------ names without entities

CONNECTORS = {"of", "the", "de", "la", "del", "for", "and", "on"}
WORD = r"[A-Z][\w'.-]*"
# "(?=[A-Z])" first changes no match (a name starts with a capital); it spares the look-behind
# at every other position of the text.
SEQUENCE = re.compile(rf"(?=[A-Z])(?<![\w'])({WORD}(?:\s+(?:(?:{'|'.join(CONNECTORS)})\s+)*{WORD})*)")
SENTENCE_END = ".!?:;…"
OPENERS = " \t\n\"“”‘’'()[]"


def _base(word: str, ignored: dict) -> str:
    """The word without a possessive ending or trailing punctuation (October's -> October)."""
    word = word.rstrip(".,")
    return word[:-2] if word.endswith("'s") and word not in ignored else word


def _without_list_numbers(text: str) -> str:
    """``re.sub(r"(\\(?\\d+\\))+$", "", text)``: the numbers "2)", "(3)" ending ``text`` removed.

    Read from the end, without a regular expression: that one tried every position of the
    text before the word, and this runs once per capitalised word of the edition."""
    if text.endswith("\n"):  # "$" matches before a final line break (only the last one)
        return _strip_list_numbers(text[:-1]) + "\n"
    return _strip_list_numbers(text)


def _strip_list_numbers(text: str) -> str:
    end = len(text)
    while end and text[end - 1] == ")":
        start = end - 1
        while start and text[start - 1].isdecimal():
            start -= 1
        if start == end - 1:
            break
        if start and text[start - 1] == "(":
            start -= 1
        end = start
    return text[:end]


def starts_sentence(before: str) -> bool:
    """Whether a word preceded by ``before`` opens a sentence, a quotation or a list item."""
    stripped = before.rstrip()
    if stripped.endswith(("“", '"')):
        return True  # a quotation starts: "and added, “Now ..."
    stripped = _without_list_numbers(stripped.rstrip(OPENERS.replace(")", ""))).rstrip()  # "2) The", "did.(3) So"
    if stripped.endswith(")"):
        opening = stripped.rfind("(")
        # A parenthetical citation that itself follows a sentence: "... control.” (Memorandum ...) Reporting"
        return opening >= 0 and starts_sentence(stripped[:opening])
    stripped = stripped.rstrip(OPENERS)
    return not stripped or stripped[-1] in SENTENCE_END


def uncovered_names(corpus: Corpus, ignored: dict[str, Any], registry=None) -> list[tuple[str, str]]:
    """(block anchor, name) for every capitalised name no entity links and no ignore covers."""
    from .glossary import fold, shared_mentions, shared_registry, text_blocks

    registry = registry or shared_registry(corpus)
    mentions, _ = shared_mentions(registry, corpus)  # the glossary check's, not a second pass
    spans: dict[str, list[tuple[int, int]]] = {}
    for found in mentions.values():
        for block, mention in found:
            spans.setdefault(block.anchor, []).append((mention.start, mention.end))
    left: list[tuple[str, str]] = []
    for block in text_blocks(corpus):
        text = fold(block.text)
        if block.anchor in spans:  # linked words are masked, in one copy of the text (not one per mention)
            chars = list(text)
            for start, end in spans[block.anchor]:
                chars[start:end] = "|" * (end - start)
            text = "".join(chars)
        for match in SEQUENCE.finditer(text):
            words = match.group(1).rstrip(".,'").split()
            if starts_sentence(text[: match.start()]):
                words = words[1:]
            while words and words[0] in CONNECTORS:
                words = words[1:]
            names = [w for w in words if w not in CONNECTORS]
            if names and not all(_base(w, ignored) in ignored for w in names):
                left.append((block.anchor, " ".join(words)))
    return left


_WORD_CHAR = re.compile(r"\w")


class ScopedAliases:
    """The registry's aliases limited to some documents, by folded text.

    :func:`scoped_alias_hint` asks, for every uncovered name, which of them occur in it as
    whole words.  Trying each alias's pattern on each name was quadratic in the size of the
    edition; instead the few stretches of the name that begin and end at word boundaries
    are looked up (the same occurrences ``(?<!\\w)alias(?!\\w)`` finds)."""

    def __init__(self, registry) -> None:
        from .glossary import fold

        self.by_text: dict[str, list[tuple[int, Any, Any]]] = {}
        order = 0
        for entity in registry.entities.values():
            for alias in entity.aliases:
                if alias.documents is not None:
                    self.by_text.setdefault(fold(alias.text), []).append((order, entity, alias))
                    order += 1
        self.empty = self.by_text.pop("", [])  # an empty alias "occurs" wherever two boundaries meet
        self._seen: dict[str, list[tuple[Any, Any]]] = {}  # the same names come back thousands of times

    def within(self, folded: str) -> list[tuple[Any, Any]]:
        """(entity, alias) of every scoped alias occurring in ``folded``, in registry order."""
        if folded not in self._seen:
            self._seen[folded] = self._within(folded)
        return self._seen[folded]

    def _within(self, folded: str) -> list[tuple[Any, Any]]:
        n = len(folded)
        starts = [i for i in range(n) if i == 0 or not _WORD_CHAR.match(folded[i - 1])]
        ends = [j for j in range(1, n + 1) if j == n or not _WORD_CHAR.match(folded[j])]
        hits: dict[int, tuple[int, Any, Any]] = {}  # by order: an alias found twice counts once
        if self.empty and any((k == 0 or not _WORD_CHAR.match(folded[k - 1])) and (k == n or not _WORD_CHAR.match(folded[k])) for k in range(n + 1)):
            hits.update((hit[0], hit) for hit in self.empty)
        for i in starts:
            for j in ends:
                if j > i:
                    hits.update((hit[0], hit) for hit in self.by_text.get(folded[i:j], ()))
        return [(entity, alias) for _order, entity, alias in sorted(hits.values(), key=lambda hit: hit[0])]


def scoped_alias_hint(registry, name: str, doc_id: str, scoped: ScopedAliases | None = None) -> str:
    """When an alias limited to other documents would match ``name``, say so: the fix is
    to add this document to the alias's scope, not to write a new entity.  (Pass ``scoped``,
    made once from the registry, when asking for many names.)"""
    from .glossary import fold

    folded = fold(name)
    found = []
    for entity, alias in (scoped or ScopedAliases(registry)).within(folded):
        if doc_id in alias.documents:
            continue
        scope = ", ".join(alias.documents)
        found.append(f"alias {alias.text!r} of {entity.id!r} is limited to {scope} ({entity.path}:{alias.line})")
    if not found:
        return ""
    if len(found) == 1:
        return found[0] + f": add this document to its scope (documents: [..., {doc_id}]) if it means the same"
    return "; ".join(found) + f": add this document ({doc_id}) to the scope of the one it means"


def check_names(corpus: Corpus) -> list[Problem]:
    """Rule ``names-without-entities``."""
    from .glossary import shared_registry

    ignores = load_ignores(corpus.root)
    where = block_locations(corpus)
    released = released_documents(corpus.root)
    registry = shared_registry(corpus)  # the glossary check's, loaded once per run
    problems = list(ignores.problems)
    scoped = ScopedAliases(registry)
    for anchor, name in uncovered_names(corpus, ignores.words, registry):
        path, line = where.get(anchor, (anchor, None))
        doc_id = _doc_of(anchor, corpus)
        hint = scoped_alias_hint(registry, name, doc_id, scoped) or (
            f"add an entity (`edition new entity --headword ... --alias {name!r} --attested {anchor}`), an alias of an existing one, "
            f"or, if it is not a name, its words under '{NAMES_RULE}' in {COVERAGE_FILE} with a reason")
        problems.append(Problem(path, line, f"[{NAMES_RULE}] the name {name!r} ({anchor}) is linked to no glossary entity", hint,
                                severity=_severity(doc_id, released)))
    return problems


# ------------------------------------------------------------------ dates without events

MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d|s\b)"
SPACE = r"[\s\u00a0]+"
PATTERNS = [
    re.compile(MONTH + SPACE + r"(?P<day>\d{1,2})(?!\d)(?:," + SPACE + YEAR + r")?"),  # November 4, 1964 / November 4
    re.compile(r"(?<!\d)(?P<day>\d{1,2})" + SPACE + MONTH + SPACE + YEAR),  # 4 November 1964
    re.compile(MONTH + SPACE + r"(?:of" + SPACE + r")?" + YEAR),  # November 1964 / October of 2020
    re.compile(r"(?<![\d,.$])" + YEAR),  # 1958
]


@dataclass(frozen=True)
class DateMention:
    anchor: str
    text: str
    year: int | None
    month: int | None
    day: int | None
    context: str = ""


def _month_number(name: str) -> int:
    from .dates import MONTHS

    key = name.rstrip(".")[:3]
    return [m[:3] for m in MONTHS].index(key) + 1


_DIGIT = re.compile(r"\d")


def date_mentions(anchor: str, text: str) -> list[DateMention]:
    """Date expressions in a text; a longer expression hides the shorter ones inside it."""
    if not _DIGIT.search(text):  # every pattern needs a digit (a day or a year): most blocks end here
        return []
    found: list[tuple[int, int, DateMention]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(start <= match.start() and match.end() <= end for start, end, _ in found):
                continue
            groups = match.groupdict()
            mention = DateMention(
                anchor, match.group(0),
                int(groups["year"]) if groups.get("year") else None,
                _month_number(groups["month"]) if groups.get("month") else None,
                int(groups["day"]) if groups.get("day") else None,
                "…" + text[max(0, match.start() - 50): match.end() + 30] + "…",
            )
            found.append((match.start(), match.end(), mention))
    return [m for _, _, m in found]


def contains(date, mention: DateMention) -> bool:
    """Whether the mention's day, month or year can fall within the date's bounds."""
    lower, upper = date.lower, min(date.upper, _dt.date(2100, 12, 31))
    years = [mention.year] if mention.year else list(range(lower.year, upper.year + 1))
    for year in years:
        if mention.day:
            try:
                first = last = _dt.date(year, mention.month, mention.day)
            except ValueError:
                continue
        elif mention.month:
            first = _dt.date(year, mention.month, 1)
            last = (_dt.date(year + mention.month // 12, mention.month % 12 + 1, 1) - _dt.timedelta(days=1))
        else:
            first, last = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
        if first <= upper and last >= lower:
            return True
    return False


def all_date_mentions(corpus: Corpus) -> list[DateMention]:
    mentions = []
    for anchor, paragraph in corpus.paragraphs.items():
        mentions += date_mentions(anchor, paragraph.text)
    for doc_id, conversion in corpus.conversions.items():
        for number, note in conversion.notes.items():
            mentions += date_mentions(f"{doc_id}-n{number}", note.text)
    return mentions


def uncovered_dates(corpus: Corpus, events) -> list[DateMention]:
    from .chronology import EventIndex

    index = EventIndex.of(events)
    result = []
    for mention in all_date_mentions(corpus):
        candidates = []
        for event in index.by_anchor.get(mention.anchor, []):
            candidates.append(event.date)
            candidates += [a.date_given for a in event.attestations if a.anchor == mention.anchor and a.date_given]
            if event.reported:
                candidates.append(event.reported[0])
        if not any(contains(date, mention) for date in candidates):
            result.append(mention)
    return result


def check_dates(corpus: Corpus) -> list[Problem]:
    """Rule ``dates-without-events``."""
    from .chronology import shared_events

    ignores = load_ignores(corpus.root)
    events, _ = shared_events(corpus)  # the chronology check's, loaded once per run
    where = block_locations(corpus)
    released = released_documents(corpus.root)
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for mention in uncovered_dates(corpus, events):
        key = (mention.anchor, mention.text)
        seen.add(key)
        if key in ignores.dates:
            continue
        path, line = where.get(mention.anchor, (mention.anchor, None))
        problems.append(Problem(
            path, line, f"[{DATES_RULE}] the date {mention.text!r} ({mention.anchor}: {mention.context!r}) is covered by no event of the chronology",
            f"add an event attested by {mention.anchor} (`edition new event --anchor {mention.anchor} ...`), or, if no event should cover it, "
            f"an entry under '{DATES_RULE}' in {COVERAGE_FILE} with anchor, text and reason",
            severity=_severity(_doc_of(mention.anchor, corpus), released)))
    for (anchor, text), (_reason, line) in sorted(ignores.dates.items()):
        if (anchor, text) not in seen:
            problems.append(Problem(str(COVERAGE_FILE), line, f"[{DATES_RULE}] the ignore of {text!r} in {anchor} matches no uncovered date",
                                    "remove the entry: an event covers the date now, or the text changed"))
    return problems


def check_coverage(corpus: Corpus) -> list[Problem]:
    """Both coverage rules (and the ignore file's own problems, once)."""
    return check_names(corpus) + check_dates(corpus)


def uncovered_name_counts(corpus: Corpus) -> Counter:
    """name -> how often it is left uncovered (for reports and tests)."""
    return Counter(name for _, name in uncovered_names(corpus, load_ignores(corpus.root).words))
