"""Edits that keep a file's formatting: add to a TOML array in its own style, insert a table,
replace a range; and applying edits to text (for ``--fix`` and for tests)."""

from __future__ import annotations

from collections.abc import Iterable

from buildwise.model import Edit, Position, Span
from buildwise.parse.toml_write import needs_escaping, toml_string

__all__ = [
    "add_to_array",
    "apply_edits",
    "insert_lines",
    "needs_escaping",
    "remove_array_element",
    "toml_string",
]
from buildwise.parse.toml_document import ArrayInfo, TomlDocument


def insert_lines(doc: TomlDocument, line: int, text: str) -> Edit:
    """Insert whole lines (``text`` ends with a newline) before ``line``; past the last line, at the
    end of the file, after a line break when the file does not end with one."""
    if line < len(doc.index.lines):
        at = Position(line, 0)
        return Edit(doc.path, Span(at, at), text)
    end = doc.index.last_position()
    prefix = "\n" if doc.text and not doc.text.endswith("\n") else ""
    return Edit(doc.path, Span(end, end), prefix + text)


def _quote_style(doc: TomlDocument, array: ArrayInfo) -> str:
    for element in array.elements:
        if element.kind == "string":
            return doc.index.line(element.span.start.line)[element.span.start.column]
    return '"'


def _detect_indent(doc: TomlDocument) -> str:
    for line in doc.index.lines:
        stripped = line.lstrip(" \t")
        if stripped and stripped != line and stripped[0] in "\"'":
            return line[: len(line) - len(stripped)]
    return "    "


def add_to_array(doc: TomlDocument, array: ArrayInfo, value: str | list[str]) -> list[Edit]:
    """Append ``value`` (a string, or several) to ``array`` the way the file already writes arrays.

    ``requires = ["a"]`` -> ``requires = ["a", "b"]``; a one-per-line array gets new lines with the
    same indentation and a trailing comma when the others have one; comments stay where they are.
    """
    array.layout()
    values = [value] if isinstance(value, str) else list(value)
    quote = _quote_style(doc, array)
    literals = [toml_string(v, quote) for v in values]
    elements = array.elements
    path = doc.path
    if not elements:
        at = Position(array.open_bracket.line, array.open_bracket.column + 1)
        return [Edit(path, Span(at, at), ", ".join(literals))]
    last = elements[-1]
    close = array.close_bracket
    close_line = doc.index.line(close.line)
    close_alone = close.line > last.span.end.line and close_line[: close.column].strip() == ""
    if array.multiline and close_alone:
        indent = array.element_indent if array.element_indent is not None else _detect_indent(doc)
        edits = []
        if not array.trailing_comma:
            edits.append(Edit(path, Span(last.span.end, last.span.end), ","))
        at = Position(close.line, 0)
        edits.append(Edit(path, Span(at, at), "".join(f"{indent}{lit},\n" for lit in literals)))
        return edits
    if array.trailing_comma:
        return [Edit(path, Span(close, close), "".join(f" {lit}," for lit in literals))]
    return [Edit(path, Span(last.span.end, last.span.end), "".join(f", {lit}" for lit in literals))]


def insert_before_first_table(doc: TomlDocument, text: str) -> Edit:
    """Insert a table before the first ``[table]`` of the file (after a leading comment block),
    or at the end when the file has none. ``text`` ends with a newline."""
    headers = [t.header_span.start for t in doc.tables.values() if t.header_span is not None]
    if headers:
        first = min(headers)
        at = Position(first.line, 0)
        return Edit(doc.path, Span(at, at), text + "\n")
    end = doc.index.last_position()
    prefix = ""
    if doc.text and not doc.text.endswith("\n"):
        prefix = "\n"
    if doc.text.strip():
        prefix += "\n"
    return Edit(doc.path, Span(end, end), prefix + text)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits to ``text`` (positions in code points, 0-based)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos: Position) -> int:
        if pos.line >= len(lines):
            return len(text)
        return starts[pos.line] + min(pos.column, len(lines[pos.line]))

    ordered = sorted(edits, key=lambda e: (offset(e.span.start), offset(e.span.end)), reverse=True)
    previous_start = len(text) + 1
    for edit in ordered:
        a, b = offset(edit.span.start), offset(edit.span.end)
        if b > previous_start:
            raise ValueError("overlapping edits")
        text = text[:a] + edit.new_text + text[b:]
        previous_start = a
    return text


def remove_array_element(doc: TomlDocument, array: ArrayInfo, index: int) -> list[Edit]:
    """Remove one element with its comma; a line that held only that element goes entirely."""
    array.layout()
    elements = array.elements
    element = elements[index]
    line = doc.index.line(element.span.start.line)
    before = line[: element.span.start.column]
    after = line[element.span.end.column :].lstrip()
    if after.startswith(","):
        after = after[1:].lstrip()
    own_line = (
        element.span.start.line == element.span.end.line
        and before.strip() == ""
        and (after == "" or after.startswith("#"))
        and array.multiline
    )
    if own_line:
        start = Position(element.span.start.line, 0)
        end = Position(element.span.start.line + 1, 0)
        return [Edit(doc.path, Span(start, end), "")]
    if index + 1 < len(elements):  # "a", X, "b" -> "a", "b": drop X and the text up to the next one
        return [Edit(doc.path, Span(element.span.start, elements[index + 1].span.start), "")]
    if index > 0:  # last of several: drop from the previous element's end
        return [Edit(doc.path, Span(elements[index - 1].span.end, element.span.end), "")]
    return [Edit(doc.path, element.span, "")]


def uses_crlf(text: str) -> bool:
    """Whether a file's first line ends in CRLF: new lines a fix adds then end the same way."""
    i = text.find("\n")
    return i > 0 and text[i - 1] == "\r"


def in_line_ending(edit: Edit, crlf: bool) -> Edit:
    """``edit`` with its new lines in the file's own line ending."""
    if not crlf or "\n" not in edit.new_text:
        return edit
    text = edit.new_text.replace("\r\n", "\n").replace("\n", "\r\n")
    return Edit(edit.path, edit.span, text)
