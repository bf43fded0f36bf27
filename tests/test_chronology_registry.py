"""The events registry: loading, validation against the texts, and bad input at file:line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scholarly_edition.chronology import kinds, load_events

EVENT = """\
events:
  - id: 1964-11-04-test
    date: "{date}"
    title: A test event
    kind: {kind}
    attested_by:
      - {anchor}
"""
PATH = "docs/annotations/events/bad.yaml"


def write(root: Path, name: str, text: str) -> None:
    path = root / "docs/annotations/events" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")


def problems_for(tmp_path, corpus, **fields) -> list[str]:
    values = {"date": "1964-11-04", "kind": "coup", "anchor": "kirkland-1998-p1", **fields}
    write(tmp_path, "bad.yaml", EVENT.format(**values))
    return [p.format() for p in load_events(tmp_path, corpus)[1]]


def test_the_edition_registry_is_valid_and_large(root, corpus):
    events, problems = load_events(root, corpus)
    assert [p.format() for p in problems] == []
    assert len(events) >= 60
    assert len({e.id for e in events}) == len(events)


def test_invalid_edtf_names_file_and_line(tmp_path, corpus):
    assert problems_for(tmp_path, corpus, date="1964-13-04") == [
        f"{PATH}:3: error: event '1964-11-04-test': date: '1964-13-04' is not valid EDTF (EDTFParseException)\n"
        "    hint: write an EDTF date: 1964-11-04, 1964-11, 1964, 1964-11-03/1964-11-05, 1966?, 2019-12~, 196X"
    ]


def test_unknown_anchor_names_file_and_line(tmp_path, corpus):
    assert problems_for(tmp_path, corpus, anchor="lotm-2019-p86") == [
        f"{PATH}:7: error: event '1964-11-04-test': anchor 'lotm-2019-p86' does not exist in the edition\n"
        "    hint: paragraphs of lotm-2019 run from lotm-2019-p1 to lotm-2019-p85"
    ]


def test_unknown_kind_names_file_and_line(tmp_path, corpus):
    [problem] = problems_for(tmp_path, corpus, kind="putsch")
    assert problem.startswith(f"{PATH}:5: error: kind of event '1964-11-04-test': 'putsch' is not one of the allowed values\n    hint: use one of: 'revolution', 'coup', ")


def test_duplicate_id_names_both_places(tmp_path, corpus):
    write(tmp_path, "a.yaml", EVENT.format(date="1964-11-04", kind="coup", anchor="kirkland-1998-p1"))
    write(tmp_path, "b.yaml", "# second file\n" + EVENT.format(date="1964-11-04", kind="coup", anchor="kirkland-1998-p1"))
    assert [p.format() for p in load_events(tmp_path, corpus)[1]] == [
        "docs/annotations/events/b.yaml:3: error: duplicate event id '1964-11-04-test' (first defined at docs/annotations/events/a.yaml:2)\n"
        "    hint: give each event its own id"
    ]


def test_quote_not_in_the_text(tmp_path, corpus):
    write(tmp_path, "bad.yaml", """\
        events:
          - id: 1964-11-04-test
            date: "1964-11-04"
            title: A test event
            kind: coup
            attested_by:
              - anchor: kirkland-1998-p1
                quote: On November 5, 1964
        """)
    assert [p.format() for p in load_events(tmp_path, corpus)[1]] == [
        f"{PATH}:8: error: event '1964-11-04-test': quote 'On November 5, 1964' is not in kirkland-1998-p1\n"
        "    hint: copy the words exactly as the reading text has them"
    ]


def test_quotes_in_source_notes_are_checked(tmp_path, corpus):
    assert problems_for(tmp_path, corpus, anchor="frus-1964-68-v31-d151-n9")[0].startswith(f"{PATH}:7: error: event '1964-11-04-test': anchor 'frus-1964-68-v31-d151-n9' does not exist")
    write(tmp_path, "bad.yaml", EVENT.format(date="1964-11-03", kind="coup", anchor="{anchor: frus-1964-68-v31-d151-n2, quote: rebelled early on November 3}"))
    events, problems = load_events(tmp_path, corpus)
    assert [e.id for e in events] == ["1964-11-04-test"]
    assert all("has no event of kind document" in p.message for p in problems)


def test_every_document_needs_its_dated_document_event(tmp_path, corpus):
    write(tmp_path, "ok.yaml", EVENT.format(date="1964-11-04", kind="coup", anchor="kirkland-1998-p1"))
    messages = [p.message for p in load_events(tmp_path, corpus)[1]]
    assert messages == [f"document {d!r} has no event of kind document" for d in sorted(corpus.documents)]


def test_document_event_date_must_match_the_metadata(root, tmp_path, corpus):
    text = (root / "docs/annotations/events/documents.yaml").read_text("utf-8")
    write(tmp_path, "documents.yaml", text.replace('date: "1998-03"', 'date: "1998"'))
    problems = load_events(tmp_path, corpus)[1]
    assert [p.format().splitlines()[0] for p in problems] == [
        "docs/annotations/events/documents.yaml:20: error: event '1998-03-kirkland-article': date '1998' differs from the date of kirkland-1998 in its metadata ('1998-03')"
    ]


def test_yaml_syntax_error_names_the_line(tmp_path, corpus):
    write(tmp_path, "bad.yaml", "events:\n  - id: x\n    title: [unclosed\n")
    [problem] = load_events(tmp_path, corpus)[1]
    assert problem.path == PATH and problem.line == 4 and "YAML syntax error" in problem.message


def test_participants_checked_only_when_a_glossary_exists(tmp_path, corpus):
    text = EVENT.format(date="1964-11-04", kind="coup", anchor="kirkland-1998-p1") + "    participants: [barrientos-rene]\n"
    write(tmp_path, "bad.yaml", text)
    assert all("participant" not in p.message for p in load_events(tmp_path, corpus)[1])
    entities = tmp_path / "docs/annotations/entities"
    entities.mkdir(parents=True)
    (entities / "people.yaml").write_text("entities:\n  - id: paz-estenssoro-victor\n    type: person\n", "utf-8")
    problems = [p.format() for p in load_events(tmp_path, corpus)[1] if "participant" in p.message]
    assert problems == [
        f"{PATH}:8: error: event '1964-11-04-test': participant 'barrientos-rene' is not an entity of the glossary\n"
        "    hint: use an id from docs/annotations/entities/ or add the entity there"
    ]


def test_kinds_are_a_closed_list_from_the_schema():
    assert {"coup", "election", "massacre", "decree", "diplomatic act", "arms deal", "document"} <= set(kinds())


def test_edition_check_reports_the_same_problem(tmp_path, root):
    from conftest import copy_project

    project = copy_project(tmp_path)
    (project / "docs/annotations/events/bad.yaml").write_text(EVENT.format(date="1964-11-04", kind="coup", anchor="mack-2025-p99"), "utf-8")
    result = subprocess.run([sys.executable, "-m", "scholarly_edition", "check", "--root", str(project)], capture_output=True, text=True, cwd=project, env={"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert f"{PATH}:7: error: event '1964-11-04-test': anchor 'mack-2025-p99' does not exist in the edition" in result.stdout + result.stderr
