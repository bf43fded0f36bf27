"""Navigation that scales: a large edition's contents are grouped, a small one's stay flat.

A copy of the edition gets synthetic documents written here (they describe no real
event; their dates are spread over the edition's periods) and a low threshold
(``edition_toc_group_threshold``), and is built with ``-W -n``.  Then the landing page's
sidebar lists the groups, a document's sidebar opens its own group and no other, every
document is reachable from the contents, and the print root (LaTeX) still holds every
document, in date order.  The edition itself, below the threshold, keeps its flat list.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project

from scholarly_edition.chronology import Period, load_periods
from scholarly_edition.metadata import load_all
from scholarly_edition.sphinxext.contents import MARKER, UNGROUPED_TITLE, group_page, plan_groups, slugify
from scholarly_edition.sphinxext.documents import sorted_documents

SYNTHETIC = 40
_TAKEN = {p.stem for p in (ROOT / "sources").glob("*.yaml")}
PREFIX = next(f"synthetic-nav{n}" for n in range(1, 99) if not any(t.startswith(f"synthetic-nav{n}-") for t in _TAKEN))


def _write_synthetic(project: Path, count: int, group_of=None) -> list[str]:
    """``count`` short documents, dated over 1952–2024 (a deterministic spread), with bib entries."""
    ids, bib, events = [], [], ["title: Dates of the synthetic documents of the navigation test", "events:"]
    for i in range(1, count + 1):
        doc_id = f"{PREFIX}-{i:03d}"
        year, month, day = 1952 + (i * 7) % 73, 1 + (i * 5) % 12, 1 + (i * 3) % 28
        title = f"Synthetic document {i} of the navigation test"
        group = f"group: Synthetic part {group_of(i)}\n" if group_of and group_of(i) else ""
        (project / "sources" / f"{doc_id}.yaml").write_text(textwrap.dedent(f"""\
            id: {doc_id}
            title: {title}
            short_title: Synthetic {i}
            authors:
              - family: Example
                given: Jane
            outlet: Example Test Outlet
            genre: journalism
            language: en
            date:
              edtf: "{year}-{month:02d}-{day:02d}"
            rights: Written for the test suite.
            bibkey: {doc_id.replace('-', '')}
            summary: A synthetic document written for the navigation test.
            structure:
              title: {title}
            """) + group, "utf-8")
        (project / "sources" / f"{doc_id}.txt").write_text(
            f"{title}\n\nThis paragraph was written for the test of the edition's contents.\n\n"
            "A second paragraph, so that the page holds more than one.\n", "utf-8")
        bib.append(f"@misc{{{doc_id.replace('-', '')},\n  author = {{Example, Jane}},\n  title = {{{title}}},\n"
                   f"  year = {{{year}}},\n  note = {{Written for the test suite}}\n}}\n")
        events += [f"  - id: {year}-{month:02d}-{day:02d}-{doc_id}", f'    date: "{year}-{month:02d}-{day:02d}"', "    kind: document",
                   f"    document: {doc_id}", f"    title: {title}", "    description: Written for the test suite.",
                   "    attested_by:", f"      - {doc_id}-p1"]
        ids.append(doc_id)
    (project / "docs" / "annotations" / "events" / f"{PREFIX}.yaml").write_text("\n".join(events) + "\n", "utf-8")
    with (project / "docs" / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(bib))
    return ids


def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=project,
                          env={"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin", "HOME": str(project)})


def _sphinx(project: Path, builder: str, out: Path, *options: str, fresh: bool = True) -> subprocess.CompletedProcess:
    return _run(project, "-m", "sphinx", *(["-E"] if fresh else []), *options, "-W", "--keep-going", "-n", "-q", "-b", builder,
                "-d", str(out / ".doctrees"), "-c", str(project), str(project / "docs"), str(out))


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[Path, Path, list]:
    """A copy of the edition with 40 more documents and a threshold of 10, built to HTML."""
    project = copy_project(tmp_path_factory.mktemp("navigation"))
    _write_synthetic(project, SYNTHETIC)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nedition_toc_group_threshold = 10\n")
    converted = _run(project, "-m", "scholarly_edition", "convert", "--root", str(project))
    assert converted.returncode == 0, converted.stderr
    out = project / "_build" / "html"
    built = _sphinx(project, "html", out)
    assert built.returncode == 0, built.stderr
    documents = sorted_documents({d.id: d for d in load_all(project / "sources", project)})
    return project, out, documents


def _sidebar_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    tree = soup.select_one(".sidebar-tree")
    assert tree is not None, page
    links = []
    for a in tree.select("a.reference"):
        target = a.get("href", "").split("#")[0]
        links.append(str((page.parent / target).resolve()) if target else str(page.resolve()))  # "#": the page itself
    return links


def _groups_of(out: Path) -> dict[Path, list[str]]:
    """Each group page of the build and the documents its own contents list."""
    groups = {}
    for page in sorted((out / "documents" / "groups").glob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        links = [a["href"] for a in soup.select("article .toctree-wrapper a.reference")]
        groups[page] = [Path(h.split("#")[0]).stem for h in links]
    return groups


@pytest.mark.build
def test_the_landing_page_lists_the_groups_not_the_documents(large):
    project, out, documents = large
    groups = _groups_of(out)
    periods = load_periods(project)
    assert len(groups) >= 2, "the synthetic documents span several periods: the contents must be grouped"
    titles = {p.title for p in periods}
    for page in groups:
        heading = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("article h1").get_text(strip=True).rstrip("#¶")
        assert heading in titles, heading  # the groups are the chronology's periods
    sidebar = _sidebar_links(out / "index.html")
    for page in groups:
        assert str(page.resolve()) in sidebar
    doc_pages = {str((out / "documents" / f"{d.id}.html").resolve()) for d in documents}
    assert not doc_pages & set(sidebar), "the landing page's sidebar must not list every document"
    # the landing page's cards: every document, under the title of its group, in the contents' order
    landing = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    rubrics = [r.get_text(strip=True) for r in landing.select(".ed-cards p.rubric")]
    headings = [BeautifulSoup(p.read_text("utf-8"), "html.parser").select_one("article h1").get_text(strip=True).rstrip("#¶")
                for p in groups]
    assert sorted(rubrics) == sorted(headings)
    assert len(landing.select(".ed-cards .ed-doc-card")) == len(documents)


@pytest.mark.build
def test_a_document_sidebar_opens_its_own_group_only(large):
    project, out, documents = large
    groups = _groups_of(out)
    checked = 0
    for page, members in groups.items():
        others = {d for p, m in groups.items() if p != page for d in m}
        for doc_id in members[:2]:
            sidebar = set(_sidebar_links(out / "documents" / f"{doc_id}.html"))
            own = {str((out / "documents" / f"{m}.html").resolve()) for m in members}
            assert own <= sidebar, (doc_id, own - sidebar)
            assert not {str((out / "documents" / f"{m}.html").resolve()) for m in others} & sidebar, doc_id
            assert {str(p.resolve()) for p in groups} <= sidebar  # every group is still one click away
            checked += 1
    assert checked >= len(groups)


@pytest.mark.build
def test_each_sidebar_marks_its_own_page_and_no_other(large):
    """A group's sidebar is resolved once and moved to each page of the group
    (``contents._move_current_page``): every page must carry the mark of itself, once, on
    its own title, and every other document of its group must stay a plain link."""
    project, out, documents = large
    for doc_id in (d.id for d in documents):
        page = out / "documents" / f"{doc_id}.html"
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        marked = soup.select(".sidebar-tree li.current-page > a")
        assert len(marked) == 1 and marked[0]["href"] == "#", (doc_id, marked)
        heading = soup.select_one("article h1")
        for note_mark in heading.select(".footnote-reference, .headerlink"):
            note_mark.decompose()  # the title's own note marks are not in the contents
        title = heading.get_text(strip=True)
        assert marked[0].get_text(strip=True) == title, doc_id
        assert all(a["href"] != "#" for a in soup.select(".sidebar-tree li:not(.current-page) > a")), doc_id


@pytest.mark.build
def test_every_document_is_reachable_in_date_order(large):
    project, out, documents = large
    groups = _groups_of(out)
    listed = [doc for members in groups.values() for doc in members]
    assert sorted(listed) == sorted(d.id for d in documents), "each document in exactly one group"
    order = {d.id: n for n, d in enumerate(documents)}
    for members in groups.values():
        assert members == sorted(members, key=order.get), "a group lists its documents in date order"
    for page in (out / "documents" / "groups").glob("*.html"):
        assert page.stem == slugify(page.stem)


@pytest.mark.build
def test_the_print_root_still_holds_every_document_in_date_order(large, tmp_path):
    project, _out, documents = large
    out = tmp_path / "latex"
    built = _sphinx(project, "latex", out)
    assert built.returncode == 0, built.stderr
    tex = next(out.glob("*.tex")).read_text("utf-8")
    labels = re.findall(r"\\label\{\\detokenize\{documents/([^:}]+)::doc\}\}", tex)
    assert labels == [d.id for d in documents]
    assert "groups/" not in "".join(labels)


def _group_files(project: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((project / "docs" / "documents" / "groups").glob("*.md"))}


def _navigation(out: Path) -> dict[str, str]:
    """The group pages' article and every document's sidebar, as built."""
    seen = {}
    for page in sorted((out / "documents").rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        seen[str(page.relative_to(out))] = str(soup.select_one(".sidebar-tree")) + str(soup.select_one("article"))
    return seen


@pytest.mark.build
def test_incremental_and_parallel_builds_give_the_same_contents(tmp_path):
    """No change: no group page is rewritten.  A document moved to another period: after an
    incremental build it is in its new group only, as after a fresh build; and ``-j 2``
    builds the same navigation as ``-j 1``."""
    project = copy_project(tmp_path)
    ids = _write_synthetic(project, 24)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nedition_toc_group_threshold = 10\n")
    assert _run(project, "-m", "scholarly_edition", "convert", "--root", str(project)).returncode == 0
    out = tmp_path / "html"
    built = _sphinx(project, "html", out, fresh=False)
    assert built.returncode == 0, built.stderr
    files = _group_files(project)
    stamps = {p: p.stat().st_mtime_ns for p in (project / "docs" / "documents" / "groups").glob("*.md")}
    again = _sphinx(project, "html", out, fresh=False)
    assert again.returncode == 0, again.stderr
    assert _group_files(project) == files
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps, "an unchanged build rewrote a group page"

    moved = ids[0]
    meta = project / "sources" / f"{moved}.yaml"
    old_date = re.search(r'edtf: "([0-9-]+)"', meta.read_text("utf-8")).group(1)
    new_date = "2021-05-03"
    periods = load_periods(project)
    old_group = next(p.slug for p in periods if p.contains(__import__("datetime").date.fromisoformat(old_date)))
    new_group = next(p.slug for p in periods if p.contains(__import__("datetime").date.fromisoformat(new_date)))
    assert old_group != new_group
    meta.write_text(meta.read_text("utf-8").replace(old_date, new_date), "utf-8")
    events = project / "docs" / "annotations" / "events" / f"{PREFIX}.yaml"
    events.write_text(events.read_text("utf-8").replace(old_date, new_date), "utf-8")
    assert _run(project, "-m", "scholarly_edition", "convert", "--root", str(project)).returncode == 0
    incremental = _sphinx(project, "html", out, fresh=False)
    assert incremental.returncode == 0, incremental.stderr
    groups = {p.stem: m for p, m in _groups_of(out).items()}
    assert moved in groups[new_group] and moved not in groups.get(old_group, [])
    fresh = tmp_path / "fresh"
    assert _sphinx(project, "html", fresh).returncode == 0
    assert _navigation(out) == _navigation(fresh)
    parallel = tmp_path / "parallel"
    built = _sphinx(project, "html", parallel, "-j", "2")
    assert built.returncode == 0, built.stderr
    assert _navigation(parallel) == _navigation(fresh)


@pytest.mark.build
def test_this_edition_keeps_its_flat_contents(built_html):
    """Below the threshold, the landing page's sidebar lists every document, and no group page exists."""
    documents = sorted_documents({d.id: d for d in load_all(ROOT / "sources", ROOT)})
    sidebar = _sidebar_links(built_html / "index.html")
    pages = [str((built_html / "documents" / f"{d.id}.html").resolve()) for d in documents]
    assert [p for p in sidebar if p in pages] == pages
    assert not (built_html / "documents" / "groups").exists()
    assert not (ROOT / "docs" / "documents" / "groups").exists()


