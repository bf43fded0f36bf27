"""``edition new archive``: a repository, collection or series for the archival register.

A FRUS source note cites its archive ("Source: National Archives and Records
Administration, RG 59, …").  When a new document cites an archive the register does not
know yet, the build says so; this scaffold writes the entry that makes it known, in a file
of its own (``docs/annotations/archives/<id>.yaml``; a collection or series names its
``parent``).  The entry is validated against the same schema and registry rules as every
archive file before anything is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .archives import ARCHIVES_DIR, load_registry
from .errors import EditionError, Problem
from .fileio import write_atomic

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
LEVELS = ("repository", "collection", "series")


def _fail(message: str, hint: str) -> EditionError:
    return EditionError(Problem("edition new archive", None, message, hint))


def new_archive(root: Path, archive_id: str, name: str, forms: list[str], level: str = "repository", parent: str = "",
                kind: str = "", abbreviation: str = "", place: str = "", url: str = "", description: str = "") -> tuple[Path, str]:
    """The file and YAML text of a new archive entry, checked against the register."""
    if not _ID.match(archive_id):
        raise _fail(f"invalid archive id {archive_id!r}", "use lowercase letters, digits and hyphens, starting with a letter, e.g. example-archive")
    if level not in LEVELS:
        raise _fail(f"unknown level {level!r}", f"use one of: {', '.join(LEVELS)}")
    if level != "repository" and not parent:
        raise _fail(f"a {level} needs --parent", "give the id of the repository (or collection) it belongs to")
    if level == "repository" and parent:
        raise _fail("a repository has no parent", "omit --parent, or give --level collection or series")
    forms = [f for f in (forms or [name]) if f.strip()]
    if url and not url.startswith("https://"):
        raise _fail(f"url {url!r} is not an https:// address", "give the archive's https:// address, or omit it")
    loaded = load_registry(root)
    if archive_id in loaded.registry.entries:
        where = loaded.lines.get(archive_id)
        raise _fail(f"an archive with the id {archive_id!r} exists already" + (f" ({where[0]}:{where[1]})" if where else ""), "choose another id")
    if parent and parent not in loaded.registry.entries:
        raise _fail(f"unknown parent {parent!r}", "use the id of a repository or collection in docs/annotations/archives/")
    known_forms = {form for entry in loaded.registry.entries.values() for form in entry.forms}
    clash = [f for f in forms if f in known_forms]
    if clash:
        raise _fail(f"the form(s) {', '.join(map(repr, clash))} already name another archive", "an archive is recognised by its forms: each must be unique")
    item: dict[str, Any] = {"id": archive_id, "level": level}
    if parent:
        item["parent"] = parent
    if kind:
        item["kind"] = kind
    item["name"] = name
    if abbreviation:
        item["abbreviation"] = abbreviation
    item["forms"] = forms
    for key, value in (("place", place), ("url", url), ("description", description)):
        if value:
            item[key] = value
    text = ("# Schema: ext/scholarly_edition/schemas/archives.schema.json\n"
            + yaml.safe_dump(item, allow_unicode=True, sort_keys=False, width=100))
    return root / ARCHIVES_DIR / f"{archive_id}.yaml", text


def write_archive(path: Path, text: str) -> None:
    """Write the new file (never over an existing one)."""
    if path.exists():
        raise _fail(f"{path.name} exists already", "choose another id")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
