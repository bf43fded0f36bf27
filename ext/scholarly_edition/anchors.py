"""The registry of published anchors: a promise that a cited link keeps working.

``docs/anchors.txt`` lists every anchor the edition has published — pages, documents,
paragraphs, page breaks, notes, omissions, and whatever object types the ``ed`` domain
gains later — one per line::

    mack-2025-p7  ed:paragraph  documents/mack-2025

When an anchor has to go (a paragraph split, a page renamed), its line names the
successor, and the build then makes the old address lead there::

    mack-2025-p7  ed:paragraph  documents/mack-2025  ->  mack-2025-p8

The build fails when a registered anchor disappears without a successor.  ``edition
anchors --update`` appends the anchors a build published that the registry does not list
yet (run it when a release is cut); the lines already there are never rewritten.

This module is pure Python (no Sphinx): parsing, checking, reading an inventory, updating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from .errors import Problem

REGISTRY = "docs/anchors.txt"
HEADER = """\
# Published anchors of the edition: every address a reader may have cited.
# One anchor a line:   <anchor>  <kind>  <page>
# An anchor that had to go names its successor, and its old address then leads there:
#                      <anchor>  <kind>  <page>  ->  <successor anchor>
# Never delete a line.  New anchors are appended by `make anchors` when a release is cut.
"""
#: Labels Sphinx makes on its own; they are pages of every project, not the edition's.
BUILTIN_LABELS = frozenset({"genindex", "modindex", "py-modindex", "search"})
#: Kinds whose anchor is a whole page (no fragment in its address).
PAGE_KINDS = frozenset({"std:doc", "ed:document"})
_TOKEN = re.compile(r"^[^\s#]+$")
#: docs/anchors.txt is contributed text: a page becomes a file name of the build (redirect
#: pages), an anchor a fragment in a script.  Both are held to the shapes the edition makes.
_PAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(?:/[A-Za-z0-9][A-Za-z0-9_-]*)*$")
_ANCHOR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*(?:/[A-Za-z0-9][A-Za-z0-9_.:-]*)*$")
_KIND = re.compile(r"^[a-z]+:[a-z-]+$")


def _unsafe_field(anchor: str, kind: str, page: str, successor: str | None) -> str | None:
    """Which field of a registry line has a shape the edition never makes (paths, markup)."""
    if not _PAGE.match(page) or ".." in page:
        return f"page {page!r} is not a page name of the edition"
    if not _KIND.match(kind):
        return f"kind {kind!r} is not an object type"
    for value in (anchor, successor):
        if value is not None and (not _ANCHOR.match(value) or ".." in value):
            return f"anchor {value!r} is not an anchor of the edition"
    return None


@dataclass(frozen=True)
class Entry:
    """One line of the registry."""

    anchor: str
    kind: str
    page: str
    successor: str | None
    line: int


@dataclass(frozen=True)
class Anchor:
    """An anchor a build publishes: where it is and what it is."""

    anchor: str
    kind: str
    page: str
    title: str = ""


def parse(text: str, shown: str) -> tuple[list[Entry], list[Problem]]:
    """Read the registry; every malformed line is a problem naming its line."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        successor = None
        if "->" in line:
            line, _, successor = (part.strip() for part in line.partition("->"))
            if not _TOKEN.match(successor or ""):
                problems.append(Problem(shown, number, "'->' must be followed by one successor anchor", "write: <anchor> <kind> <page> -> <successor>"))
                continue
        fields = line.split()
        if len(fields) != 3:
            problems.append(Problem(shown, number, f"expected '<anchor> <kind> <page>', found {len(fields)} field(s)", "one anchor a line, fields separated by spaces"))
            continue
        anchor, kind, page = fields
        unsafe = _unsafe_field(anchor, kind, page, successor)
        if unsafe:
            problems.append(Problem(shown, number, unsafe, "anchors and pages are lowercase names with hyphens, pages separated by '/' (never '..' or an absolute path)", raw.find(unsafe.split("'")[1]) + 1))
            continue
        key = (anchor, page)
        if key in seen:
            problems.append(Problem(shown, number, f"anchor {anchor!r} on {page} is already listed on line {seen[key]}", "remove the repeated line"))
            continue
        seen[key] = number
        entries.append(Entry(anchor, kind, page, successor, number))
    return entries, problems


