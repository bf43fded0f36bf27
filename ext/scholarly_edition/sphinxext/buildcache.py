"""One corpus per build: data that every page needs, computed once and shared.

The sources, their conversion in memory (the :class:`~scholarly_edition.corpus.Corpus`), the
glossary and archival registries, the events and the anchor registry do not change while
Sphinx builds.  Each was once reloaded or re-validated on every call (a glob and a stat of
every file per cite box, per paragraph, per page), which made a build quadratic in the number
of documents.  :func:`per_build` keeps one value per key for the lifetime of the Sphinx
application, i.e. one build: ``sphinx-build``, ``sphinx-autobuild`` and the tests each start
a new application for every build, so an edited file is always seen by the next build.

The values live on the application, not on the environment: the environment is pickled
between builds, and these values are cheap to recompute once but heavy to store.  Worker
processes of ``-j N`` are forked from the main process and inherit what it computed before
reading (``env-before-read-docs`` loads the corpus), so the work is done once, not per worker.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from sphinx.environment import BuildEnvironment

T = TypeVar("T")
_STORE = "_edition_per_build"


def app_of(env: BuildEnvironment) -> Any:
    """The Sphinx application of ``env`` (without the deprecated ``env.app`` accessor)."""
    return getattr(env, "_app", None) or env.app


def per_build(env: BuildEnvironment, key: Any, compute: Callable[[], T]) -> T:
    """The value of ``compute()`` for ``key``, computed at most once per build."""
    store: dict[Any, Any] = app_of(env).__dict__.setdefault(_STORE, {})
    try:
        return store[key]
    except KeyError:
        value = store[key] = compute()
        return value


def content_hash(paths: Iterable[Path]) -> str:
    """A hash of the names and contents of files (not of their times: a checkout or a
    ``touch`` must not count as a change, and an edit within the same second must)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1missing")
        digest.update(b"\0")
    return digest.hexdigest()


def corpus(env: BuildEnvironment):
    """The edition's corpus (sources converted in memory, anchors, paragraph texts), once per build.

    Built from the same source documents as :func:`registry.get_sources`, so a build loads
    and validates every source once.
    """
    from ..convert import convert
    from ..corpus import Corpus
    from .registry import get_sources

    def load() -> Corpus:
        root = Path(app_of(env).confdir).resolve()
        documents = get_sources(env)
        made = Corpus(root, documents, {doc_id: convert(doc, root) for doc_id, doc in documents.items()})
        made._index()
        return made

    return per_build(env, "corpus", load)
