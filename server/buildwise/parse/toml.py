"""pyproject.toml with a position for everything: values from tomli, positions from tree-sitter-toml.

A valid document is parsed twice, once by each (tomli for exact TOML semantics, tree-sitter for
source ranges). A broken one is cut into table chunks (at lines that open a table); every chunk
that parses on its own contributes its values and positions, and inside a broken chunk every
key/value pair that parses on its own still counts. So a typo in ``[tool.black]`` does not hide the
missing build requirement in ``[build-system]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import tomli
import tree_sitter_toml
from tree_sitter import Language, Node, Parser

from buildwise.model import Position, Span
from buildwise.text import LineIndex

Key = tuple[str | int, ...]

_LANGUAGE = Language(tree_sitter_toml.language())

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


@dataclass(frozen=True)
class TomlError:
    span: Span
    message: str


class ArrayElement:
    """One element of an array; its Python value is decoded only when asked for."""

    __slots__ = ("_literal", "_node", "_value", "index", "kind", "span", "value_span")

    def __init__(
        self,
        index: int,
        span: Span,
        value_span: Span | None,
        kind: str,
        node: Node | None,
        literal: str | None = None,
    ) -> None:
        self.index = index
        self.span = span
        #: Inside the quotes, for strings (where a requirement's name and specifier columns start).
        self.value_span = value_span
        self.kind = kind  # "string", "inline_table", "integer", ...
        self._node = node
        self._literal = literal
        self._value: Any = _UNSET if kind == "string" else None

    @property
    def value(self) -> Any:
        if self._value is _UNSET:
            literal = self._literal if self._literal is not None else _text(self._node) if self._node else ""
            self._value = _decode_string(literal)
        return self._value


_UNSET = object()


class ArrayInfo:
    """An array value. Its elements' positions are computed on first use: a 1,000-dependency list
    costs nothing until a rule asks where one of them is."""

    def __init__(self, node: Node, indexer: _Indexer) -> None:
        self._node = node
        self._indexer = indexer
        self.span = indexer.span(node)
        self.multiline = node.start_point[0] != node.end_point[0]
        self._elements: list[ArrayElement] | None = None
        self._raw: list[tuple[int, int, str, str | None]] | None = None
        self._raw_tried = False
        self._one: dict[int, ArrayElement] = {}
        self.close_bracket = self.span.end
        self.trailing_comma = False
        self.element_indent: str | None = None
        self.last_item_end: Position | None = None

    @property
    def open_bracket(self) -> Position:
        return self.span.start

    @property
    def elements(self) -> list[ArrayElement]:
        if self._elements is None:
            self._elements = self._indexer.array_elements(self._node, self)
        return self._elements

    def element(self, index: int) -> ArrayElement:
        """One element, placed without placing the others (for a finding on a long list)."""
        if not self._raw_tried:
            self._raw_tried = True
            self._raw = self._indexer.scan_array_raw(self)
        if self._raw is None:
            return self.elements[index]
        found = self._one.get(index)
        if found is None:
            begin, end, kind, literal = self._raw[index]
            idx = self._indexer.index
            span = Span(idx.position_of(begin), idx.position_of(end))
            value_span = self._indexer._inner_span(span) if kind == "string" else None
            found = self._one[index] = ArrayElement(index, span, value_span, kind, None, literal)
        return found

    def layout(self) -> ArrayInfo:
        """Make sure close_bracket, trailing_comma, element_indent and last_item_end are set."""
        if not self._raw_tried:
            self._raw_tried = True
            self._raw = self._indexer.scan_array_raw(self)
        if self._raw is None:
            _ = self.elements
        return self


@dataclass
class KeyInfo:
    path: Key
    key_span: Span
    value_span: Span
    #: The whole ``key = value`` statement (up to the end of the value).
    pair_span: Span
    value_kind: str
    array: ArrayInfo | None = None


@dataclass
class TableInfo:
    path: Key
    #: ``[name]`` including brackets; None for the root table and tables only implied by dotted keys.
    header_span: Span | None
    #: End of the table's last statement (or of its header when it is empty).
    content_end: Position
    is_array: bool = False


@dataclass
class TomlDocument:
    path: str
    text: str
    data: dict[str, Any]
    errors: list[TomlError]
    keys: dict[Key, KeyInfo] = field(default_factory=dict)
    tables: dict[Key, TableInfo] = field(default_factory=dict)
    index: LineIndex = field(default_factory=lambda: LineIndex(""))

    @property
    def valid(self) -> bool:
        return not self.errors

    def get(self, *path: str | int) -> Any:
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return None
                node = node[part]
            else:
                if not isinstance(node, dict) or part not in node:
                    return None
                node = node[part]
        return node

    def key(self, *path: str | int) -> KeyInfo | None:
        return self.keys.get(tuple(path))

    def table(self, *path: str | int) -> TableInfo | None:
        return self.tables.get(tuple(path))

    def span_of(self, *path: str | int) -> Span | None:
        """The best range for a path: its key, else its table header, else None."""
        info = self.keys.get(tuple(path))
        if info is not None:
            return info.key_span
        table = self.tables.get(tuple(path))
        if table is not None and table.header_span is not None:
            return table.header_span
        return None


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


_KEY_TYPES = frozenset({"bare_key", "quoted_key", "dotted_key"})


def _pair_value(node: Node) -> Node | None:
    """The value of ``key = value  # comment``: the first named node after the ``=``."""
    seen_equals = False
    for child in node.children:
        if child.type == "=":
            seen_equals = True
        elif seen_equals and child.type != "comment":
            return child
    return None


def key_parts(node: Node) -> list[str] | None:
    if node.type == "bare_key":
        return [_text(node)]
    if node.type == "quoted_key":
        value = _decode_string(_text(node))
        return None if value is None else [value]
    if node.type == "dotted_key":
        out: list[str] = []
        for child in node.children:
            if child.type in _KEY_TYPES:
                parts = key_parts(child)
                if parts is None:
                    return None
                out += parts
        return out
    return None


def _text(node: Node) -> str:
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def _decode_string(literal: str) -> str | None:
    """The value of a TOML string literal; the fast path avoids tomli for plain strings."""
    if (
        len(literal) >= 2
        and literal[0] == literal[-1]
        and literal[0] in "\"'"
        and not literal.startswith(('"""', "'''"))
        and (literal[0] == "'" or "\\" not in literal)
    ):
        return literal[1:-1]
    try:
        value = tomli.loads(f"v = {literal}")["v"]
    except tomli.TOMLDecodeError:
        return None
    return value if isinstance(value, str) else None


def _parser() -> Parser:
    return Parser(_LANGUAGE)


def parse_toml(text: str, path: str = "pyproject.toml") -> TomlDocument:
    """Parse ``text``; never raises. Syntax errors land in ``errors`` with their positions."""
    index = LineIndex(text)
    doc = TomlDocument(path=path, text=text, data={}, errors=[], index=index)
    parser = _parser()
    try:
        doc.data = tomli.loads(text)
    except tomli.TOMLDecodeError:
        from buildwise.parse.toml_recovery import parse_broken

        parse_broken(doc, parser)
        return doc
    _Indexer(doc, 0, {}).run(parser.parse(text.encode("utf-8")).root_node)
    return doc


def slice_text(index: LineIndex, span: Span) -> str:
    """The text a span covers."""
    lines = index.lines[span.start.line : span.end.line + 1]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.start.column : span.end.column]
    lines = [lines[0][span.start.column :], *lines[1:-1], lines[-1][: span.end.column]]
    return "\n".join(lines)
