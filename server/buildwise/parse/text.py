"""Text helpers shared by the parsers: decoding files safely and converting positions."""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass

from buildwise.model import Position, Span

#: Files larger than this are not parsed: a finding says so instead (a 50 MB "requirements" file is
#: almost certainly not one, and parsing it would stall the editor).
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class DecodedText:
    text: str
    #: (line, column, message) of the first undecodable byte, when the bytes were not UTF-8.
    decode_error: tuple[int, int, str] | None = None


BOM = b"\xef\xbb\xbf"


def _one_per_byte(exc: UnicodeError) -> tuple[str, int]:
    """Each undecodable byte becomes exactly one U+FFFD (Python's "replace" may fold several
    into one), so positions in the decoded text match a ``surrogateescape`` decoding one to one
    and ``--fix`` can write a latin-1 file back with every untouched byte as it was."""
    assert isinstance(exc, UnicodeDecodeError)
    return "\ufffd", exc.start + 1


codecs.register_error("buildwise-replace", _one_per_byte)


def decode(data: bytes) -> DecodedText:
    """UTF-8 (with or without BOM); each invalid byte becomes U+FFFD and the first one is reported."""
    if data.startswith(BOM):
        data = data[3:]
    try:
        return DecodedText(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="buildwise-replace")
        line = good.count("\n")
        column = len(good) - (good.rfind("\n") + 1)
        bad = data[exc.start : exc.start + 1].hex()
        message = f"not valid UTF-8: byte 0x{bad} cannot be decoded (save the file as UTF-8)"
        return DecodedText(data.decode("utf-8", errors="buildwise-replace"), (line, column, message))


class LineIndex:
    """Line starts of a text, for offset <-> position conversion and UTF-8 byte columns."""

    __slots__ = ("_lines", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            total = 0
            for text_line in self.lines[:-1]:
                total += len(text_line) + 1
                starts.append(total)
            self._starts = starts
        return self._starts

    def offset(self, line: int, column: int) -> int:
        """Code-point offset of a position in ``text``."""
        starts = self._line_starts()
        if line >= len(starts):
            return len(self.text)
        return starts[line] + column

    def position_of(self, offset: int) -> Position:
        """The position of a code-point offset in ``text``."""
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset) - 1
        return Position(line, offset - starts[line])

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def line(self, n: int) -> str:
        lines = self.lines
        return lines[n] if 0 <= n < len(lines) else ""

    def char_column(self, row: int, byte_column: int) -> int:
        """Tree-sitter counts columns in UTF-8 bytes; the engine counts code points."""
        line = self.line(row)
        if line.isascii():
            return byte_column
        return len(line.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))

    def position(self, row: int, byte_column: int) -> Position:
        return Position(row, self.char_column(row, byte_column))

    def end_of_line(self, row: int) -> Position:
        return Position(row, len(self.line(row).rstrip("\r")))

    def line_span(self, row: int) -> Span:
        """The text of one line, without its line break."""
        return Span(Position(row, 0), self.end_of_line(row))

    def last_position(self) -> Position:
        last = len(self.lines) - 1
        return Position(last, len(self.lines[last]))
