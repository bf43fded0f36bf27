"""Exports are published only by a clean build: staged first, moved in at the very end.

The data exports (chronology JSON/CSV/TimelineJS, glossary JSON, web annotations,
citation downloads) are written at ``build-finished`` by the modules that make them.
They carry contributed text to consumers that may render it as HTML (TimelineJS does),
so a build that refused some contributed text, failed, or — under ``-W`` — warned must
publish none of them.  Each writer asks :func:`staging_dir` where to write; the
:func:`publish` handler, connected after every writer, moves the staged files into the
output only when the build is clean, and otherwise deletes them together with any
export a previous build left at the same places.  A failed build thus leaves no export.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..fileio import FILE_MODE

logger = logging.getLogger(__name__)

STAGING = ".edition-exports-staging"
#: Export paths (files or folders, relative to the output) that a failed build removes.
_KNOWN: set[str] = set()


def register(*relative: str) -> None:
    """Declare export paths (relative to the output) that a failed build must not leave behind."""
    _KNOWN.update(relative)


def staging_dir(app: Sphinx) -> Path:
    """Where the exports of this build are written until :func:`publish` moves them in."""
    path = Path(app.outdir) / STAGING
    path.mkdir(parents=True, exist_ok=True)
    return path


def mark_refused(app: Sphinx) -> None:
    """Contributed text was refused in this build: its exports must not be published."""
    app.env.temp_data["edition-exports-refused"] = True  # type: ignore[index]
    setattr(app, "_edition_exports_refused", True)


def build_is_clean(app: Sphinx, exception: Exception | None) -> bool:
    """No exception, no refused contributed text, and no warning when warnings are errors."""
    if exception is not None or getattr(app, "_edition_exports_refused", False):
        return False
    if getattr(app, "_fail_on_warnings", False) or getattr(app, "warningiserror", False):
        return getattr(app, "_warncount", 0) == 0
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def purge(app: Sphinx) -> None:
    """Remove every export (staged, or left by an earlier build) from the output."""
    outdir = Path(app.outdir)
    for relative in sorted(_KNOWN):
        _remove(outdir / relative)
    if (outdir / STAGING).exists():
        shutil.rmtree(outdir / STAGING)


def _same_file_contents(staged: Path, target: Path) -> bool:
    """Whether the published export is already this one, byte for byte.

    An incremental build stages every export again, most of them unchanged; comparing two
    small files costs less than renaming one over the other (about 2 ms a rename here, 600
    of them for 200 documents), and an unchanged file keeps its time for mirrors and caches."""
    try:
        return target.is_file() and not target.is_symlink() and (target.stat().st_mode & 0o777) == FILE_MODE \
            and filecmp.cmp(staged, target, shallow=False)  # (which compares the sizes first)
    except OSError:
        return False


def publish(app: Sphinx, exception: Exception | None) -> None:
    """Move the staged exports into the output after a clean build; otherwise drop them all."""
    staging = Path(app.outdir) / STAGING
    outdir = Path(app.outdir)
    staged = sorted(p for p in staging.rglob("*") if p.is_file()) if staging.is_dir() else []
    if not build_is_clean(app, exception):
        for path in staged:
            _remove(outdir / path.relative_to(staging))
        for relative in sorted(_KNOWN):
            _remove(outdir / relative)
        if staging.exists():
            shutil.rmtree(staging)
        if staged or _KNOWN:
            logger.info("edition: the build is not clean, so no data export was published")
        return
    for path in staged:
        target = outdir / path.relative_to(staging)
        if _same_file_contents(path, target):
            continue  # unchanged since the last build: kept as it is (its time too), no rename
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path, FILE_MODE)
        os.replace(path, target)
    if staging.exists():
        shutil.rmtree(staging)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", publish, priority=900)  # after every writer (default 500)
