"""The registry of published anchors: a promise that a cited link keeps working, and keeps
pointing at the same words.

``docs/anchors.txt`` lists every anchor the edition has published — pages, documents,
paragraphs, page breaks, notes, omissions, and whatever object types the ``ed`` domain
gains later — one per line.  A paragraph's line also records the fingerprint of its
normalised reading text (:func:`scholarly_edition.corpus.fingerprint`)::

    mack-2025-p7  ed:paragraph  documents/mack-2025  text:94f08136b5e7

The rules, checked by ``edition check`` and by every build:

* **Gone** — a registered anchor must still be published on its page, or be *retired*: its
  line names a successor, and the old address then leads there::

      mack-2025-p7  ed:paragraph  documents/mack-2025  text:94f08136b5e7  ->  mack-2025-p8

* **Successors** — only a retired anchor (no longer published on its page) has one, and
  following successors ends, without a cycle, at an anchor the edition publishes.
* **Same words** — a published paragraph's text must keep its fingerprint.  An editorial
  correction is recorded on the line, with the new fingerprint and its reason::

      mack-2025-p7  ed:paragraph  documents/mack-2025  text:94f08136b5e7  now:1c2d3e4f5a6b  reason: misprint corrected against the original

  Omitting a paragraph changes no fingerprint and no number: the omission keeps the
  paragraph's number (see :mod:`scholarly_edition.convert`), and its words stay on the page.
* **Never delete a line** — each release's registry is kept in ``docs/anchors-released/``;
  every line of a released registry must still be in ``docs/anchors.txt`` with the same
  anchor, kind, page and fingerprint (a line may gain a successor or a correction).

``edition anchors --update`` appends the anchors a build published that the registry does
not list yet, fills in missing fingerprints, and keeps a copy of the result as the
release's registry (run it when a release is cut); lines are never removed or reordered.

This module is pure Python (no Sphinx): parsing, checking, reading an inventory, updating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .errors import Problem

REGISTRY = "docs/anchors.txt"
HEADER = """\
# Published anchors of the edition: every address a reader may have cited.
# One anchor a line:   <anchor>  <kind>  <page>
# An anchor that had to go names its successor, and its old address then leads there:
#                      <anchor>  <kind>  <page>  ->  <successor anchor>
# A paragraph's line ends with the fingerprint of its text:  text:<12 hex digits>
# An editorial correction of a paragraph adds:  now:<new fingerprint>  reason: <what and why>
# Never delete a line.  New anchors are appended by `make anchors` when a release is cut.
"""
#: Each release's registry, kept as ``<release>.txt``; none of its lines may disappear.
RELEASED_DIR = "docs/anchors-released"
_FINGERPRINT = re.compile(r"^[0-9a-f]{12}$")
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
    text: str | None = None  # fingerprint of the paragraph's text when it was published
    now: str | None = None  # fingerprint after a recorded editorial correction
    reason: str = ""  # why the text was corrected


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
        reason = ""
        if " reason:" in line:
            line, _, reason = (part.strip() for part in line.partition(" reason:"))
        successor = None
        if "->" in line:
            line, _, successor = (part.strip() for part in line.partition("->"))
            if not _TOKEN.match(successor or ""):
                problems.append(Problem(shown, number, "'->' must be followed by one successor anchor", "write: <anchor> <kind> <page> -> <successor>"))
                continue
        fields = line.split()
        marks = {}
        while len(fields) > 3 and ":" in fields[-1] and fields[-1].split(":", 1)[0] in ("text", "now"):
            key, _, value = fields.pop().partition(":")
            if not _FINGERPRINT.match(value) or key in marks:
                problems.append(Problem(shown, number, f"{key}:{value} is not one fingerprint of 12 hex digits", "copy the fingerprint `edition check` reports"))
            marks[key] = value
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
        if "now" in marks and not reason:
            problems.append(Problem(shown, number, f"the correction of {anchor!r} (now:{marks['now']}) gives no reason",
                                    "end the line with 'reason: <what was corrected, and on what authority>'"))
        if "now" in marks and "text" not in marks:
            problems.append(Problem(shown, number, f"the correction of {anchor!r} has no published fingerprint to correct", "keep the line's text:<fingerprint> as it was released"))
        seen[key] = number
        entries.append(Entry(anchor, kind, page, successor, number, marks.get("text"), marks.get("now"), reason))
    return entries, problems


def load(path: Path, shown: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Parse the registry file; a missing file is an empty registry."""
    shown = shown or str(path)
    if not path.exists():
        return [], []
    from .fileio import read_contributed

    return parse(read_contributed(path, shown, 5_000_000).decode("utf-8"), shown)


