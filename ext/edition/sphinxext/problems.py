"""Report :class:`edition.errors.Problem` objects as Sphinx warnings at file and line.

The validator (``edition check``) and the Sphinx build must report the same problems the
same way; this is the one place where a Problem becomes a build warning.
"""

from __future__ import annotations

from sphinx.util import logging

from ..errors import Problem

logger = logging.getLogger("edition")


def warn(problem: Problem, subtype: str = "data") -> None:
    """Emit one problem as a warning located at its file and line (``-W`` makes it fatal)."""
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    # A string, not a (docname, line) tuple: Sphinx would read the path as a docname and
    # print "docs/<path>.md"; data files are not documents.
    location = f"{problem.path}:{problem.line}" if problem.line else problem.path
    logger.warning(message, location=location, type="edition", subtype=subtype)
