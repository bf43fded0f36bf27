"""Bad input to the glossary registry: each problem named with file and line, by `edition check` and by the build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from scholarly_edition.cli import main
from scholarly_edition.corpus import Corpus
from scholarly_edition.glossary import check_glossary

BAD = "docs/annotations/entities/zz-bad.yaml"


def line_of(path: Path, text: str) -> int:
    return path.read_text("utf-8").splitlines().index(text) + 1


def problems_for(tmp_path: Path, yaml_text: str) -> tuple[Path, list[str]]:
    project = copy_project(tmp_path)
    (project / BAD).write_text(yaml_text, "utf-8")
    return project, [p.format() for p in check_glossary(Corpus.load(project))]


ENTITY = """\
- id: {id}
  kind: {kind}
  headword: Test
  sort: Test
  aliases:
    - {alias}
  description: A test entry.
  attested: [{anchor}]
"""


def entity(id="zz-test", kind="person", alias="Zyxwvut", anchor="mack-2025-p7"):
    return ENTITY.format(id=id, kind=kind, alias=alias, anchor=anchor)


def test_the_real_registry_has_no_problem(corpus):
    assert [p.format() for p in check_glossary(corpus)] == []


def test_duplicate_id(tmp_path):
    project, problems = problems_for(tmp_path, entity(id="barrientos-rene", alias="Barrientos Dup"))
    first = line_of(project / "docs/annotations/entities/persons.yaml", "- id: barrientos-rene")
    assert problems == [
        f"{BAD}:1: error: duplicate entity id 'barrientos-rene' (first defined at docs/annotations/entities/persons.yaml:{first})\n"
        "    hint: give each entity its own id"
    ]


def test_alias_claimed_twice_in_one_scope(tmp_path):
    project, problems = problems_for(tmp_path, entity(alias="{text: Paz, documents: [kirkland-1998]}", anchor="kirkland-1998-p1"))
    persons = project / "docs/annotations/entities/persons.yaml"
    claim = line_of(persons, "    - {text: Paz, documents: [frus-1964-68-v31-d151, kirkland-1998]}")
    assert problems == [
        f"{BAD}:6: error: alias 'Paz' of 'zz-test' is already claimed by 'paz-estenssoro-victor' "
        f"(docs/annotations/entities/persons.yaml:{claim}) in kirkland-1998\n"
        "    hint: limit one of the aliases to documents ('documents: [...]') or remove it",
        # The first claim keeps the alias, so the second entity is left with no mention.
        f"{BAD}:1: warning: entity 'zz-test' (Test) has no mention in the texts\n"
        "    hint: add the surface form the texts use to its aliases, or remove the entity",
    ]


def test_same_alias_in_different_scopes_is_allowed(tmp_path):
    _, problems = problems_for(tmp_path, entity(alias="{text: Paz, documents: [lotm-2019]}", anchor="lotm-2019-p1"))
    assert not any("already claimed" in p for p in problems)


def test_unknown_kind(tmp_path):
    _, problems = problems_for(tmp_path, entity(kind="persn"))
    assert problems == [
        f"{BAD}:2: error: unknown kind 'persn' of entity 'zz-test'\n    hint: use one of: person, organisation, place, term"
    ]


def test_description_citing_a_missing_anchor(tmp_path):
    _, problems = problems_for(tmp_path, entity(alias="Barbie Doll", anchor="mack-2025-p99"))
    assert problems == [
        f"{BAD}:8: error: description of 'zz-test' cites missing anchor 'mack-2025-p99'\n"
        "    hint: cite a paragraph anchor such as mack-2025-p13 (see the ¶ numbers of the document)",
        f"{BAD}:1: warning: entity 'zz-test' (Test) has no mention in the texts\n"
        "    hint: add the surface form the texts use to its aliases, or remove the entity",
    ]


def test_yaml_syntax_error(tmp_path):
    _, problems = problems_for(tmp_path, entity().replace("  sort: Test", "  sort: [Test"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{BAD}:5:")
    assert ": error: YAML syntax error: " in problems[0]
    assert problems[0].endswith("hint: check indentation, colons and quoting on this line")


def test_entity_with_no_mention_is_a_warning_naming_it(tmp_path):
    _, problems = problems_for(tmp_path, entity())
    assert problems == [
        f"{BAD}:1: warning: entity 'zz-test' (Test) has no mention in the texts\n"
        "    hint: add the surface form the texts use to its aliases, or remove the entity"
    ]


def test_selector_that_matches_nothing(tmp_path):
    text = entity(alias="Zyxwvut") + "  mentions:\n    - {anchor: mack-2025-p7, quote: Barrientos, prefix: 'Generalissimo '}\n"
    _, problems = problems_for(tmp_path, text)
    assert f"{BAD}:10: error: mention selector 'Generalissimo Barrientos' not found in mack-2025-p7\n    hint: copy the words exactly as the paragraph has them" in problems


def test_edition_check_exits_non_zero_and_prints_file_and_line(tmp_path, capsys):
    project, _ = problems_for(tmp_path, entity(kind="persn"))
    assert main(["check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"{BAD}:2: error: unknown kind 'persn' of entity 'zz-test'" in err


@pytest.mark.build
def test_the_build_reports_the_same_problems_at_file_and_line(tmp_path):
    project, expected = problems_for(tmp_path, entity(id="barrientos-rene", alias="Barrientos Dup") + entity(alias="Zyxwvut"))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", "-c", str(project), str(project / "docs"), str(tmp_path / "out")],
        capture_output=True, text=True, cwd=project,
    )
    warnings = result.stderr
    assert f"{BAD}:1: WARNING: duplicate entity id 'barrientos-rene'" in warnings
    assert f"{BAD}:9: WARNING: entity 'zz-test' (Test) has no mention in the texts" in warnings
    assert warnings.count("duplicate entity id") == 1  # reported once, not per document