# -- the plan, without a build ----------------------------------------------------------

def _edition_documents():
    return sorted_documents({d.id: d for d in load_all(ROOT / "sources", ROOT)})


def test_auto_keeps_a_small_edition_flat():
    documents = _edition_documents()
    periods = load_periods(ROOT)
    assert plan_groups(documents, "auto", 30, periods) == []
    assert plan_groups(documents, "none", 0, periods) == []


def test_auto_stays_flat_when_each_group_would_hold_one_document():
    documents = _edition_documents()
    one_each = tuple(Period(f"p{n}", f"P{n}", d.date.lower, d.date.lower) for n, d in enumerate(documents))
    assert plan_groups(documents, "auto", 0, one_each) == []
    assert len(plan_groups(documents, "periods", 0, one_each)) == len(documents)  # asked for: given


def test_groups_by_periods_keep_date_order_and_every_document():
    documents = _edition_documents()
    periods = load_periods(ROOT)
    groups = plan_groups(documents, "periods", 0, periods)
    assert [d for g in groups for d in g.documents] == [d.id for d in documents]
    assert [g.slug for g in groups] == [p.slug for p in periods if any(g.slug == p.slug for g in groups)]


def test_the_group_field_wins_and_the_ungrouped_come_last(tmp_path):
    project = copy_project(tmp_path)
    _write_synthetic(project, 12, group_of=lambda i: "one" if i % 3 else ("two" if i % 2 else None))
    documents = sorted_documents({d.id: d for d in load_all(project / "sources", project)})
    ungrouped: list = []
    groups = plan_groups(documents, "auto", 10, load_periods(project), ungrouped)
    assert [g.title for g in groups][-1] == UNGROUPED_TITLE
    assert {g.title for g in groups} == {"Synthetic part one", "Synthetic part two", UNGROUPED_TITLE}
    assert {d.id for d in ungrouped} == set(groups[-1].documents)
    assert sorted(d for g in groups for d in g.documents) == sorted(d.id for d in documents)


def test_years_when_nothing_else_parts_the_documents():
    documents = _edition_documents()
    groups = plan_groups(documents, "years", 0, ())
    assert [g.title for g in groups] == sorted({str(d.date.lower.year) for d in documents})


def test_a_group_title_reaches_the_page_as_words():
    from scholarly_edition.sphinxext.contents import Group

    text = group_page(Group("x", "Part {raw}`<script>` *one*", ("a-1",)), "documents")
    assert text.startswith(MARKER + "\n")
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    assert "{raw}`" not in heading and "\\*one\\*" in heading
    assert "/documents/a-1" in text
