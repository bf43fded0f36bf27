"""The edition's source registry as seen from Sphinx.

The converter and the extension read the same ``sources/*.yaml`` files, so the header
box of a page, the landing-page cards and (later) citations all say the same thing.
The registry is looked up once per build (:mod:`.buildcache`) and kept on the environment,
keyed by a hash of the files' contents, so a build with no edited source does not load it again.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..metadata import SourceDocument, discover_sources, load_all
from .buildcache import app_of, content_hash, per_build


def sources_dir(env: BuildEnvironment) -> Path:
    return (Path(env.app.confdir) / env.config.edition_sources_dir).resolve()


def source_files(directory: Path) -> list[Path]:
    """Every file of ``sources/`` that the registry reads, in a fixed order."""
    return [*discover_sources(directory), *sorted(directory.glob("*.txt"))]


def _signature(directory: Path) -> str:
    return content_hash(source_files(directory))


def get_sources(env: BuildEnvironment) -> dict[str, SourceDocument]:
    """All source documents by id: looked up once per build, reloaded only when the
    contents of ``sources/`` changed (per-call cost: one dictionary lookup)."""
    return per_build(env, "sources", lambda: _load(env))


def _load(env: BuildEnvironment) -> dict[str, SourceDocument]:
    directory = sources_dir(env)
    signature = _signature(directory)
    cached = getattr(env, "_edition_sources", None)
    if cached is not None and cached[0] == signature:
        return cached[1]
    documents = {doc.id: doc for doc in load_all(directory, Path(app_of(env).confdir))}
    env._edition_sources = (signature, documents)  # type: ignore[attr-defined]
    return documents


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_sources_dir", "sources", "env", types=[str])
