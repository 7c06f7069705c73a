"""INI files (setup.cfg, tox.ini) the way configparser reads them, with a place for every line.

Sections ``[name]``; ``key = value`` or ``key: value``; a value continues on the indented lines
below it; lines starting with ``#`` or ``;`` are comments, also inside a value (configparser drops
them). What configparser would refuse (a line outside any section, a line that is neither a key nor
a continuation, a repeated section or key) is a problem with its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from buildwise.model import Position, Span

_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]\s*(?:[#;].*)?$")
_KEY = re.compile(r"^(?P<key>[^=:\s][^=:]*?)\s*(?P<delim>[=:])\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class ValueLine:
    """One physical line of a value: its text (stripped) and where that text starts."""

    text: str
    line: int
    column: int

    @property
    def span(self) -> Span:
        return Span(Position(self.line, self.column), Position(self.line, self.column + len(self.text)))


@dataclass
class IniEntry:
    key: str
    key_span: Span
    #: The value's lines: the text after the delimiter (when not empty) and each continuation line.
    lines: list[ValueLine] = field(default_factory=list)

    @property
    def value(self) -> str:
        return "\n".join(v.text for v in self.lines)

    @property
    def span(self) -> Span:
        end = self.lines[-1].span.end if self.lines else self.key_span.end
        return Span(self.key_span.start, end)


@dataclass
class IniSection:
    name: str
    header_span: Span
    entries: dict[str, IniEntry] = field(default_factory=dict)


@dataclass
class IniDocument:
    sections: dict[str, IniSection] = field(default_factory=dict)
    #: (span, message) for what configparser would refuse.
    errors: list[tuple[Span, str]] = field(default_factory=list)

    def entry(self, section: str, key: str) -> IniEntry | None:
        found = self.sections.get(section)
        return found.entries.get(key) if found is not None else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def parse_ini(text: str) -> IniDocument:
    """Never raises."""
    doc = IniDocument()
    section: IniSection | None = None
    entry: IniEntry | None = None
    entry_indent = 0
    for n, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("#", ";")):
            continue  # comments, also between the lines of a value
        indent = _indent(line)
        if entry is not None and indent > entry_indent:
            entry.lines.append(ValueLine(stripped, n, indent))
            continue
        entry = None
        m = _SECTION.match(stripped)
        if m is not None and indent == 0:
            name = m["name"].strip()
            span = Span(Position(n, 0), Position(n, len(line.rstrip())))
            if name in doc.sections:
                doc.errors.append((span, f"section [{name}] appears twice (configparser refuses the file)"))
                section = doc.sections[name]
            else:
                section = doc.sections[name] = IniSection(name, span)
            continue
        m = _KEY.match(stripped)
        if m is None:
            doc.errors.append(
                (Span(Position(n, indent), Position(n, len(line.rstrip()))), "not a `key = value` line")
            )
            continue
        if section is None:
            doc.errors.append(
                (
                    Span(Position(n, indent), Position(n, len(line.rstrip()))),
                    "a setting before the first [section] header (configparser refuses the file)",
                )
            )
            continue
        key = m["key"].strip()
        key_span = Span(Position(n, indent), Position(n, indent + len(key)))
        if key in section.entries:
            doc.errors.append(
                (key_span, f"{key} is set twice in [{section.name}] (configparser refuses the file)")
            )
        entry = section.entries[key] = IniEntry(key, key_span)
        entry_indent = indent
        if m["value"]:
            entry.lines.append(ValueLine(m["value"], n, indent + m.start("value")))
    return doc


def drop_comment(line: ValueLine) -> ValueLine:
    """``pkg>=1  # why`` -> ``pkg>=1`` (setuptools and pip drop `` #`` comments in requirements)."""
    text = line.text.partition(" #")[0].rstrip()
    return ValueLine(text, line.line, line.column)
