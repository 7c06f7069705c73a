"""Bytes in, text lines out, one at a time: files, pipes, and the logs Windows shells write.

- UTF-8 (with or without BOM) is the normal case; a line that is not UTF-8 is decoded as cp1252
  (what Windows consoles write) and the reader remembers that it happened.
- UTF-16 with a BOM (PowerShell 5's ``pip install x > log.txt``) is decoded as UTF-16.
- NUL bytes in the first block of a file that is not UTF-16 mean it is not a text log:
  :class:`NotALog` is raised before anything is explained.
- A "line" longer than :data:`MAX_RAW_LINE` bytes is cut into pieces, so a log without newlines
  cannot make the reader hold it whole.
- Lines come without their ``\n`` (a ``\r`` before it stays: the scanner reads progress bars).
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterator
from typing import BinaryIO

MAX_RAW_LINE = 64 * 1024
_PROBE = 8192
#: Bytes read at a time (whole lines are decoded together); memory stays a few blocks' worth.
_BLOCK = 256 * 1024


class NotALog(Exception):
    """The input is not a text log (binary data, or empty)."""


class LineReader:
    """Iterate over the decoded lines of a binary stream."""

    def __init__(self, stream: BinaryIO, name: str = "<stdin>") -> None:
        self.stream = stream
        self.name = name
        self.not_utf8 = False

    def __iter__(self) -> Iterator[str]:
        """The lines; :class:`NotALog` is raised here, before the first line."""
        head = self.stream.read(_PROBE)
        if not head:
            raise NotALog(f"{self.name} is empty: there is nothing to explain")
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return self._utf16(head)
        if b"\x00" in head:
            raise NotALog(f"{self.name} is not a text log (it contains binary data)")
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        # Lines are handed out by C code, a block's list at a time (no generator step per line).
        return itertools.chain.from_iterable(self._utf8(head))

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.not_utf8 = True
            return raw.decode("cp1252", errors="replace")

    def _utf8(self, head: bytes) -> Iterator[list[str]]:
        """Blocks of complete lines, each decoded and split with one C call (a big log is mostly
        short lines: per-line reads and decodes were most of what reading it cost)."""
        read = self.stream.read
        pending = head
        while True:
            chunk = read(_BLOCK)
            data = pending + chunk if pending else chunk
            if not chunk:
                break
            cut = data.rfind(b"\n") + 1
            if cut == 0:  # no newline yet: a long line; cut it into pieces rather than hold it
                whole = len(data) - len(data) % MAX_RAW_LINE
                yield [
                    self._decode(data[start : start + MAX_RAW_LINE])
                    for start in range(0, whole, MAX_RAW_LINE)
                ]
                pending = data[whole:]
                continue
            pending = data[cut:]
            yield self._block(data[:cut])
        if data:
            yield self._block(data)

    def _block(self, block: bytes) -> list[str]:
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:  # decode line by line: only the lines that are not UTF-8 fall back
            parts = block.split(b"\n")
            if not parts[-1]:
                parts.pop()
            return [piece for raw in parts for piece in self._pieces(raw)]
        lines = text.split("\n")
        if not lines[-1]:
            lines.pop()  # the block ends with a newline
        if max(map(len, lines), default=0) <= MAX_RAW_LINE // 4:  # (a character is <= 4 bytes)
            return lines
        out: list[str] = []
        for line in lines:
            if len(line) > MAX_RAW_LINE // 4 and len(line.encode("utf-8")) > MAX_RAW_LINE:
                out += self._pieces(line.encode("utf-8"))
            else:
                out.append(line)
        return out

    def _pieces(self, raw: bytes) -> list[str]:
        if not raw:
            return [""]
        return [self._decode(raw[start : start + MAX_RAW_LINE]) for start in range(0, len(raw), MAX_RAW_LINE)]

    def _utf16(self, head: bytes) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        pending = decoder.decode(head)
        while True:
            *complete, pending = pending.split("\n")
            for line in complete:
                yield line + "\n"
            if len(pending) >= MAX_RAW_LINE:
                yield pending
                pending = ""
            chunk = self.stream.read(MAX_RAW_LINE)
            if not chunk:
                break
            pending += decoder.decode(chunk)
        pending += decoder.decode(b"", final=True)
        if pending:
            yield pending


__all__ = ["LineReader", "NotALog"]
