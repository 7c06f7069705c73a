"""A uv.lock or pylock.toml has a field of the wrong type, or is not read (too large, unreadable).

## What it does
Checks the type of every field kb-lint reads in `uv.lock` and `pylock.toml` (PEP 751) and reports
each wrong one at its position: `wheels = [{ url = 5 }]`, `version = 1`, `marker = 3`. The entry
with the wrong field is checked without it. Also reports a lock file that is not read at all
because it is larger than the size limit, cannot be read, or is a link to a file outside the
project.

## Why is this bad?
uv and pip refuse a lock file whose fields have the wrong type, usually after resolving for a
while and with a message that does not say where. A lock file that kb-lint cannot read is not
checked, so the wheels it pins are not matched against your targets; saying so keeps a clean
report honest.

## Example
```toml
[[package]]
name = "numpy"
version = 2            # must be a string: "2.1.3"
```

## Fix safety
No automatic fix: the intended value cannot be known. Regenerate the lock file (`uv lock`,
`pip lock`).

## References
- [uv: the lockfile](https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile)
- [PEP 751: pylock.toml](https://peps.python.org/pep-0751/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.model import Finding, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB005"
NAME = "invalid-lock-file"
SEVERITY = Severity.ERROR
APPLIES_TO = ("lock",)
FIX = "none"


def check(ctx: LintContext) -> Iterator[Finding]:
    if ctx.lock is None:
        return
    for problem in ctx.lock.problems:
        yield ctx.report(problem.span, problem.message)
