"""The glossary as a contributor who adds a document meets it.

* a compound surname written without accents ("Garcia Meza") matches its entry whole;
* a name that an alias limited to other documents would match gets a hint that says so;
* schema messages name the field in words, not as a JSON pointer;
* ``edition new entity`` refuses an entry its own validator would reject.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import copy_project
from scholarly_edition.coverage import check_names
from scholarly_edition.corpus import Corpus
from scholarly_edition.glossary import Matcher, compound_surname, load_registry, registry_dir
from scholarly_edition.schemas import where_in_words


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def test_a_compound_surname_without_accents_matches_its_entry_whole(root):
    registry = load_registry(registry_dir(root), root)
    from scholarly_edition.glossary import fold

    written = {fold(a.text): e.id for e in registry.entities.values() for a in e.aliases}
    from collections import Counter

    shared = Counter(compound_surname(e) for e in registry.entities.values())
    people = [(e, compound_surname(e)) for e in registry.entities.values()
              if compound_surname(e) and shared[compound_surname(e)] == 1 and written.get(fold(compound_surname(e)), e.id) == e.id]
    assert people, "the glossary has people with compound surnames"
    matcher = Matcher(registry)
    for entity, surname in people:
        for form in {surname, strip_accents(surname)}:
            found = matcher.find("a-new-document", f"It was {form} who spoke.")
            assert [(m.entity, m.text) for m in found] == [(entity.id, form)], form


def test_where_in_words():
    data = [{"id": "a"}, {"id": "barrientos-rene", "attested": ["x"]}]
    assert where_in_words(data, [1, "attested", 0], "entity") == "attested[0] of entity 'barrientos-rene'"
    assert where_in_words({"notes": [{"id": "n1", "kind": "x"}]}, ["notes", 0, "kind"], "notes") == "kind of note 'n1'"
    assert where_in_words({"structure": {"title": 1}}, ["structure", "title"], "source") == "structure.title"
    assert where_in_words({}, [], "source") == "top level"


def test_a_scoped_alias_missed_in_another_document_gets_a_hint(tmp_path):
    project = copy_project(tmp_path)
    corpus = Corpus.load(project)
    registry = load_registry(registry_dir(project), project)
    scoped = [(e, a) for e in registry.entities.values() for a in e.aliases
              if a.documents and " " not in a.text and set(corpus.documents) - set(a.documents)]
    if not scoped:
        pytest.skip("no alias of the glossary is limited to some documents")
    entity, alias = scoped[0]
    outside = sorted(set(corpus.documents) - set(alias.documents))
    doc_id = next(d for d in outside if not corpus.documents[d].structure.get("source_notes"))
    paragraph = min(corpus.paragraphs_of(doc_id), key=lambda p: p.number)
    source = project / "sources" / f"{doc_id}.txt"
    source.write_text(source.read_text("utf-8").replace(paragraph.text, paragraph.text + f" Then {alias.text} spoke.", 1), "utf-8")
    problems = [p for p in check_names(Corpus.load(project)) if re.search(rf"the name '([^']* )?{re.escape(alias.text)}'", p.message)]
    assert problems, "the unlinked name is reported"
    hint = problems[0].hint
    assert f"alias {alias.text!r} of {entity.id!r} is limited to {', '.join(alias.documents)}" in hint
    assert "add this document" in hint


def test_new_entity_refuses_what_the_validator_refuses(tmp_path):
    project = copy_project(tmp_path)
    corpus = Corpus.load(project)
    doc_id = sorted(corpus.documents)[0]
    result = subprocess.run([sys.executable, "-m", "scholarly_edition", "new", "entity", "--root", str(project), "--id", "test-person",
                             "--kind", "person", "--headword", "Test Person", "--attested", doc_id, "--description", "A test."],
                            capture_output=True, text=True, env={"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert f"attested[0] of entity 'test-person': '{doc_id}' does not have the required form" in result.stderr
    assert "/attested/" not in result.stderr
