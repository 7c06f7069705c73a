"""The engine's vocabulary: positions, edits, fixes and findings. Plain frozen dataclasses, no LSP types.

Positions are 0-based (line, column), columns counted in Unicode code points; the language server
converts them to the client's position encoding, the CLI prints them 1-based.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= Severity.WARNING`` means "at least a warning"."""

    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            aliases = {"information": cls.INFO, "warn": cls.WARNING, "err": cls.ERROR}
            if text.strip().lower() in aliases:
                return aliases[text.strip().lower()]
            raise ValueError(f"unknown severity {text!r} (error, warning, info, hint)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Position(NamedTuple):
    """0-based line and code-point column. A tuple: cheap to make (parsers make thousands) and
    ordered the natural way."""

    line: int
    column: int


class Span(NamedTuple):
    """A range in a text document: start inclusive, end exclusive."""

    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, col: int, end_line: int, end_col: int) -> Span:
        return cls(Position(line, col), Position(end_line, end_col))

    @classmethod
    def point(cls, line: int, col: int) -> Span:
        return cls(Position(line, col), Position(line, col))

    @classmethod
    def lines(cls, first: int, last: int | None = None) -> Span:
        """A span covering whole lines [first, last] (the end is the start of the next line)."""
        return cls(Position(first, 0), Position((last if last is not None else first) + 1, 0))


@dataclass(frozen=True)
class Edit:
    """Replace ``span`` of ``path`` with ``new_text``. Insertions have an empty span."""

    path: str
    span: Span
    new_text: str


@dataclass(frozen=True)
class Fix:
    """A quick-fix: one or more edits that resolve a finding.

    ``safe`` fixes keep the project's meaning (adding a missing build requirement); unsafe ones may
    change what gets installed (switching to a binary package) and need ``--unsafe-fixes`` in the CLI.
    """

    title: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "safe": self.safe,
            "edits": [
                {
                    "file": e.path,
                    "line": e.span.start.line + 1,
                    "column": e.span.start.column + 1,
                    "end_line": e.span.end.line + 1,
                    "end_column": e.span.end.column + 1,
                    "new_text": e.new_text,
                }
                for e in self.edits
            ],
        }


@dataclass(frozen=True)
class Note:
    """Detail under a finding's one-line message (rustc's and ruff's ``help:`` / ``note:`` lines).

    ``packages``: OS packages to install, per ecosystem (debian, fedora, alpine, ...); writers turn
    them into one install command for the distro the user is on (``--distro all``: every one).
    """

    kind: str  # "help" | "note"
    text: str
    packages: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def packages_for(self, ecosystem: str) -> tuple[str, ...]:
        return dict(self.packages).get(ecosystem, ())

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.packages:
            data["packages"] = {eco: list(names) for eco, names in self.packages}
        return data


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span
    fixes: tuple[Fix, ...] = ()
    #: Facts a client may show (the package name, targets...); also carried to the editor.
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: help / note lines under the message
    notes: tuple[Note, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.start.line, self.span.start.column, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape: 1-based lines and columns."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.path,
            "line": self.span.start.line + 1,
            "column": self.span.start.column + 1,
            "end_line": self.span.end.line + 1,
            "end_column": self.span.end.column + 1,
            "fixes": [f.to_json() for f in self.fixes],
            **({"notes": [n.to_json() for n in self.notes]} if self.notes else {}),
        }
