"""The edition's own voice never takes a side on contested words.

An edition of partisan texts must not call the fall of Evo Morales a "coup", Luis Fernando
Camacho "far-right" or Jeanine Áñez "self-proclaimed" in its own voice: those are the
sources' words.  ``docs/contested-terms.yaml`` lists the words (with the events for which
they are contested); this test reads every entity, event and note and fails when one uses
such a word outside quotation marks without ``attributed_to:``.  An ``attributed_to`` must
name paragraphs that really use the word, so the marker cannot be put on blindly.

The check works on whatever annotations the edition has; the negative tests plant entries
in a scratch copy and show that each kind of violation is caught.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scholarly_edition.notes import target_text

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "docs" / "contested-terms.yaml"
ANNOTATIONS = ROOT / "docs" / "annotations"

#: The fields of each kind of annotation that speak in the edition's voice.
VOICE_FIELDS = {
    "entities": ("headword", "description"),
    "events": ("title", "description", "note", "disagreement"),
    "notes": ("text", "correction"),
}

# Words that are the sources' own, not the edition's: quotations (curly or straight double
# quotes), titles in italics, roles ({ed:ref}`...`), and link targets.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|\*[^*]+\*|`[^`]*`|\]\([^)]*\)")
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+")
_SINGULAR = {"entities": "entity", "events": "event", "notes": "note"}


@dataclass(frozen=True)
class Term:
    name: str
    pattern: re.Pattern[str]
    scope: str


@dataclass(frozen=True)
class Entry:
    path: Path
    kind: str  # entities, events, notes
    ident: str
    texts: tuple[str, ...]
    attributed_to: tuple[str, ...]
    year: int | None  # events: the first year of the date
    document: str | None  # notes: the document annotated


def load_config(path: Path = CONFIG) -> tuple[list[Term], dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = [Term(t["term"], re.compile(t["pattern"], re.I), str(t.get("scope", "all"))) for t in data["terms"]]
    return terms, data.get("scopes", {})


def load_entries(annotations: Path) -> list[Entry]:
    entries: list[Entry] = []
    for path in sorted((annotations / "entities").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            entries.append(_entry(path, "entities", item))
    for path in sorted((annotations / "events").glob("*.yaml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("events", []):
            year = re.match(r"(\d{4})", str(item.get("date", "")))
            entries.append(_entry(path, "events", item, year=int(year[1]) if year else None))
    for path in sorted((annotations / "notes").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("notes", []):
            entries.append(_entry(path, "notes", item, document=data.get("document")))
    return entries


def _entry(path: Path, kind: str, item: dict, year: int | None = None, document: str | None = None) -> Entry:
    texts = tuple(str(item[f]) for f in VOICE_FIELDS[kind] if item.get(f))
    return Entry(path, kind, str(item.get("id")), texts, tuple(item.get("attributed_to") or ()), year, document)


def own_voice(text: str) -> str:
    """The text without the words it quotes from others."""
    return _QUOTED.sub(" ", text)


def _in_scope(term: Term, entry: Entry, sentence: str, scopes: dict) -> bool:
    if term.scope == "all":
        return True
    scope = scopes[term.scope]
    if entry.kind == "events" and entry.year is not None and entry.year >= int(scope["events_from_year"]):
        return True
    if entry.kind == "notes" and entry.document in scope.get("documents", ()):
        return True
    return re.search(scope["sentence_markers"], sentence) is not None


def violations(annotations: Path, corpus, config: Path = CONFIG) -> list[str]:
    """Every contested word used in the edition's own voice without a valid attribution."""
    terms, scopes = load_config(config)
    problems: list[str] = []
    for entry in load_entries(annotations):
        shown = f"{entry.path.relative_to(annotations.parent.parent)}: {_SINGULAR[entry.kind]} {entry.ident!r}"
        sources = {}
        for anchor in entry.attributed_to:
            found = target_text(corpus, anchor)
            if found is None:
                problems.append(f"{shown}: attributed_to names {anchor!r}, which is not a paragraph or note of the edition")
            else:
                sources[anchor] = found[1]
        for text in entry.texts:
            for sentence in _SENTENCE.split(own_voice(text)):
                for term in terms:
                    if not term.pattern.search(sentence) or not _in_scope(term, entry, sentence, scopes):
                        continue
                    if not entry.attributed_to:
                        problems.append(
                            f"{shown}: uses {term.name!r} in the edition's own voice ({sentence.strip()[:90]!r}); "
                            "quote the source's words or add attributed_to: [<anchor of the paragraph that uses it>]"
                        )
                    elif not any(term.pattern.search(source) for source in sources.values()):
                        problems.append(
                            f"{shown}: uses {term.name!r} and attributes it to {list(entry.attributed_to)}, "
                            "but none of those paragraphs uses the word"
                        )
    return problems


