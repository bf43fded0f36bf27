"""The chronology as readers get it: page, markers in the texts, exports, objects.inv, PDF."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup

from scholarly_edition.chronology import load_events, load_periods


PERIODS = load_periods(Path(__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def events(root, corpus):
    return load_events(root, corpus)[0]


@pytest.fixture(scope="module")
def page(built_html):
    return BeautifulSoup((built_html / "chronology.html").read_text("utf-8"), "html.parser")


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def entry(page, event_id):
    return page.find(id=event_id).find_parent(class_="ed-event")


def test_every_event_is_listed_once_in_date_order(page, events):
    listed = [box.find(class_="ed-event-head").get("id") or box.find(id=True)["id"] for box in page.select(".ed-event")]
    assert listed == [e.id for e in events]
    assert len(listed) >= 60


def test_events_are_grouped_by_period(page, events):
    by_id = {e.id: e for e in events}
    sections = page.select("section.ed-period")
    assert [s["id"] for s in sections] == [p.slug for p in PERIODS]
    for section in sections:
        for box in section.select(".ed-event"):
            assert by_id[box.find(id=True)["id"]].period.slug == section["id"]


def test_every_attestation_links_to_an_existing_paragraph(page, built_html, events):
    for event in events:
        links = entry(page, event.id).select(".ed-event-evidence a")
        assert len(links) == len(event.attestations), event.id
        for link, attestation in zip(links, event.attestations):
            target, fragment = urldefrag(link["href"])
            assert fragment == attestation.anchor
            assert soup_of(built_html / target).find(id=fragment) is not None, link["href"]


def test_dates_are_said_in_words(page):
    assert entry(page, "1964-12-bolivian-envoy-tours-israeli-military-industries").select_one(".ed-event-date").text == "c. December 1964"
    assert entry(page, "1981-05-death-squad-intercepted").select_one(".ed-event-date").text == "May 1981?"
    assert entry(page, "1964-11-03-coup-against-paz").select_one(".ed-event-date").text == "3–5 November 1964"
    assert entry(page, "196x-school-of-the-americas-training").select_one(".ed-event-date").text == "the 1960s"


def test_disagreement_on_the_1964_coup_is_rendered(page):
    box = entry(page, "1964-11-03-coup-against-paz")
    note = box.select_one(".ed-event-disagreement")
    assert note.strong.text.strip() == "Sources disagree."
    assert "5 November" in note.text and "3 November" in note.text
    evidence = box.select_one(".ed-event-evidence").text
    assert "Mack 2025, ¶ 7 (gives 5 November 1964)" in evidence
    assert "Kirkland 1998, ¶ 1 (gives 4 November 1964)" in evidence
    assert "FRUS 1964–68, XXXI, doc. 151, note 2 (gives 3 November 1964)" in evidence


def test_report_dates_are_kept_apart(page):
    box = entry(page, "1975-israeli-arava-aircraft-sale")
    assert box.select_one(".ed-event-date").text == "between August 1971 and December 1975"
    assert box.select_one(".ed-event-reported").text == "Known from a CIA document, dated December 1975."


def test_markers_in_the_documents_link_to_the_entries(built_html, events):
    expected: dict[tuple[str, str], list[str]] = {}
    dates: dict[str, set[str]] = {}
    for event in events:
        for anchor in dict.fromkeys(event.anchors):
            if event.date.words() in dates.setdefault(anchor, set()):
                continue  # one marker per date: two events of one day show one date
            dates[anchor].add(event.date.words())
            expected.setdefault((anchor.rsplit("-", 1)[0], anchor), []).append(event.id)
    for (doc_id, anchor), ids in expected.items():
        soup = soup_of(built_html / "documents" / f"{doc_id}.html")
        holder = soup.find(id=anchor)
        assert holder is not None, anchor
        links = [a["href"] for a in holder.select(".ed-event-marker a")]
        assert links == [f"../chronology.html#{i}" for i in ids], anchor
    mack7 = soup_of(built_html / "documents/mack-2025.html").find(id="mack-2025-p7")
    marker = mack7.select_one(".ed-event-marker a")
    # The link shows the date; its title names the event without repeating the date.
    assert marker.text == "3–5 November 1964" and marker["title"] == "Military coup overthrows President Paz Estenssoro"
    assert mack7.contents[-1]["class"] == ["ed-event-marker"]


def test_paragraphs_without_events_have_no_marker(built_html, events):
    attested = {a for e in events for a in e.anchors}
    soup = soup_of(built_html / "documents/lotm-2019.html")
    for paragraph in soup.select("p.ed-para"):
        has_marker = bool(paragraph.select(".ed-event-marker"))
        assert has_marker == (paragraph["id"] in attested), paragraph["id"]


def test_filters_work_without_javascript(page, events):
    inputs = page.select("input.ed-filter-input")
    assert [i["id"] for i in inputs if i.has_attr("checked")] == ["ed-filter-all"]
    style = page.select_one("style#ed-chronology-filter-rules").text
    kinds = {e.kind for e in events}
    for kind in kinds:
        css = "ed-kind-" + kind.replace(" ", "-")
        assert f"#ed-filter-{css[3:]}:checked ~ section .ed-event:not(.{css}){{display:none}}" in style
        assert page.find("label", attrs={"for": f"ed-filter-{css[3:]}"}) is not None
    for doc_id in {d for e in events for d in e.documents}:
        assert f"#ed-filter-doc-{doc_id}:checked ~ section .ed-event:not(.ed-doc-{doc_id}){{display:none}}" in style
    for event in events:
        classes = entry(page, event.id)["class"]
        assert "ed-kind-" + event.kind.replace(" ", "-") in classes
        assert {c[7:] for c in classes if c.startswith("ed-doc-")} == set(event.documents)
    # The inputs precede the period sections as siblings, so the ~ selectors reach them.
    first_section = page.select_one("section.ed-period")
    assert all(i.parent is first_section.parent for i in inputs)
    assert not page.find("script", string=lambda s: s and "ed-filter" in s)


def test_timeline_svg_has_a_dot_per_event_and_a_text_alternative(page, events):
    svg = page.select_one("figure.ed-timeline svg")
    # Not role="img": its dots are links, and an image's content is presentational (axe: nested-interactive).
    assert svg.get("role") != "img" and svg["aria-labelledby"] == "ed-timeline-title"
    assert svg.find("title").text and svg.find("desc").text.startswith(f"{len(events)} events")
    links = [a["href"] for a in svg.find_all("a")]
    assert links == [f"#{e.id}" for e in events]
    assert "text version of this timeline" in page.select_one("figure.ed-timeline figcaption").text


def test_json_export(built_html, events):
    data = json.loads((built_html / "chronology.json").read_text("utf-8"))
    assert [e["id"] for e in data["events"]] == [e.id for e in events]
    coup = next(e for e in data["events"] if e["id"] == "1964-11-03-coup-against-paz")
    assert coup["date"] == "1964-11-03/1964-11-05" and coup["earliest"] == "1964-11-03" and coup["latest"] == "1964-11-05"
    assert coup["url"] == "chronology.html#1964-11-03-coup-against-paz"
    mack = next(a for a in coup["attested_by"] if a["anchor"] == "mack-2025-p7")
    assert mack == {"anchor": "mack-2025-p7", "document": "mack-2025", "citation": "Mack 2025, ¶ 7", "url": "documents/mack-2025.html#mack-2025-p7", "date_given": "1964-11-05", "quote": "beginning with the first led by General René Barrientos Ortuno on November 5, 1964"}
    assert coup["disagreement"].startswith("The sources date the coup differently")
    lessons = next(e for e in data["events"] if e["id"] == "2020-11-lessons-article")
    assert lessons["latest"] is None and lessons["document"] == "lessons-2020"
    for record in data["events"]:
        for attestation in record["attested_by"]:
            target, fragment = urldefrag(attestation["url"])
            assert (built_html / target).exists() and fragment == attestation["anchor"]


def test_csv_export(built_html, events):
    rows = list(csv.DictReader((built_html / "chronology.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [e.id for e in events]
    row = next(r for r in rows if r["id"] == "1974-israeli-mortars-sale")
    assert row["date"] == "1974-01/1975-08-19" and row["reported_date"] == "1975-08-19"
    assert row["kind"] == "arms deal" and row["anchors"] == "mack-2025-p17" and row["period"] == "Military regimes, 1964–1982"


def test_timelinejs_export(built_html, events):
    data = json.loads((built_html / "chronology-timelinejs.json").read_text("utf-8"))
    assert data["title"]["text"]["headline"]
    assert len(data["events"]) == len(events)
    slide = next(s for s in data["events"] if s["unique_id"] == "1964-11-03-coup-against-paz")
    assert slide["start_date"] == {"year": 1964, "month": 11, "day": 3}
    assert slide["end_date"] == {"year": 1964, "month": 11, "day": 5}
    assert slide["display_date"] == "3–5 November 1964" and slide["group"] == "Military regimes, 1964–1982"
    decade = next(s for s in data["events"] if s["unique_id"] == "196x-school-of-the-americas-training")
    assert decade["start_date"] == {"year": 1960}
    assert [era["text"]["headline"] for era in data["eras"]] == [p.title for p in PERIODS]


def test_events_are_in_objects_inv(built_html, events):
    from sphinx.util.inventory import InventoryFile

    with open(built_html / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    items = inventory.data if hasattr(inventory, "data") else inventory
    entries = items["ed:event"]
    assert set(entries) == {e.id for e in events}
    coup = entries["1964-11-03-coup-against-paz"]
    uri = coup.uri if hasattr(coup, "uri") else coup[2]
    title = coup.display_name if hasattr(coup, "display_name") else coup[3]
    assert uri == "chronology.html#1964-11-03-coup-against-paz"
    assert title == "3–5 November 1964: Military coup overthrows President Paz Estenssoro"


def test_chronology_renders_for_latex(root, tmp_path):
    """The PDF appendix: standard nodes, event labels for links, no SVG or filters."""
    out = tmp_path / "latex"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "latex", "-c", str(root), str(root / "docs"), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    tex = next(out.glob("*.tex")).read_text("utf-8")
    # An appendix, once: after \appendix, and not also in the main matter.
    assert tex.count(r"\chapter{Chronology}") == 1 and r"\section{Chronology}" not in tex
    assert tex.index(r"\appendix") < tex.index(r"\chapter{Chronology}")
    assert r"\section{Military regimes, 1964–1982}" in tex or r"\section{Military regimes, 1964\textendash{}1982}" in tex
    assert r"\label{\detokenize{chronology:1964-11-03-coup-against-paz}}" in tex
    assert r"\hyperref[\detokenize{chronology:1964-11-03-coup-against-paz}]" in tex  # a marker in a document
    assert "<svg" not in tex and "ed-filter" not in tex


def test_two_events_of_one_day_show_one_date_marker(events):
    from scholarly_edition.sphinxext.chronology import one_per_date

    day = next(e for e in events if e.date.lower == e.date.upper)
    twin = [day, type(day)(**{**day.__dict__, "id": day.id + "-twin"})]
    assert [e.id for e in one_per_date(twin)] == [day.id]
    other = next(e for e in events if e.date.words() != day.date.words())
    assert [e.id for e in one_per_date([day, other])] == [day.id, other.id]
