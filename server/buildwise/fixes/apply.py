"""Apply fixes the way ``kb-lint check --fix`` does: a round of fixes, re-lint, repeat until no
fix is left.

Fixes are computed against the text they were found in, so two fixes for one file could collide
(both appending to the same array). A round applies one fix per file, or several that each
replace text inside a different line; re-linting after each round proves each fix took: a fixed
finding must not come back (one that does is not applied again, and is reported).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from buildwise.fixes.edits import apply_edits, in_line_ending, uses_crlf
from buildwise.model import Edit, Finding, Fix, Position
from buildwise.parse.text import BOM
from buildwise.project.files import FileReader

#: A safety stop only: ``--fix`` runs to a fixed point (no fix left to apply) long before this.
MAX_ROUNDS = 500


@dataclass
class FixResult:
    #: path -> (original text, fixed text)
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: path -> (the bytes read from disk, or None for a new file; the bytes to write): the file's
    #: own encoding, BOM and line endings, every byte no fix touched as it was.
    writes: dict[str, tuple[bytes | None, bytes]] = field(default_factory=dict)
    applied: list[tuple[str, str]] = field(default_factory=list)  # (code, title)
    remaining: list[Finding] = field(default_factory=list)
    #: Findings that still offer a fix kb-lint would apply, but applying it did not remove them.
    unfixed: list[Finding] = field(default_factory=list)
    #: findings before any fix; ``initial - len(remaining)`` problems were fixed
    initial: int = 0

    @property
    def fixed(self) -> int:
        return max(self.initial - len(self.remaining), 0)


class _File:
    """A file being fixed, as bytes: edits go to its text decoded with ``surrogateescape`` too,
    whose positions match the engine's text one to one (one U+FFFD per bad byte)."""

    def __init__(self, path: str, text: str) -> None:
        self.original: bytes | None = None
        self.bom = False
        self.raw: str | None = None
        with contextlib.suppress(OSError), open(path, "rb") as fh:
            self.original = fh.read()
        if self.original is not None:
            body = self.original
            if body.startswith(BOM):
                self.bom, body = True, body[3:]
            raw = body.decode("utf-8", "surrogateescape")
            self.raw = raw if len(raw) == len(text) else None  # an editor buffer: use its text
        self.crlf = uses_crlf(text)

    def apply(self, edits: list[Edit]) -> None:
        if self.raw is not None:
            self.raw = apply_edits(self.raw, edits)

    def output(self, text: str) -> bytes:
        body = self.raw.encode("utf-8", "surrogateescape") if self.raw is not None else text.encode("utf-8")
        return (BOM if self.bom else b"") + body


class Linter(Protocol):
    """What fixing needs from the engine's ``Workspace``: lint, read through overlays, forget."""

    reader: FileReader
    #: Whether identical findings are folded (``--fix`` wants every one of them).
    fold_repeats: bool

    def lint_paths(self, paths: list[Path]) -> tuple[list[Finding], list[str]]: ...

    def invalidate(self) -> None: ...


def _choose(f: Finding, unsafe: bool) -> Fix | None:
    for fix in f.fixes:
        if fix.safe or unsafe:
            return fix
    return None


def _in_line(fix: Fix) -> bool:
    """A replacement inside one line: such fixes of different lines never interact."""
    return all(e.span.start.line == e.span.end.line and "\n" not in e.new_text for e in fix.edits)


def _key(f: Finding, fix: Fix) -> tuple[str, str, str, Position, str]:
    return (f.path, f.code, f.message, f.span.start, fix.title)


