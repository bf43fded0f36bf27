"""Checks on every annotation file as contributed text: safety and citation keys.

These checks walk the YAML of every annotation kind generically, so a new kind of
annotation is covered without code: every string value is contributed MyST text and must
pass :func:`edition.safety.check_markup` (quotes of the sources are exempt: they must
match the verbatim text anyway), and every ``{cite}``/``{footcite}`` role must name a key
of ``docs/references.bib``.  Source metadata must name a known ``bibkey`` too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from .corpus import Corpus
from .errors import EditionError, Problem
from .metadata import display_path
from .safety import check_markup

#: What `edition new` leaves for the contributor to write (kept in sync with edition.scaffold).
PLACEHOLDER = "[to be written]"
from .yamlload import LineDict, LineList, load_yaml_file

ANNOTATIONS_DIR = Path("docs") / "annotations"
BIBLIOGRAPHY = Path("docs") / "references.bib"

#: Values that quote a source verbatim (they are matched against the text, never rendered as markup).
VERBATIM_KEYS = frozenset({"quote", "prefix", "suffix", "exact"})

_CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]*)`")
_BIB_KEY = re.compile(r"^\s*@\s*[A-Za-z]+\s*\{\s*([^,\s]+)\s*,", re.M)


@lru_cache(maxsize=8)
def _bib_keys(path: Path, mtime: float) -> frozenset[str]:
    return frozenset(_BIB_KEY.findall(path.read_text("utf-8")))


def bibliography_keys(root: Path) -> frozenset[str]:
    """Keys of ``docs/references.bib`` (an empty set when there is no bibliography)."""
    path = root / BIBLIOGRAPHY
    return _bib_keys(path, path.stat().st_mtime) if path.exists() else frozenset()


def _strings(value: Any, line: int, key: str = "") -> Iterator[tuple[str, str, int]]:
    """Every (key, string, line) in a YAML tree, with the line of the key holding it."""
    if isinstance(value, LineDict):
        for k, v in value.items():
            yield from _strings(v, value.line_of(str(k)), str(k))
    elif isinstance(value, LineList):
        for index, v in enumerate(value):
            yield from _strings(v, value.line_of(index), key)
    elif isinstance(value, str):
        yield key, value, line


def _column(raw_lines: list[str], line: int, value: str, offset: int) -> int | None:
    """The column of ``value[offset]`` when the value stands whole on its line."""
    if 0 < line <= len(raw_lines):
        raw = raw_lines[line - 1]
        head = value[: offset + 1]
        at = raw.find(head)
        if at >= 0:
            return at + offset + 1
    return None


def check_text_file(path: Path, root: Path, keys: frozenset[str]) -> list[Problem]:
    """Safety and citation keys of one annotation file."""
    shown = display_path(path, root)
    try:
        data = load_yaml_file(path, shown)
    except EditionError:
        return []  # syntax errors are reported by the loader of that kind
    raw_lines = path.read_text("utf-8-sig").split("\n")
    problems: list[Problem] = []
    for key, text, line in _strings(data, getattr(data, "line", 1)):
        if key in VERBATIM_KEYS:
            continue
        if PLACEHOLDER in text:
            problems.append(Problem(shown, line, f"unfinished template: {key!r} still says {PLACEHOLDER!r}", "write the text (see CONTRIBUTING.md, house style)", _column(raw_lines, line, text, text.find(PLACEHOLDER))))
        for issue in check_markup(text):
            problems.append(Problem(shown, line, issue.message, issue.hint, _column(raw_lines, line, text, issue.offset)))
        for match in _CITE_ROLE.finditer(text):
            for cited in (k.strip() for k in match.group(1).split(",")):
                if cited and cited not in keys:
                    problems.append(Problem(shown, line, f"unknown bibliography key {cited!r}", f"add the work to {BIBLIOGRAPHY} (verified details only) or fix the key", _column(raw_lines, line, text, match.start(1))))
    return problems


def check_contributed_text(corpus: Corpus) -> list[Problem]:
    """Every annotation file's text is safe and cites known works; every source's bibkey exists."""
    root = corpus.root
    keys = bibliography_keys(root)
    problems: list[Problem] = []
    directory = root / ANNOTATIONS_DIR
    for path in sorted(directory.rglob("*.yaml")) if directory.is_dir() else []:
        problems += check_text_file(path, root, keys)
    for doc in corpus.documents.values():
        bibkey = doc.meta.get("bibkey")
        if keys and bibkey not in keys:
            problems.append(Problem(display_path(doc.meta_path, root), doc.meta.line_of("bibkey"), f"bibkey {bibkey!r} is not in {BIBLIOGRAPHY}", "add the document's entry to the bibliography"))
    return problems
