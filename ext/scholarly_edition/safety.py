"""Safety of contributed text: what an annotation may contain, checked before any build.

Annotation texts (entity descriptions, editorial notes, event descriptions) are MyST
inline markup written by anyone who opens a pull request.  Nothing in them may run code,
include files, or inject markup into the published pages, so they are checked here:

* no raw HTML (tags, comments, processing instructions) — it would pass through MyST;
* no directives at all (```` ```{x} ```` or ``:::{x}``): they can include files or emit raw output;
* roles only from :data:`ALLOWED_ROLES` (references and citations);
* links only ``http(s):`` or internal (relative paths and ``#fragments``);
* no images (they would load remote resources);
* a size limit per text.

The Sphinx side renders such text with the same rules and also removes any raw node
that slipped through (defence in depth, see :mod:`edition.sphinxext.safe_markup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Longest annotation text accepted, in characters.
MAX_TEXT_LENGTH = 4000

#: Roles a contributor may use: cross-references and citations only.
ALLOWED_ROLES = frozenset({
    "ref", "doc", "ed:ref", "entity", "event", "cite", "cite:p", "cite:t", "cite:ps", "cite:ts",
    "footcite", "footcite:p", "footcite:t", "abbr", "sub", "sup", "term",
})

_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|<!--")
_DIRECTIVE = re.compile(r"(^|\n)\s*(`{3,}|~{3,}|:{3,})\s*\{[^}]*\}")
_ROLE = re.compile(r"\{([A-Za-z][\w:.+-]*)\}`")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFDEF = re.compile(r"(?m)^\s*\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>")
_IMAGE = re.compile(r"!\[")
_SAFE_SCHEMES = {"http", "https"}


@dataclass(frozen=True)
class MarkupIssue:
    """One unsafe construct in a text: where (0-based offset) and what to do."""

    offset: int
    message: str
    hint: str


def is_safe_url(url: str) -> bool:
    """True for http(s) URLs and internal links (relative paths, fragments)."""
    url = url.strip()
    if not url:
        return True
    scheme = urlsplit(url).scheme.lower()
    if scheme:
        return scheme in _SAFE_SCHEMES
    # no scheme: reject protocol-relative "//host" and anything with a control character
    return not url.startswith("//") and not re.search(r"[\x00-\x1f]", url)


def check_markup(text: str) -> list[MarkupIssue]:
    """Every unsafe construct in a contributed MyST text."""
    issues: list[MarkupIssue] = []
    if len(text) > MAX_TEXT_LENGTH:
        issues.append(MarkupIssue(MAX_TEXT_LENGTH, f"text is {len(text)} characters long (limit {MAX_TEXT_LENGTH})", "shorten it or split it into several notes"))
    for match in _HTML.finditer(text):
        issues.append(MarkupIssue(match.start(), f"raw HTML is not allowed: {match.group(0)[:40]!r}", "write plain MyST: *emphasis*, **strong**, [text](https://...)"))
    for match in _DIRECTIVE.finditer(text):
        issues.append(MarkupIssue(match.start(2), "directives are not allowed in annotation text", "use plain text, roles such as {ref} or {cite}, and links"))
    for match in _ROLE.finditer(text):
        if match.group(1) not in ALLOWED_ROLES:
            issues.append(MarkupIssue(match.start(), f"role {{{match.group(1)}}} is not allowed in annotation text", f"allowed roles: {', '.join(sorted(ALLOWED_ROLES))}"))
    for pattern in (_LINK, _REFDEF, _AUTOLINK):
        for match in pattern.finditer(text):
            if not is_safe_url(match.group(1)):
                issues.append(MarkupIssue(match.start(1), f"link target {match.group(1)[:60]!r} is not allowed", "links must be http(s) URLs or internal links"))
    for match in _IMAGE.finditer(text):
        issues.append(MarkupIssue(match.start(), "images are not allowed in annotation text", "describe the image in words, or link to it"))
    return sorted(issues, key=lambda i: i.offset)


def line_and_column(text: str, offset: int, first_line: int, first_column: int = 1) -> tuple[int, int]:
    """Where ``offset`` of a YAML value lies in its file (approximate for folded scalars)."""
    before = text[:offset]
    lines = before.count("\n")
    column = offset - (before.rfind("\n") + 1) + (first_column if lines == 0 else 1)
    return first_line + lines, column
