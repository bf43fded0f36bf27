"""The matcher: longest leftmost match on word boundaries, accents folded, aliases scoped.

These are the cases a reader of the edition would check first: "La Paz" is a place, not
Paz Estenssoro; Evo's sister is not Evo; "Paz" means different men in 1964 and 2025.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scholarly_edition.glossary import Matcher, corpus_mentions, fold, load_registry, registry_dir, resolve_mentions

FRUS = "frus-1964-68-v31-d151"


def make_registry(tmp_path: Path, text: str):
    directory = tmp_path / "entities"
    directory.mkdir(exist_ok=True)
    (directory / "test.yaml").write_text(text, "utf-8")
    registry = load_registry(directory, tmp_path)
    assert not registry.problems, [p.format() for p in registry.problems]
    return registry


TOY = """\
- {id: paz-victor, kind: person, headword: Víctor Paz, sort: "Paz, Víctor", description: d, attested: [x-p1],
   aliases: [Víctor Paz Estenssoro, {text: Paz, documents: [old]}]}
- {id: paz-rodrigo, kind: person, headword: Rodrigo Paz, sort: "Paz, Rodrigo", description: d, attested: [x-p1],
   aliases: [Rodrigo Paz]}
- {id: la-paz, kind: place, headword: La Paz, sort: La Paz, description: d, attested: [x-p1], aliases: [La Paz]}
- {id: evo, kind: person, headword: Evo Morales, sort: "Morales, Evo", description: d, attested: [x-p1],
   aliases: [Evo Morales, Morales, Evo]}
- {id: ester, kind: person, headword: Ester Morales Ayma, sort: "Morales Ayma, Ester", description: d, attested: [x-p1],
   aliases: [Ester Morales Ayma]}
- {id: barrientos, kind: person, headword: René Barrientos Ortuño, sort: "Barrientos Ortuño, René", description: d,
   attested: [x-p1], aliases: [René Barrientos Ortuño, Rene Barrientos, Barrientos]}
