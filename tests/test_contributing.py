"""Contributing by pull request: the validator's messages, safety, and the guide's workflow.

Each validator test injects one mistake a contributor could make into a scratch copy of
the project, runs the real ``edition check`` command and compares the exact
``path:line[:column]: error: message`` line it prints.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project


def edition(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scholarly_edition", *args, "--root", str(project)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin"})


def sphinx_build(project: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-E", "-q", *options, "-b", "html", "-d", str(out / ".doctrees"),
                           "-c", str(project), str(project / "docs"), str(out)], capture_output=True, text=True)


def append(path: Path, text: str) -> int:
    """Append ``text``; return the line number at which it starts."""
    existing = path.read_text("utf-8")
    if not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + text, "utf-8")
    return existing.count("\n") + 1


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


NOTE = """  - id: {id}
    kind: {kind}
    anchor: {anchor}
    quote: "{quote}"
    text: {text}
"""


def add_note(project: Path, doc: str = "kirkland-1998", **fields: str) -> int:
    values = {"id": "contributor-note", "kind": "explanation", "anchor": f"{doc}-p3", "quote": "Blaiser's conclusions", "text": "A note."}
    values.update(fields)
    return append(project / "docs/annotations/notes" / f"{doc}.yaml", NOTE.format(**values))


def errors_of(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]


# --- one test per error class: the exact message, at file and line -----------------------

@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"quote": "Blasier's conclusions"}, "{q}: error: quote \"Blasier's conclusions\" (with its prefix and suffix) is not in kirkland-1998-p3"),
        ({"quote": "the"}, "{q}: error: quote 'the' occurs 26 times in kirkland-1998-p3"),
        ({"kind": "gossip"}, "{k}: error: kind of note 'contributor-note': 'gossip' is not one of the allowed values"),
        ({"anchor": "kirkland-1998-p99"}, "{a}: error: anchor 'kirkland-1998-p99' does not exist"),
        ({"text": "'[to be written]'"}, "{t}:12: error: unfinished template: 'text' still says '[to be written]'"),
        ({"text": "See {footcite:p}`nosuchbook2001`."}, "{t}:28: error: unknown bibliography key 'nosuchbook2001'"),
    ],
    ids=["quote-not-found", "quote-ambiguous", "unknown-note-kind", "missing-anchor", "unfinished-template", "unknown-bibliography-key"],
)
def test_editorial_note_errors_point_at_file_and_line(project, fields, expected):
    import yaml

    existing = len(yaml.safe_load((project / "docs/annotations/notes/kirkland-1998.yaml").read_text("utf-8"))["notes"])
    line = add_note(project, **fields)
    result = edition(project, "check")
    assert result.returncode == 1
    where = "docs/annotations/notes/kirkland-1998.yaml"
    wanted = expected.format(k=f"{where}:{line + 1}", a=f"{where}:{line + 2}", q=f"{where}:{line + 3}", t=f"{where}:{line + 4}", n=existing)
    assert wanted in errors_of(result), (wanted, errors_of(result))
    assert "hint:" in result.stderr


def test_duplicate_note_id_is_reported_with_both_places(project):
    first = add_note(project)
    second = add_note(project, quote="Blaiser's conclusions")
    messages = errors_of(edition(project, "check"))
    assert f"docs/annotations/notes/kirkland-1998.yaml:{second}: error: note id 'contributor-note' is already used on line {first}" in messages, messages


def test_invalid_edtf_in_an_event(project):
    line = append(project / "docs/annotations/events/1964-1982.yaml",
                  '  - id: 1980-07-17-bad-date\n    date: "1980-17-07"\n    kind: coup\n    title: A bad date\n    attested_by:\n      - mack-2025-p20\n')
    messages = errors_of(edition(project, "check"))
    assert f"docs/annotations/events/1964-1982.yaml:{line + 1}: error: event '1980-07-17-bad-date': date: '1980-17-07' is not valid EDTF (EDTFParseException)" in messages, messages


def test_alias_claimed_twice_in_one_scope(project):
    line = append(project / "docs/annotations/entities/persons.yaml",
                  "- id: another-barrientos\n  kind: person\n  headword: Another Barrientos\n  sort: Barrientos, Another\n"
                  "  aliases:\n    - Barrientos\n  description: A second claimant of the alias.\n  attested: [kirkland-1998-p1]\n")
    messages = errors_of(edition(project, "check"))
    assert any(m.startswith(f"docs/annotations/entities/persons.yaml:{line + 5}: error: alias 'Barrientos' of 'another-barrientos' is already claimed by 'barrientos-rene'") for m in messages), messages


def test_yaml_syntax_error_names_line_and_column(project):
    line = append(project / "docs/annotations/entities/places.yaml", "- id: broken\n  kind: [place\n")
    messages = errors_of(edition(project, "check"))
    assert any(re.match(rf"docs/annotations/entities/places\.yaml:{line + 2}:\d+: error: YAML syntax error", m) for m in messages), messages


def test_unknown_field_names_the_allowed_ones(project):
    line = append(project / "docs/annotations/entities/places.yaml",
                  "- id: nowhere-land\n  kind: place\n  headword: Nowhere\n  sort: Nowhere\n  colour: blue\n  aliases: [Nowhere]\n"
                  "  description: Nowhere.\n  attested: [kirkland-1998-p1]\n")
    result = edition(project, "check")
    assert any(m.startswith(f"docs/annotations/entities/places.yaml:{line}: error: unknown field 'colour'") for m in errors_of(result)), errors_of(result)


def test_unknown_archive_id(project):
    line = add_note(project)
    path = project / "docs/annotations/notes/kirkland-1998.yaml"
    path.write_text(path.read_text("utf-8") + "    archives: [nara-rg99]\n", "utf-8")
    messages = errors_of(edition(project, "check"))
    assert any(m.startswith(f"docs/annotations/notes/kirkland-1998.yaml:{line + 5}: error: unknown archive id 'nara-rg99'") for m in messages), messages


def test_every_problem_is_reported_in_one_run(project):
    add_note(project, quote="Blasier's conclusions")
    append(project / "docs/annotations/entities/places.yaml", "- id: broken\n  kind: [place\n")
    result = edition(project, "check")
    assert result.returncode == 1
    files = {m.split(":")[0] for m in errors_of(result)}
    assert {"docs/annotations/notes/kirkland-1998.yaml", "docs/annotations/entities/places.yaml"} <= files
    assert re.search(r"\d+ error\(s\)", result.stdout)


def test_the_build_reports_the_same_problem_the_same_way(project, tmp_path):
    line = add_note(project, quote="Blasier's conclusions")
    result = sphinx_build(project, tmp_path / "out")
    assert f"docs/annotations/notes/kirkland-1998.yaml:{line + 3}: WARNING: quote \"Blasier's conclusions\" (with its prefix and suffix) is not in kirkland-1998-p3" in result.stderr


# --- safety: nothing a contributor writes runs code or injects markup -----------------------

ATTACKS = {
    "script": "<script>alert('x')</script> Innocent words.",
    "onerror": 'A picture <img src=x onerror="alert(1)"> here.',
    "javascript-link": "Read [this](javascript:alert(document.cookie)) now.",
    "raw-role": "Some {raw}`html <b onmouseover=alert(1)>bold</b>` text.",
    "include": "```{include} /etc/hostname\n```",
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_validator_rejects_unsafe_annotation_text(project, name):
    line = add_note(project, text=json.dumps(ATTACKS[name]))
    messages = errors_of(edition(project, "check"))
    unsafe = [m for m in messages if m.startswith(f"docs/annotations/notes/kirkland-1998.yaml:{line + 4}")]
    assert unsafe and all(": error: " in m for m in unsafe), messages
    assert re.search(r"(raw HTML|link target|role \{raw\}|directives) .*not allowed|are not allowed", " ".join(unsafe))


@pytest.mark.build
def test_unsafe_text_never_reaches_the_page_unescaped(project, tmp_path):
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "no-hostname-file"
    # one note per attack, each on its own quote of kirkland ¶ 3
    quotes = ["Blaiser's conclusions", "rightly calls", "sources previously unavailable", "cast new light", "placed its bets"]
    for index, (text, quote) in enumerate(zip(ATTACKS.values(), quotes)):
        add_note(project, id=f"attack-{index}", quote=quote, text=json.dumps(text))
    # and an entity description carrying an attack
    append(project / "docs/annotations/entities/terms.yaml",
           "- id: attack-term\n  kind: term\n  headword: Communization\n  sort: Communization\n  aliases: [Communization]\n"
           "  description: '<script>alert(2)</script> [x](javascript:alert(3))'\n  attested: [kirkland-1998-p3]\n")
    out = tmp_path / "out"
    result = sphinx_build(project, out, "--keep-going")  # warnings are expected; the page must still be safe
    assert "not allowed" in result.stderr
    for page in (out / "documents" / "kirkland-1998.html", out / "glossary.html"):
        html = page.read_text("utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert "<script>alert" not in html and "<b onmouseover" not in html
        assert not soup.find_all(attrs={"onerror": True}) and not soup.find_all(attrs={"onmouseover": True})
        assert not [a for a in soup.find_all("a", href=True) if a["href"].strip().lower().startswith("javascript:")]
        assert len(hostname) < 4 or hostname not in soup.get_text()  # the include was not executed
    text = (out / "documents" / "kirkland-1998.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text or "&lt;script&gt;alert('x')&lt;/script&gt;" in text  # shown, escaped


# --- the guide's workflow ------------------------------------------------------------------

@pytest.mark.build
def test_walk_the_guide_add_a_note(project, tmp_path):
    """CONTRIBUTING.md, 'Add a note': scaffold, validate, build, find the note on the page."""
    result = edition(project, "new", "note", "--anchor", "lotm-2019-p2", "--quote", "Santa Cruz de la Sierra", "--id", "santa-cruz-city",
                     "--text", "Santa Cruz de la Sierra is the capital of the department of Santa Cruz.", "--write")
    assert result.returncode == 0, result.stderr
    assert "appended to docs/annotations/notes/lotm-2019.yaml" in result.stdout
    checked = edition(project, "check")
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "out"
    built = sphinx_build(project, out, "-W", "--keep-going", "-n")
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((out / "documents" / "lotm-2019.html").read_text("utf-8"), "html.parser")
    note = page.find(id="lotm-2019-ed-santa-cruz-city")
    assert note is not None and "capital of the department of Santa Cruz" in note.get_text()
    ref = page.find(id="lotm-2019-ed-santa-cruz-city-ref")
    assert ref is not None and ref.find_parent("p")["id"] == "lotm-2019-p2"


@pytest.mark.build
def test_walk_the_guide_add_a_document(project, tmp_path):
    """CONTRIBUTING.md, 'Add a document': text + metadata scaffolded, converted, checked, built."""
    text = tmp_path / "new-source.txt"
    text.write_bytes("A Test Dispatch From La Paz\n\nThe junta met on 5 November 1964 in La Paz.\n\nBarrientos spoke to the press.\n".encode("utf-8"))
    raw = text.read_bytes()
    result = edition(project, "new", "document", "--id", "test-dispatch-1964", "--text-file", str(text), "--title", "A Test Dispatch",
                     "--outlet", "Test Wire", "--genre", "journalism", "--date", "1964-11-05", "--rights", "Written for the test suite.",
                     "--summary", "A dispatch written for the test suite.")
    assert result.returncode == 0, result.stderr
    assert (project / "sources/test-dispatch-1964.txt").read_bytes() == raw  # verbatim
    converted = edition(project, "convert")
    assert converted.returncode == 0, converted.stderr
    checked = edition(project, "check")
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "out"
    built = sphinx_build(project, out, "-W", "--keep-going", "-n")
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((out / "documents" / "test-dispatch-1964.html").read_text("utf-8"), "html.parser")
    assert [p["id"] for p in page.select("p.ed-para")] == ["test-dispatch-1964-p1", "test-dispatch-1964-p2"]
    assert page.find(id="test-dispatch-1964-p2").select_one(".ed-mention > a")["href"].endswith("#barrientos-rene")
    landing = (out / "index.html").read_text("utf-8")
    assert "documents/test-dispatch-1964.html" in landing  # the card and the contents need no edit

