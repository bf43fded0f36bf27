"""The archival registry, parsed source notes and editorial notes, as seen from Sphinx.

Everything is computed by the pure-Python modules (:mod:`edition.archives`,
:mod:`edition.notes`) from the files on disk, exactly as ``edition check`` computes it,
once per build (:mod:`.buildcache`).  Pages that use the data
declare their dependency on the files so incremental builds re-read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx.environment import BuildEnvironment

from ..archival import Registry
from ..archives import DocumentNotes, RegisterUnit, build_register, iter_units, load_registry, parse_corpus_notes
from ..corpus import Corpus
from ..errors import Problem
from ..notes import LoadedNotes, load_notes
from . import buildcache, dependencies
from .buildcache import per_build
from .registry import sources_dir


@dataclass
class AnnotationData:
    root: Path
    corpus: Corpus
    registry: Registry
    registry_problems: list[Problem]
    source_notes: dict[str, DocumentNotes]
    source_note_problems: list[Problem]
    register: dict[str, RegisterUnit]
    editorial: LoadedNotes
    files: list[Path]


def project_root(env: BuildEnvironment) -> Path:
    return sources_dir(env).parent


def sources_dir_of(root: Path) -> Path:
    return root / "sources"


def get_annotations(env: BuildEnvironment) -> AnnotationData:
    """All annotation data, computed once per build from the build's one corpus."""
    return per_build(env, "annotations", lambda: _load(env))


def _load(env: BuildEnvironment) -> AnnotationData:
    root = project_root(env)
    corpus = buildcache.corpus(env)
    loaded = load_registry(root)
    parsed, note_problems = parse_corpus_notes(corpus, loaded.registry)
    register = build_register(loaded.registry, parsed)
    known = set(loaded.registry.entries) | {u.id for u in iter_units(register)}
    editorial = load_notes(corpus, known)
    files = [*loaded.files, *editorial.files]
    return AnnotationData(root, corpus, loaded.registry, loaded.problems, parsed, note_problems, register, editorial, files)


def depend_on(env: BuildEnvironment, paths) -> None:
    """Make the current page depend on data files (relative to the source directory)."""
    import os

    for path in paths:
        env.note_dependency(os.path.relpath(path, env.srcdir))


def report_problems(app, env: BuildEnvironment, docnames: list[str]) -> None:
    """Report every problem of the annotation files once per build that reads pages.

    ``edition check`` reports the same list: registry, source-note parsing (unparseable
    citations, "ibid." with nothing before it) and editorial notes.
    """
    if not docnames:
        return
    if dependencies.quiet(env):  # nothing changed since a build that reported nothing
        return
    from .problems import warn

    data = get_annotations(env)
    for problem in data.registry_problems:
        warn(problem, "archives")
    for problem in data.source_note_problems:
        warn(problem, "archival")
    for problem in data.editorial.problems:
        warn(problem, "notes")


def setup(app) -> None:
    app.connect("env-before-read-docs", report_problems)
