"""The TOML document model: keys, tables and arrays with their positions (filled in by
:mod:`buildwise.parse.toml_index`; :func:`buildwise.parse.toml.parse_toml` builds one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import tomli
from tree_sitter import Node

from buildwise.model import Position, Span
from buildwise.parse.text import LineIndex

Key = tuple[str | int, ...]


class ArrayPlacer(Protocol):
    """What an array needs from the tree walker to place its elements on first use."""

    index: LineIndex

    def span(self, node: Node) -> Span: ...

    def _inner_span(self, span: Span) -> Span: ...

    def array_elements(self, node: Node, info: ArrayInfo) -> list[ArrayElement]: ...

    def scan_array_raw(self, info: ArrayInfo) -> list[tuple[int, int, str, str | None]] | None: ...


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

    def __init__(self, node: Node, indexer: ArrayPlacer) -> None:
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


def slice_text(index: LineIndex, span: Span) -> str:
    """The text a span covers."""
    lines = index.lines[span.start.line : span.end.line + 1]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.start.column : span.end.column]
    lines = [lines[0][span.start.column :], *lines[1:-1], lines[-1][: span.end.column]]
    return "\n".join(lines)
