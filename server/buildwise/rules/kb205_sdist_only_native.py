"""The package publishes no wheels at all and compiles native code.

## What it does
Reports, as information, dependencies that the knowledge base records as sdist-only (every release
is a source distribution: python-ldap, uwsgi, ...) and that compile code, with what the build
needs and any alternative (uwsgi -> pyuwsgi).

## Why is this bad?
Every install compiles, on every machine and in every container image; without the compiler and
headers it fails. Knowing it up front means writing the system packages into the Dockerfile and the
README before the first failed deploy.

## Example
```toml
dependencies = ["python-ldap>=3.4"]
```

## Fix safety
Unsafe: switch to an alternative with wheels where the knowledge base lists one.

## References
- [pip: source distributions](https://packaging.python.org/en/latest/discussions/package-formats/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.coverage import Status
from buildwise.analysis.lockreport import lock_findings
from buildwise.analysis.wheelcheck import alternative_fixes, build_notes, ecosystem_for, unlocked_coverage
from buildwise.model import Finding, Note, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB205"
NAME = "sdist-only-native"
SEVERITY = Severity.INFO
APPLIES_TO = ("pyproject", "requirements", "lock", "manifest")
FIX = "unsafe"


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from lock_findings(ctx, CODE)
    if ctx.kind == "lock":
        return
    for cov in unlocked_coverage(ctx):
        if (
            cov.pkg is None
            or cov.only_binary
            or cov.no_binary
            or not cov.pkg.compiles
            or not cov.with_status(Status.SDIST_ONLY)
        ):
            continue
        dep = cov.dep
        eco = ecosystem_for(ctx, list(ctx.project.targets.platforms))
        alts = ", ".join(a.requirement for a in cov.pkg.alternatives)
        message = f"{dep.parsed.name} publishes no wheels: every install compiles it"
        notes = build_notes(ctx.kb, cov.pkg, eco)
        if alts:
            notes += (Note("help", f"or use an alternative that ships wheels: {alts}"),)
        yield ctx.report(
            dep.name_span, message, fixes=alternative_fixes(cov), data={"package": dep.key}, notes=notes
        )
