"""`--only-binary` covers a package with no wheel for a target, or `--no-binary` forces a native build.

## What it does
Reads the global options of a requirements file and of every file it includes with `-r` (pip applies
them all): `--only-binary :all:` or a list of names, `--no-binary`, with `:none:` resetting.
- `--only-binary` on a package that has no wheel for a target (per KB201/KB202/KB203/KB205): pip
  refuses to build it and the install fails with `No matching distribution found`.
- `--no-binary` on a package that compiles code: every install builds it from source; the message
  says what that needs.

## Why is this bad?
The first turns a slow install into a failed one on some targets; the second silently requires a
compiler and headers everywhere the file is used.

## Example
```text
--only-binary :all:
uwsgi==2.0.28        # publishes no wheels at all
```

## Fix safety
No automatic fix: which of the option or the requirement should change is the project's choice.

## References
- [pip install --only-binary / --no-binary](https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-only-binary)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.coverage import Status
from buildwise.analysis.wheelcheck import build_notes, coverage, ecosystem_for, targets_text
from buildwise.model import Finding, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB204"
NAME = "only-binary-conflict"
SEVERITY = Severity.ERROR
APPLIES_TO = ("requirements",)
FIX = "none"

_NO_WHEEL = (Status.PREDATES, Status.NO_PYTHON, Status.NO_PLATFORM, Status.SDIST_ONLY)


def check(ctx: LintContext) -> Iterator[Finding]:
    for cov in coverage(ctx):
        dep = cov.dep
        if cov.only_binary:
            failing = cov.with_status(*_NO_WHEEL)
            if not failing:
                continue
            yield ctx.report(
                dep.name_span,
                f"--only-binary covers {dep.parsed.name}, which has no wheel for {targets_text(failing)}: "
                "pip will refuse to build it and the install fails (No matching distribution found)",
                data={"package": dep.key},
            )
        elif cov.no_binary and cov.pkg is not None and cov.pkg.compiles:
            eco = ecosystem_for(ctx, list(ctx.project.targets.platforms))
            yield ctx.report(
                dep.name_span,
                f"--no-binary forces a source build of {dep.parsed.name}, which compiles "
                f"{', '.join(cov.pkg.languages)} code on every install",
                severity=Severity.WARNING,
                data={"package": dep.key},
                notes=build_notes(ctx.kb, cov.pkg, eco),
            )