- {id: us, kind: place, headword: United States, sort: United States, description: d, attested: [x-p1], aliases: [U.S., US]}
- {id: mas, kind: organisation, headword: MAS, sort: MAS, description: d, attested: [x-p1], aliases: [MAS, MAS-IPSP]}
- {id: saar, kind: person, headword: Gideon Sa'ar, sort: "Sa'ar, Gideon", description: d, attested: [x-p1], aliases: ["Sa'ar"]}
"""


@pytest.fixture()
def toy(tmp_path):
    return Matcher(make_registry(tmp_path, TOY))


def found(matcher, doc, text):
    return [(m.text, m.entity) for m in matcher.find(doc, text)]


def test_la_paz_is_a_place_and_paz_a_man(toy):
    assert found(toy, "old", "Workers in La Paz opposed Paz.") == [("La Paz", "la-paz"), ("Paz", "paz-victor")]


def test_longest_alias_wins_ester_morales_ayma_is_not_evo(toy):
    text = "The residence of Evo's sister, Ester Morales Ayma, was burned; Morales resigned."
    assert found(toy, "new", text) == [("Evo", "evo"), ("Ester Morales Ayma", "ester"), ("Morales", "evo")]


def test_word_boundaries(toy):
    assert found(toy, "old", "Pazo, LaPaz, Evolution, MASS, Christmas, USA, us, bus") == []
    assert found(toy, "old", "pro-Paz militia, U.S.-backed, MAS-IPSP, (MAS), US.") == [
        ("Paz", "paz-victor"), ("U.S.", "us"), ("MAS-IPSP", "mas"), ("MAS", "mas"), ("US", "us"),
    ]


def test_accents_and_apostrophes_fold_but_case_does_not(toy):
    assert found(toy, "x", "Rene Barrientos and René Barrientos Ortuno and RENE BARRIENTOS") == [
        ("Rene Barrientos", "barrientos"), ("René Barrientos Ortuno", "barrientos"),
    ]
    assert found(toy, "x", "minister Sa\u2019ar said") == [("Sa\u2019ar", "saar")]
    # A no-break space, as in the 2020 article's copy, matches a space.
    assert found(toy, "x", "Rodrigo\u00a0Paz") == [("Rodrigo\u00a0Paz", "paz-rodrigo")]
    assert len(fold("Áñez Sa’ar\u00a0x")) == len("Áñez Sa’ar\u00a0x")


def test_scoped_alias_applies_only_in_its_documents(toy):
    assert found(toy, "old", "President Paz fled.") == [("Paz", "paz-victor")]
    assert found(toy, "new", "President Paz fled.") == []
    assert found(toy, "new", "president-elect Rodrigo Paz") == [("Rodrigo Paz", "paz-rodrigo")]


def test_one_compiled_alternation_per_document_longest_first(toy):
    toy.find("old", "x")
    pattern, table = toy._patterns["old"]
    assert isinstance(pattern, re.Pattern)
    alternatives = pattern.pattern.split("(?:", 1)[1].rsplit(")(?!", 1)[0].split("|")
    lengths = [len(re.sub(r"\\(.)", r"\1", a)) for a in alternatives]
    assert lengths == sorted(lengths, reverse=True)
    assert set(table.values()) >= {"paz-victor", "la-paz", "evo", "ester"}


def test_documents_with_the_same_scoped_aliases_share_one_pattern(toy):
    """Tables are made per set of scoped aliases, not per document: each is still exactly the
    table of its own document, and documents without scoped aliases share the unscoped one."""
    for doc_id in ("old", "new", "other", None):
        assert toy._pattern(doc_id)[1] == toy._table(doc_id)
    assert toy._pattern("new") is toy._pattern("other") is toy._pattern(None)
    assert toy._pattern("old") is not toy._pattern("new")


def test_every_real_document_gets_its_own_table(corpus):
    registry = load_registry(registry_dir(corpus.root), corpus.root)
    matcher = Matcher(registry)
    for doc_id in corpus.documents:
        assert matcher._pattern(doc_id)[1] == matcher._table(doc_id), doc_id
    scoped = {d for e in registry.entities.values() for a in e.aliases for d in a.documents or ()}
    assert scoped, "the real registry scopes some aliases (e.g. 'Paz')"
    assert len({id(matcher._pattern(d)) for d in corpus.documents}) >= 2


# --- the real registry on the real texts -----------------------------------------------


@pytest.fixture(scope="module")
def real(corpus):
    registry = load_registry(registry_dir(corpus.root), corpus.root)
    mentions, problems = corpus_mentions(registry, corpus)
    assert problems == []
    by_anchor: dict[str, list[tuple[str, str]]] = {}
    for entity_id, hits in mentions.items():
        for block, mention in hits:
            by_anchor.setdefault(block.anchor, []).append((mention.text, entity_id))
    return registry, by_anchor


def test_paz_in_each_document(real):
    _, at = real
    assert ("La Paz", "la-paz") in at[f"{FRUS}-p1"]
    assert ("Paz", "paz-estenssoro-victor") in at[f"{FRUS}-p1"]  # "pro-Paz militia"
    assert ("Paz", "paz-estenssoro-victor") in at[f"{FRUS}-p3"]  # "President Paz"
    assert ("Victor Paz Estenssoro", "paz-estenssoro-victor") in at["kirkland-1998-p1"]
    assert ("Rodrigo Paz", "paz-rodrigo") in at["mack-2025-p1"]
    everywhere = [hit for hits in at.values() for hit in hits]
    assert not any(text == "Paz" and entity != "paz-estenssoro-victor" for text, entity in everywhere)
    assert not any(anchor.startswith(("lotm", "lessons", "mack")) and ("Paz", "paz-estenssoro-victor") in hits for anchor, hits in at.items())


def test_the_texts_conflations_are_kept_apart_and_their_variants_joined(real):
    _, at = real
    assert ("Ester Morales Ayma", "morales-ayma-ester") in at["lotm-2019-p22"]
    assert ("Evo Morales Ayma", "morales-evo") in at["lotm-2019-p2"]
    assert ("Williams Kaliman", "kaliman-williams") in at["lotm-2019-p18"]
    assert ("William Kaliman", "kaliman-williams") in at["lotm-2019-p27"]
    assert ("Antonio Pumari", "pumari-marco") in at["lotm-2019-p19"]
    assert ("Marco Pumari", "pumari-marco") in at["lotm-2019-p58"]
    assert ("Rene Barrientos", "barrientos-rene") in at["kirkland-1998-p1"]
    assert ("René Barrientos Ortuno", "barrientos-rene") in at["mack-2025-p7"]
    assert ("René Barrientos Ortuno", "barrientos-rene") in at["mack-2025-fig1"]  # captions are linked
    assert ("Blaiser", "blasier-cole") in at["kirkland-1998-p3"]  # the misspelling
    assert ("Jeanine\u00a0Áñez", "anez-jeanine") in at["lessons-2020-p2"]  # no-break space in the copy
    assert ("Añez", "anez-jeanine") in at["mack-2025-p34"]


def test_registry_overrides_what_matching_cannot_find(real, corpus):
    registry, at = real
    note = f"{FRUS}-n3"
    # "Bolivian Ambassador EnriqueMann": the copy runs two words together.
    assert ("Mann", "mann-thomas") in at[note]
    assert ("Bolivian Ambassador Enrique", "enrique-bolivian-ambassador") in at[note]
    assert ("decree, 4,078", "decree-4078") in at["lotm-2019-p34"]


def test_exclude_selector_unlinks_a_match(tmp_path, toy):
    registry = make_registry(tmp_path, TOY + """\
- {id: morales-x, kind: person, headword: X, sort: X, description: d, attested: [x-p1], aliases: [],
   exclude: [{anchor: doc-p1, quote: Morales, prefix: "Calle "}]}
""")
    mentions, problems = resolve_mentions(Matcher(registry), "doc", "doc-p1", "Morales lived in Calle Morales.")
    assert problems == []
    assert [(m.start, m.entity) for m in mentions] == [(0, "evo")]
    mentions, problems = resolve_mentions(Matcher(registry), "doc", "doc-p1", "Nothing here.")
    assert [p.message for p in problems] == ["exclude selector 'Calle Morales' not found in doc-p1"]
