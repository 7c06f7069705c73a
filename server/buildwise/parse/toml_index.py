"""Walks a tree-sitter-toml tree and records keys, tables and arrays of a TomlDocument with their
positions; flat arrays are placed by one regular-expression pass over their text."""

from __future__ import annotations

import re
from typing import Any

from tree_sitter import Node

from buildwise.model import Position, Span
from buildwise.parse.toml_document import (
    _KEY_TYPES,
    ArrayElement,
    ArrayInfo,
    Key,
    KeyInfo,
    TableInfo,
    TomlDocument,
    _pair_value,
    key_parts,
)

_ARRAY_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<comma>,)"
    r"|(?P<close>\])"
    r"|(?P<string>\"\"\"(?:[^\\]|\\.)*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*')"
    r"|(?P<open>[\[{])"
    r"|(?P<bare>[^\s,\[\]{}#\"']+)",
    re.DOTALL,
)


class _Indexer:
    """Walks one tree-sitter tree and records keys, tables and arrays with positions."""

    def __init__(self, doc: TomlDocument, row_offset: int, aot_counters: dict[Key, int]) -> None:
        self.doc = doc
        self.index = doc.index
        self.row_offset = row_offset
        self.aot_counters = aot_counters
        self.ascii = doc.text.isascii()

    def pos(self, point: Any) -> Position:
        if self.ascii:
            return Position(point[0] + self.row_offset, point[1])
        return self.index.position(point[0] + self.row_offset, point[1])

    def span(self, node: Node) -> Span:
        return Span(self.pos(node.start_point), self.pos(node.end_point))

    def run(self, root: Node) -> None:
        self._pairs((), root.children)
        for child in root.children:
            if child.type == "table":
                self._table(child, is_array=False)
            elif child.type == "table_array_element":
                self._table(child, is_array=True)

    def _table(self, node: Node, *, is_array: bool) -> None:
        key_node = next((c for c in node.children if c.type in _KEY_TYPES), None)
        if key_node is None:
            return
        parts = key_parts(key_node)
        if parts is None:
            return
        path: Key = tuple(parts)
        header_end = next((c for c in node.children if c.type in ("]", "]]")), key_node)
        header = Span(self.pos(node.start_point), self.pos(header_end.end_point))
        if is_array:
            n = self.aot_counters.get(path, 0)
            self.aot_counters[path] = n + 1
            self.doc.tables.setdefault(path, TableInfo(path, header, header.end, True))
            path = (*path, n)
        last = header.end
        for child in node.children:
            if child.type in ("pair", "comment"):
                last = self.pos(child.end_point)
        self.doc.tables[path] = TableInfo(path, header, last, is_array)
        self._pairs(path, node.children)

    def _pairs(self, base: Key, children: list[Node]) -> None:
        for child in children:
            if child.type == "pair" and not child.has_error:
                self._pair(base, child)

    def _pair(self, base: Key, node: Node) -> None:
        key_node = node.children[0] if node.children else None
        if key_node is None or key_node.type not in _KEY_TYPES:
            return
        parts = key_parts(key_node)
        if parts is None:
            return
        value = _pair_value(node)
        if value is None:
            return
        path: Key = (*base, *parts)
        info = KeyInfo(
            path=path,
            key_span=self.span(key_node),
            value_span=self.span(value),
            pair_span=Span(self.pos(node.start_point), self.pos(value.end_point)),
            value_kind=value.type,
        )
        self.doc.keys[path] = info
        for i in range(1, len(parts)):  # dotted keys imply tables: a.b.c = 1 implies a and a.b
            self.doc.tables.setdefault(
                (*base, *parts[:i]), TableInfo((*base, *parts[:i]), None, info.pair_span.end)
            )
        if value.type == "array":
            info.array = self._array(value)
        elif value.type == "inline_table":
            self._pairs(path, value.children)

    def _array(self, node: Node) -> ArrayInfo:
        return ArrayInfo(node, self)

    def _inner_span(self, span: Span) -> Span:
        """Inside the quotes of a one-line string literal (the whole literal when it spans lines)."""
        if span.start.line != span.end.line:
            return span
        line = self.index.line(span.start.line)
        col = span.start.column
        quote = 3 if line[col : col + 3] in ('"""', "'''") else 1
        return Span(
            Position(span.start.line, col + quote),
            Position(span.end.line, max(col + quote, span.end.column - quote)),
        )

    def array_elements(self, node: Node, info: ArrayInfo) -> list[ArrayElement]:
        """Elements with positions. A flat array (strings, numbers, comments) is scanned with one
        regular expression over its text, far faster than visiting tree-sitter nodes one by one; an
        array holding inline tables or arrays goes through the tree."""
        scanned = self._scan_array(info)
        if scanned is not None:
            return scanned
        return self._tree_elements(node, info)

    def _scan_array(self, info: ArrayInfo) -> list[ArrayElement] | None:
        info._raw_tried = True
        info._raw = raw = self.scan_array_raw(info)
        if raw is None:
            return None
        return [info.element(i) for i in range(len(raw))]

    def scan_array_raw(self, info: ArrayInfo) -> list[tuple[int, int, str, str | None]] | None:
        """(start, end, kind, literal) code-point offsets of a flat array's elements, in one
        regular-expression pass; positions are made only for elements someone asks about. Also
        fills the array's layout (closing bracket, trailing comma, indentation). None when the
        array holds inline tables or arrays (the tree handles those)."""
        text = self.doc.text
        index = self.index
        start = index.offset(info.span.start.line, info.span.start.column)
        if text[start : start + 1] != "[":
            return None
        raw: list[tuple[int, int, str, str | None]] = []
        trailing = False
        last_end = -1
        close = -1
        for m in _ARRAY_TOKEN.finditer(text, start + 1):
            kind = m.lastgroup
            if kind == "ws":
                continue
            if kind == "close":
                close = m.start()
                break
            if kind == "open" or kind is None:
                return None  # nested array or inline table: let the tree do it
            if kind == "comma":
                trailing = True
                continue
            last_end = m.end()
            if kind == "comment":
                continue
            trailing = False
            raw.append((m.start(), m.end(), kind, m.group() if kind == "string" else None))
        if close < 0:
            return None
        info.close_bracket = index.position_of(close)
        info.trailing_comma = trailing
        info.last_item_end = index.position_of(last_end) if last_end >= 0 else None
        for begin, _end, _kind, _literal in raw:
            position = index.position_of(begin)
            if position.line != info.span.start.line:
                row = index.line(position.line)
                info.element_indent = row[: len(row) - len(row.lstrip())]
                break
        return raw

    def _tree_elements(self, node: Node, info: ArrayInfo) -> list[ArrayElement]:
        elements: list[ArrayElement] = []
        start_row = node.start_point[0]
        for child in node.children:
            ctype = child.type
            if ctype == "[":
                continue
            if ctype == "]":
                info.close_bracket = self.pos(child.start_point)
                continue
            if ctype == ",":
                info.trailing_comma = True
                continue
            info.last_item_end = self.pos(child.end_point)
            if ctype == "comment":
                continue
            info.trailing_comma = False
            span = self.span(child)
            if info.element_indent is None and child.start_point[0] != start_row:
                line = self.index.line(span.start.line)
                info.element_indent = line[: len(line) - len(line.lstrip())]
            value_span = self._inner_span(span) if ctype == "string" else None
            elements.append(ArrayElement(len(elements), span, value_span, ctype, child))
        return elements
