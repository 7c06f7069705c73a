"""Error recovery for broken pyproject.toml files: cut the text into table chunks at lines that
open a table (outside multi-line strings), keep every chunk that parses on its own, and inside a
broken chunk every key/value pair that parses on its own."""

from __future__ import annotations

import re
from typing import Any

import tomli
from tree_sitter import Parser

from buildwise.model import Position, Span
from buildwise.parse.text import LineIndex
from buildwise.parse.toml_depth import MAX_NESTING, nesting_overflow
from buildwise.parse.toml_document import Key, TomlDocument, TomlError, slice_text
from buildwise.parse.toml_index import _Indexer

_HEADER_RE = re.compile(r"^[ \t]*\[\[?[ \t]*[A-Za-z0-9_\-\"'. \t]+\]\]?[ \t]*(#.*)?$")


def _error_span(index: LineIndex, line: int, column: int) -> Span:
    """A visible range for an error: from the column to the end of the line (at least one char)."""
    text = index.line(line)
    end = len(text.rstrip("\r"))
    if column >= end:
        return Span(Position(line, max(0, end - 1) if end else 0), Position(line, max(end, 1)))
    return Span(Position(line, column), Position(line, end))


def split_chunks(text: str) -> list[tuple[int, str]]:
    """Cut a document at lines that open a table, outside multi-line strings: [(first_line, text)]."""
    lines = text.split("\n")
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    in_multiline: str | None = None
    for n, line in enumerate(lines):
        if in_multiline is None and n > 0 and _HEADER_RE.match(line):
            chunks.append((n, []))
        chunks[-1][1].append(line)
        for quote in ('"""', "'''"):
            count = line.count(quote)
            if count % 2 == 1 and (in_multiline is None or in_multiline == quote):
                in_multiline = None if in_multiline == quote else quote
    return [(start, "\n".join(body)) for start, body in chunks]


def _merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    for key, value in source.items():
        if key in target and isinstance(target[key], dict) and isinstance(value, dict):
            _merge(target[key], value)
        elif key in target and isinstance(target[key], list) and isinstance(value, list):
            target[key].extend(value)
        else:
            target[key] = value


def _set_path(target: dict[str, Any], path: Key, value: Any) -> None:
    node: Any = target
    for part in path[:-1]:
        if isinstance(part, int):
            if not isinstance(node, list):
                return
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            if not isinstance(node, dict):
                return
            node = node.setdefault(part, {})
    if isinstance(node, dict) and isinstance(path[-1], str):
        node.setdefault(path[-1], value)


def parse_broken(doc: TomlDocument, parser: Parser) -> None:
    counters: dict[Key, int] = {}
    for start, chunk in split_chunks(doc.text):
        overflow = nesting_overflow(chunk)
        if overflow is not None:  # neither tomli nor the tree walk may see it: both recurse
            line = start + chunk.count("\n", 0, overflow)
            column = overflow - (chunk.rfind("\n", 0, overflow) + 1)
            message = (
                f"nesting deeper than {MAX_NESTING} levels (arrays, inline tables, dotted keys); "
                "this table is not read"
            )
            doc.errors.append(TomlError(_error_span(doc.index, line, column), message))
            continue
        tree = parser.parse(chunk.encode("utf-8"))
        indexer = _Indexer(doc, start, counters)
        try:
            values = tomli.loads(chunk)
        except tomli.TOMLDecodeError as exc:
            line = start + (getattr(exc, "lineno", 1) or 1) - 1
            column = (getattr(exc, "colno", 1) or 1) - 1
            message = getattr(exc, "msg", None) or str(exc)
            doc.errors.append(TomlError(_error_span(doc.index, line, column), f"invalid TOML: {message}"))
            before = set(doc.keys)
            indexer.run(tree.root_node)
            for key_path in set(doc.keys) - before:  # recover the values of intact pairs
                info = doc.keys[key_path]
                if any(isinstance(p, int) for p in key_path):
                    continue
                pair_text = slice_text(doc.index, info.value_span)
                try:
                    value = tomli.loads(f"v = {pair_text}")["v"]
                except tomli.TOMLDecodeError:
                    continue
                _set_path(doc.data, key_path, value)
            continue
        _merge(doc.data, values)
        indexer.run(tree.root_node)
