"""Shared fixtures: the project root, the corpus, and one full build of the edition.

The full build is made once per test session (session-scoped fixture) with the same
options as CI (`-E -W --keep-going -n`), so every test that reads built HTML reads the
real edition.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ext"))

pytest_plugins = ["sphinx.testing.fixtures"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus():
    from scholarly_edition.corpus import Corpus

    return Corpus.load(ROOT)


@pytest.fixture(scope="session")
def built_html(tmp_path_factory) -> Path:
    """Build the whole edition once, exactly as CI does; fail on any warning."""
    out = tmp_path_factory.mktemp("html")
    doctrees = tmp_path_factory.mktemp("doctrees")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "html", "-d", str(doctrees), "-c", str(ROOT), str(ROOT / "docs"), str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    assert result.stderr.strip() == "", f"build printed warnings:\n{result.stderr}"
    return out


def edition_title() -> str:
    """The edition's title, from its one place: ``project`` in conf.py."""
    import re

    return re.search(r'^project = "(.*)"$', (ROOT / "conf.py").read_text("utf-8"), re.M).group(1)


def copy_project(tmp_path: Path) -> Path:
    """A scratch copy of the project (sources, docs, conf.py) for tests that break things."""
    target = tmp_path / "project"
    target.mkdir()
    for name in ("sources", "docs"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "conf.py", target / "conf.py")
    shutil.copytree(ROOT / "ext", target / "ext", ignore=shutil.ignore_patterns("__pycache__"))
    return target
