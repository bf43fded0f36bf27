"""Anchors never lie: each rule of the registry, broken on purpose in a copy of the edition.

* fingerprint drift — a published paragraph whose words changed fails, until the change is
  recorded on its line (a correction with its reason);
* renumbering — a newly omitted paragraph keeps its number, so nothing after it moves;
  an omission that gives its numbers away is caught as drift;
* a deleted line — every line of a released registry must stay;
* successors — only retired anchors have one, and the chain ends, without a cycle, at a
  live anchor.

The tests pick their paragraphs from whatever documents the edition holds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import copy_project
from scholarly_edition import anchors
from scholarly_edition.checks import run_all
from scholarly_edition.corpus import Corpus


def registry_problems(project: Path) -> list:
    return [p for p in run_all(Corpus.load(project)) if p.path.startswith(("docs/anchors", anchors.RELEASED_DIR)) and p.severity == "error"]


def registered_line(project: Path, anchor: str) -> int:
    entries, _ = anchors.load(project / anchors.REGISTRY)
    return next(e.line for e in entries if e.anchor == anchor)


def edit_line(project: Path, anchor: str, addition: str) -> None:
    path = project / anchors.REGISTRY
    lines = path.read_text("utf-8").split("\n")
    number = registered_line(project, anchor)
    lines[number - 1] = lines[number - 1].rstrip() + addition
    path.write_text("\n".join(lines), "utf-8")


def a_middle_paragraph(corpus: Corpus):
    """A registered paragraph with paragraphs after it, whose source line is unique and
    carries no note number, in a document without declared omissions that keep numbers."""
    entries, _ = anchors.load(corpus.root / anchors.REGISTRY)
    registered = {e.anchor for e in entries if e.text}
    for doc_id, doc in sorted(corpus.documents.items()):
        if doc.structure.get("source_notes"):
            continue
        paragraphs = sorted(corpus.paragraphs_of(doc_id), key=lambda p: p.number)
        text = doc.source.text
        for paragraph in paragraphs[1:-2]:
            if paragraph.anchor in registered and text.count(paragraph.text) == 1 and len(paragraph.text) > 40:
                return doc, paragraph, paragraphs
    pytest.skip("no document has a registered paragraph in the middle")


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


def test_the_committed_registry_records_the_text_of_every_paragraph(corpus):
    entries, problems = anchors.load(corpus.root / anchors.REGISTRY)
    assert problems == []
    registered = {e.anchor: e for e in entries if e.kind == "ed:paragraph"}
    missing = [a for a in corpus.fingerprints if a in registered and not registered[a].text]
    assert missing == [], "paragraph lines without a fingerprint: run `make anchors`"
    assert anchors.check_fingerprints(entries, corpus.fingerprints, anchors.REGISTRY) == []
    assert anchors.released_files(corpus.root), "the released registry is kept"


def test_changed_words_under_a_published_anchor_fail_until_the_correction_is_recorded(project):
    corpus = Corpus.load(project)
    doc, paragraph, _ = a_middle_paragraph(corpus)
    source = doc.source.path if doc.source.path.is_absolute() else project / doc.source.path
    source = project / "sources" / f"{doc.id}.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace(paragraph.text, paragraph.text + " Words added later.", 1), "utf-8")
    problems = registry_problems(project)
    line = registered_line(project, paragraph.anchor)
    assert [(p.path, p.line) for p in problems] == [(anchors.REGISTRY, line)]
    assert f"the text of published anchor {paragraph.anchor!r} changed" in problems[0].message
    new = Corpus.load(project).fingerprints[paragraph.anchor]
    assert f"now:{new}  reason:" in problems[0].hint

    edit_line(project, paragraph.anchor, f"  now:{new}")
    assert [p.message for p in registry_problems(project)] == [f"the correction of {paragraph.anchor!r} (now:{new}) gives no reason"]
    edit_line(project, paragraph.anchor, "  reason: a test of the correction rule")
    assert registry_problems(project) == []


def _omit(project: Path, doc_id: str, start: str, keep_numbers: bool | None) -> None:
    meta_path = project / "sources" / f"{doc_id}.yaml"
    meta = yaml.safe_load(meta_path.read_text("utf-8"))
    rule = {"start": start, "reason": "a test omission"}
    if keep_numbers is not None:
        rule["keep_numbers"] = keep_numbers
    meta["structure"].setdefault("omissions", []).append(rule)
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), "utf-8")


def test_a_newly_omitted_paragraph_keeps_its_number(project):
    corpus = Corpus.load(project)
    doc, paragraph, paragraphs = a_middle_paragraph(corpus)
    before = {p.anchor: p.text for p in paragraphs}
    _omit(project, doc.id, paragraph.text, keep_numbers=None)
    after = Corpus.load(project)
    assert after.anchors[paragraph.anchor] == "omitted paragraph", "the omitted paragraph's anchor is still made"
    assert {p.anchor: p.text for p in after.paragraphs_of(doc.id)} == {a: t for a, t in before.items() if a != paragraph.anchor}
    assert registry_problems(project) == []


def test_renumbering_is_caught_as_changed_words(project):
    corpus = Corpus.load(project)
    doc, paragraph, paragraphs = a_middle_paragraph(corpus)
    _omit(project, doc.id, paragraph.text, keep_numbers=False)
    problems = registry_problems(project)
    later = [p.anchor for p in paragraphs if p.number >= paragraph.number]
    drifted = [p for p in problems if "the text of published anchor" in p.message]
    assert len(drifted) == len(later) - 1  # every later paragraph moved up one; the last number is gone
    assert any("is no longer made" in p.message and repr(later[-1]) in p.message for p in problems)
    assert "keep_numbers: false" in drifted[0].hint


def test_a_deleted_registry_line_is_detected(project):
    released = anchors.released_files(project)[-1]
    entries, _ = anchors.load(released)
    victim = next(e for e in entries if e.kind == "ed:paragraph")
    path = project / anchors.REGISTRY
    lines = path.read_text("utf-8").split("\n")
    del lines[registered_line(project, victim.anchor) - 1]
    path.write_text("\n".join(lines), "utf-8")
    problems = [p for p in registry_problems(project) if p.path.startswith(anchors.RELEASED_DIR)]
    assert [(p.path, p.line) for p in problems] == [(f"{anchors.RELEASED_DIR}/{released.name}", victim.line)]
    assert "its line was deleted" in problems[0].message and "restore the line" in problems[0].hint


def test_a_rewritten_fingerprint_is_detected(project):
    entries, _ = anchors.load(project / anchors.REGISTRY)
    victim = next(e for e in entries if e.text)
    path = project / anchors.REGISTRY
    path.write_text(path.read_text("utf-8").replace(f"text:{victim.text}", "text:000000000000", 1), "utf-8")
    messages = [p.message for p in registry_problems(project)]
    assert any("differs from the released one" in m for m in messages)


REGISTRY = """\
x-p1  ed:paragraph  documents/x  text:111111111111
x-p8  ed:paragraph  documents/x  text:222222222222  ->  x-p9
x-p9  ed:paragraph  documents/x  text:333333333333  ->  x-p8
x-p5  ed:paragraph  documents/x  text:444444444444  ->  x-p1
x-p1  ed:paragraph  documents/y  ->  x-p1
x-p6  ed:paragraph  documents/x  ->  x-p5
"""


def test_successors_are_retired_and_lead_without_a_cycle_to_a_live_anchor():
    entries, problems = anchors.parse(REGISTRY, "docs/anchors.txt")
    assert problems == []
    live = {"x-p1": anchors.Anchor("x-p1", "ed:paragraph", "documents/x"),
            "x-p5": anchors.Anchor("x-p5", "ed:paragraph", "documents/x")}
    found = {p.line: p.message for p in anchors.check(entries, live, "docs/anchors.txt")}
    assert "successors of 'x-p8' run in a cycle (x-p8 -> x-p9 -> x-p8)" in found[2]
    assert "successors of 'x-p9' run in a cycle" in found[3]
    assert "anchor 'x-p5' is still published on documents/x, but its line names a successor" in found[4]
    assert 5 not in found  # x-p1 of the old page y is retired there and leads to the live x-p1
    assert 6 not in found  # x-p6 leads to x-p5, which is live (its own line is the error)
    assert set(found) == {2, 3, 4}


def test_edition_check_finds_a_successor_cycle_among_document_paragraphs(project):
    corpus = Corpus.load(project)
    entries, _ = anchors.load(project / anchors.REGISTRY)
    doc_id = next(e.anchor for e in entries if e.kind == "ed:document")  # a document a release published
    last = max(p.number for p in corpus.paragraphs_of(doc_id))
    gone_a, gone_b = f"{doc_id}-p{last + 1}", f"{doc_id}-p{last + 2}"
    path = project / anchors.REGISTRY
    path.write_text(path.read_text("utf-8") + f"{gone_a}  ed:paragraph  documents/{doc_id}  ->  {gone_b}\n"
                    f"{gone_b}  ed:paragraph  documents/{doc_id}  ->  {gone_a}\n", "utf-8")
    edit_line(project, f"{doc_id}-p1", f"  ->  {doc_id}-p2")  # a live paragraph sent away
    messages = [p.message for p in registry_problems(project)]
    assert sum("run in a cycle" in m for m in messages) == 2
    assert any(f"anchor '{doc_id}-p1' is still published" in m for m in messages)


@pytest.mark.build
def test_changed_words_fail_the_build(project, tmp_path):
    corpus = Corpus.load(project)
    doc, paragraph, _ = a_middle_paragraph(corpus)
    source = project / "sources" / f"{doc.id}.txt"
    source.write_text(source.read_text("utf-8").replace(paragraph.text, paragraph.text + " Words added later.", 1), "utf-8")
    subprocess.run([sys.executable, "-m", "scholarly_edition", "convert", "--root", str(project), "-q"], check=True, cwd=project)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "html", "-d", str(out / ".doctrees"),
         "-c", str(project), str(project / "docs"), str(out)], capture_output=True, text=True)
    assert result.returncode != 0
    line = registered_line(project, paragraph.anchor)
    assert f"docs/anchors.txt:{line}: WARNING: the text of published anchor {paragraph.anchor!r} changed" in result.stderr