def test_the_apparatus_never_uses_a_contested_term_in_its_own_voice(corpus):
    problems = violations(ANNOTATIONS, corpus)
    assert not problems, "\n".join(problems)


def test_the_configuration_names_terms_and_their_scopes():
    terms, scopes = load_config()
    names = {t.name for t in terms}
    assert {"coup", "far-right", "proclaims herself", "self-proclaimed"} <= names
    for term in terms:
        assert term.scope == "all" or term.scope in scopes, f"{term.name}: scope {term.scope!r} is not defined"


# --- the check can fail: entries planted in a scratch copy ------------------------------


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    target = tmp_path / "docs" / "annotations"
    shutil.copytree(ANNOTATIONS, target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_2019_event_called_a_coup_in_the_editions_voice_fails(scratch, corpus):
    _append(scratch / "events" / "2019-2020.yaml", """
  - id: 2019-11-10-planted
    date: "2019-11-10"
    kind: resignation
    title: The coup against Evo Morales
    attested_by: [lotm-2019-p18]
""")
    problems = violations(scratch, corpus)
    assert any("2019-11-10-planted" in p and "'coup'" in p for p in problems), problems


def test_a_1964_coup_is_not_contested(scratch, corpus):
    _append(scratch / "events" / "1964-1982.yaml", """
  - id: 1964-11-04-planted
    date: "1964-11-04"
    kind: coup
    title: The coup against Paz Estenssoro
    attested_by: [kirkland-1998-p1]
""")
    assert violations(scratch, corpus) == violations(ANNOTATIONS, corpus)


def test_far_right_in_an_entity_without_attribution_fails_and_quoting_it_passes(scratch, corpus):
    planted = scratch / "entities" / "persons.yaml"
    original = planted.read_text(encoding="utf-8")
    _append(planted, """
- id: planted-person
  kind: person
  headword: Planted Person
  sort: Person, Planted
  aliases: []
  description: A far-right politician.
  attested: [lessons-2020-p2]
""")
    assert any("planted-person" in p and "far-right" in p for p in violations(scratch, corpus))
    planted.write_text(original.replace("description: A far-right politician.", "x") + """
- id: planted-person
  kind: person
  headword: Planted Person
  sort: Person, Planted
  aliases: []
  description: A politician whom the 2020 article calls “far-right”.
  attested: [lessons-2020-p2]
""", encoding="utf-8")
    assert not any("planted-person" in p for p in violations(scratch, corpus))


def test_an_attribution_to_a_paragraph_without_the_word_fails(scratch, corpus):
    _append(scratch / "notes" / "mack-2025.yaml", """
  - id: planted-note
    kind: explanation
    anchor: mack-2025-p30
    quote: "Senate Vice President Jeanine Áñez"
    attributed_to: [mack-2025-p7]
    text: >-
      Áñez proclaims herself president.
""")
    problems = violations(scratch, corpus)
    assert any("planted-note" in p and "none of those paragraphs" in p for p in problems), problems


def test_self_proclaimed_attributed_to_the_report_that_uses_it_passes(scratch, corpus):
    _append(scratch / "notes" / "lotm-2019.yaml", """
  - id: planted-note
    kind: explanation
    anchor: lotm-2019-p33
    quote: "the self-proclaimed president"
    attributed_to: [lotm-2019-p33]
    text: >-
      The report calls Áñez the self-proclaimed president.
""")
    assert not any("planted-note" in p for p in violations(scratch, corpus))
