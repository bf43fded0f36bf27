"""Rule ``dates-without-events`` of ``edition check``: every explicit date in the texts is
covered by an event attested at that paragraph or note, or by a reviewed ignore with its
reason in ``docs/annotations/coverage.yaml``.

The rule lives in :mod:`scholarly_edition.coverage`; these tests check that it finds the
forms of dates the texts use, that the edition satisfies it, and that it can fail.
"""

from __future__ import annotations

from scholarly_edition.chronology import load_events
from scholarly_edition.coverage import DATES_RULE, check_dates, date_mentions, load_ignores, uncovered_dates


def test_the_patterns_find_the_forms_used_in_the_texts():
    found = [(m.text, m.year, m.month, m.day) for m in date_mentions("x", "On November 4, 1964, a junta; on Nov. 19, in Senkata; in May 1965; in October of 2020; in 1958; 1,200 officers; the 1960s; 4 November 1964.")]
    assert found == [
        ("November 4, 1964", 1964, 11, 4), ("Nov. 19", None, 11, 19), ("4 November 1964", 1964, 11, 4),
        ("May 1965", 1965, 5, None), ("October of 2020", 2020, 10, None), ("1958", 1958, None, None),
    ]


def test_released_documents_have_every_date_covered(corpus):
    """Errors for released documents; a document not yet released may still have warnings."""
    errors = [p.format() for p in check_dates(corpus) if p.severity == "error"]
    assert errors == []


def test_each_ignore_is_still_needed_and_justified(corpus, root):
    ignores = load_ignores(root)
    assert ignores.problems == []
    events, _ = load_events(root, corpus)
    uncovered = {(m.anchor, m.text) for m in uncovered_dates(corpus, events)}
    for key, (reason, _line) in ignores.dates.items():
        assert len(reason) >= 40
        assert key in uncovered, f"the ignore {key} matches no uncovered date: remove it"


def test_removing_an_event_uncovers_its_date(corpus, root):
    """The rule can fail: without the events attested at a paragraph, its dates are reported."""
    events, _ = load_events(root, corpus)
    covered = [(m, e) for e in events for a in e.attestations if a.anchor in corpus.paragraphs
               for m in date_mentions(a.anchor, corpus.paragraphs[a.anchor].text)]
    assert covered, "the edition has dated events attested at paragraphs"
    mention, _event = covered[0]
    remaining = [e for e in events if all(a.anchor != mention.anchor for a in e.attestations)]
    assert (mention.anchor, mention.text) in {(m.anchor, m.text) for m in uncovered_dates(corpus, remaining)}


def test_an_uncovered_date_is_reported_at_its_line_with_a_hint(tmp_path):
    from conftest import copy_project
    from scholarly_edition.corpus import Corpus

    project = copy_project(tmp_path)
    corpus = Corpus.load(project)
    doc_id = next(d for d, doc in sorted(corpus.documents.items()) if not doc.structure.get("source_notes"))
    first = min(corpus.paragraphs_of(doc_id), key=lambda p: p.number)
    source = project / "sources" / f"{doc_id}.txt"
    source.write_text(source.read_text("utf-8").replace(first.text, first.text + " On March 3, 1911, nothing happened.", 1), "utf-8")
    problems = [p for p in check_dates(Corpus.load(project)) if "March 3, 1911" in p.message]
    assert len(problems) == 1
    assert (problems[0].path, problems[0].line) == (f"sources/{doc_id}.txt", first.source_line)
    assert problems[0].message.startswith(f"[{DATES_RULE}]") and "coverage.yaml" in problems[0].hint
