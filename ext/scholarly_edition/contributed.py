"""Checks on every contributed file as text: safety, citation keys, the bibliography.

These checks walk the YAML of every annotation kind and of every source's metadata
generically, so a new kind of annotation is covered without code: every string value is
judged by :func:`scholarly_edition.trust.check_field` according to the class of its key
(plain text, restricted MyST, address, or verbatim words of a source), and every
``{cite}``/``{footcite}`` role must name a key of ``docs/references.bib``.  Source
metadata must name a known ``bibkey`` too, and ``docs/references.bib`` itself is read
with pybtex: braces must balance and addresses must be http(s) URLs or DOIs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from .corpus import Corpus
from .errors import EditionError, Problem
from .metadata import display_path
from .trust import check_field, find_bad_schemes, is_http_url

#: What `edition new` leaves for the contributor to write (kept in sync with edition.scaffold).
PLACEHOLDER = "[to be written]"
from .yamlload import LineDict, LineList, load_yaml_file

ANNOTATIONS_DIR = Path("docs") / "annotations"
BIBLIOGRAPHY = Path("docs") / "references.bib"

SOURCES_DIR = Path("sources")

#: Values that quote a source verbatim (they are matched against the text, never rendered as markup).
from .trust import VERBATIM_KEYS  # noqa: E402

_CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]*)`")
_BIB_KEY = re.compile(r"^\s*@\s*[A-Za-z]+\s*\{\s*([^,\s]+)\s*,", re.M)


@lru_cache(maxsize=8)
def _bib_keys(path: Path, mtime: float) -> frozenset[str]:
    return frozenset(_BIB_KEY.findall(path.read_text("utf-8")))


def bibliography_keys(root: Path) -> frozenset[str]:
    """Keys of ``docs/references.bib`` (an empty set when there is no bibliography)."""
    path = root / BIBLIOGRAPHY
    return _bib_keys(path, path.stat().st_mtime) if path.exists() else frozenset()


def _strings(value: Any, line: int, key: str = "", path: tuple[str, ...] = ()) -> Iterator[tuple[str, str, int, tuple[str, ...]]]:
    """Every (key, string, line, key path) in a YAML tree, with the line of the key holding it."""
    if isinstance(value, LineDict):
        for k, v in value.items():
            yield from _strings(v, value.line_of(str(k)), str(k), (*path, str(k)))
    elif isinstance(value, LineList):
        for index, v in enumerate(value):
            yield from _strings(v, value.line_of(index), key, path)
    elif isinstance(value, str):
        yield key, value, line, path


def _field_key(key: str, path: tuple[str, ...], is_source: bool) -> str:
    """The key whose class decides a value: in a source's ``structure`` every line is the
    source's own words (verbatim), except the reason given for an omission."""
    if is_source and path[:1] == ("structure",) and key != "reason":
        return "quote"
    return key


def _column(raw_lines: list[str], line: int, value: str, offset: int) -> int | None:
    """The column of ``value[offset]`` when the value stands whole on its line."""
    if "\n" in value:
        return None
    if 0 < line <= len(raw_lines):
        raw = raw_lines[line - 1]
        head = value[: offset + 1]
        at = raw.find(head)
        if at >= 0:
            return at + offset + 1
    return None


def _locate(raw_lines: list[str], line: int, value: str, offset: int) -> tuple[int, int | None]:
    """(line, column) of ``value[offset]`` in the file, also inside block scalars (``|``, ``>``)."""
    column = _column(raw_lines, line, value, offset)
    if column is not None:
        return line, column
    for width in (24, 12, 6):
        needle = value[offset:offset + width].split("\n", 1)[0]
        if len(needle) < 3:
            continue
        for number in range(line, min(len(raw_lines), line + value.count("\n") + 200) + 1):
            at = raw_lines[number - 1].find(needle)
            if at >= 0:
                return number, at + 1
    before = value[:offset].split("\n")[-1][-24:]  # the issue is at a line break: place it after the words before
    if len(before) >= 3:
        for number in range(line, min(len(raw_lines), line + value.count("\n") + 200) + 1):
            at = raw_lines[number - 1].find(before)
            if at >= 0:
                return number, at + len(before) + 1
    return line, None


def _field_issues(field: str, text: str, memo: dict | None) -> list:
    """:func:`check_field`, remembered in ``memo`` by (field, text) when one is given."""
    if memo is None:
        return check_field(field, text)
    key = (field, text)
    if key not in memo:
        memo[key] = check_field(field, text)
    return memo[key]


