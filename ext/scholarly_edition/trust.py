"""The trust boundary: every string from a file a pull request can change passes here.

Contributed files are ``sources/`` (texts and metadata), ``docs/annotations/``,
``docs/references.bib`` and ``docs/anchors.txt``.  Anyone may open a pull request and
CI builds it, so nothing in them may read the build machine, run script in a reader's
browser or hang the build.  This module is the *one* place that decides what such a
string may contain; ``edition check``, the Sphinx build (:mod:`.sphinxext.safe_markup`),
the scaffolds (``edition new``) and the export writers all ask it, so they agree.

Each field of a contributed file is one of four classes (:func:`field_class`):

``plain``
    Text shown as it is and escaped in every output.  It may not look like markup that
    some consumer would interpret (raw HTML, directives, script URLs), because exports
    such as TimelineJS render some fields as HTML.
``myst``
    Restricted MyST: parsed with markdown-it in myst-parser's own configuration and
    allowed *by token type*, never by regular expressions over lines (those miss a
    fence nested in a list item or a block quote).  Allowed: paragraphs, lists, block
    quotes, emphasis, strong, inline code, line breaks, links to ``http``, ``https`` and
    ``mailto`` addresses or to pages of the edition (never ``..``, a leading ``/`` or a
    file: MyST would turn a link to a file into a download and copy it), and the roles of
    :data:`ALLOWED_ROLES`.  A directive, raw HTML, image, footnote, target, code block
    or attribute token anywhere, at any depth, is refused.
``url``
    An ``http(s)`` address, nothing else.
``verbatim``
    Words of a source (quotes, structure lines): matched against the text, never parsed,
    escaped wherever shown.

Whatever the class, link targets are judged *after* decoding HTML entities and
percent-escapes and removing white space and control characters, so
``javascript&colon;``, ``&#106;avascript:`` and ``java\\tscript:`` are seen for what they
are.  Length limits keep every field reviewable.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

#: Longest text of one field, in characters.
MAX_TEXT_LENGTH = 4000

#: Roles a contributor may use: cross-references and citations only.
ALLOWED_ROLES = frozenset({
    "ref", "doc", "ed:ref", "entity", "event", "cite", "cite:p", "cite:t", "cite:ps", "cite:ts",
    "footcite", "footcite:p", "footcite:t", "abbr", "sub", "sup", "term",
})

#: Link schemes a contributed link may use.  No scheme at all is an internal link.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

#: markdown-it token types allowed in restricted MyST (block and inline level).
ALLOWED_TOKENS = frozenset({
    "paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak",
    "em_open", "em_close", "strong_open", "strong_close", "code_inline",
    "link_open", "link_close", "myst_role",
    "bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close",
    "list_item_open", "list_item_close", "blockquote_open", "blockquote_close",
    "s_open", "s_close",
})

#: Keys whose values quote a source verbatim: matched against the text, never rendered as markup.
VERBATIM_KEYS = frozenset({"quote", "prefix", "suffix", "exact", "start", "end", "headings", "captions", "byline", "list_marker"})
#: Keys whose values are addresses.
URL_KEYS = frozenset({"url", "href", "homepage", "website"})
#: Keys whose values are restricted MyST (rendered as markup by the Sphinx build).
MYST_KEYS = frozenset({"text", "description", "summary", "note", "disagreement", "correction", "basis"})

#: Whole files are refused beyond these sizes (bytes): reviewable, and no build is slowed.
MAX_SOURCE_BYTES = 5_000_000

_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|<!--|<\s*[A-Za-z][\w:-]*(?=[\s/]|$)")
_DIRECTIVE_TEXT = re.compile(r"(`{3,}|~{3,}|:{3,})\s*\{\s*[\w:.+-]+\s*\}")
_EVENT_ATTRIBUTE = re.compile(r"\{[^{}]*?(?<![\w-])on[a-z]+\s*=", re.I)
_ROLE_TEXT = re.compile(r"\{([A-Za-z][\w:.+-]*)\}`")
#: Characters browsers ignore inside a URL scheme (and the invisible ones that hide one).
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
#: Schemes that run code or embed documents, written with any obfuscation removed.
_BAD_SCHEMES = ("javascript", "vbscript", "livescript", "data", "file", "jar", "view-source")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class MarkupIssue:
    """One refused construct in a text: where (0-based offset) and what to do."""

    offset: int
    message: str
    hint: str


# -- URLs --------------------------------------------------------------------------------

def decode_url(url: str) -> str:
    """A URL as a browser would act on it: entities and %-escapes decoded, invisibles removed."""
    previous = None
    value = url
    for _ in range(5):  # nested encodings (&amp;#106;) unwrap in a few rounds
        if value == previous:
            break
        previous = value
        value = unquote(html.unescape(value))
    return _INVISIBLE.sub("", value)


def url_scheme(url: str) -> str:
    """The scheme of a URL after decoding (lowercase; empty for a relative link)."""
    decoded = decode_url(url)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", decoded)
    return match.group(1).lower() if match else ""


def is_safe_url(url: str, allow_relative: bool = True, schemes: Iterable[str] = SAFE_SCHEMES) -> bool:
    """True for http(s)/mailto links and (when allowed) internal links: paths and fragments."""
    raw = url.strip()
    if not raw:
        return allow_relative
    if _CONTROL.search(raw):
        return False
    scheme = url_scheme(raw)
    if scheme:
        return scheme in set(schemes)
    decoded = decode_url(raw)
    if ":" in decoded.split("/", 1)[0] or decoded.startswith(("//", "\\\\", "/\\", "\\/")):
        return False  # an odd scheme, or a protocol-relative address of another host
    return allow_relative


#: A link of contributed text to the edition itself: a fragment, or a page path inside the
#: edition (no "..", no leading "/", no file other than a page).  MyST turns a link to any
#: other existing file into a download and copies that file into the output.
_PAGE_LINK = re.compile(r"^(?:#[\w.:-]*|[\w-]+(?:/[\w-]+)*(?:\.html|\.md)?(?:#[\w.:-]*)?)$")


def is_page_link(url: str) -> bool:
    """True for a link target of contributed text that stays inside the edition's pages."""
    decoded = decode_url(url.strip())
    return bool(_PAGE_LINK.match(decoded))


