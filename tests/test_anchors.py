"""The registry of published anchors: a cited link must keep working.

An editor who removes a paragraph or renames a page must see the build fail, naming the
anchor and the registry line; once the registry names a successor, the old address leads
to it.  The `edition anchors` command registers new anchors when a release is cut.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project
from scholarly_edition import anchors
from scholarly_edition.cli import main as edition_main


def build(project: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "html",
         "-d", str(out / ".doctrees"), "-c", str(project), str(project / "docs"), str(out)],
        capture_output=True, text=True,
    )


def registry_line(project: Path, anchor: str) -> int:
    for number, line in enumerate((project / anchors.REGISTRY).read_text("utf-8").splitlines(), start=1):
        if line.split()[:1] == [anchor]:
            return number
    raise AssertionError(f"{anchor} is not registered")


def name_successor(project: Path, anchor: str, successor: str) -> None:
    path = project / anchors.REGISTRY
    lines = path.read_text("utf-8").splitlines()
    number = registry_line(project, anchor)
    lines[number - 1] += f"  ->  {successor}"
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_registry_syntax_errors_name_the_line():
    text = "# header\nmack-2025-p1  ed:paragraph  documents/mack-2025\nbroken line\nmack-2025-p1  ed:paragraph  documents/mack-2025\nx ed:paragraph d ->\n"
    entries, problems = anchors.parse(text, "docs/anchors.txt")
    assert [e.anchor for e in entries] == ["mack-2025-p1"]
    assert [(p.line, p.message.split(",")[0]) for p in problems] == [
        (3, "expected '<anchor> <kind> <page>'"), (4, "anchor 'mack-2025-p1' on documents/mack-2025 is already listed on line 2"),
        (5, "'->' must be followed by one successor anchor")]


def test_committed_registry_covers_every_kind_of_anchor(root):
    entries, problems = anchors.load(root / anchors.REGISTRY)
    assert problems == []
    kinds = {e.kind for e in entries}
    assert {"ed:document", "ed:paragraph", "ed:pagebreak", "ed:omission", "std:doc", "std:label"} <= kinds
    listed = {e.anchor for e in entries}
    assert {"mack-2025-p14", "frus-1964-68-v31-d151-page341", "frus-1964-68-v31-d151-n1", "lotm-2019", "principles"} <= listed


def test_committed_registry_matches_the_build(built_html, root, capsys):
    """Every registered anchor is published by the current build (the same check the build makes)."""
    status = edition_main(["anchors", "--root", str(root), "--inventory", str(built_html / "objects.inv")])
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "all published" in out.out


PUBLISHED = "{#mack-2025-p39}\nA paragraph published in an earlier release.\n"


def publish_then_remove_a_paragraph(project: Path) -> None:
    """A paragraph ¶ 39 that an earlier release published (it is in the registry) and that
    is now gone from the page: the state an editor's change leaves behind."""
    registry = project / anchors.REGISTRY
    registry.write_text(registry.read_text("utf-8") + "mack-2025-p39  ed:paragraph  documents/mack-2025\n", "utf-8")