def check_text_file(path: Path, root: Path, keys: frozenset[str], is_source: bool = False, memo: dict | None = None) -> list[Problem]:
    """Safety and citation keys of one annotation (or source metadata) file.

    ``memo`` (field, text) -> issues, shared by the files of one run: a value is judged
    once however many files repeat it (ids, kinds, titles of copied documents)."""
    shown = display_path(path, root)
    try:
        data = load_yaml_file(path, shown, reuse=True)  # only read here: the kind's loader parsed it already
    except EditionError:
        return []  # syntax errors, limits and symlinks are reported by the loader of that kind
    raw_lines = path.read_text("utf-8-sig").split("\n")
    problems: list[Problem] = []
    for key, text, line, key_path in _strings(data, getattr(data, "line", 1)):
        field = _field_key(key, key_path, is_source)
        if PLACEHOLDER in text and field not in VERBATIM_KEYS:
            problems.append(Problem(shown, line, f"unfinished template: {key!r} still says {PLACEHOLDER!r}", "write the text (see CONTRIBUTING.md, house style)", _column(raw_lines, line, text, text.find(PLACEHOLDER))))
        for issue in _field_issues(field, text, memo):
            at_line, at_column = _locate(raw_lines, line, text, issue.offset)
            problems.append(Problem(shown, at_line, issue.message, issue.hint, at_column))
        for match in _CITE_ROLE.finditer(text):
            for cited in (k.strip() for k in match.group(1).split(",")):
                if cited and cited not in keys:
                    problems.append(Problem(shown, line, f"unknown bibliography key {cited!r}", f"add the work to {BIBLIOGRAPHY} (verified details only) or fix the key", _column(raw_lines, line, text, match.start(1))))
    return problems


