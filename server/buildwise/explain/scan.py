"""Stream a log once, keeping a bounded set of candidate evidence lines.

Memory does not grow with the log: a candidate is kept only while it is among the
:data:`MAX_CANDIDATES` strongest (ties: earliest), the context keeps a capped table of packages,
and each kept line is cut to :data:`MAX_LINE` characters.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from buildwise.explain.classify import Classifier, Resolved
from buildwise.explain.context import LogContext
from buildwise.explain.patterns import TRIGGERS, Hit, literal_anchor, literal_set_regex, match_line, triggered
from buildwise.knowledge import KnowledgeBase
from buildwise.knowledge.model import Signature

MAX_CANDIDATES = 64
MAX_LINE = 2000
#: Bare "error:" lines kept for the unknown case (the first ones are the informative ones).
MAX_GENERIC = 8

#: pip's box drawing around subprocess output ("  ╰─> ", "  │ "): not part of the message.
_BOX = re.compile(r"^[\s│╰─>×├▶]*(?=\S)")
#: Lines that are never evidence: compiler and linker command lines, file copies, meson probes.
#: (``gcc: error: ...`` starts with "gcc:", not "gcc ", and still gets read.)
_NOISE = (
    "copying ", "creating ", "adding '", "gcc ", "cc ", "g++ ", "c++ ", "clang ", "clang++ ",
    "x86_64-linux-gnu-gcc ", "x86_64-linux-gnu-g++ ", "aarch64-linux-gnu-gcc ", "INFO: ", "building '",
    "running ", "writing ", "reading ", "Compiling ", "Cythonizing ", "[", "|", "changing mode",
    "byte-compiling", "removing ", "Run-time dependency", "Checking for", "Compiler for C",
    "Library ", "Program ", "Message: ", "Has header", "Fetching value", "Header ", "ninja: ",
    "hard linking", "Copying ", "Requirement already satisfied",
)  # fmt: skip
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
#: What tools and people put in front of a log line: CI timestamps (GitHub Actions
#: ``2024-05-01T10:00:00.1234567Z``), ``##[error]``, Docker BuildKit (``#12 3.456``, ``25.60``), Cloud
#: Build's ``Step #1:``, pipenv's ``[pipenv.exceptions.InstallError]:``, quote marks (``> ``, ``---> ``).
_DECORATION = re.compile(
    r"^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?|##\[\w+\] ?|#\d+ \d+(?:\.\d+)? ?"
    r"|\d{1,5}\.\d{1,4} (?=\s*\S)|Step #\d+(?: - \S+)?: ?"
    r"|\[(?:pipenv\.exceptions\.)?[A-Z]\w*(?:Error|Failure)\]: ?"
    r"|\s*-{1,3}> +|\s*> *(?=\S)|\s*>$)"
)
#: The first characters a decorated line can start with (a cheap test before the regex).
_DECORATION_START = frozenset("0123456789#[S>-")
#: pipenv (older releases) prints a failed pip run as a Python list: "['Collecting x', '  error: ...']".
_LIST_ITEM = re.compile(r"""(?:^\[?|', |", )['"]?(?P<item>.*?)(?=', |", |'\]?$|"\]?$|$)""")
#: The line gcc echoes under "fatal error": ``   15 | #include <lber.h>`` or ``  #include "x.h"``.
_INCLUDE_ECHO = re.compile(r"^\s*(?:\d+\s*\|\s*)?#\s*include\s*[<\"](?P<name>[^>\"]+)[>\"]")


@dataclass(frozen=True)
class Candidate:
    """One line that may be the decisive error."""

    line: int  # 1-based line number in the log
    text: str
    hit: Hit
    resolved: Resolved
    #: The package whose build printed it (None: not known at that point of the log).
    package: str | None
    #: A knowledge-base signature matched this line, and the package whose entry it is in.
    signature: Signature | None = None
    signature_package: str | None = None

    def for_package(self, package: str | None) -> Candidate:
        """This candidate as seen from ``package``'s build: another project's signature does not apply."""
        if self.signature is None or self.signature_package == package:
            return self
        return replace(self, signature=None, signature_package=None)

    @property
    def cause(self) -> str:
        return self.signature.cause if self.signature is not None else self.resolved.cause

    @property
    def strength(self) -> int:
        # A package's own signature is the most specific knowledge we have for its line.
        return self.resolved.strength + (3 if self.signature is not None else 0)


@dataclass
class ScanResult:
    context: LogContext
    candidates: list[Candidate] = field(default_factory=list)
    lines: int = 0
    #: The log had bytes that are not UTF-8 (decoded as cp1252 with replacements).
    not_utf8: bool = False


class _Signatures:
    """Every package signature in the knowledge base, matched with one combined prefilter."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.entries: list[tuple[str, Signature, re.Pattern[str] | None]] = []
        anchors: list[str] = []
        for key in kb.package_keys():
            pkg = kb.package(key)
            if pkg is None:
                continue
            for sig in pkg.signatures:
                try:
                    regex = re.compile(sig.regex) if sig.regex else None
                except re.error:
                    continue
                anchor = sig.text or (literal_anchor(sig.regex) if sig.regex else "")
                if anchor is None:
                    continue
                anchors.append(anchor)
                self.entries.append((key, sig, regex))
        #: Literal substrings one of which every signature's line contains ("" would match all lines).
        self.anchors = tuple(dict.fromkeys(a for a in anchors if a))
        self.match_all = "" in anchors

    def match(self, line: str, package: str | None) -> tuple[str, Signature] | None:
        if not self.match_all and not any(map(line.__contains__, self.anchors)):
            return None
        found: tuple[str, Signature] | None = None
        for key, sig, regex in self.entries:
            ok = (sig.text in line) if sig.text else (regex is not None and regex.search(line) is not None)
            if ok:
                if key == package:
                    return key, sig
                found = found or (key, sig)
        return found


class LogScanner:
    """Feed lines with :meth:`feed`; :meth:`result` gives the context and the kept candidates."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.classifier = Classifier(kb)
        self.signatures = _Signatures(kb)
        #: Lines without any trigger word or signature text are skipped after one regex search.
        self._gate = literal_set_regex(
            [*TRIGGERS, *self.signatures.anchors, *([""] if self.signatures.match_all else [])]
        )
        self.context = LogContext()
        self._heap: list[tuple[int, int, Candidate]] = []  # (strength, -line, candidate): min-heap
        self._generic: list[Candidate] = []
        self._lineno = 0
        self.not_utf8 = False
        self._include: tuple[str, int, str] | None = None
        self._recent: tuple[Candidate, ...] = ()

    def feed(self, raw: str) -> None:
        self._lineno += 1
        line = raw.rstrip("\r\n")
        if "\x1b" in line:
            line = _ANSI.sub("", line)
        if "\r" in line:  # progress bars redraw with \r: keep what was drawn last
            line = line.rsplit("\r", 1)[-1]
        if len(line) > MAX_LINE:
            line = line[:MAX_LINE]
        if line[:1] in _DECORATION_START or (">" in line[:16] and line.lstrip()[:1] in "->"):
            for _ in range(3):  # "2024-...Z ##[error]text": one decoration after another
                undecorated = _DECORATION.sub("", line, count=1)
                if undecorated == line:
                    break
                line = undecorated
        if "', " in line and line.count("', ") >= 3 and ("', '  " in line or line.lstrip().startswith("['")):
            for m in _LIST_ITEM.finditer(line):
                if m["item"]:
                    self._feed_line(m["item"].replace("\\'", "'"))
            return
        self._feed_line(line)

    def _feed_line(self, line: str) -> None:
        stripped = line.lstrip()
        include = _INCLUDE_ECHO.match(line) if "include" in line else None
        if include:
            self._include = (include["name"], self._lineno, line)
        elif "compilation terminated" in line and self._include is not None:
            name, at, text = self._include
            self._include = None
            # The "fatal error: x.h: ..." line above it was not pasted (or was cut): the echo says which.
            if self._lineno - at <= 4 and not any(
                c.hit.kind == "header" and c.line >= at - 2 for c in self._recent
            ):
                self._add(text, Hit("header", name), None, at)
            return
        if stripped.startswith(_NOISE) or (": warning: " in line and "rror" not in line):
            self.context.feed_noise(line)  # the bulk of a big log: compiler commands, copying...
            return
        self.context.feed(line)
        if not self._gate.search(line):
            return
        sig = self.signatures.match(line, self.context.current)
        if sig is None and not triggered(line):
            return
        hit = match_line(line)
        if hit is None and sig is None:
            return
        if hit is None:
            hit = Hit("error", None, "unknown")  # only the signature knows this line
        self._add(line, hit, sig)

    def _add(self, line: str, hit: Hit, sig: tuple[str, Signature] | None, lineno: int | None = None) -> None:
        resolved = self.classifier.resolve(hit)
        if sig is not None and sig[1].identifier and not resolved.identifiers:
            resolved = Resolved(
                resolved.cause,
                resolved.strength,
                resolved.missing_kind,
                resolved.missing_name,
                (sig[1].identifier,),
            )
        cand = Candidate(
            lineno or self._lineno,
            _BOX.sub("", line).strip(),
            hit,
            resolved,
            self.context.current,
            sig[1] if sig else None,
            sig[0] if sig else None,
        )
        self._recent = (*self._recent[-3:], cand)
        if cand.cause == "unknown" and sig is None:
            if len(self._generic) < MAX_GENERIC:
                self._generic.append(cand)
            return
        item = (cand.strength, -cand.line, cand)
        if len(self._heap) < MAX_CANDIDATES:
            heapq.heappush(self._heap, item)
        elif item[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, item)

    def feed_all(self, lines: Iterable[str]) -> LogScanner:
        for line in lines:
            self.feed(line)
        return self

    def result(self) -> ScanResult:
        kept = [c for _, _, c in self._heap] + self._generic
        kept.sort(key=lambda c: c.line)
        return ScanResult(self.context, kept, self._lineno, self.not_utf8)


__all__ = ["Candidate", "LogScanner", "ScanResult"]
