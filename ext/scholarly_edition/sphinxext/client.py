"""Citing an edition from another Sphinx project: the ``ed`` roles for intersphinx targets.

A project that writes *about* an edition — a paper, a course, another edition — loads
``scholarly_edition.cite`` (this module) with ``sphinx.ext.intersphinx`` instead of the
whole extension, which would read sources and write the edition's exports into the
citing project's site.  This module writes nothing: it only

* declares an ``ed`` domain with the edition's object types and the ``{ed:ref}`` role, and
  no objects of its own, so that intersphinx resolves ``ed:*`` entries of an edition's
  ``objects.inv`` (``{ed:ref}`edition:mack-2025-p14``` like ``{ref}``);
* lets a reference name an object by the readable name the edition shows for it, which
  ``objects.inv`` carries as each entry's display name: ``{ed:ref}`edition:Mack 2025, ¶ 14```,
  ``{ed:ref}`edition:Barrientos Ortuño, René```.  Before intersphinx resolves a reference,
  a readable name is replaced by its slug; a name that two objects share is reported, and
  the slug must then be used.

Display names are matched ignoring case and runs of spaces (a line break inside the
role's text does not matter); a person may also be named in the sorted form of an index,
"Family, Given", for the display name "Given Family".
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging

from .. import __version__
from .domain import OBJECT_TYPES

logger = logging.getLogger(__name__)


class EditionClientDomain(Domain):
    """The ``ed`` domain of a citing project: object types and the role, no objects."""

    name = "ed"
    label = "Edition (cited)"
    object_types = {key: ObjType(label, key, "ref") for key, (label, _) in OBJECT_TYPES.items()}
    roles = {"ref": XRefRole(warn_dangling=True)}
    initial_data: dict[str, Any] = {}

    def clear_doc(self, docname: str) -> None:
        return None

    def merge_domaindata(self, docnames, otherdata) -> None:  # type: ignore[no-untyped-def]
        return None

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):  # type: ignore[no-untyped-def]
        return None  # intersphinx resolves every ed reference

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):  # type: ignore[no-untyped-def]
        return []

    def get_objects(self):  # type: ignore[no-untyped-def]
        return iter(())


def _fold(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _uninverted(name: str) -> str:
    """"Barrientos Ortuño, René" -> "René Barrientos Ortuño": a person cited in the sorted
    form of an index of names, while the edition shows the name in reading order."""
    family, sep, given = name.partition(",")
    if not sep or "," in given or not given.strip() or not family.strip():
        return name
    return f"{given.strip()} {family.strip()}"


def _inventories(env: BuildEnvironment) -> dict[str, Any]:
    """Named inventories that intersphinx has loaded (empty before it has)."""
    return getattr(env, "intersphinx_named_inventory", {}) or {}


def _display_name(item: Any) -> str:
    return item.display_name if hasattr(item, "display_name") else item[3]


def readable_names(inventory: Any) -> dict[str, set[tuple[str, str]]]:
    """Folded display name -> {(objtype, slug)} for every ``ed:`` entry of one inventory."""
    names: dict[str, set[tuple[str, str]]] = {}
    for objtype, objects in inventory.items():
        if not objtype.startswith("ed:"):
            continue
        for slug, item in objects.items():
            title = _display_name(item)
            if title and title != "-":
                names.setdefault(_fold(title), set()).add((objtype, slug))
    return names


#: Readable names per inventory, keyed by the identity of the loaded inventory (not kept
#: in the environment, which is pickled: a reloaded inventory gets a fresh index).
_NAMES: dict[tuple[str, int], dict[str, set[tuple[str, str]]]] = {}


def _index(env: BuildEnvironment, name: str) -> dict[str, set[tuple[str, str]]]:
    inventory = _inventories(env).get(name, {})
    key = (name, id(inventory))
    if key not in _NAMES:
        _NAMES[key] = readable_names(inventory)
    return _NAMES[key]


def rewrite_readable_name(app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement) -> None:
    """Before intersphinx (priority 500): turn a readable name into the object's slug."""
    if node.get("refdomain") != "ed":
        return None
    target: str = node["reftarget"]
    inventories = _inventories(env)
    prefix, sep, rest = target.partition(":")
    if sep and prefix in inventories:
        wanted = [(prefix, rest)]
    else:
        wanted = [(name, target) for name in inventories]
    for name, text in wanted:
        objects = inventories.get(name, {})
        if any(text in objects.get(objtype, {}) for objtype in objects if objtype.startswith("ed:")):
            return None  # a slug: intersphinx resolves it as it is
        index = _index(env, name)
        found = index.get(_fold(text), set()) or index.get(_fold(_uninverted(text)), set())
        slugs = sorted({slug for _, slug in found})
        if len(slugs) == 1:
            node["reftarget"] = f"{name}:{slugs[0]}"
            return None
        if len(slugs) > 1:
            logger.warning("%r names %d objects of the edition %r (%s): cite one by its slug", text, len(slugs), name, ", ".join(slugs), location=node, type="edition", subtype="ambiguous")
            return None
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.intersphinx")
    app.add_domain(EditionClientDomain)
    app.connect("missing-reference", rewrite_readable_name, priority=400)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
