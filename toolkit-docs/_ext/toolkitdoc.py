"""Directives of the toolkit's documentation that read the toolkit itself, so the reference
cannot drift from the code: the command line's help, and the JSON Schemas of the files an
edition is made of (a list of fields with their types and descriptions, then the schema)."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps subparsers here; there is no public accessor
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


class CliHelp(SphinxDirective):
    """``{edition-cli-help}``: ``edition --help`` and the help of every (sub)command."""

    def run(self) -> list[nodes.Node]:
        from scholarly_edition.cli import build_parser

        os.environ["COLUMNS"] = "100"  # argparse wraps at the terminal's width: fix it
        parser = build_parser()
        result: list[nodes.Node] = [nodes.literal_block(text=parser.format_help())]
        todo = [(f"edition {name}", sub) for name, sub in _subcommands(parser).items()]
        while todo:
            name, sub = todo.pop(0)
            section = nodes.section(ids=[nodes.make_id(name)])
            section += nodes.title(text=name)
            section += nodes.literal_block(text=sub.format_help().replace(os.path.basename(__file__), "edition"))
            result.append(section)
            todo[0:0] = [(f"{name} {child}", p) for child, p in _subcommands(sub).items()]
        return result


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "enum" in spec:
        return "one of: " + ", ".join(str(v) for v in spec["enum"])
    if "const" in spec:
        return f"the string {spec['const']!r}"
    if "oneOf" in spec or "anyOf" in spec:
        return " or ".join(_type(s) for s in spec.get("oneOf", spec.get("anyOf", [])))
    if spec.get("type") == "array":
        return f"list of {_type(spec.get('items', {}))}"
    return str(spec.get("type", "any"))


def _fields(spec: dict[str, Any]) -> nodes.bullet_list:
    required = set(spec.get("required", []))
    items = nodes.bullet_list()
    for name, prop in spec.get("properties", {}).items():
        para = nodes.paragraph()
        para += nodes.literal(text=name)
        para += nodes.Text(f" ({'required' if name in required else 'optional'}; {_type(prop)})")
        if prop.get("description"):
            para += nodes.Text(f": {prop['description']}")
        items += nodes.list_item("", para)
    return items


class SchemaFields(SphinxDirective):
    """``{edition-schema} notes``: the fields of a schema and its $defs, then the schema."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from pathlib import Path

        import scholarly_edition

        path = Path(scholarly_edition.__file__).parent / "schemas" / f"{self.arguments[0]}.schema.json"
        self.env.note_dependency(str(path))
        schema = json.loads(path.read_text("utf-8"))
        result: list[nodes.Node] = []
        top = schema.get("items", schema) if schema.get("type") == "array" else schema
        if "$ref" in top:
            top = schema.get("$defs", {}).get(top["$ref"].rsplit("/", 1)[-1], top)
        result.append(nodes.paragraph(text=schema.get("description") or schema.get("title", "")))
        result.append(_fields(top))
        for name, spec in schema.get("$defs", {}).items():
            if spec.get("properties"):
                result.append(nodes.rubric(text=f"{name} (in $defs)"))
                result.append(_fields(spec))
        block = nodes.literal_block(text=json.dumps(schema, ensure_ascii=False, indent=2), language="json")
        result.append(nodes.rubric(text=f"The schema: {path.name}"))
        result.append(block)
        return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("edition-cli-help", CliHelp)
    app.add_directive("edition-schema", SchemaFields)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