def load(path: Path, shown: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Parse the registry file; a missing file is an empty registry."""
    shown = shown or str(path)
    if not path.exists():
        return [], []
    from .fileio import read_contributed

    return parse(read_contributed(path, shown, 5_000_000).decode("utf-8"), shown)


def check(entries: Iterable[Entry], current: Mapping[str, Anchor], shown: str) -> list[Problem]:
    """Problems of the registry against the anchors a build publishes.

    A registered anchor must still be published on its page, or name a successor that is
    published.  ``current`` maps anchor -> Anchor (its page and kind now).
    """
    entries = list(entries)
    moved_pages = _moved_pages(entries, current)
    problems: list[Problem] = []
    for entry in entries:
        if entry.successor:
            if entry.successor not in current:
                problems.append(Problem(shown, entry.line, f"successor {entry.successor!r} of anchor {entry.anchor!r} is not an anchor of the edition",
                                        "name an anchor the edition publishes (see objects.inv or the registry itself)"))
            continue
        now = current.get(entry.anchor)
        if now is not None and now.page != entry.page and moved_pages.get(entry.page) == now.page:
            continue  # it moved with its page, whose line names the new page
        if now is None or now.page != entry.page:
            where = "is gone" if now is None else f"moved from {entry.page} to {now.page}"
            problems.append(Problem(
                shown, entry.line,
                f"published anchor {entry.anchor!r} ({entry.kind} on {entry.page}) {where}: links that cite it would break",
                f"restore it, or name its successor on this line: '{entry.anchor}  {entry.kind}  {entry.page}  ->  <new anchor>'"))
    return problems


@dataclass(frozen=True)
class Redirect:
    """An old address and where it now leads."""

    old_page: str
    old_anchor: str
    new_page: str
    new_fragment: str  # '' for a page


def _moved_pages(entries: list[Entry], current: Mapping[str, Anchor]) -> dict[str, str]:
    """old page -> new page, for pages whose ``std:doc`` line names a published successor."""
    return {e.page: current[e.successor].page for e in entries
            if e.kind == "std:doc" and e.successor and e.successor in current}


def redirects(entries: Iterable[Entry], current: Mapping[str, Anchor]) -> list[Redirect]:
    """Old page#anchor -> new page#anchor for every entry with a published successor, and
    for every anchor that moved, under its own name, with its page."""
    entries = list(entries)
    moved_pages = _moved_pages(entries, current)
    out: list[Redirect] = []
    for entry in entries:
        now = current.get(entry.anchor)
        if not entry.successor and now is not None and now.page != entry.page and moved_pages.get(entry.page) == now.page:
            out.append(Redirect(entry.page, entry.anchor, now.page, "" if now.kind in PAGE_KINDS else now.anchor))
            continue
        if entry.successor and entry.successor in current:
            new = current[entry.successor]
            fragment = "" if new.kind in PAGE_KINDS else new.anchor
            out.append(Redirect(entry.page, entry.anchor, new.page, fragment))
    return out


def new_anchors(entries: Iterable[Entry], current: Mapping[str, Anchor]) -> list[Anchor]:
    """Anchors published now that the registry does not list, in a stable order."""
    listed = {(e.anchor, e.page) for e in entries} | {(e.anchor, None) for e in entries}
    fresh = [a for a in current.values() if (a.anchor, a.page) not in listed]
    return sorted(fresh, key=lambda a: (a.page, natural_key(a.anchor)))


def natural_key(text: str) -> list[object]:
    """'mack-2025-p10' after 'mack-2025-p9'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def format_lines(anchors: Iterable[Anchor]) -> list[str]:
    anchors = list(anchors)
    width_a = max((len(a.anchor) for a in anchors), default=0)
    width_k = max((len(a.kind) for a in anchors), default=0)
    return [f"{a.anchor:<{width_a}}  {a.kind:<{width_k}}  {a.page}" for a in anchors]


def update(path: Path, current: Mapping[str, Anchor], version: str) -> list[Anchor]:
    """Append unlisted anchors to the registry under a comment naming the release."""
    text = path.read_text("utf-8") if path.exists() else HEADER
    entries, problems = parse(text, str(path))
    if problems:
        from .errors import EditionError

        raise EditionError(problems)
    added = new_anchors(entries, current)
    if added:
        if not text.endswith("\n"):
            text += "\n"
        text += f"\n# release {version}: {len(added)} anchor(s)\n" + "\n".join(format_lines(added)) + "\n"
        path.write_text(text, "utf-8")
    return added


def page_of(uri: str) -> str:
    """Docname of an inventory URI: 'documents/mack-2025.html#x' -> 'documents/mack-2025'."""
    page = uri.split("#", 1)[0]
    if page.endswith(".html"):
        page = page[: -len(".html")]
    page = page.rstrip("/")
    if page.endswith("/index") or page == "index":
        return page
    return page or "index"


def from_inventory(path: Path) -> dict[str, Anchor]:
    """The anchors a built edition publishes, read from its ``objects.inv``.

    Every object of the ``ed`` domain (whatever its type), every page (``std:doc``) and every
    standard label except Sphinx's own; an anchor that is both an ``ed`` object and a label
    is listed once, as the ``ed`` object.
    """
    from sphinx.util.inventory import InventoryFile

    inventory = InventoryFile.loads(path.read_bytes(), uri="")
    data = inventory.data if hasattr(inventory, "data") else inventory
    found: dict[str, Anchor] = {}
    for objtype in sorted(data, key=lambda t: (not t.startswith("ed:"), t)):
        if not (objtype.startswith("ed:") or objtype in ("std:doc", "std:label")):
            continue
        for name, item in data[objtype].items():
            uri = item.uri if hasattr(item, "uri") else item[2]
            title = item.display_name if hasattr(item, "display_name") else item[3]
            if objtype == "std:label" and name in BUILTIN_LABELS:
                continue
            if name in found:
                continue
            found[name] = Anchor(name, objtype, page_of(uri), title)
    return found


#: Anchors the converter makes on a document page (the corpus knows them without a build).
_CONVERTER_ANCHOR = r"^{doc}(-(p|page|n|h|omission|fig)\d+|-byline)?$"


def check_anchors(corpus) -> list[Problem]:
    """``edition check``: the registry parses, and every registered anchor the converter
    makes (documents, paragraphs, page breaks, notes, headings, omissions, figures) is still
    made, unless it names a successor.  Anchors of other kinds (entities, events, …) are
    checked by the build, which sees every object of the ``ed`` domain."""
    path = corpus.root / REGISTRY
    entries, problems = load(path, REGISTRY)
    for entry in entries:
        if entry.successor or not entry.page.startswith("documents/"):
            continue
        doc_id = entry.page.split("/", 1)[1]
        if entry.kind == "std:doc":
            gone = doc_id not in corpus.documents
        elif re.match(_CONVERTER_ANCHOR.format(doc=re.escape(doc_id)), entry.anchor):
            gone = entry.anchor not in corpus.anchors
        else:
            continue
        if gone:
            problems.append(Problem(
                REGISTRY, entry.line,
                f"published anchor {entry.anchor!r} ({entry.kind} on {entry.page}) is no longer made from sources/{doc_id}.*",
                f"restore it, or name its successor on this line: '{entry.anchor}  {entry.kind}  {entry.page}  ->  <new anchor>'"))
    return problems