def _pick(
    findings: list[Finding], unsafe: bool, tried: set[tuple[str, str, str, Position, str]]
) -> list[tuple[Finding, Fix]]:
    """The fixes one round applies: per file, either one fix, or any number of in-line fixes on
    different lines (a 2,000-line requirements file is fixed in one round, not 2,000)."""
    chosen: list[tuple[Finding, Fix]] = []
    lines: dict[str, set[int]] = {}
    whole: set[str] = set()  # files taken by a fix that is not in-line
    seen: set[int] = set()
    for f in findings:
        fix = _choose(f, unsafe)
        if fix is None or not fix.edits or id(fix) in seen or _key(f, fix) in tried:
            continue
        files = {e.path for e in fix.edits}
        if files & whole:
            continue
        if _in_line(fix):
            touched = {(e.path, e.span.start.line) for e in fix.edits}
            if any(line in lines.get(p, set()) for p, line in touched):
                continue
            for p, line in touched:
                lines.setdefault(p, set()).add(line)
        else:
            if any(p in lines for p in files):
                continue
            whole.update(files)
            for p in files:
                lines.setdefault(p, set())
        seen.add(id(fix))
        chosen.append((f, fix))
    return chosen


def compute_fixes(workspace: Linter, paths: list[Path], *, unsafe: bool = False) -> FixResult:
    """Fix in memory (editor-style overlays) until no fix is left to apply; nothing is written.

    Each round re-lints, so every fix is checked against the text it produced: a fix whose
    finding comes back is not applied twice, and is reported in ``unfixed``."""
    result = FixResult()
    originals: dict[str, str] = {}
    files: dict[str, _File] = {}
    folding, workspace.fold_repeats = workspace.fold_repeats, False
    try:
        _fix_rounds(workspace, paths, unsafe, result, originals, files)
    finally:
        workspace.fold_repeats = folding
    for path, original in originals.items():
        new = workspace.reader.read(path).text or ""
        if new != original:
            result.changed[path] = (original, new)
            result.writes[path] = (files[path].original, files[path].output(new))
    return result


def _fix_rounds(
    workspace: Linter,
    paths: list[Path],
    unsafe: bool,
    result: FixResult,
    originals: dict[str, str],
    files: dict[str, _File],
) -> None:
    tried: set[tuple[str, str, str, Position, str]] = set()
    findings: list[Finding] = []
    for round_number in range(MAX_ROUNDS):
        findings, _checked = workspace.lint_paths(paths)
        if round_number == 0:
            result.initial = len(findings)
        chosen = _pick(findings, unsafe, tried)
        if not chosen:
            break
        for finding, fix in chosen:
            tried.add(_key(finding, fix))
            for p in {e.path for e in fix.edits}:
                current = workspace.reader.read(p).text or ""
                if p not in originals:
                    originals[p] = current
                    files[p] = _File(p, current)
                disk = files[p]
                edits = [in_line_ending(e, disk.crlf) for e in fix.edits if e.path == p]
                workspace.reader.set_overlay(p, apply_edits(current, edits))
                disk.apply(edits)
            result.applied.append((finding.code, fix.title))
        workspace.invalidate()
    else:
        findings, _checked = workspace.lint_paths(paths)
    result.remaining = findings
    result.unfixed = [f for f in findings if _choose(f, unsafe) is not None]


class ChangedOnDisk(Exception):
    pass


def write_atomically(path: str, expected_original: bytes | str | None, new: bytes | str) -> None:
    """Replace ``path`` with ``new`` unless it changed since it was read (temp file + rename).
    Bytes are compared and written as they are; text is UTF-8. A symbolic link stays a link: its
    target is replaced (the reader opened the link only because its target is inside the project)."""
    path = os.path.realpath(path)
    if isinstance(expected_original, str):
        expected_original = expected_original.encode("utf-8")
    if isinstance(new, str):
        new = new.encode("utf-8")
    if not os.path.exists(path):
        if expected_original:
            raise ChangedOnDisk(f"{path} disappeared while kb-lint was fixing it")
    else:
        with open(path, "rb") as fh:
            if fh.read() != (expected_original or b""):
                raise ChangedOnDisk(f"{path} changed on disk while kb-lint was fixing it; not overwritten")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".kb-lint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
        if os.path.exists(path):
            with contextlib.suppress(OSError):
                os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