def _retire_hint(entry: Entry) -> str:
    return f"restore it, or name its successor on this line: '{entry.anchor}  {entry.kind}  {entry.page}{'  text:' + entry.text if entry.text else ''}  ->  <new anchor>'"


def check(entries: Iterable[Entry], current: Mapping[str, Anchor], shown: str) -> list[Problem]:
    """Problems of the registry against the anchors a build publishes.

    A registered anchor must still be published on its page, or be retired with a
    successor; successors lead, without a cycle, through retired anchors to a published
    one.  ``current`` maps anchor -> Anchor (its page and kind now).
    """
    entries = list(entries)
    moved_pages = _moved_pages(entries, current)
    problems: list[Problem] = []
    for entry in entries:
        if entry.successor:
            problems += _check_successor(entry, entries, current, moved_pages, shown)
            continue
        now = current.get(entry.anchor)
        if now is not None and now.page != entry.page and moved_pages.get(entry.page) == now.page:
            continue  # it moved with its page, whose line names the new page
        if now is None or now.page != entry.page:
            where = "is gone" if now is None else f"moved from {entry.page} to {now.page}"
            problems.append(Problem(
                shown, entry.line,
                f"published anchor {entry.anchor!r} ({entry.kind} on {entry.page}) {where}: links that cite it would break",
                _retire_hint(entry)))
    return problems


def _live(anchor: str, page: str | None, current: Mapping[str, Anchor], moved_pages: Mapping[str, str]) -> bool:
    """Is ``anchor`` (registered on ``page``) still published there, or on its page's successor?"""
    now = current.get(anchor)
    if now is None:
        return False
    return page is None or now.page == page or moved_pages.get(page) == now.page


def _check_successor(entry: Entry, entries: list[Entry], current: Mapping[str, Anchor], moved_pages: Mapping[str, str], shown: str,
                     knowable=lambda anchor: True) -> list[Problem]:
    """A successor belongs to a retired anchor and leads, without a cycle, to a live one."""
    if _live(entry.anchor, entry.page, current, moved_pages):
        return [Problem(shown, entry.line,
                        f"anchor {entry.anchor!r} is still published on {entry.page}, but its line names a successor: readers who cite it would be sent away from a live paragraph",
                        f"remove '->  {entry.successor}' from this line; only an anchor that is gone takes a successor")]
    retired = {e.anchor: e for e in entries if e.successor and not _live(e.anchor, e.page, current, moved_pages)}
    chain = [entry.anchor]
    target = entry.successor
    while target in retired and target not in current:
        if target in chain:
            loop = " -> ".join([*chain[chain.index(target):], target])
            return [Problem(shown, entry.line, f"successors of {entry.anchor!r} run in a cycle ({loop}): its old address would never arrive",
                            "make one anchor of the cycle name a successor the edition publishes")]
        chain.append(target)
        target = retired[target].successor
    if target not in current and knowable(target):
        via = f" (via {' -> '.join(chain[1:])})" if len(chain) > 1 else ""
        return [Problem(shown, entry.line, f"successor {target!r} of anchor {entry.anchor!r}{via} is not an anchor of the edition",
                        "name an anchor the edition publishes (see objects.inv or the registry itself)")]
    return []


def check_fingerprints(entries: Iterable[Entry], fingerprints: Mapping[str, str], shown: str) -> list[Problem]:
    """A published paragraph keeps its words: the fingerprint of its reading text must be the
    registered one (or the one a recorded correction gives).  Retired anchors and anchors
    whose text the corpus does not know (not made by the converter) are not compared."""
    problems: list[Problem] = []
    for entry in entries:
        if entry.successor or not entry.text or entry.anchor not in fingerprints:
            continue
        expected = entry.now or entry.text
        actual = fingerprints[entry.anchor]
        if actual != expected:
            problems.append(Problem(
                shown, entry.line,
                f"the text of published anchor {entry.anchor!r} changed (fingerprint {expected}, now {actual}): citations of it would point at other words",
                "if paragraphs were renumbered, restore the numbering (an omission keeps the numbers of the lines it leaves out: "
                "remove 'keep_numbers: false' from a new omission rule); if the words were corrected on purpose, record it on this line: "
                f"'now:{actual}  reason: <what was corrected, and on what authority>'"))
    return problems


def released_files(root: Path) -> list[Path]:
    """The kept registries of earlier releases, oldest first."""
    directory = root / RELEASED_DIR
    return sorted(directory.glob("*.txt"), key=lambda p: natural_key(p.stem)) if directory.is_dir() else []


