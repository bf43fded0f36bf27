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


def run_all(corpus: Corpus, parallel: bool = False) -> list[Problem]:
    """Run every registered check and return all problems found (in :data:`CHECKS` order).

    With ``parallel`` (``edition check`` on an edition of :data:`PARALLEL_FROM` documents
    or more), the checks run in two processes, one per core; see :func:`_run_forked`."""
    if parallel and len(corpus.documents) >= PARALLEL_FROM and _can_fork():
        return _run_forked(corpus)
    problems: list[Problem] = []
    for _name, check in CHECKS:
        problems.extend(check(corpus))
    return problems


#: Below this many documents a second process costs more than it saves.
PARALLEL_FROM = 100
#: Checks kept in the first process: the glossary check and the names rule share the
#: mentions (computed once), and the names rule's many warnings need not cross a pipe.
#: The others (archives and notes share the parsed source notes, chronology and dates the
#: events) run in the second process.
FIRST_PROCESS = {"anchors", "glossary", "names-without-entities", "unregistered-anchors"}


def _can_fork() -> bool:
    import os
    import threading

    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def _run_forked(corpus: Corpus) -> list[Problem]:
    """Run the checks in two processes and merge their problems in :data:`CHECKS` order.

    ``edition check`` must answer in about two seconds on an edition of 800 documents; the
    checks are independent and only read the corpus, so a forked child (which shares the
    loaded corpus) runs half of them while this process runs the other half.  Whatever
    goes wrong in the child (a crash, an exception in a check), its checks are run again
    here, so the result, and any exception a check raises, are those of a serial run."""
    import gc
    import os
    import pickle
    import signal
    import sys

    second = [i for i, (name, _check) in enumerate(CHECKS) if name not in FIRST_PROCESS]
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # nothing buffered may be written twice
    gc.freeze()  # the collector of either process leaves the shared pages of the corpus alone
    results: dict[int, list[Problem]] = {}
    raised: dict[int, BaseException] = {}  # a check's exception, raised in its turn below
    try:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            pid = -1
        if pid == 0:  # the child: run its checks, send the problems, leave without cleanup
            status = 0
            try:
                os.close(read_end)
                payload = pickle.dumps({i: CHECKS[i][1](corpus) for i in second}, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:  # noqa: BLE001 - the parent runs these checks itself
                status = 1
            finally:
                os._exit(status)
        if pid > 0:
            os.close(write_end)
            payload = b""
            answered = False
            try:
                for i, (name, check) in enumerate(CHECKS):
                    if name in FIRST_PROCESS:
                        try:
                            results[i] = check(corpus)
                        except Exception as exc:  # noqa: BLE001 - re-raised in CHECKS order
                            raised[i] = exc
                with os.fdopen(read_end, "rb") as pipe:
                    payload = pipe.read()
                answered = True
            finally:
                if not answered:
                    # Interrupted here (Ctrl-C, SystemExit): the child may be blocked writing a
                    # long answer into a pipe nobody reads; end it before waiting for it.
                    os.kill(pid, signal.SIGKILL)
                    try:
                        os.close(read_end)
                    except OSError:
                        pass  # already closed by the reader
                _pid, status = os.waitpid(pid, 0)
            if status == 0 and payload:
                try:
                    results.update(pickle.loads(payload))
                except Exception:  # noqa: BLE001 - an unreadable answer: its checks run here
                    pass
    finally:
        gc.unfreeze()
    problems: list[Problem] = []
    for i, (_name, check) in enumerate(CHECKS):
        if i in raised:
            raise raised[i]
        problems.extend(results[i] if i in results else check(corpus))
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
