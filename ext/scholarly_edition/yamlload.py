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
MAX_YAML_BYTES = 1_000_000


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


def load_yaml_text(text: str, path: str) -> Any:
    """Parse YAML text; syntax errors become an :class:`EditionError` with the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        message = f"YAML syntax error: {exc.problem or exc.context}"
        raise EditionError(
            Problem(path, line, message, "check indentation, colons and quoting on this line", column)
        ) from None


def load_yaml_file(path: Path, display_path: str | None = None) -> Any:
    """Read and parse a YAML file, refusing oversize and non-UTF-8 files with a clear error."""
    shown = display_path or str(path)
    data = path.read_bytes()
    if len(data) > MAX_YAML_BYTES:
        raise EditionError(Problem(shown, None, f"file is larger than {MAX_YAML_BYTES} bytes", "split it into smaller files"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EditionError(Problem(shown, line, "file is not valid UTF-8", "save the file as UTF-8")) from None
    return load_yaml_text(text, shown)
