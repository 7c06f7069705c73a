"""The terminal report of ``kb-lint check``, as people know it from ruff and rustc.

One short line per finding, ``path:line:col: CODE [*] message``, with its detail on indented
``help:`` / ``note:`` lines (install commands for one distro; ``--distro all`` for every one);
``--output-format concise`` keeps only the first lines. Colour on a terminal, honouring
``NO_COLOR`` and ``FORCE_COLOR``. A closing summary groups the findings by cause, with one
install command for every source build; ``--statistics`` prints a count per rule instead.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

from buildwise.analysis.sysdeps import INSTALL_COMMANDS, install_command, note_lines
from buildwise.model import Finding, Note, Severity
from buildwise.output.plain import relpath

_SGR = {"bold": "1", "red": "31", "yellow": "33", "blue": "34", "cyan": "36", "dim": "2", "green": "32"}
_SEVERITY_COLOUR = {
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
    Severity.HINT: "dim",
}
#: Causes for the closing summary, by rule-code prefix.
_CAUSES = (
    ("KB0", "invalid input"),
    ("KB1", "build configuration"),
    ("KB2", "source builds"),
    ("KB3", "source builds"),
)


def use_colour(stream: Any, env: dict[str, str] | None = None) -> bool:
    """NO_COLOR (any value) turns colour off, FORCE_COLOR (not 0/false) on; else a terminal gets it."""
    env = dict(os.environ) if env is None else env
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force is not None and force.lower() not in ("0", "false", ""):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class TextOptions:
    #: ecosystem whose install commands help lines show, or "all"
    distro: str = "debian"
    concise: bool = False
    colour: bool = False
    statistics: bool = False


class _Paint:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, *styles: str) -> str:
        if not self.on or not styles:
            return text
        codes = ";".join(_SGR[s] for s in styles)
        return f"\033[{codes}m{text}\033[0m"


def _fixable(f: Finding) -> bool:
    return any(fix.safe for fix in f.fixes)


def write(findings: list[Finding], checked: list[str], out: Any, options: TextOptions | None = None) -> None:
    opts = options or TextOptions()
    paint = _Paint(opts.colour)
    if opts.statistics:
        _statistics(findings, out, paint)
        return
    shown: set[tuple[str, int, Note]] = set()
    installs: dict[tuple[str, int], set[str]] = {}
    for f in findings:
        where = f"{relpath(f.path)}:{f.span.start.line + 1}:{f.span.start.column + 1}:"
        mark = " " + paint("[*]", "green") if _fixable(f) else ""
        code = paint(f.code, "bold", _SEVERITY_COLOUR[f.severity])
        out.write(f"{paint(where, 'bold')} {code}{mark} {f.message}\n")
        if opts.concise:
            continue
        for note in f.notes:
            key = (f.path, f.span.start.line, note)
            packages = set(note.packages_for(opts.distro))
            done = installs.setdefault(key[:2], set())
            if key in shown or (packages and packages <= done):
                continue  # the same detail on the same line (a wheel rule and KB301): once
            shown.add(key)
            done |= packages
            label = paint(f"{note.kind}:", "bold", "cyan" if note.kind == "help" else "dim")
            for line in note_lines(note, opts.distro):
                out.write(f"  {label} {line}\n")
    _summary(findings, checked, out, paint, opts)


def _summary(findings: list[Finding], checked: list[str], out: Any, paint: _Paint, opts: TextOptions) -> None:
    if not findings:
        plural = "s" if len(checked) != 1 else ""
        out.write(paint(f"All checks passed! ({len(checked)} file{plural} checked)", "green") + "\n")
        return
    counts = Counter(f.severity for f in findings)
    parts = [
        f"{n} {s.label}{'s' if n != 1 and s != Severity.INFO else ''}"
        for s, n in sorted(counts.items(), reverse=True)
    ]
    fixable = sum(1 for f in findings if _fixable(f))
    tail = f" ({fixable} fixable with --fix)" if fixable else ""
    plural = "s" if len(findings) != 1 else ""
    if not opts.concise:
        for line in cause_lines(findings, opts.distro):
            out.write(line + "\n")
    out.write(paint(f"Found {len(findings)} problem{plural}: {', '.join(parts)}{tail}.", "bold") + "\n")


def cause_lines(findings: list[Finding], distro: str) -> list[str]:
    """The closing summary: findings grouped by cause; source builds with one install command."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        cause = next((c for prefix, c in _CAUSES if f.code.startswith(prefix)), "other")
        groups.setdefault(cause, []).append(f)
    lines: list[str] = []
    for cause, members in groups.items():
        codes = ", ".join(sorted({m.code for m in members}))
        if cause != "source builds":
            lines.append(f"{len(members)} {cause} problem{'s' if len(members) != 1 else ''} ({codes})")
            continue
        names = list(dict.fromkeys(str(m.data["package"]) for m in members if m.data.get("package")))
        noun = "dependencies build" if len(names) != 1 else "dependency builds"
        lines.append(f"{len(names)} {noun} from source: {', '.join(names)}")
        ecosystems = [distro] if distro != "all" else [e for e in INSTALL_COMMANDS if e != "ubuntu"]
        for eco in ecosystems:
            packages = [p for m in members for n in m.notes for p in n.packages_for(eco)]
            command = install_command(eco, packages)
            if command:
                lines.append(f"  -> {command}" if distro != "all" else f"  -> {eco}: {command}")
    return ["", *lines, ""] if lines else []


def _statistics(findings: list[Finding], out: Any, paint: _Paint) -> None:
    """ruff's --statistics: count, code, name and [*] when some of them are fixable, most first."""
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    fixable = {f.code for f in findings if _fixable(f)}
    width = len(str(max(counts.values()))) if counts else 1
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = " [*]" if code in fixable else ""
        out.write(f"{n:>{width}}\t{paint(code, 'bold')}\t{names[code]}{mark}\n")
    total = sum(counts.values())
    out.write(f"Found {total} problem{'s' if total != 1 else ''}.\n")


def write_text(findings: list[Finding], checked: list[str], out: Any) -> None:
    """The text report with default options (files, and callers that pass none)."""
    write(findings, checked, out, TextOptions())


class Progress:
    """``kb-lint: 120/560 files`` on stderr, rewritten in place, for runs that last (a terminal only)."""

    def __init__(self, stream: Any, delay: float = 0.5) -> None:
        import time

        self.stream = stream
        self.clock = time.monotonic
        self.start = self.clock()
        self.delay = delay
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.start < self.delay or now - self.last < 0.1:
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\r\033[Kkb-lint: checked {done}/{total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
