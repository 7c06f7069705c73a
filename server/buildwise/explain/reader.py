"""Bytes in, text lines out, one at a time: files, pipes, and the logs Windows shells write.

- UTF-8 (with or without BOM) is the normal case; a line that is not UTF-8 is decoded as cp1252
  (what Windows consoles write) and the reader remembers that it happened.
- UTF-16 with a BOM (PowerShell 5's ``pip install x > log.txt``) is decoded as UTF-16.
- NUL bytes in the first block of a file that is not UTF-16 mean it is not a text log:
  :class:`NotALog` is raised before anything is explained.
- A "line" longer than :data:`MAX_RAW_LINE` bytes is cut into pieces, so a log without newlines
  cannot make the reader hold it whole.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

MAX_RAW_LINE = 64 * 1024
_PROBE = 8192


class NotALog(Exception):
    """The input is not a text log (binary data, or empty)."""


class LineReader:
    """Iterate over the decoded lines of a binary stream."""

    def __init__(self, stream: BinaryIO, name: str = "<stdin>") -> None:
        self.stream = stream
        self.name = name
        self.not_utf8 = False

    def __iter__(self) -> Iterator[str]:
        head = self.stream.read(_PROBE)
        if not head:
            raise NotALog(f"{self.name} is empty: there is nothing to explain")
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            yield from self._utf16(head)
            return
        if b"\x00" in head:
            raise NotALog(f"{self.name} is not a text log (it contains binary data)")
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        yield from self._utf8(head)

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.not_utf8 = True
            return raw.decode("cp1252", errors="replace")

    def _utf8(self, head: bytes) -> Iterator[str]:
        *complete, tail = head.split(b"\n")
        for raw in complete:
            yield self._decode(raw + b"\n")
        readline = self.stream.readline
        while True:
            raw = readline(MAX_RAW_LINE)  # C-level scan for the newline; never more than the limit
            if not raw:
                break
            if tail:
                raw, tail = tail + raw, b""
            yield self._decode(raw)
        if tail:
            yield self._decode(tail)

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
