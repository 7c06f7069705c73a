"""JSON with the place of every key and value (for Pipfile.lock). ``json`` decides validity and
values; this scanner only records where object keys and their values sit."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from buildwise.model import Span
from buildwise.parse.text import LineIndex

JsonPath = tuple[str | int, ...]

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_WS = re.compile(r"\s*")
_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null|-?[0-9]")


@dataclass
class JsonDocument:
    data: Any
    #: (path) -> (key span with quotes, value span)
    places: dict[JsonPath, tuple[Span, Span]] = field(default_factory=dict)
    error: tuple[Span, str] | None = None
    index: LineIndex = field(default_factory=lambda: LineIndex(""))

    def key_span(self, *path: str | int) -> Span | None:
        found = self.places.get(tuple(path))
        return found[0] if found is not None else None

    def value_span(self, *path: str | int) -> Span | None:
        found = self.places.get(tuple(path))
        return found[1] if found is not None else None


class _Scanner:
    def __init__(self, text: str, doc: JsonDocument) -> None:
        self.text = text
        self.doc = doc
        self.pos = 0

    def ws(self) -> None:
        m = _WS.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos

    def span(self, start: int, end: int) -> Span:
        return Span(self.doc.index.position_of(start), self.doc.index.position_of(end))

    def value(self, path: JsonPath) -> tuple[int, int]:
        self.ws()
        start = self.pos
        char = self.text[start : start + 1]
        if char == "{":
            self.pos += 1
            self.ws()
            if self.text[self.pos : self.pos + 1] == "}":
                self.pos += 1
                return start, self.pos
            while True:
                self.ws()
                m = _STRING.match(self.text, self.pos)
                if m is None:
                    raise ValueError("expected a key")
                key = json.loads(m.group())
                key_span = self.span(m.start(), m.end())
                self.pos = m.end()
                self.ws()
                self.pos += 1  # ':'
                child: JsonPath = (*path, key)
                v_start, v_end = self.value(child)
                self.doc.places[child] = (key_span, self.span(v_start, v_end))
                self.ws()
                char = self.text[self.pos : self.pos + 1]
                self.pos += 1
                if char == "}":
                    return start, self.pos
        if char == "[":
            self.pos += 1
            self.ws()
            if self.text[self.pos : self.pos + 1] == "]":
                self.pos += 1
                return start, self.pos
            i = 0
            while True:
                self.value((*path, i))
                i += 1
                self.ws()
                char = self.text[self.pos : self.pos + 1]
                self.pos += 1
                if char == "]":
                    return start, self.pos
        m = _STRING.match(self.text, start) if char == '"' else _SCALAR.match(self.text, start)
        if m is None:
            raise ValueError("unexpected character")
        self.pos = m.end()
        return start, self.pos


def parse_json(text: str) -> JsonDocument:
    """Never raises: invalid JSON gives ``error`` with the place json reports."""
    index = LineIndex(text)
    doc = JsonDocument(None, index=index)
    try:
        doc.data = json.loads(text)
    except json.JSONDecodeError as exc:
        line, col = exc.lineno - 1, exc.colno - 1
        doc.error = (Span.of(line, col, line, col + 1), f"not valid JSON: {exc.msg}")
        return doc
    except RecursionError:
        doc.error = (Span.point(0, 0), "not valid JSON: nested too deeply")
        return doc
    # Places are a convenience: the values stand without them.
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        _Scanner(text, doc).value(())
    return doc