def check_released(entries: Iterable[Entry], root: Path) -> list[Problem]:
    """Every line of every released registry is still in the registry, unchanged: the same
    anchor, kind, page and fingerprint.  (A line may gain a successor or a correction.)"""
    by_key = {(e.anchor, e.page): e for e in entries}
    problems: list[Problem] = []
    for path in released_files(root):
        shown = f"{RELEASED_DIR}/{path.name}"
        released, _ = load(path, shown)
        for old in released:
            new = by_key.get((old.anchor, old.page))
            if new is None:
                problems.append(Problem(
                    shown, old.line,
                    f"published anchor {old.anchor!r} ({old.kind} on {old.page}) of release {path.stem} is missing from {REGISTRY}: its line was deleted",
                    f"restore the line in {REGISTRY}; never delete a line (retire an anchor by naming its successor)"))
            elif (new.kind, new.text) != (old.kind, old.text):
                problems.append(Problem(
                    REGISTRY, new.line,
                    f"the line of {old.anchor!r} differs from the released one ({shown}:{old.line}): kind or fingerprint rewritten",
                    f"restore '{old.kind}' and 'text:{old.text}'; record a correction with now:<fingerprint> and a reason instead"))
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


def format_lines(anchors: Iterable[Anchor], fingerprints: Mapping[str, str] | None = None) -> list[str]:
    anchors = list(anchors)
    fingerprints = fingerprints or {}
    width_a = max((len(a.anchor) for a in anchors), default=0)
    width_k = max((len(a.kind) for a in anchors), default=0)
    width_p = max((len(a.page) for a in anchors), default=0)
    lines = []
    for a in anchors:
        fp = fingerprints.get(a.anchor) if a.kind == "ed:paragraph" else None
        lines.append(f"{a.anchor:<{width_a}}  {a.kind:<{width_k}}  {a.page:<{width_p}}  text:{fp}" if fp else f"{a.anchor:<{width_a}}  {a.kind:<{width_k}}  {a.page}")
    return lines


def _add_fingerprints(text: str, entries: list[Entry], current: Mapping[str, Anchor], fingerprints: Mapping[str, str]) -> tuple[str, int]:
    """Give every paragraph line that has none the fingerprint of its published text."""
    lines = text.split("\n")
    filled = 0
    for entry in entries:
        if entry.kind != "ed:paragraph" or entry.text or entry.successor or entry.anchor not in fingerprints:
            continue
        now = current.get(entry.anchor)
        if now is None or now.page != entry.page:
            continue
        raw = lines[entry.line - 1]
        body, hash_, comment = raw.partition("#")
        lines[entry.line - 1] = body.rstrip() + f"  text:{fingerprints[entry.anchor]}" + (f"  {hash_}{comment}" if hash_ else "")
        filled += 1
    return "\n".join(lines), filled


def update(path: Path, current: Mapping[str, Anchor], version: str, fingerprints: Mapping[str, str] | None = None,
           released_dir: Path | None = None) -> list[Anchor]:
    """Append unlisted anchors to the registry under a comment naming the release, fill in
    missing fingerprints, and keep the result as the release's registry in ``released_dir``."""
    fingerprints = fingerprints or {}
    text = path.read_text("utf-8") if path.exists() else HEADER
    entries, problems = parse(text, str(path))
    if problems:
        from .errors import EditionError

        raise EditionError(problems)
    text, _filled = _add_fingerprints(text, entries, current, fingerprints)
    added = new_anchors(entries, current)
    if added:
        if not text.endswith("\n"):
            text += "\n"
        text += f"\n# release {version}: {len(added)} anchor(s)\n" + "\n".join(format_lines(added, fingerprints)) + "\n"
    path.write_text(text, "utf-8")
    if released_dir is not None:
        released_dir.mkdir(parents=True, exist_ok=True)
        (released_dir / f"{version}.txt").write_text(
            f"# The anchor registry as released in {version}.  Kept so that no line of it can be lost:\n"
            f"# `edition check` fails when a line below is missing from {REGISTRY}.  Never edit this file.\n" + text, "utf-8")
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


@lru_cache(maxsize=4096)
def _converter_pattern(doc_id: str) -> re.Pattern[str]:
    """The compiled :data:`_CONVERTER_ANCHOR` of one document (one per document, compiled
    once: with hundreds of documents ``re``'s own cache of 512 patterns kept recompiling)."""
    return re.compile(_CONVERTER_ANCHOR.format(doc=re.escape(doc_id)))