def is_http_url(url: str) -> bool:
    """True only for an absolute ``http(s)://host/...`` address."""
    if not is_safe_url(url, allow_relative=False, schemes=("http", "https")):
        return False
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and not _INVISIBLE.search(url.strip())


def _bad_scheme_pattern() -> re.Pattern[str]:
    gap = r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]*"
    alternatives = []
    for scheme in _BAD_SCHEMES:
        body = gap.join(re.escape(ch) for ch in scheme)
        if scheme == "data":
            alternatives.append(rf"{body}{gap}:{gap}[\w.+-]+/[\w.+-]+")  # data:text/html...
        else:
            alternatives.append(rf"{body}{gap}:")
    return re.compile(r"(?<![A-Za-z0-9+.-])(?:" + "|".join(alternatives) + ")", re.I)


_BAD_SCHEME_TEXT = _bad_scheme_pattern()


def find_bad_schemes(text: str) -> list[tuple[int, str]]:
    """Script or embedding schemes anywhere in ``text``, encoded or obfuscated: (offset, as written)."""
    found: list[tuple[int, str]] = []
    decoded = html.unescape(html.unescape(text))
    candidates = [(text, True)] + ([(decoded, False)] if decoded != text else [])
    for candidate, is_raw in candidates:
        for match in _BAD_SCHEME_TEXT.finditer(candidate):
            offset = match.start() if is_raw else _raw_offset(text, candidate, match.start())
            end = re.search(r"[\s)\]>\"']|$", text[offset:]).start()  # type: ignore[union-attr]
            found.append((offset, text[offset:offset + max(end, 1)]))
    for match in re.finditer(r"%[0-9A-Fa-f]{2}", text):  # percent-encoded scheme letters
        start = max(0, text.rfind(" ", 0, match.start()) + 1)
        word = text[start:].split(None, 1)[0] if text[start:].split() else ""
        if _BAD_SCHEME_TEXT.match(decode_url(word)):
            found.append((start, word))
    unique: dict[int, str] = {}
    for offset, written in found:
        unique.setdefault(offset, written)
    return sorted(unique.items())