@pytest.mark.build
def test_removed_anchor_fails_the_build_until_a_successor_is_named(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs" / "documents" / "mack-2025.md"
    page.write_text(page.read_text("utf-8") + "\n" + PUBLISHED, "utf-8")
    assert build(project, tmp_path / "out0").returncode == 0, "a published ¶ 39 builds"
    publish_then_remove_a_paragraph(project)
    page.write_text(page.read_text("utf-8").replace("\n" + PUBLISHED, ""), "utf-8")
    # a page renamed, too: principles -> editorial-principles (and the links to it updated)
    (project / "docs" / "principles.md").rename(project / "docs" / "editorial-principles.md")
    for name in ("index.md", "print/edition.md", "print/introduction.md"):
        linking = project / "docs" / name
        linking.write_text(linking.read_text("utf-8").replace("principles.md)", "editorial-principles.md)").replace("\nprinciples\n", "\neditorial-principles\n").replace("\n/principles\n", "\n/editorial-principles\n"), "utf-8")

    failed = build(project, tmp_path / "out1")
    assert failed.returncode != 0
    p39_line, page_line = registry_line(project, "mack-2025-p39"), registry_line(project, "principles")
    assert f"docs/anchors.txt:{p39_line}: WARNING: published anchor 'mack-2025-p39' (ed:paragraph on documents/mack-2025) is gone" in failed.stderr
    assert f"docs/anchors.txt:{page_line}: WARNING: published anchor 'principles' (std:doc on principles) is gone" in failed.stderr
    assert "name its successor on this line: 'mack-2025-p39  ed:paragraph  documents/mack-2025  ->  <new anchor>'" in failed.stderr

    name_successor(project, "mack-2025-p39", "mack-2025-p37")
    name_successor(project, "principles", "editorial-principles")
    out = tmp_path / "out2"
    passed = build(project, out)
    assert passed.returncode == 0, passed.stderr
    assert passed.stderr.strip() == ""
    # the moved fragment: a script on the page sends #mack-2025-p39 to ¶ 37
    html = (out / "documents" / "mack-2025.html").read_text("utf-8")
    script = re.search(r'<script class="ed-moved-anchors">\(function\(\)\{var m=(\{.*?\});', html)
    assert script and json.loads(script.group(1)) == {"mack-2025-p39": "mack-2025.html#mack-2025-p37"}
    # the moved page: a redirect page at the old address
    redirect = (out / "principles.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="1; url=editorial-principles.html">' in redirect
    assert 'location.replace("editorial-principles.html")' in redirect


@pytest.mark.build
def test_moved_fragment_resolves_in_a_browser(tmp_path):
    """Chromium opens the old address of a removed paragraph and lands on its successor."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    project = copy_project(tmp_path)
    publish_then_remove_a_paragraph(project)
    name_successor(project, "mack-2025-p39", "mack-2025-p37")
    out = tmp_path / "out"
    assert build(project, out).returncode == 0
    probe = out / "documents" / "probe.html"
    probe.write_text('<iframe id="f" src="mack-2025.html#mack-2025-p39"></iframe>'
                     '<script>setTimeout(function(){document.title=document.getElementById("f").contentWindow.location.hash},1500)</script>', "utf-8")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'chrome'}", "--virtual-time-budget=4000", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=60,
    )
    assert "<title>#mack-2025-p37</title>" in result.stdout


@pytest.mark.build
def test_update_registers_new_anchors_for_a_release(tmp_path, capsys):
    project = copy_project(tmp_path)
    (project / "docs" / "colophon.md").write_text("(colophon)=\n# Colophon\n\nHow the edition is made.\n", "utf-8")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text("utf-8").replace("\nprinciples\n", "\nprinciples\ncolophon\n"), "utf-8")
    out = tmp_path / "out"
    assert build(project, out).returncode == 0
    inventory = ["--root", str(project), "--inventory", str(out / "objects.inv")]
    assert edition_main(["anchors", "--check", *inventory]) == 1
    assert "unregistered: colophon (std:doc on colophon)" in capsys.readouterr().err
    assert edition_main(["anchors", "--update", "--release", "0.2.0", *inventory]) == 0
    registry = (project / anchors.REGISTRY).read_text("utf-8")
    # the page (its label of the same name is the same address), and whatever else is new
    assert re.search(r"^# release 0\.2\.0: \d+ anchor\(s\)$", registry, re.M)
    assert re.search(r"^colophon\s+std:doc\s+colophon$", registry, re.M)
    assert (project / anchors.RELEASED_DIR / "0.2.0.txt").read_text("utf-8").endswith(registry)  # the release's registry is kept
    assert edition_main(["anchors", "--check", *inventory]) == 0


FAKE_ENTITIES = '''\
"""An object type the anchor registry has never heard of: `witness`, in the `ed` domain."""
from docutils import nodes
from sphinx.domains import ObjType
from sphinx.util.docutils import SphinxDirective

from scholarly_edition.sphinxext import domain


class Entity(SphinxDirective):
    required_arguments = 1
    has_content = True

    def run(self):
        anchor = self.arguments[0]
        self.env.get_domain("ed").note_object(anchor, self.env.docname, "witness", "Witness One, a test person")
        return [nodes.paragraph("", " ".join(self.content), ids=[anchor])]


def setup(app):
    domain.OBJECT_TYPES.setdefault("witness", ("witness", 1))
    domain.EditionDomain.object_types["witness"] = ObjType("witness", "witness", "ref")
    app.add_directive("fake-entity", Entity)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


@pytest.mark.build
def test_new_object_types_are_covered_without_knowing_them(tmp_path, capsys):
    """An object type the registry code has never heard of is registered, checked and cited."""
    project = copy_project(tmp_path)
    (project / "ext" / "fake_entities.py").write_text(FAKE_ENTITIES, "utf-8")
    conf = project / "conf.py"
    conf.write_text(conf.read_text("utf-8") + "\nextensions.append('fake_entities')\n", "utf-8")
    (project / "docs" / "people.md").write_text("# People\n\n```{fake-entity} witness-one\nA witness invented for this test.\n```\n", "utf-8")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text("utf-8").replace("\nprinciples\n", "\nprinciples\npeople\n"), "utf-8")
    out = tmp_path / "out"
    assert build(project, out).returncode == 0
    inventory = ["--root", str(project), "--inventory", str(out / "objects.inv")]
    assert edition_main(["anchors", "--update", *inventory]) == 0
    registry = (project / anchors.REGISTRY).read_text("utf-8")
    assert re.search(r"^witness-one\s+ed:witness\s+people$", registry, re.M)
    # the label is citable: {ref} in the edition resolves with the entity's title
    (project / "docs" / "principles.md").open("a", encoding="utf-8").write("\nSee {ref}`witness-one`.\n")
    assert build(project, tmp_path / "out2").returncode == 0
    assert "Witness One, a test person</span></a>" in (tmp_path / "out2" / "principles.html").read_text("utf-8")
    # and removing it breaks the build at its registry line
    (project / "docs" / "people.md").write_text("# People\n", "utf-8")
    (project / "docs" / "principles.md").write_text((project / "docs" / "principles.md").read_text("utf-8").replace("\nSee {ref}`witness-one`.\n", ""), "utf-8")
    failed = build(project, tmp_path / "out3")
    line = registry_line(project, "witness-one")
    assert f"docs/anchors.txt:{line}: WARNING: published anchor 'witness-one' (ed:witness on people) is gone" in failed.stderr


def test_edition_check_finds_a_lost_paragraph_without_a_build(tmp_path):
    """`edition check` (no Sphinx) already sees that a source edit dropped a registered ¶."""
    from scholarly_edition.checks import run_all
    from scholarly_edition.corpus import Corpus

    project = copy_project(tmp_path)
    source = project / "sources" / "mack-2025.txt"
    text = source.read_text("utf-8")
    last = "This article went live on November ninth, two thousand twenty five, at thirteen minutes past four in the afternoon."
    assert last in text
    source.write_text(text.replace(last, ""), "utf-8")  # the last paragraph (the dateline) is gone
    problems = [p for p in run_all(Corpus.load(project)) if p.path == anchors.REGISTRY and p.severity == "error"]
    assert [(p.line, p.message) for p in problems] == [
        (registry_line(project, "mack-2025-p38"), "published anchor 'mack-2025-p38' (ed:paragraph on documents/mack-2025) is no longer made from sources/mack-2025.*")]
    name_successor(project, "mack-2025-p38", "mack-2025-p37")
    assert [p for p in run_all(Corpus.load(project)) if p.path == anchors.REGISTRY and p.severity == "error"] == []


def test_anchors_that_move_with_their_page_need_no_line_of_their_own():
    """Renaming a document page: one successor on the page's line carries its paragraphs along."""
    text = ("documents/mack-2025  std:doc       documents/mack-2025  ->  documents/mack-2025-wire\n"
            "mack-2025-p7         ed:paragraph  documents/mack-2025\n"
            "mack-2025-p9         ed:paragraph  documents/mack-2025\n")
    entries, problems = anchors.parse(text, "docs/anchors.txt")
    current = {
        "documents/mack-2025-wire": anchors.Anchor("documents/mack-2025-wire", "std:doc", "documents/mack-2025-wire"),
        "mack-2025-p7": anchors.Anchor("mack-2025-p7", "ed:paragraph", "documents/mack-2025-wire"),
    }
    found = anchors.check(entries, current, "docs/anchors.txt")
    assert [(p.line, p.message.split(": links")[0]) for p in found] == [(3, "published anchor 'mack-2025-p9' (ed:paragraph on documents/mack-2025) is gone")]
    assert set(anchors.redirects(entries, current)) == {
        anchors.Redirect("documents/mack-2025", "documents/mack-2025", "documents/mack-2025-wire", ""),
        anchors.Redirect("documents/mack-2025", "mack-2025-p7", "documents/mack-2025-wire", "mack-2025-p7"),
    }
