"""The toolkit's documentation (toolkit-docs/): it builds with -W -n, its reference names
every configuration value, directive and role the toolkit declares, and its tutorial runs.

The tutorial test runs every ``sh`` block of ``toolkit-docs/tutorial.md``, in order, in
one shell in a temporary directory, with this environment's ``edition`` and
``sphinx-build`` first on the PATH; only the block that installs the toolkit
(``pip install …``, already done here) is left out.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "toolkit-docs"
PACKAGE = ROOT / "ext" / "scholarly_edition"


def _declared(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        found.update(re.findall(pattern, path.read_text("utf-8")))
    return found


def test_reference_documents_every_config_value():
    from scholarly_edition.sphinxext.config import CONFIG_VALUES

    declared = _declared(r"add_config_value\(\s*\"([a-z_]+)\"") | set(CONFIG_VALUES)
    assert declared, "no configuration value found: the pattern is out of date"
    page = (DOCS / "reference" / "config.md").read_text("utf-8")
    missing = sorted(name for name in declared if f"`{name}`" not in page)
    assert missing == [], f"configuration values not documented in toolkit-docs/reference/config.md: {missing}"


def test_reference_documents_every_directive_and_role():
    declared = _declared(r"add_(?:directive|role)\(\s*\"([a-z-]+)\"") | {"ed:ref"}
    page = (DOCS / "reference" / "directives.md").read_text("utf-8")
    missing = sorted(name for name in declared if f"`{name}`\n:" not in page)
    assert missing == [], f"directives or roles not documented in toolkit-docs/reference/directives.md: {missing}"


@pytest.mark.build
def test_toolkit_docs_build_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", "html", str(DOCS), str(tmp_path / "html")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    assert (tmp_path / "html" / "reference" / "formats.html").read_text("utf-8").count("(required;") > 10


def tutorial_blocks() -> list[str]:
    text = (DOCS / "tutorial.md").read_text("utf-8")
    return re.findall(r"^```sh\n(.*?)^```$", text, re.M | re.S)


@pytest.mark.build
def test_tutorial_runs_end_to_end(tmp_path):
    blocks = [b for b in tutorial_blocks() if not b.lstrip().startswith("pip install")]
    assert len(blocks) >= 5, "the tutorial lost its steps"
    script = "set -euo pipefail\n" + "\n".join(blocks)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    built = tmp_path / "my-edition" / "_build" / "html"
    assert (built / "documents" / "tutorial-letter.html").exists()
    assert "example-archive" in (built / "glossary.html").read_text("utf-8")
    assert "2026-tutorial-letter-written" in (built / "chronology.html").read_text("utf-8")
