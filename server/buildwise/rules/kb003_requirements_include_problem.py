"""A requirements file includes (`-r`/`-c`) a file that is missing, unreadable, or includes it back.

## What it does
Follows every `-r FILE` / `--requirement FILE` and `-c FILE` / `--constraint FILE` (relative to the
file that contains the line, as pip resolves them) and reports: a target that does not exist or
cannot be read, a target that leads back to the including file (an include cycle), and `${VAR}`
references to environment variables that are not set. Also reports a requirements file whose bytes
are not UTF-8 or that is too large to be a requirements file.

## Why is this bad?
pip fails with `Could not open requirements file` for a missing include, and an include cycle makes
it recurse until it gives up. Both typically show up only in CI or on a colleague's machine, where
the working directory differs.

## Example
```text
# requirements/dev.txt
-r base.txt        # resolved as requirements/base.txt, which does not exist
```

## Fix safety
No automatic fix.

## References
- [pip requirements file format: -r and -c](https://pip.pypa.io/en/stable/reference/requirements-file-format/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.model import Finding, Severity, Span

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB003"
NAME = "requirements-include-problem"
SEVERITY = Severity.ERROR
APPLIES_TO = ("requirements",)
FIX = "none"


def check(ctx: LintContext) -> Iterator[Finding]:
    doc = ctx.requirements
    if doc is None:
        return
    if doc.read.text is None:
        yield ctx.report(Span.point(0, 0), f"this file {doc.read.problem}")
        return
    if doc.read.problem and doc.read.problem_at is not None:
        line, col = doc.read.problem_at
        yield ctx.report(
            Span.of(line, col, line, col + 1), f"this file is {doc.read.problem}", severity=Severity.WARNING
        )
    for issue in doc.include_issues:
        yield ctx.report(issue.include.span, issue.message)
