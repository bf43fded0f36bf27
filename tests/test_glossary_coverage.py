"""Rule ``names-without-entities`` of ``edition check``: every capitalised name in the texts
is linked to a glossary entity, or each of its words is a reviewed ignore (with its reason,
in ``docs/annotations/coverage.yaml``).

The rule lives in :mod:`scholarly_edition.coverage`; these tests check that the edition
satisfies it, that the ignore list stays short and justified, and that it can fail.
"""

from __future__ import annotations

from collections import Counter

from scholarly_edition.coverage import NAMES_RULE, check_names, load_ignores, uncovered_name_counts
from scholarly_edition.glossary import load_registry, registry_dir


def test_released_documents_have_every_name_covered(corpus):
    errors = [p.format() for p in check_names(corpus) if p.severity == "error"]
    assert errors == []


def test_ignore_list_is_short_and_justified(root):
    ignores = load_ignores(root)
    assert ignores.problems == []
    reasons = {reason for reason, _ in ignores.words.values()}
    assert len(reasons) <= 10, "the ignore list has grown into many categories: review it"
    assert all(len(reason) > 10 for reason in reasons)
    # No ignored word is a name the registry could cover: none is an alias of an entity.
    registry = load_registry(registry_dir(root), root)
    aliases = {a.text for e in registry.entities.values() for a in e.aliases}
    assert not aliases & set(ignores.words)


def test_scan_finds_a_name_that_no_entity_covers(tmp_path):
    """The rule is not vacuous: remove a person's entity and its headword is reported."""
    import yaml

    from conftest import copy_project
    from scholarly_edition.corpus import Corpus

    project = copy_project(tmp_path)
    persons = project / "docs" / "annotations" / "entities" / "persons.yaml"
    before = uncovered_name_counts(Corpus.load(project))
    entries = yaml.safe_load(persons.read_text("utf-8"))
    items = entries["entities"] if isinstance(entries, dict) else entries
    victim = next(e for e in items if len(e.get("aliases", [])) == 1 and " " in e["aliases"][0] and e["aliases"][0][0].isupper())
    text = persons.read_text("utf-8")
    start = text.index(f"- id: {victim['id']}\n")
    end = text.find("\n- id: ", start + 1)
    persons.write_text(text[:start] + (text[end + 1:] if end >= 0 else ""), "utf-8")
    after = uncovered_name_counts(Corpus.load(project))
    assert after - before, f"removing {victim['id']} uncovers its name"
    problems = [p for p in check_names(Corpus.load(project)) if p.message.startswith(f"[{NAMES_RULE}]")]
    assert problems and all(p.line for p in problems)
    assert Counter() == before - after
