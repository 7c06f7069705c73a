"""`[tool.kb-lint]` has an unknown setting or a bad value.

## What it does
Checks the `[tool.kb-lint]` table (the settings both `kb-lint` and the editor read): unknown keys
(with a did-you-mean), values of the wrong type, unknown rule codes, CPython versions and platform
names. The bad entry is ignored; every other setting still applies.

## Why is this bad?
A misspelled setting (`ignores = ["KB201"]`) silently does nothing, so a team believes a check is off
(or on) when it is not.

## Example
```toml
[tool.kb-lint]
platform = ["linux-x86_64"]   # unknown setting 'platform'; did you mean 'platforms'?
```

## Fix safety
No automatic fix.

## References
- The settings are listed in the README ("Configuration").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.model import Finding, Severity, Span

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB004"
NAME = "invalid-configuration"
SEVERITY = Severity.WARNING
APPLIES_TO = ("pyproject",)
FIX = "none"


def check(ctx: LintContext) -> Iterator[Finding]:
    for problem in ctx.project.config_problems:
        span = ctx.project.config_problem_span(problem) or Span.point(0, 0)
        key = ".".join(problem.key)
        yield ctx.report(span, f"{key}: {problem.message}")