_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*[{(]")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/[^\s\"<>{}\\]+$", re.I)
_LATEX_LINK = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")


def _bib_structure(text: str, shown: str) -> list[Problem]:
    """Braces balance inside every entry, and nothing but comments lies between entries.

    A stray ``}`` closes an entry early and BibTeX silently drops the fields after it; an
    unclosed ``{`` swallows the next entries.  Both are errors at the line where they are.
    """
    problems: list[Problem] = []
    depth = 0
    entry_line = 0
    in_entry = False
    line = 1
    column = 0
    outside_start: tuple[int, int] | None = None
    index = 0
    while index < len(text):
        char = text[index]
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        if not in_entry:
            match = _ENTRY_START.match(text, index) if char == "@" else None
            if match:
                in_entry, depth, entry_line = True, 1, line
                if match.group(1).lower() == "comment":
                    in_entry = False  # @comment{...}: skipped by BibTeX
                column += match.end() - index - 1
                index = match.end()
                continue
            if char == "%":  # a comment line between entries
                end = text.find("\n", index)
                index = len(text) if end < 0 else end
                column -= 1
                continue
            if char == "}" and outside_start is None:
                outside_start = (line, column)
                problems.append(Problem(shown, line, f"{char!r} outside any entry: an unbalanced brace closed the entry before it early, and BibTeX would drop the fields after it", "balance the braces of the entry above (escape a literal brace as \\{ or \\})", column))
        else:
            if char == "\\":
                index += 2
                column += 1
                continue
            if char in "{(":
                depth += 1
            elif char in "})":
                depth -= 1
                if depth == 0:
                    in_entry = False
                    outside_start = None
            elif char == "@" and depth == 1 and _ENTRY_START.match(text, index) and text[max(0, index - 1)] == "\n":
                problems.append(Problem(shown, entry_line, "unbalanced braces: this entry is not closed before the next one begins", "add the missing '}' (or remove a stray '{')", 1))
                in_entry = False
                continue
        index += 1
    if in_entry:
        problems.append(Problem(shown, entry_line, "unbalanced braces: this entry is not closed at the end of the file", "add the missing '}' (or remove a stray '{')", 1))
    return problems


_ENTRY_HEAD = re.compile(r"@\s*\w+\s*[{(]\s*")


def _entry_heads(at_lines: list[tuple[int, str]]) -> dict[str, int]:
    """key -> first line where ``@type{key,`` stands (the words up to the comma, spaces
    trimmed).  For a key without commas or outer spaces this is the line where
    ``@\\s*\\w+\\s*[{(]\\s*KEY\\s*,`` first matches, found once for all keys."""
    heads: dict[str, int] = {}
    for number, raw in at_lines:
        at = raw.find("@")
        while at >= 0:
            head = _ENTRY_HEAD.match(raw, at)
            if head:
                comma = raw.find(",", head.end())
                if comma >= 0:
                    heads.setdefault(raw[head.end():comma].rstrip(), number)
            at = raw.find("@", at + 1)
    return heads


def check_bibliography(root: Path) -> list[Problem]:
    """``docs/references.bib``: a regular file, well formed, with http(s) URLs and DOIs only."""
    from .fileio import read_contributed

    path = root / BIBLIOGRAPHY
    if not path.exists() and not path.is_symlink():
        return []
    shown = display_path(path, root)
    try:
        text = read_contributed(path, shown, 2_000_000).decode("utf-8")
    except EditionError as exc:
        return exc.problems
    except UnicodeDecodeError:
        return [Problem(shown, None, "file is not valid UTF-8", "save the file as UTF-8")]
    problems = _bib_structure(text, shown)
    if problems:
        return problems  # fields of a broken file cannot be trusted: the cause is reported once
    import pybtex.database
    import pybtex.errors

    pybtex.errors.set_strict_mode(True)
    try:
        database = pybtex.database.parse_string(text, "bibtex")
    except Exception as exc:  # pybtex's errors carry the line in their text
        found = re.search(r"line (\d+)", str(exc))
        return [Problem(shown, int(found.group(1)) if found else None, f"BibTeX syntax error: {exc}", "compare the entry with the others in the file")]
    lines = text.split("\n")
    # Only lines with an "@" can open an entry, and only those holding the key can open its
    # entry: the exact pattern is tried on those few (every line for every key was quadratic).
    at_lines = [(n, raw) for n, raw in enumerate(lines, 1) if "@" in raw]
    heads = _entry_heads(at_lines)
    for key, entry in database.entries.items():
        if "," in key or key != key.strip():  # a key the index cannot hold: the exact pattern, line by line
            start = next((n for n, raw in at_lines if key in raw and re.search(r"@\s*\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", raw)), None)
        else:
            start = heads.get(key)
        for name, value in entry.fields.items():
            line, column = start, None
            if start:
                for n in range(start, len(lines) + 1):
                    at = re.search(r"(?i)\b" + re.escape(name) + r"\s*=", lines[n - 1])
                    if at:
                        line, column = n, at.start() + 1
                        break
            field = name.lower()
            value = str(value).strip()
            if field == "url" and not is_http_url(value):
                problems.append(Problem(shown, line, f"url {value[:60]!r} of {key!r} is not an http(s) address", "give an http:// or https:// address (other schemes are refused)", column))
                continue
            if field == "doi" and not _DOI.match(value):
                problems.append(Problem(shown, line, f"doi {value[:60]!r} of {key!r} is not a DOI", "write the DOI as 10.xxxx/suffix", column))
                continue
            for target in _LATEX_LINK.findall(value):
                if not is_http_url(target.strip()):
                    problems.append(Problem(shown, line, f"link {target[:60]!r} in {name} of {key!r} is not an http(s) address", "give an http:// or https:// address", column))
            for _offset, written in find_bad_schemes(value):
                if not any(written in t for t in _LATEX_LINK.findall(value)):
                    problems.append(Problem(shown, line, f"{name} of {key!r} holds a script or data address {written[:40]!r}", "remove it: only http(s) addresses and DOIs are allowed", column))
            if re.search(r"<\s*/?\s*[A-Za-z!]", value):
                problems.append(Problem(shown, line, f"{name} of {key!r} holds raw HTML", "write plain text", column))
    return problems


def check_contributed_text(corpus: Corpus) -> list[Problem]:
    """Every contributed file's text is safe and cites known works; every source's bibkey exists."""
    root = corpus.root
    keys = bibliography_keys(root)
    problems: list[Problem] = check_bibliography(root)
    directory = root / ANNOTATIONS_DIR
    memo: dict = {}
    for path in sorted(directory.rglob("*.yaml")) if directory.is_dir() else []:
        problems += check_text_file(path, root, keys, memo=memo)
    sources = root / SOURCES_DIR
    for path in sorted(sources.glob("*.yaml")) if sources.is_dir() else []:
        problems += check_text_file(path, root, keys, is_source=True, memo=memo)
    problems += symlinks_in_tree(root, already=directory)
    return problems + _bibkeys(corpus, keys)


def symlinks_in_tree(root: Path, already: Path) -> list[Problem]:
    """A symbolic link anywhere under ``docs/`` would let the build read a file of the
    machine as a page or a download.  (``docs/annotations/``, the bibliography and the
    anchor registry report their own links when they are read, so they are not repeated.)"""
    problems: list[Problem] = []
    docs = root / "docs"
    for path in sorted(docs.rglob("*")) if docs.is_dir() else []:
        if path.is_symlink() and already not in path.parents and path not in (root / BIBLIOGRAPHY, root / "docs" / "anchors.txt"):
            problems.append(Problem(display_path(path, root), None, f"is a symbolic link (to {str(path.readlink())!r}); symbolic links are refused",
                                    "replace the link with the file itself: the edition's files must be regular files inside the repository"))
    return problems


def _bibkeys(corpus: Corpus, keys: frozenset[str]) -> list[Problem]:
    root = corpus.root
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for doc in sorted(corpus.documents.values(), key=lambda d: d.id):
        bibkey = doc.meta.get("bibkey")
        if keys and bibkey not in keys:
            problems.append(Problem(display_path(doc.meta_path, root), doc.meta.line_of("bibkey"), f"bibkey {bibkey!r} is not in {BIBLIOGRAPHY}", "add the document's entry to the bibliography"))
        # Each source is cited from its own entry (the citation styles key their items by
        # bibkey): a second source with the same key would be cited with the first one's data.
        if isinstance(bibkey, str) and bibkey in first:
            problems.append(Problem(display_path(doc.meta_path, root), doc.meta.line_of("bibkey"), f"bibkey {bibkey!r} is already the bibkey of {first[bibkey]!r}",
                                    f"give the document its own entry in {BIBLIOGRAPHY} and its key here"))
        elif isinstance(bibkey, str):
            first[bibkey] = doc.id
    return problems
