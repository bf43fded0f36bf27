"""The events registry as seen from Sphinx: loaded once per change, shared by all modules.

Loading validates every anchor against the corpus (the converter run in memory), so the
result is cached by the modification times of the event files, the glossary files and the
sources; every page that uses the registry declares those files as dependencies, so an
edited event re-reads exactly the pages that show it.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.environment import BuildEnvironment

from ..chronology import PERIODS_FILE, EVENTS_DIR, Event, EventIndex, event_files, load_events
from ..corpus import Corpus
from ..errors import Problem

_CACHE: dict[str, tuple[tuple, list[Event], list[Problem], EventIndex]] = {}


def project_root(env: BuildEnvironment) -> Path:
    return Path(env.app.confdir).resolve()


def entities_dir(env: BuildEnvironment) -> str:
    """The glossary's registry directory (its config value is relative to the source
    directory), as a path relative to the project root, where the chronology looks."""
    path = (Path(env.srcdir) / env.config.edition_entities_dir).resolve()
    try:
        return str(path.relative_to(project_root(env)))
    except ValueError:
        return str(path)


def dependency_files(env: BuildEnvironment) -> list[Path]:
    """Every file whose change can change the chronology or its markers."""
    root = project_root(env)
    sources = (root / env.config.edition_sources_dir).resolve()
    entities = root / entities_dir(env)
    return [
        *event_files(root, env.config.edition_events_dir),
        *(sorted(entities.glob("*.yaml")) if entities.is_dir() else []),
        *sorted(sources.glob("*.yaml")),
        *sorted(sources.glob("*.txt")),
        *([root / PERIODS_FILE] if (root / PERIODS_FILE).exists() else []),
    ]


def get_events(env: BuildEnvironment) -> tuple[list[Event], list[Problem], EventIndex]:
    """Valid events (sorted), the problems found, and the events by anchor."""
    root = project_root(env)
    files = dependency_files(env)
    signature = tuple((str(p), p.stat().st_mtime_ns) for p in files)
    cached = _CACHE.get(str(root))
    if cached and cached[0] == signature:
        return cached[1], cached[2], cached[3]
    corpus = Corpus.load(root, env.config.edition_sources_dir)
    events, problems = load_events(root, corpus, env.config.edition_events_dir, entities_dir(env))
    index = EventIndex.of(events)
    _CACHE[str(root)] = (signature, events, problems, index)
    return events, problems, index


def note_dependencies(env: BuildEnvironment) -> None:
    """Make the page being read depend on the registry and the sources."""
    for path in dependency_files(env):
        env.note_dependency(str(path))


def setup_config(app) -> None:
    app.add_config_value("edition_events_dir", EVENTS_DIR, "env", types=[str])
