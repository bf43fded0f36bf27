"""JSON Schema validation that reports problems at the line they stand on.

The schemas in ``edition/schemas/`` are the contract of every data file; editors that
understand JSON Schema use them too.  This module turns ``jsonschema`` errors into
:class:`~edition.errors.Problem` objects located with the line numbers kept by
:mod:`edition.yamlload`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable

from .errors import Problem
from .yamlload import LineDict, LineList

if TYPE_CHECKING:  # imported when a file breaks its schema: valid files never need it (see _fast_validator)
    import jsonschema


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """Load ``schemas/<name>.schema.json`` shipped with the package."""
    text = resources.files("scholarly_edition").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def line_of_path(data: Any, path: Iterable[Any]) -> int | None:
    """Follow a JSON path into line-aware data and return the deepest known line."""
    line: int | None = getattr(data, "line", None)
    node = data
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.line_of(str(part))
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.line_of(part)
            node = node[part]
        else:
            break
        if getattr(node, "line", None):
            line = node.line if not isinstance(node, (LineDict, LineList)) else line
    return line


#: What one object of each kind of file is called in messages.
NOUNS = {"entity": "entity", "event": "event", "notes": "note", "archives": "archive", "source": "document"}


def where_in_words(data: Any, path: Iterable[Any], schema_name: str = "") -> str:
    """A JSON path said in words: ``65/attested/0`` -> "attested[0] of entity 'barrientos-rene'".

    The nearest object on the path that has an ``id`` names the owner; the rest of the path
    is written as fields and [indexes]."""
    node, owner, rest = data, None, []
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            rest.append(part)
            continue
        rest.append(part)
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            owner, rest = node["id"], []
    field = ""
    for part in rest:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    noun = NOUNS.get(schema_name, "entry")
    if owner is None:
        return field or "top level"
    return f"{field} of {noun} {owner!r}" if field else f"{noun} {owner!r}"


def _describe(error: jsonschema.ValidationError, data: Any = None, schema_name: str = "") -> tuple[str, str]:
    """A message and a hint that a contributor understands without knowing JSON Schema."""
    where = where_in_words(data, error.absolute_path, schema_name) if data is not None else ("/".join(str(p) for p in error.absolute_path) or "top level")
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        names = ", ".join(repr(e) for e in extra)
        return (f"unknown field {names} in {where}", f"allowed fields here: {', '.join(allowed)}")
    if error.validator == "required":
        return (f"{where}: {error.message}", "add the missing field")
    if error.validator == "enum":
        options = ", ".join(repr(o) for o in error.validator_value)
        return (f"{where}: {error.instance!r} is not one of the allowed values", f"use one of: {options}")
    if error.validator == "pattern":
        return (f"{where}: {error.instance!r} does not have the required form", f"it must match {error.validator_value}")
    if error.validator == "oneOf" and error.context:
        import jsonschema

        best = jsonschema.exceptions.best_match(error.context)
        return (f"{where}: {best.message}", error.schema.get("description", ""))
    return (f"{where}: {error.message}", error.schema.get("description", "") if isinstance(error.schema, dict) else "")


@lru_cache(maxsize=None)
def _fast_validator(name: str) -> Any:
    """A compiled validator of ``jsonschema-rs`` for a packaged schema, or None without it.

    ``edition check`` validates every annotation and metadata file (1,600 at N = 800), and
    the pure-Python ``jsonschema`` spent most of a second on files that are valid.  The
    compiled validator answers "valid?" first; only a file it rejects is validated again
    by ``jsonschema``, whose errors make the messages, so every message stays the same."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(load_schema(name))
    except Exception:  # a schema it cannot compile: jsonschema alone decides
        return None


def validate(data: Any, schema_name: str, path: str) -> list[Problem]:
    """Validate ``data`` against a packaged schema; one :class:`Problem` per violation."""
    fast = _fast_validator(schema_name)
    if fast is not None:
        try:
            if fast.is_valid(data):
                return []
        except Exception:  # data it cannot take (a key that is not a string, ...): ask jsonschema
            pass
    problems = []
    for error in sorted(_validator(schema_name).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        message, hint = _describe(error, data, schema_name)
        problems.append(Problem(path, line_of_path(data, error.absolute_path), message, hint))
    return problems


def load_validated(path, shown: str, schema_name: str) -> tuple[Any, list[Problem]]:
    """Load a YAML data file and validate it against a packaged schema.

    Returns ``(data, [])`` when the file is valid, ``(None, problems)`` when it cannot be
    read or breaks the schema: every annotation kind reads its files this way.
    """
    from .errors import EditionError
    from .yamlload import load_yaml_file

    try:
        data = load_yaml_file(path, shown)
    except EditionError as exc:
        return None, exc.problems
    problems = validate(data, schema_name, shown)
    return (None, problems) if problems else (data, [])
