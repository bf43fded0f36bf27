"""Files in and out: contributed files read safely, generated files written atomically.

Reading: a file a pull request can change (``sources/``, ``docs/annotations/``,
``docs/references.bib``, ``docs/anchors.txt``) must be a regular file inside the
repository.  A symbolic link is refused, because it would let a pull request publish any
file of the build machine (``sources/x.txt -> /etc/passwd``); oversize files are refused
before they are read whole.

Writing: a reader or a crash never sees half a page (temporary file and atomic rename),
files get the ordinary mode 0644 (``mkstemp`` alone leaves 0600, which a web server
cannot serve), and :func:`write_all` writes a set of files all or none.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import EditionError, Problem

#: Mode of every file the toolkit writes (rw-r--r--).
FILE_MODE = 0o644

_SYMLINK_HINT = "replace the link with the file itself: contributed files must be regular files inside the repository"


def project_root_of(path: Path) -> Path | None:
    """The nearest ancestor holding ``conf.py``: where the repository's files end."""
    for candidate in path.absolute().parents:
        if (candidate / "conf.py").is_file():
            return candidate
    return None


def contributed_path_problem(path: Path, shown: str) -> Problem | None:
    """Why ``path`` may not be read as a contributed file (a symlink, or not a regular file), or None."""
    absolute = path.absolute()
    try:
        info = os.lstat(absolute)
    except FileNotFoundError:
        return Problem(shown, None, "file does not exist", "check the file name")
    if stat.S_ISLNK(info.st_mode):
        return Problem(shown, None, f"is a symbolic link (to {os.readlink(absolute)!r}); symbolic links are refused", _SYMLINK_HINT)
    if not stat.S_ISREG(info.st_mode):
        return Problem(shown, None, "is not a regular file", _SYMLINK_HINT)
    root = project_root_of(absolute)
    if root is not None:
        for parent in absolute.parents:
            if parent == root:
                break
            if parent.is_symlink():
                return Problem(shown, None, f"lies in {parent.name}/, a symbolic link; symbolic links are refused", _SYMLINK_HINT)
    return None


def read_contributed(path: Path, shown: str, max_bytes: int) -> bytes:
    """The bytes of a contributed file: a regular file (never a symlink), at most ``max_bytes``."""
    problem = contributed_path_problem(path, shown)
    if problem:
        raise EditionError(problem)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:  # replaced by a link between the check and the open
        raise EditionError(Problem(shown, None, f"cannot be read safely: {exc.strerror}", _SYMLINK_HINT)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise EditionError(Problem(shown, None, "is not a regular file", _SYMLINK_HINT))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise EditionError(Problem(shown, None, f"file is larger than {max_bytes} bytes (the limit for this kind of file)", "split it into smaller files; see CONTRIBUTING.md, 'Limits'"))
    return data


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` to ``path`` through a temporary file and an atomic rename (mode 0644)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as handle:
                handle.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_all(files: dict[Path, str | bytes]) -> None:
    """Write every file or none: all contents are staged beside their targets first, then
    renamed into place; if staging fails, nothing was changed, and if a rename fails the
    files already replaced are restored."""
    staged: list[tuple[Path, str]] = []
    created_dirs: list[Path] = []
    try:
        for path, text in files.items():
            for parent in reversed(path.parents):
                if not parent.exists():
                    created_dirs.append(parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((path, tmp))
            with os.fdopen(fd, "wb") as handle:
                handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            os.chmod(tmp, FILE_MODE)
    except BaseException:
        for _, tmp in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for directory in reversed(created_dirs):
            if directory.exists() and not any(directory.iterdir()):
                directory.rmdir()
        raise
    backups: list[tuple[Path, bytes | None]] = []
    try:
        for path, tmp in staged:
            backups.append((path, path.read_bytes() if path.exists() else None))
            os.replace(tmp, path)
    except BaseException:
        for path, old in backups:
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        for _, tmp in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
