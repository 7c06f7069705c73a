"""No version the specifier admits has a wheel for a target CPython, so pip builds from source there.

## What it does
For each dependency the knowledge base knows (in `project.dependencies`, optional dependencies,
dependency groups, `build-system.requires`, requirements files, Poetry/PDM/hatch tables, setup.cfg,
setup.py, Pipfile and Pipfile.lock, scripts, tox and conda files), checks every target CPython
(from `requires-python` or the file that declares the Python versions: Poetry's `python`,
`python_requires`, Pipfile `[requires]`; `[tool.kb-lint] python`, `--python` or the editor
setting) against the
releases the knowledge base records as publishing wheels for it. Reports the dependency when every
release its specifier admits lacks a wheel for a target: typically a lower bound above the last
release that still shipped wheels for an older Python. Environment markers are evaluated per target.
Dependencies pinned below the first release that supports a Python are KB202.

## Why is this bad?
With no wheel, pip downloads the sdist and compiles it: slow at best, and on a machine without the
compiler and headers it fails with `subprocess-exited-with-error`. The message names what the build
needs, from the knowledge base.

## Example
```toml
requires-python = ">=3.9"
dependencies = ["numpy>=2.1"]   # numpy 2.1 dropped Python 3.9: no wheel there
```

## Fix safety
Unsafe (the installed version changes): switch to a binary alternative where the knowledge base
lists one. Lock files (uv.lock, poetry.lock, Pipfile.lock...) get findings, never edits.

## References
- [pip: installing from sdists](https://pip.pypa.io/en/stable/cli/pip_install/#installation-order)
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
    platforms_of,
    pythons_of,
    unlocked_coverage,
)
from buildwise.model import Finding, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB201"
NAME = "no-wheel-for-python"
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
        failing = cov.with_status(Status.NO_PYTHON)
        if not failing or cov.with_status(Status.PREDATES):
            continue
        pythons = pythons_of(failing)
        dep = cov.dep
        eco = ecosystem_for(ctx, platforms_of(failing))
        spec = dep.specifier_text or "(any version)"
        message = (
            f"{dep.parsed.name} {spec} has no wheel for CPython {', '.join(pythons)}: "
            "pip will build it from source there"
        )
        wheels = cov.pkg.wheels if cov.pkg is not None and cov.source == "knowledge" else None
        last = [r.last for py in pythons if wheels and (r := wheels.python.get(py)) and r.last]
        if last:
            message += f" (the last release with wheels for {pythons[0]} is {max(last)})"
        if cov.source == "index":
            message += " [per the package index]"
        severity, why = weighed(ctx, dep, cov.pkg)
        yield ctx.report(
            dep.specifier_span,
            message + why,
            severity=severity,
            fixes=alternative_fixes(cov),
            data={"package": dep.key, "pythons": pythons},
            notes=build_notes(ctx.kb, cov.pkg, eco),
        )
