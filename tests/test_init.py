"""``edition init``: a new edition, written with flags only, builds at once under ``-W -n``.

The new edition gets a second document through the scaffold (``edition new document``),
as an editor would add one, and is built again; ``edition check`` and ``edition convert
--check`` pass on it.  The package holds no text of this edition (no "Bolivia" outside
tests), and a project without a ``release`` is refused rather than given the toolkit's
version.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scholarly_edition.cli import main

ROOT = Path(__file__).resolve().parents[1]


def sphinx(project: Path, out: Path, builder: str = "html") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", builder, "-c", str(project), str(project / "docs"), str(out)],
        capture_output=True, text=True,
    )


def init(target: Path, *extra: str) -> int:
    return main(["init", str(target), "--title", "Letters of a Test: An Edition", "--editors", "A. Editor, B. Editor",
                 "--licence", "CC-BY-4.0", "--base-url", "https://example.org/letters/", "--language", "en", "--yes", "-q", *extra])


def test_init_refuses_a_non_empty_directory_and_bad_answers(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file").write_text("x")
    assert init(tmp_path / "full") == 1
    assert "exists and is not empty" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "a"), "--title", "T", "--licence", "GPL", "--yes"]) == 1
    assert "unknown licence 'GPL'" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "b"), "--title", "T", "--base-url", "example.org", "--yes"]) == 1
    assert "is not an http(s) address" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


@pytest.mark.build
def test_new_edition_builds_and_takes_a_second_document(tmp_path, capsys):
    edition = tmp_path / "second-edition"
    assert init(edition, "--toolkit", str(ROOT / "ext")) == 0
    for name in ("conf.py", "Makefile", ".ci/run", "CONTRIBUTING.md", ".github/pull_request_template.md",
                 "docs/index.md", "docs/principles.md", "docs/glossary.md", "docs/chronology.md",
                 "docs/annotations/notes/README.md", "docs/annotations/entities/README.md",
                 "docs/annotations/events/README.md", "docs/annotations/archives/README.md", "tests/test_edition.py"):
        assert (edition / name).is_file(), name
    assert f"TOOLKIT ?= {ROOT / 'ext'}" in (edition / "Makefile").read_text("utf-8")
    assert "https://example.org/letters/" in (edition / "conf.py").read_text("utf-8")

    result = sphinx(edition, tmp_path / "html")
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    page = BeautifulSoup((tmp_path / "html" / "documents" / "example.html").read_text("utf-8"), "html.parser")
    assert page.find(id="example-p3") is not None
    assert page.select("a[href*='glossary.html#paragraph-anchor']"), "the example entity is not linked"
    assert "Letters of a Test" in (tmp_path / "html" / "data" / "annotations.jsonld").read_text("utf-8")

    # A second document, through the scaffold, as an editor adds one.
    text = tmp_path / "copy.txt"
    text.write_text("A second example\n\nThe first paragraph of a second example document.\n\nIts second paragraph.\n", "utf-8")
    assert main(["new", "document", "--root", str(edition), "--id", "second", "--text-file", str(text), "--title", "A second example",
                 "--outlet", "an example outlet", "--genre", "primary source", "--date", "2026", "--rights", "Written for this test.",
                 "--summary", "A second example document, written for this test."]) == 0
    assert main(["convert", "--root", str(edition), "-q"]) == 0
    assert main(["check", "--root", str(edition), "-q"]) == 0
    assert main(["convert", "--root", str(edition), "--check"]) == 0
    assert (edition / "sources" / "second.txt").read_bytes() == text.read_bytes()
    result = sphinx(edition, tmp_path / "html2")
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    assert BeautifulSoup((tmp_path / "html2" / "documents" / "second.html").read_text("utf-8"), "html.parser").find(id="second-p2") is not None


def test_a_project_without_release_is_refused(tmp_path):
    edition = tmp_path / "e"
    assert init(edition) == 0
    conf = edition / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace('version = release = "0.1.0"', 'version = release = ""'), "utf-8")
    result = sphinx(edition, tmp_path / "html")
    assert result.returncode != 0
    assert "sets no `release`" in result.stderr


def test_the_package_holds_no_text_of_this_edition():
    package = ROOT / "ext" / "scholarly_edition"
    found = [str(path.relative_to(ROOT)) for path in package.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts and "bolivia" in path.read_bytes().decode("utf-8", "replace").lower()]
    assert found == []


@pytest.mark.build
def test_the_extension_sets_up_what_it_needs(tmp_path):
    """A conf.py with nothing but the extension and a release builds: the extension loads
    MyST, sphinx-design and bibtex, enables attrs_block (without it every ¶ anchor would be
    lost silently) and finds the bibliography; told not to enable MyST extensions, it
    refuses to start and names them."""
    edition = tmp_path / "e"
    assert init(edition) == 0
    (edition / "conf.py").write_text('project = "Bare"\nrelease = "1"\nextensions = ["scholarly_edition.sphinxext"]\nexclude_patterns = ["annotations/**", "print/**"]\n', "utf-8")
    result = sphinx(edition, tmp_path / "html")
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    page = BeautifulSoup((tmp_path / "html" / "documents" / "example.html").read_text("utf-8"), "html.parser")
    assert page.find(id="example-p1") is not None and page.find(id="example-p5") is not None
    with (edition / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("edition_myst_extensions_auto = False\n")
    result = sphinx(edition, tmp_path / "html2")
    assert result.returncode != 0
    assert "needs these MyST extensions, which conf.py does not enable: attrs_block, attrs_inline, colon_fence" in result.stderr
