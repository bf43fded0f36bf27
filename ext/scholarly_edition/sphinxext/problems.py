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
    # A "path:line" string is shown as it is; a (path, line) tuple or a bare path would be
    # taken for a docname ("docs/x.yaml" -> "docs/docs/x.yaml.rst").
    if not problem.line:
        message, location = f"{problem.path}: {message}", None
    else:
        location = f"{problem.path}:{problem.line}"
    logger.warning(message, location=location, type="edition", subtype=subtype)
