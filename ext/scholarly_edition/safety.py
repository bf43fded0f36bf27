"""Safety of contributed text: the names the rest of the toolkit has always used.

The rules themselves live in :mod:`scholarly_edition.trust`, the one trust boundary for
every contributed byte (restricted MyST parsed into markdown-it tokens and allowed by
type, URL schemes judged after decoding, plain-text fields, limits).  This module keeps
the older entry points, so callers and tests written against them keep working.
"""

from __future__ import annotations

from .trust import ALLOWED_ROLES, MAX_TEXT_LENGTH, MarkupIssue, check_field, check_myst, check_plain, is_safe_url  # noqa: F401


def check_markup(text: str) -> list[MarkupIssue]:
    """Every unsafe construct in a contributed MyST text (see :func:`trust.check_myst`)."""
    return check_myst(text)


def line_and_column(text: str, offset: int, first_line: int, first_column: int = 1) -> tuple[int, int]:
    """Where ``offset`` of a YAML value lies in its file (approximate for folded scalars)."""
    before = text[:offset]
    lines = before.count("\n")
    column = offset - (before.rfind("\n") + 1) + (first_column if lines == 0 else 1)
    return first_line + lines, column
