"""The events registry as seen from Sphinx: loaded once per change, shared by all modules.

Loading validates every anchor against the corpus (the converter run in memory), so the
result is computed once per build from the build's one corpus (:mod:`.buildcache`); every page that uses the registry declares those files as dependencies, so an
edited event re-reads exactly the pages that show it.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.environment import BuildEnvironment

from ..chronology import PERIODS_FILE, EVENTS_DIR, Event, EventIndex, event_files, load_events
from ..errors import Problem
from . import buildcache
from .buildcache import per_build


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
    """Every file whose change can change the chronology or its markers (listed once per build)."""
    return per_build(env, "chronology files", lambda: _dependency_files(env))


def _dependency_files(env: BuildEnvironment) -> list[Path]:
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
    """Valid events (sorted), the problems found, and the events by anchor: once per build."""
    return per_build(env, "events", lambda: _load(env))


def _load(env: BuildEnvironment) -> tuple[list[Event], list[Problem], EventIndex]:
    root = project_root(env)
    events, problems = load_events(root, buildcache.corpus(env), env.config.edition_events_dir, entities_dir(env))
    return events, problems, EventIndex.of(events)


def note_dependencies(env: BuildEnvironment) -> None:
    """Make the page being read depend on the registry and the sources."""
    for path in dependency_files(env):
        env.note_dependency(str(path))


def setup_config(app) -> None:
    app.add_config_value("edition_events_dir", EVENTS_DIR, "env", types=[str])
