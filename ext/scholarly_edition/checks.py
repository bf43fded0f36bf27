"""The validator's registry of checks: every annotation kind plugs in one function.

A check takes the loaded :class:`~edition.corpus.Corpus` and returns a list of
:class:`~edition.errors.Problem` (errors and warnings, each with file and line).  The
``edition check`` command runs them all without a Sphinx build and reports every problem
in one run; the Sphinx extension calls the same functions, so both report alike.

To add a check: write ``def check_<kind>(corpus) -> list[Problem]`` in the module that
loads that kind of annotation and append it to :data:`CHECKS` below.
"""

from __future__ import annotations

from typing import Callable

from .corpus import Corpus
from .errors import Problem

Check = Callable[[Corpus], list[Problem]]

#: (name, function) pairs, run in this order.
CHECKS: list[tuple[str, Check]] = []

from .anchors import check_anchors  # noqa: E402

CHECKS.append(("anchors", check_anchors))


def run_all(corpus: Corpus) -> list[Problem]:
    """Run every registered check and return all problems found."""
    problems: list[Problem] = []
    for _name, check in CHECKS:
        problems.extend(check(corpus))
    return problems

from .glossary import check_glossary  # noqa: E402

CHECKS.append(("glossary", check_glossary))
# Archival register and editorial notes (issue 4).
from .archives import check_archives  # noqa: E402
from .notes import check_notes  # noqa: E402

CHECKS += [("archives", check_archives), ("notes", check_notes)]
from .chronology import check_chronology  # noqa: E402

CHECKS.append(("chronology", check_chronology))

# Contributed text: safety (no raw HTML, directives, unsafe links) and bibliography keys (issue 8).
from .contributed import check_contributed_text  # noqa: E402

CHECKS.append(("contributed text", check_contributed_text))

# Texts whose notes or page marks the metadata does not declare; documents without a summary (issue 12).
from .structure_detect import check_undeclared_structure  # noqa: E402

CHECKS.append(("undeclared-structure", check_undeclared_structure))

# Edition-wide coverage: every name has an entity, every date an event (CONTRIBUTING: Rules of edition check).
from .coverage import check_dates, check_names  # noqa: E402

CHECKS += [("names-without-entities", check_names), ("dates-without-events", check_dates)]
from .anchors import check_unregistered  # noqa: E402

CHECKS.append(("unregistered-anchors", check_unregistered))