def _documents_made(anchor: str, documents: Mapping[str, object]) -> list[str]:
    """The documents, in the corpus's order, whose converter pattern makes ``anchor``.

    Only the anchor itself and its prefixes ending before a "-" can be such a document, so
    those few are looked up instead of matching every document's pattern (quadratic)."""
    candidates = {anchor[:i] for i, char in enumerate(anchor) if char == "-"}
    candidates.add(anchor)
    if anchor.endswith("\n"):  # "$" also matches before a final line break
        candidates.add(anchor[:-1])
    found = [d for d in candidates if d in documents and _converter_pattern(d).match(anchor)]
    if len(found) > 1:
        order = {d: i for i, d in enumerate(documents)}
        found.sort(key=order.__getitem__)
    return found


def check_anchors(corpus) -> list[Problem]:
    """``edition check``: the registry parses, and every registered anchor the converter
    makes (documents, paragraphs, page breaks, notes, headings, omissions, figures) is still
    made, unless it names a successor.  Anchors of other kinds (entities, events, …) are
    checked by the build, which sees every object of the ``ed`` domain."""
    path = corpus.root / REGISTRY
    entries, problems = load(path, REGISTRY)
    problems += check_fingerprints(entries, corpus.fingerprints, REGISTRY)
    problems += check_released(entries, corpus.root)
    problems += _check_successors_without_build(entries, corpus)
    for entry in entries:
        if entry.successor or not entry.page.startswith("documents/"):
            continue
        doc_id = entry.page.split("/", 1)[1]
        if entry.kind == "std:doc":
            gone = doc_id not in corpus.documents
        elif _converter_pattern(doc_id).match(entry.anchor):
            gone = entry.anchor not in corpus.anchors
        else:
            continue
        if gone:
            problems.append(Problem(
                REGISTRY, entry.line,
                f"published anchor {entry.anchor!r} ({entry.kind} on {entry.page}) is no longer made from sources/{doc_id}.*",
                f"restore it, or name its successor on this line: '{entry.anchor}  {entry.kind}  {entry.page}  ->  <new anchor>'"))
    return problems


def _check_successors_without_build(entries: list[Entry], corpus) -> list[Problem]:
    """Successor rules on what the converter knows (document pages and the anchors the
    converter makes on them).  The build checks the rest against all it publishes."""
    current: dict[str, Anchor] = {}
    order = {d: i for i, d in enumerate(corpus.documents)}
    for anchor in corpus.anchors:
        # The first document (in corpus order) that is the anchor or a prefix of it before a "-".
        prefixes = [anchor[:i] for i, char in enumerate(anchor) if char == "-" and anchor[:i] in order]
        if anchor in order:
            prefixes.append(anchor)
        doc_id = min(prefixes, key=order.__getitem__) if prefixes else None
        if doc_id is not None and _converter_pattern(doc_id).match(anchor):
            current[anchor] = Anchor(anchor, "", f"documents/{doc_id}")

    def knowable(anchor: str) -> bool:
        return bool(_documents_made(anchor, corpus.documents))

    problems: list[Problem] = []
    for entry in entries:
        if entry.successor and entry.kind != "std:doc" and knowable(entry.anchor):
            problems += _check_successor(entry, entries, current, {}, REGISTRY, knowable)
    return problems


def check_unregistered(corpus) -> list[Problem]:
    """``edition check`` rule ``unregistered-anchors``: the anchors the converter makes that
    the registry does not list yet, one warning per document.  They are promised to readers
    only when a release registers them (``make anchors``); until then they may still change."""
    entries, _ = load(corpus.root / REGISTRY, REGISTRY)
    listed = {e.anchor for e in entries}
    problems: list[Problem] = []
    made: dict[str, list[str]] = {}  # document -> its unlisted anchors, in the corpus's order
    for anchor in corpus.anchors:
        if anchor not in listed:
            for doc_id in _documents_made(anchor, corpus.documents):
                made.setdefault(doc_id, []).append(anchor)
    for doc_id in sorted(corpus.documents):
        fresh = sorted(made.get(doc_id, ()), key=natural_key)
        if fresh:
            shown = ", ".join(fresh[:3]) + (" …" if len(fresh) > 3 else "")
            problems.append(Problem(
                REGISTRY, None, f"[unregistered-anchors] {len(fresh)} anchor(s) of {doc_id} are not registered yet ({shown})",
                "nothing to do before a release: `make anchors` registers them when the release is cut, and from then on they may not change",
                severity="warning"))
    return problems
