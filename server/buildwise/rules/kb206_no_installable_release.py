"""A wheel-only dependency has no release that installs on a target: there is nothing to build.

## What it does
For dependencies the knowledge base records as publishing wheels only (no release has a source
distribution, e.g. torch, onnxruntime, tensorflow, jaxlib), checks every target CPython and platform
against the releases the specifier admits. Reports the dependency when none of them has a wheel for
a target, naming the targets and, when known, the first release that has one.

## Why is this bad?
pip cannot fall back to building from source, because there is no source distribution. On such a
target (a CPython newer than the project's wheels, musllinux, Windows on ARM ...) the install stops
with "Could not find a version that satisfies the requirement" / "No matching distribution found",
however many compilers the machine has. KB201 and KB203 stay silent for these packages: their
advice (install a compiler) would not help.

## Example
```toml
requires-python = ">=3.10"
dependencies = ["torch>=2.4"]   # no torch release publishes musllinux wheels
```

## Fix safety
Unsafe: raise the floor to the first release with wheels for the target when the knowledge base
knows it. Otherwise use a Python version the project publishes wheels for, or a package index that
carries wheels for the platform (some projects run their own, such as CPU-only builds).

## References
- [pip: finding and choosing files](https://pip.pypa.io/en/stable/topics/dependency-resolution/)
- [Platform compatibility tags](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.coverage import Status
from buildwise.analysis.wheelcheck import floor_fix, platforms_of, pythons_of, unlocked_coverage
from buildwise.model import Finding, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB206"
NAME = "no-installable-release"
SEVERITY = Severity.ERROR
APPLIES_TO = ("pyproject", "requirements")
FIX = "unsafe"


def check(ctx: LintContext) -> Iterator[Finding]:
    for cov in unlocked_coverage(ctx):
        if cov.pkg is None or not cov.pkg.wheel_only or cov.source != "knowledge":
            continue
        failing = cov.with_status(Status.PREDATES, Status.NO_PYTHON, Status.NO_PLATFORM)
        if not failing:
            continue
        dep = cov.dep
        all_pythons = list(ctx.project.targets.pythons)
        by_python = [v for v in failing if v.status != Status.NO_PLATFORM]
        by_platform = [v for v in failing if v.status == Status.NO_PLATFORM]
        where: list[str] = []
        if by_python:
            where.append(f"CPython {', '.join(pythons_of(by_python))}")
        if by_platform:
            platforms = platforms_of(by_platform)
            pys = pythons_of(by_platform)
            text = ", ".join(platforms)
            if set(pys) != set(all_pythons):
                text += f" (CPython {', '.join(pys)})"
            where.append(text)
        spec = dep.parsed.specifier_text
        message = (
            f"no release of {dep.parsed.name}{spec} installs on {'; '.join(where)}: it publishes "
            f"wheels only, so there is nothing to build and pip stops with 'No matching distribution "
            f"found for {dep.parsed.name}'. Use a target it has wheels for, or a package index that "
            "carries wheels for that platform"
        )
        if cov.pkg.is_unverified("wheels.sdist"):
            message += " [unverified: that it has no sdist is not cited in the knowledge base yet]"
        fixes = []
        firsts = [v.first for v in failing if v.status == Status.PREDATES and v.first is not None]
        if firsts:
            fix = floor_fix(cov, max(firsts), "first release with wheels for the target")
            if fix is not None:
                fixes.append(fix)
        yield ctx.report(
            dep.name_span,
            message,
            fixes=fixes,
            data={
                "package": dep.key,
                "pythons": pythons_of(by_python),
                "platforms": platforms_of(by_platform),
            },
        )
