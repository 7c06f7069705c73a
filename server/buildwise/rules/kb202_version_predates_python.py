"""A pinned or upper-bounded version is older than the package's support for a target Python.

## What it does
Reports a dependency whose specifier only admits releases older than the first release with wheels
for a target CPython, e.g. `numpy==1.24.4` when the project runs on Python 3.12 (numpy's first
release with 3.12 wheels is 1.26.0).

## Why is this bad?
There is no wheel, so pip builds the old release from source, and releases that predate a Python
version usually do not build on it at all (removed `distutils`, changed C API, Cython output that
no longer compiles). The result is an install error, hence severity error.

## Example
```text
# requirements.txt, project on Python 3.12
numpy==1.24.4
```

## Fix safety
Unsafe (the installed version changes): raise the floor to the first release with wheels for the
target (a pin stays a pin: `numpy==1.26.0`; other clauses that still hold are kept).

## References
- [NumPy 1.26.0 release notes (Python 3.12 support)](https://numpy.org/doc/stable/release/1.26.0-notes.html)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.coverage import Status
from buildwise.analysis.weight import dev_only
from buildwise.analysis.wheelcheck import (
    alternative_fixes,
    builds_from_source,
    coverage,
    floor_fix,
    pythons_of,
)
from buildwise.model import Finding, Note, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB202"
NAME = "version-predates-python"
SEVERITY = Severity.ERROR
APPLIES_TO = ("pyproject", "requirements", "manifest")
FIX = "unsafe"


def check(ctx: LintContext) -> Iterator[Finding]:
    for cov in coverage(ctx):
        if not builds_from_source(cov):  # wheel-only (KB206) or nothing to compile
            continue
        failing = cov.with_status(Status.PREDATES)
        if not failing:
            continue
        pythons = pythons_of(failing)
        firsts = {v.python: v.first for v in failing if v.first is not None}
        floor = max(firsts.values()) if firsts else None
        dep = cov.dep
        detail = ", ".join(f"{py} from {first}" for py, first in firsts.items())
        message = (
            f"{dep.parsed.name}{_spaced(dep.specifier_text)} predates {dep.parsed.name}'s support for "
            f"CPython {', '.join(pythons)}: pip will try to build it from source"
        )
        notes = [
            Note("note", f"first releases with wheels: {detail}"),
            Note("note", "releases older than a Python version usually fail to build on it"),
        ]
        fixes = []
        fix = floor_fix(cov, floor, f"first release with wheels for CPython {pythons[-1]}")
        if fix is not None:
            fixes.append(fix)
        fixes += alternative_fixes(cov)
        if cov.source == "index":
            message += " [per the package index]"
        dev = dev_only(ctx, dep)
        if dev:
            where = ctx.project.relpath(dep.path) if dep.group == "requirements" else dep.group
            message += f" (a development dependency: {where})"
        yield ctx.report(
            dep.specifier_span,
            message,
            severity=Severity.INFO if dev else None,
            fixes=fixes,
            data={"package": dep.key, "pythons": pythons, "first": str(floor) if floor else None},
            notes=notes,
        )


def _spaced(spec: str) -> str:
    """``numpy==1.21`` but ``numpy ^1.21`` and ``asyncpg 0.29.0`` (Poetry's constraints and bare
    versions read badly glued to the name)."""
    return spec if spec[:1] in ("<", ">", "=", "!") or spec.startswith("~=") or not spec else f" {spec}"
