"""The edition's source registry as seen from Sphinx.

The converter and the extension read the same ``sources/*.yaml`` files, so the header
box of a page, the landing-page cards and (later) citations all say the same thing.
The registry is loaded once per build and cached on the environment by file mtimes.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..metadata import SourceDocument, discover_sources, load_all


def sources_dir(env: BuildEnvironment) -> Path:
    return (Path(env.app.confdir) / env.config.edition_sources_dir).resolve()


def _signature(directory: Path) -> tuple[tuple[str, float], ...]:
    paths = [*discover_sources(directory), *sorted(directory.glob("*.txt"))]
    return tuple((p.name, p.stat().st_mtime) for p in paths)


def get_sources(env: BuildEnvironment) -> dict[str, SourceDocument]:
    """All source documents by id; reloaded only when a file in ``sources/`` changed."""
    directory = sources_dir(env)
    signature = _signature(directory)
    cached = getattr(env, "_edition_sources", None)
    if cached is not None and cached[0] == signature:
        return cached[1]
    documents = {doc.id: doc for doc in load_all(directory, Path(env.app.confdir))}
    env._edition_sources = (signature, documents)  # type: ignore[attr-defined]
    return documents


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_sources_dir", "sources", "env", types=[str])
