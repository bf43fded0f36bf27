"""Source documents: the verbatim text and the metadata file beside it.

``sources/<id>.txt`` is byte-identical to the copy the edition was made from;
``sources/<id>.yaml`` describes it (bibliographic data, rights, the date with its basis)
and gives the converter its structure hints (title, headings, captions, omissions).
This module loads both and reports every problem with its file and line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils.nodes import make_id

from . import dates
from .errors import EditionError, Problem, ProblemCollector
from .schemas import validate
from .yamlload import LineDict, load_yaml_file

NOT_NAMED = "not named in the source"

#: Kinds of normalisation the converter applies; each is declared on the principles page.
NORMALISATIONS = ("byte order mark removed", "CRLF line ends made LF", "Unicode NFC")


@dataclass
class SourceText:
    """A source text decoded for conversion, with the normalisations it needed."""

    path: Path
    raw: bytes
    text: str
    normalisations: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass
class SourceDocument:
    """Metadata and text of one source document."""

    meta: LineDict
    meta_path: Path
    source: SourceText

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def structure(self) -> LineDict:
        return self.meta["structure"]

    @property
    def date(self) -> dates.EdtfDate:
        return dates.parse(self.meta["date"]["edtf"])

    def author_names(self) -> list[str]:
        """Authors as 'Given Family', or an empty list when the source names none."""
        authors = self.meta["authors"]
        if authors == NOT_NAMED:
            return []
        return [" ".join(p for p in (a.get("given", ""), a["family"]) if p) for a in authors]


def display_path(path: Path, root: Path | None) -> str:
    """A path relative to the project root when possible: what an editor types."""
    if not root:
        return str(path)
    # The path as written first: a symlink is named by its own name, not its target's.  The
    # resolved pair is computed only when needed (resolving is a system call per component,
    # and the validator names thousands of files).
    for pair in (lambda: (path.absolute(), root.absolute()), lambda: (path.resolve(), root.resolve())):
        mine, base = pair()
        try:
            return str(mine.relative_to(base))
        except ValueError:
            continue
    return str(path)


def decode_source(path: Path, shown: str) -> SourceText:
    """Decode a source file as UTF-8, removing a BOM and CRLF and applying NFC.

    Every change is recorded so the page can declare it; undecodable bytes are an error
    naming the line, because guessing an encoding would alter the text silently.
    """
    from .fileio import read_contributed
    from .trust import MAX_SOURCE_BYTES

    raw = read_contributed(path, shown, MAX_SOURCE_BYTES)  # a regular file, never a symlink
    normalisations: list[str] = []
    data = raw
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        normalisations.append(NORMALISATIONS[0])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise EditionError(
            Problem(shown, line, f"byte 0x{data[exc.start]:02x} is not valid UTF-8", "re-save the source as UTF-8 (do not retype it)", column)
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        normalisations.append(NORMALISATIONS[1])
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        normalisations.append(NORMALISATIONS[2])
        text = nfc
    if not text.strip():
        raise EditionError(Problem(shown, 1, "the source text is empty", "copy the document's text into this file"))
    return SourceText(path, raw, text, normalisations)


def _check_semantics(meta: LineDict, shown: str, text_path: Path, collector: ProblemCollector) -> None:
    """Checks a schema cannot express: id form, file names, EDTF."""
    doc_id = meta.get("id", "")
    if doc_id and make_id(doc_id) != doc_id:
        collector.error(shown, meta.line_of("id"), f"id {doc_id!r} would be changed by docutils to {make_id(doc_id)!r}", "use lowercase letters, digits and single hyphens")
    well_formed = bool(re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", str(doc_id)))
    if doc_id and text_path.stem != doc_id:
        hint = f"rename the files to {doc_id}.txt and {doc_id}.yaml, or fix the id" if well_formed else f"set the id to the file name, {text_path.stem!r}, if that is a valid id"
        collector.error(shown, meta.line_of("id"), f"id {doc_id!r} does not match the file name {text_path.name!r}", hint)
    date = meta.get("date")
    if isinstance(date, LineDict) and "edtf" in date:
        try:
            dates.parse(str(date["edtf"]))
        except dates.EDTFError as exc:
            collector.error(shown, date.line_of("edtf"), str(exc), "write the date in EDTF, e.g. 2019-12-18, 2019-12~, 1964-11-04?, 2019-12-18/2019-12-26")


def load_source(meta_path: Path, root: Path | None = None) -> SourceDocument:
    """Load one ``<id>.yaml`` and its ``<id>.txt``; raise :class:`EditionError` listing every problem."""
    shown = display_path(meta_path, root)
    text_path = meta_path.with_suffix(".txt")
    meta = load_yaml_file(meta_path, shown)
    if not isinstance(meta, LineDict):
        raise EditionError(Problem(shown, 1, "metadata must be a mapping of fields", "see sources/README.md for the fields"))
    collector = ProblemCollector(list(validate(meta, "source", shown)))
    _check_semantics(meta, shown, text_path, collector)
    if not text_path.exists() and not text_path.is_symlink():
        collector.error(shown, 1, f"no source text {text_path.name} beside the metadata", "add the verbatim text file")
    collector.raise_if_errors()
    source = decode_source(text_path, display_path(text_path, root))
    return SourceDocument(meta, meta_path, source)


def discover_sources(sources_dir: Path) -> list[Path]:
    """Metadata files in ``sources/``, in a fixed order."""
    return sorted(p for p in sources_dir.glob("*.yaml") if not p.name.startswith("_"))


def load_all(sources_dir: Path, root: Path | None = None) -> list[SourceDocument]:
    """Load every source; collect the problems of all of them before failing."""
    documents: list[SourceDocument] = []
    problems: list[Problem] = []
    for meta_path in discover_sources(sources_dir):
        try:
            documents.append(load_source(meta_path, root))
        except EditionError as exc:
            problems.extend(exc.problems)
    for txt in sorted(sources_dir.glob("*.txt")):
        if not txt.with_suffix(".yaml").exists():
            problems.append(Problem(display_path(txt, root), None, "source text has no metadata file", f"add {txt.with_suffix('.yaml').name}"))
    if problems:
        raise EditionError(problems)
    return documents


def as_plain(value: Any) -> Any:
    """Line-aware YAML values as plain dicts and lists (for JSON and front matter)."""
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_plain(v) for v in value]
    return value