def _raw_offset(raw: str, decoded: str, offset: int) -> int:
    """Map an offset of the entity-decoded text back to the raw text (approximately)."""
    head = decoded[:offset]
    for cut in range(len(raw) + 1):
        if html.unescape(html.unescape(raw[:cut])) == head:
            return cut
    return 0


# -- restricted MyST ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def _parser():
    """myst-parser's own markdown-it configuration, with the extensions the edition enables."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={"attrs_block", "attrs_inline", "colon_fence", "deflist", "fieldlist"})
    return create_md_parser(config, RendererHTML)


_HINT_MYST = "write plain MyST: *emphasis*, **strong**, [text](https://...), and the roles {ed:ref}, {ref}, {doc}, {cite}, {footcite}"
_HINT_DIRECTIVE = "directives can include files or emit raw output: use plain text, roles such as {ed:ref} or {cite}, and links"
_HINT_LINK = "links must be http(s) or mailto addresses, or links to pages of the edition"


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for index, char in enumerate(text):
        if char == "\n":
            offsets.append(index + 1)
    return offsets


def _find_from(text: str, needle: str, start: int) -> int:
    at = text.find(needle, start) if needle else -1
    if at < 0 and needle:
        at = text.find(needle)
    return max(at, start if at < 0 else at)


def _token_issue(token: Any, text: str, at: int) -> MarkupIssue | None:
    """The issue of one refused token (or None when allowed), placed at its offset."""
    kind = token.type
    if kind in ("fence", "colon_fence"):
        info = (token.info or "").strip()
        name = re.match(r"\{\s*([^}\s]+)\s*\}", info)
        marker = token.markup or "```"
        offset = _find_from(text, marker, at)
        if name or kind == "colon_fence":
            shown = name.group(1) if name else info or ":::"
            return MarkupIssue(offset, f"directive {{{shown}}} is not allowed: directives are not allowed in contributed text", _HINT_DIRECTIVE)
        return MarkupIssue(offset, "code blocks are not allowed in contributed text", "quote code inline with `backticks`, or describe it")
    if kind == "code_block":
        content = token.content.strip()
        offset = _find_from(text, content.split("\n", 1)[0], at)
        if _DIRECTIVE_TEXT.search(content) or content.startswith((".. ", "{")):
            return MarkupIssue(offset, "indented directive is not allowed: directives are not allowed in contributed text", _HINT_DIRECTIVE)
        return MarkupIssue(offset, "indented code blocks are not allowed in contributed text", "do not indent paragraphs by four spaces")
    if kind in ("html_block", "html_inline"):
        snippet = token.content.strip()
        return MarkupIssue(_find_from(text, snippet[:20], at), f"raw HTML is not allowed: {snippet[:40]!r}", _HINT_MYST)
    if kind == "image":
        return MarkupIssue(_find_from(text, "![", at), "images are not allowed in contributed text", "describe the image in words, or link to it")
    if kind == "myst_role":
        name = token.meta.get("name", "")
        if name in ALLOWED_ROLES:
            return None
        return MarkupIssue(_find_from(text, "{" + name + "}", at), f"role {{{name}}} is not allowed in contributed text", f"allowed roles: {', '.join(sorted(ALLOWED_ROLES))}")
    if kind == "link_open":
        href = str(token.attrs.get("href", ""))
        if url_scheme(href) in SAFE_SCHEMES and is_safe_url(href):
            return None
        if not url_scheme(href) and is_page_link(href):
            return None
        written = href
        if not url_scheme(href) and is_safe_url(href):
            return MarkupIssue(_find_from(text, written[:12], at), f"link target {written[:60]!r} is not a page of the edition", "link to a page or anchor of the edition (mack-2025.html#mack-2025-p3, or {ed:ref}`mack-2025-p3`): paths with '..', '/' at the start or other files are refused, because a link to a file copies it into the published edition")
        return MarkupIssue(_find_from(text, written[:12], at), f"link target {written[:60]!r} is not allowed", _HINT_LINK)
    if kind.startswith("footnote"):
        return MarkupIssue(_find_from(text, "[^", at), "footnotes are not allowed in contributed text", "cite works with {footcite}`key`, or write the remark in the text")
    if kind in ALLOWED_TOKENS:
        return None
    readable = kind.replace("_open", "").replace("_close", "").replace("_", " ")
    return MarkupIssue(at, f"{readable} is not allowed in contributed text", _HINT_MYST)


def check_myst(text: str, max_length: int = MAX_TEXT_LENGTH) -> list[MarkupIssue]:
    """Every refused construct in a restricted-MyST text, each once, in order of place."""
    issues: list[MarkupIssue] = []
    if len(text) > max_length:
        issues.append(MarkupIssue(max_length, f"text is {len(text)} characters long (limit {max_length})", "shorten it or split it into several entries"))
        return issues  # no further parsing of oversize input
    starts = _line_offsets(text)
    seen_types: set[tuple[str, int]] = set()
    for token, line in _walk(_parser().parse(text)):
        at = starts[min(line, len(starts) - 1)]
        if token.type.endswith("_close"):
            continue
        issue = _token_issue(token, text, at)
        if issue and (issue.message, issue.offset) not in seen_types:
            seen_types.add((issue.message, issue.offset))
            issues.append(issue)
        if token.meta.get("insecure_attrs") or (token.attrs and set(token.attrs) - {"href", "title", "src", "alt"}):
            issues.append(_attribute_issue(text, at))
    issues += _text_level_issues(text)
    return _dedupe(issues)


def _walk(tokens: list[Any]) -> Iterable[tuple[Any, int]]:
    """Every token, block and inline, at any depth, with the 0-based line of its block."""
    line = 0
    for token in tokens:
        line = token.map[0] if token.map else line
        yield token, line
        for child in token.children or []:
            yield child, line


def _attribute_issue(text: str, at: int) -> MarkupIssue:
    match = re.compile(r"\{[^{}]*=").search(text, at) or re.compile(r"\{[^{}]*\}").search(text, at)
    return MarkupIssue(match.start() if match else at, "attributes ({...}) are not allowed in contributed text", "remove the {...} attribute block")


def _text_level_issues(text: str) -> list[MarkupIssue]:
    """What markdown-it turns into harmless text but a browser or another parser might not."""
    issues = [
        MarkupIssue(offset, f"link target {written[:60]!r} is not allowed: script and data schemes are refused, however encoded", _HINT_LINK)
        for offset, written in find_bad_schemes(text)
    ]
    for match in _EVENT_ATTRIBUTE.finditer(text):
        issues.append(MarkupIssue(match.start(), "event-handler attributes (on…=) are not allowed", "remove the {on...=} attribute"))
    for match in _CONTROL.finditer(text):
        issues.append(MarkupIssue(match.start(), f"control character U+{ord(match.group(0)):04X} is not allowed", "delete the invisible character"))
    return issues


def _dedupe(issues: list[MarkupIssue]) -> list[MarkupIssue]:
    """One issue per place: a script link seen both as a token and in the text is said once."""
    result: list[MarkupIssue] = []
    for issue in sorted(issues, key=lambda i: (i.offset, i.message)):
        if any(kept.offset == issue.offset and kept.message.split(":")[0][:20] == issue.message.split(":")[0][:20] for kept in result):
            continue
        if issue.message.startswith("link target") and any(k.offset == issue.offset and k.message.startswith("link target") for k in result):
            continue
        result.append(issue)
    return result


def check_plain(text: str, max_length: int = MAX_TEXT_LENGTH) -> list[MarkupIssue]:
    """A plain-text field: shown escaped, but it may not look like markup some consumer runs."""
    issues: list[MarkupIssue] = []
    if len(text) > max_length:
        return [MarkupIssue(max_length, f"text is {len(text)} characters long (limit {max_length})", "shorten it")]
    for match in _HTML_TAG.finditer(text):
        issues.append(MarkupIssue(match.start(), f"raw HTML is not allowed: {match.group(0)[:40]!r}", "write plain text: this field is shown as it is"))
    if "\n" in text.strip() or "\r" in text:
        # a one-line field: a line break would start a new record in line-based exports (RIS)
        issues.append(MarkupIssue(text.find("\n") if "\n" in text else text.find("\r"), "line breaks are not allowed in this one-line field", "write the value on one line (a folded block, >-, joins lines)"))
    for match in _DIRECTIVE_TEXT.finditer(text):
        issues.append(MarkupIssue(match.start(), f"directive {match.group(0).strip()[len(match.group(1)):].strip()} is not allowed: directives are not allowed in contributed text", _HINT_DIRECTIVE))
    issues += _text_level_issues(text)
    return _dedupe(issues)


def check_url(text: str) -> list[MarkupIssue]:
    """A field that must be an http(s) address."""
    if is_http_url(text):
        return []
    return [MarkupIssue(0, f"address {text[:60]!r} is not allowed", "give an http:// or https:// address")]


def field_class(key: str) -> str:
    """``verbatim``, ``url``, ``myst`` or ``plain``: how a field of a contributed file is treated."""
    if key in VERBATIM_KEYS:
        return "verbatim"
    if key in URL_KEYS:
        return "url"
    if key in MYST_KEYS:
        return "myst"
    return "plain"


def check_field(key: str, text: str) -> list[MarkupIssue]:
    """The issues of one contributed value, by the class of its key."""
    kind = field_class(key)
    if kind == "verbatim":
        return [MarkupIssue(m.start(), f"control character U+{ord(m.group(0)):04X} is not allowed", "delete the invisible character") for m in _CONTROL.finditer(text)]
    if kind == "url":
        return check_url(text)
    if kind == "myst":
        return check_myst(text)
    return check_plain(text)


# -- escaping for outputs ----------------------------------------------------------------

#: The characters CommonMark/MyST could read as markup inside a line (as the converter escapes them).
_MYST_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#|$~&^%])")


def escape_myst(text: str) -> str:
    """Plain text as MyST that renders exactly these characters (never as markup)."""
    escaped = " ".join(_MYST_SPECIAL.sub(r"\\\1", line.strip()) for line in text.splitlines()) if text else ""
    escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)  # "1964. ..." is not a list
    return "\\" + escaped if escaped[:1] in "-+=>:(!" and escaped else escaped


def escape_html(text: str) -> str:
    """Plain text for HTML content or attributes."""
    return html.escape(text, quote=True)


_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def escape_csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (a leading ' is added where needed)."""
    if isinstance(value, str) and value.startswith(_CSV_FORMULA) and not re.fullmatch(r"-?\d[\d.]*", value):
        return "'" + value
    return value


def strip_markup(text: str) -> str:
    """The words of a restricted-MyST text, without markup: for formats that take plain text."""
    out: list[str] = []
    for token in _parser().parse(text):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type == "myst_role":
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
        if token.type == "paragraph_close":
            out.append("\n\n")
    return "".join(out).strip()


def inert_json(data: object) -> str:
    """Compact JSON whose strings cannot open markup wherever a consumer puts them.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes: the data is unchanged for every JSON
    reader, but contributed text in it never reads as a tag, even to a consumer (or a
    scanner) that treats the file as text or pastes it into HTML."""
    import json

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
