"""Wheels exist for the Python but not for a target platform (musllinux, Windows arm64, ...).

## What it does
Reports a dependency when the knowledge base records that the releases its specifier admits publish
no wheel for one of the project's target platforms (`[tool.kb-lint] platforms`, `--platform`, the
editor setting; default linux-x86_64, linux-aarch64, macos-arm64, windows-amd64), although they
have wheels for the target Python. The message says what the source build needs on that platform.

## Why is this bad?
The install works on the developer's laptop and fails in the Alpine container or on the Windows ARM
machine, where pip falls back to the sdist.

## Example
```toml
dependencies = ["psycopg2>=2.9"]   # psycopg2 publishes Windows wheels only
```

## Fix safety
Unsafe: switch to a binary alternative (psycopg2 -> psycopg2-binary), or raise the floor to the
first release with wheels for the platform when the knowledge base knows it.

## References
- [Platform compatibility tags](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.coverage import Status
from buildwise.analysis.lockreport import lock_findings
from buildwise.analysis.weight import weighed
from buildwise.analysis.wheelcheck import (
    alternative_fixes,
    build_notes,
    builds_from_source,
    ecosystem_for,
    floor_fix,
    platforms_of,
    pythons_of,
    unlocked_coverage,
)
from buildwise.model import Finding, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB203"
NAME = "no-wheel-for-platform"
SEVERITY = Severity.WARNING
APPLIES_TO = ("pyproject", "requirements", "lock", "manifest")
FIX = "unsafe"


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from lock_findings(ctx, CODE)
    if ctx.kind == "lock":
        return
    for cov in unlocked_coverage(ctx):
        if not builds_from_source(cov):  # wheel-only (KB206) or nothing to compile
            continue
        # Pythons KB201/KB202 already report have a worse problem than the platform.
        worse = {v.python for v in cov.with_status(Status.PREDATES, Status.NO_PYTHON)}
        failing = [v for v in cov.with_status(Status.NO_PLATFORM) if v.python not in worse]
        if not failing:
            continue
        platforms = platforms_of(failing)
        dep = cov.dep
        eco = ecosystem_for(ctx, platforms)
        wheels = cov.pkg.wheels if cov.pkg is not None else None
        never = [p for p in platforms if wheels is not None and wheels.platforms.get(p) is False]
        what = (
            "publishes no wheels for"
            if len(never) == len(platforms)
            else "has no wheel in the admitted versions for"
        )
        all_pythons = set(ctx.project.targets.pythons)
        failing_pythons = pythons_of(failing)
        where = ", ".join(platforms)
        if set(failing_pythons) != all_pythons:
            where += f" with CPython {', '.join(failing_pythons)}"
        message = (
            f"{dep.parsed.name} {what} {where}: pip builds it from source there"
        )
        fixes = []
        floors = [v.first for v in failing if v.first is not None]
        if floors and not never:
            fix = floor_fix(cov, max(floors), f"first release with wheels for {platforms[0]}")
            if fix is not None:
                fixes.append(fix)
        fixes += alternative_fixes(cov)
        severity, why = weighed(ctx, dep, cov.pkg)
        yield ctx.report(
            dep.name_span,
            message + why,
            severity=severity,
            fixes=fixes,
            data={"package": dep.key, "platforms": platforms},
            notes=build_notes(ctx.kb, cov.pkg, eco),
        )
