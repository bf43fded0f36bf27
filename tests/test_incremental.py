"""Incremental builds write exactly what a fresh build writes.

The build re-reads only the pages an edit concerns (``sphinxext/dependencies.py``): a
document page depends on its own source and on the annotation entries that target it, and
the apparatus pages on everything.  Speed must not cost correctness, so after each kind of
edit (a source, an entity, an event, an editorial note, an archive file, and a new document
that comes with new annotation files of every kind) the output of an incremental build is
compared, file by file and byte for byte, with a fresh build of the same state, the search
index (Pagefind's ``pagefind/``) included; a last rebuild with no change must leave it so.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import copy_project

pytestmark = pytest.mark.build


def sphinx(project: Path, out: Path, doctrees: Path, *options: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", *options, "-d", str(doctrees),
         "-c", str(project), str(project / "docs"), str(out)],
        capture_output=True, text=True, env={"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def convert(project: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "scholarly_edition", "convert", "--root", str(project)], capture_output=True, text=True,
                            env={"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


def differences(a: Path, b: Path) -> list[str]:
    """Files that are missing on one side or differ, relative to the output directories."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    diff = [f"only in one build: {p}" for p in sorted(files_a ^ files_b)]
    diff += [str(p) for p in sorted(files_a & files_b) if not filecmp.cmp(a / p, b / p, shallow=False)]
    return diff


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def edit_source(project: Path) -> None:
    """Append a sentence to the longest line of one source (quotes elsewhere stay intact), and
    record the change on the paragraph's registry line, as an editor must (docs/anchors.txt)."""
    from scholarly_edition.corpus import Corpus

    before = Corpus.load(project).fingerprints
    path = project / "sources" / "mack-2025.txt"
    lines = path.read_text("utf-8").split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] += " An edited sentence."
    path.write_text("\n".join(lines), "utf-8")
    convert(project)
    after = Corpus.load(project).fingerprints
    changed = [anchor for anchor, fp in after.items() if before.get(anchor) not in (None, fp)]
    assert len(changed) == 1, changed
    registry = project / "docs" / "anchors.txt"
    text = registry.read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(text) if line.split() and line.split()[0] == changed[0])
    text[at] += f"  now:{after[changed[0]]}  reason: a sentence added by the incremental-build test"
    registry.write_text("\n".join(text), "utf-8")


def edit_entity(project: Path) -> None:
    """The first entity's headword: shown in the glossary and in every mention's preview."""
    path = project / "docs" / "annotations" / "entities" / "persons.yaml"
    text = path.read_text("utf-8")
    start = text.index("headword: ")
    end = text.index("\n", start)
    path.write_text(text[:end] + " (edited)" + text[end:], "utf-8")


def edit_event(project: Path) -> None:
    path = sorted((project / "docs" / "annotations" / "events").glob("19*.yaml"))[0]
    text = path.read_text("utf-8")
    start = text.index("    title: ")
    end = text.index("\n", start)
    path.write_text(text[:end] + " (edited)" + text[end:], "utf-8")


def edit_note(project: Path) -> None:
    path = sorted((project / "docs" / "annotations" / "notes").glob("*.yaml"))[0]
    text = path.read_text("utf-8")
    start = text.index("    text: >-\n") + len("    text: >-\n")
    end = text.index("\n", start)
    path.write_text(text[:end] + " An edited sentence." + text[end:], "utf-8")


def edit_archive(project: Path) -> None:
    path = project / "docs" / "annotations" / "archives" / "nara.yaml"
    text = path.read_text("utf-8")
    start = text.index("\nname: ") + 1
    end = text.index("\n", start)
    path.write_text(text[:end] + " (edited)" + text[end:], "utf-8")


NEW_TEXT = "A test document\nA test paragraph on the events of November 1964 in La Paz.\n"
NEW_META = """\
id: test-document
title: A test document
short_title: Test 2026
authors: not named in the source
outlet: The test suite
genre: journalism
language: en
date:
  edtf: "2026-01-01"
rights: Written for the test suite.
bibkey: {bibkey}
structure:
  title: A test document
"""


