"""Safe YAML loading that remembers on which line every value stands.

Annotation and metadata files are reviewed by people, so every error must point at a
line.  PyYAML's safe loader is used (no object construction from tags); mappings are
returned as :class:`LineDict`, which keeps the line of each key and of the mapping itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import EditionError, Problem

#: Refuse files larger than this: annotation files are meant to be small and reviewable.
MAX_YAML_BYTES = 512_000
#: Most values (scalars, lists, mappings) in one file: far above any real file, far below a bomb.
MAX_YAML_NODES = 50_000
#: Deepest nesting of lists and mappings in one file.
MAX_YAML_DEPTH = 20


class LineDict(dict):
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of ``key`` if present, else the line of the mapping."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows the 1-based line of itself and of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


#: libyaml's parser when available (several times faster; the validator must answer in
#: well under two seconds), the pure-Python one otherwise.  Both are *safe* loaders.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loader whose mappings and sequences carry line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """Keep dates as the text written: EDTF strings must not become ``datetime`` objects."""
    return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _limit_problem(path: str, mark: Any, message: str, hint: str) -> EditionError:
    return EditionError(Problem(path, mark.line + 1, message, hint, mark.column + 1))


def check_limits(text: str, path: str) -> None:
    """Refuse anchors, aliases, too many nodes and too deep nesting, before anything is built.

    The check reads the parser's event stream, which is linear in the size of the text:
    an alias is never expanded, so a "billion laughs" file is refused in microseconds
    instead of making the walk over its expanded tree exponential.  Contributed files
    never need anchors or aliases (each entry is written out), so both are refused.
    """
    loader = _SafeBase(text)
    depth = nodes = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise _limit_problem(path, event.start_mark, f"YAML alias *{event.anchor} is not allowed in contributed files", "write the value out in full: anchors and aliases are refused (they can make a small file expand without limit)")
            if getattr(event, "anchor", None):
                raise _limit_problem(path, event.start_mark, f"YAML anchor &{event.anchor} is not allowed in contributed files", "remove the anchor and write each value out in full")
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
                if nodes > MAX_YAML_NODES:
                    raise _limit_problem(path, event.start_mark, f"file has more than {MAX_YAML_NODES} values", "split it into smaller files")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise _limit_problem(path, event.start_mark, f"values are nested more than {MAX_YAML_DEPTH} levels deep", "flatten the structure: no annotation needs this depth")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def load_yaml_text(text: str, path: str) -> Any:
    """Parse YAML text within the limits; syntax errors become an :class:`EditionError` with the line."""
    try:
        check_limits(text, path)
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        message = f"YAML syntax error: {exc.problem or exc.context}"
        raise EditionError(
            Problem(path, line, message, "check indentation, colons and quoting on this line", column)
        ) from None


#: The last parse of each file: display path -> (its text, the parsed value).  See ``reuse``.
_LAST_PARSE: dict[str, tuple[str, Any]] = {}


def load_yaml_file(path: Path, display_path: str | None = None, reuse: bool = False) -> Any:
    """Read and parse a YAML file, refusing symlinks, oversize and non-UTF-8 files with a clear error.

    With ``reuse``, a file whose text is the same as at its last parse is not parsed again:
    the value of that parse is returned, shared with whoever loaded it first, so the caller
    must only read it.  ``edition check`` reads every annotation file twice (by its kind's
    loader, then as contributed text); the second reading costs no parse."""
    from .fileio import read_contributed

    shown = display_path or str(path)
    data = read_contributed(path, shown, MAX_YAML_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EditionError(Problem(shown, line, "file is not valid UTF-8", "save the file as UTF-8")) from None
    if reuse:
        last = _LAST_PARSE.get(shown)
        if last is not None and last[0] == text:
            return last[1]
    value = load_yaml_text(text, shown)
    _LAST_PARSE[shown] = (text, value)
    return value
