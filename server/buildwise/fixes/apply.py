"""Apply fixes the way ``kb-lint check --fix`` does: one fix per file per round, re-lint, repeat.

Fixes are computed against the text they were found in, so two fixes for one file could collide
(both appending to the same array). Applying one per file per round and re-linting avoids that,
and proves each fix idempotent: a fixed finding must not come back.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from buildwise.fixes.edits import apply_edits
from buildwise.model import Finding, Fix
from buildwise.project.files import FileReader

MAX_ROUNDS = 25


@dataclass
class FixResult:
    #: path -> (original text, fixed text)
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    applied: list[tuple[str, str]] = field(default_factory=list)  # (code, title)
    remaining: list[Finding] = field(default_factory=list)


class Linter(Protocol):
    """What fixing needs from the engine's ``Workspace``: lint, read through overlays, forget."""

    reader: FileReader

    def lint_paths(self, paths: list[Path]) -> tuple[list[Finding], list[str]]: ...

    def invalidate(self) -> None: ...


def _choose(f: Finding, unsafe: bool) -> Fix | None:
    for fix in f.fixes:
        if fix.safe or unsafe:
            return fix
    return None


def compute_fixes(workspace: Linter, paths: list[Path], *, unsafe: bool = False) -> FixResult:
    """Fix in memory (editor-style overlays); nothing is written."""
    result = FixResult()
    originals: dict[str, str] = {}
    for _ in range(MAX_ROUNDS):
        findings, _checked = workspace.lint_paths(paths)
        round_fixes: dict[str, tuple[Finding, Fix]] = {}
        for f in findings:
            fix = _choose(f, unsafe)
            if fix is None or not fix.edits:
                continue
            files = {e.path for e in fix.edits}
            if any(p in round_fixes for p in files):
                continue
            for p in files:
                round_fixes[p] = (f, fix)
        if not round_fixes:
            result.remaining = findings
            break
        done: set[int] = set()
        for finding, fix in round_fixes.values():
            if id(fix) in done:
                continue
            done.add(id(fix))
            for p in {e.path for e in fix.edits}:
                current = workspace.reader.read(p).text or ""
                originals.setdefault(p, current)
                new = apply_edits(current, [e for e in fix.edits if e.path == p])
                workspace.reader.set_overlay(p, new)
            result.applied.append((finding.code, fix.title))
        workspace.invalidate()
    for path, original in originals.items():
        new = workspace.reader.read(path).text or ""
        if new != original:
            result.changed[path] = (original, new)
    return result


class ChangedOnDisk(Exception):
    pass


def write_atomically(path: str, expected_original: str, new_text: str) -> None:
    """Replace ``path`` with ``new_text`` unless it changed since it was read (temp file + rename)."""
    if not os.path.exists(path):
        if expected_original:
            raise ChangedOnDisk(f"{path} disappeared while kb-lint was fixing it")
    else:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            if fh.read() != expected_original:
                raise ChangedOnDisk(f"{path} changed on disk while kb-lint was fixing it; not overwritten")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".kb-lint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(new_text)
        if os.path.exists(path):
            with contextlib.suppress(OSError):
                os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