def add_document(project: Path) -> None:
    """A new source, with new files of every annotation kind (none could be a noted dependency)."""
    bibkey = "testdocument2026"  # its own entry: each source is cited from its own bibkey
    bib = project / "docs" / "references.bib"
    bib.write_text(bib.read_text("utf-8") + "\n@misc{testdocument2026,\n  title = {{A test document}},\n  howpublished = {The test suite},\n  year = {2026}\n}\n", "utf-8")
    (project / "sources" / "test-document.txt").write_text(NEW_TEXT, "utf-8")
    (project / "sources" / "test-document.yaml").write_text(NEW_META.format(bibkey=bibkey), "utf-8")
    annotations = project / "docs" / "annotations"
    (annotations / "events" / "test.yaml").write_text(textwrap.dedent("""\
        events:
          - id: 2026-01-01-test-document
            date: "2026-01-01"
            kind: document
            document: test-document
            title: A test document
            attested_by:
              - test-document-p1
        """), "utf-8")
    (annotations / "notes" / "test-document.yaml").write_text(textwrap.dedent("""\
        document: test-document
        notes:
          - id: test-note
            kind: explanation
            anchor: test-document-p1
            quote: "the events of November 1964"
            text: A test note.
        """), "utf-8")
    (annotations / "entities" / "tests.yaml").write_text(textwrap.dedent("""\
        - id: test-paragraph
          kind: term
          headword: test paragraph
          sort: test paragraph
          aliases: [test paragraph]
          description: A term of the test suite.
          attested: [test-document-p1]
        """), "utf-8")
    (annotations / "archives" / "test-archive.yaml").write_text(textwrap.dedent("""\
        id: test-archive
        level: repository
        name: Test Archive
        forms: [Test Archive]
        description: A repository of the test suite.
        """), "utf-8")
    convert(project)


EDITS = [edit_source, edit_entity, edit_event, edit_note, edit_archive, add_document]


def test_incremental_build_equals_a_fresh_build_after_each_kind_of_edit(tmp_path):
    project = copy_project(tmp_path)
    out, doctrees = tmp_path / "incremental", tmp_path / "incremental-doctrees"
    sphinx(project, out, doctrees, "-E")
    for number, edit in enumerate(EDITS):
        edit(project)
        log = sphinx(project, out, doctrees)
        fresh = tmp_path / f"fresh{number}"
        sphinx(project, fresh, tmp_path / f"fresh{number}-doctrees", "-E")
        assert differences(out, fresh) == [], f"after {edit.__name__}:\n{log}"
        # The start-up configuration is stable (conf.py's own values may follow the documents).
        assert "html_static_path" not in log and "pygments_dark_style" not in log, log
    # A rebuild with no change (which skips the edition-wide work) leaves the output as it was.
    sphinx(project, out, doctrees)
    assert differences(out, fresh) == []


def _build_status(project: Path, out: Path, doctrees: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", "-d", str(doctrees),
         "-c", str(project), str(project / "docs"), str(out)],
        capture_output=True, text=True, env={"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def test_a_rebuild_that_reads_no_page_still_sees_what_the_checks_read(tmp_path):
    """A rebuild reads no page when nothing the extension reads changed since a clean build.
    The checks of the consistency step also read the registries of earlier releases and
    refuse symbolic links: a change to either must make the rebuild check again (and fail
    under -W), as a fresh build would."""
    project = copy_project(tmp_path)
    out, doctrees = tmp_path / "out", tmp_path / "doctrees"
    assert _build_status(project, out, doctrees).returncode == 0
    assert _build_status(project, out, doctrees).returncode == 0  # nothing changed: still clean
    released = sorted((project / "docs" / "anchors-released").glob("*.txt"))[-1]
    clean = released.read_text("utf-8")
    released.write_text(clean + "bogus-anchor-xyz  ed:document  documents/bogus\n", "utf-8")
    failed = _build_status(project, out, doctrees)
    assert failed.returncode != 0 and "bogus-anchor-xyz" in failed.stderr, failed.stderr
    released.write_text(clean, "utf-8")
    assert _build_status(project, out, doctrees).returncode == 0
    (project / "docs" / "figures").mkdir(exist_ok=True)
    (project / "docs" / "figures" / "linked.txt").symlink_to("/etc/hostname")
    refused = _build_status(project, out, doctrees)
    assert refused.returncode != 0 and "symbolic link" in refused.stderr, refused.stderr
