"""setup.py computes a dependency list when it runs, so kb-lint cannot read (or check) it.

## What it does
kb-lint reads `setup.py` without running it: the literal arguments of its `setup()` call (lists,
tuples and strings, names bound once at module level to them, `+` of those, `**kwargs` from a
module-level dict). When `install_requires`, `setup_requires`, `extras_require` or
`python_requires` is computed instead (a function that reads a file, a comprehension, a name
changed after it is bound), this hint marks the place. When the code reads requirements files that
exist (`open("requirements.txt")`, a helper called with the file name), there is no hint: those
files are checked on their own, so the dependencies are checked after all.

## Why is this bad?
Nothing is wrong with the build; but the dependencies in that list get no wheel, Python-version or
OS-package checks. Declaring them statically (in `[project] dependencies`, or in `setup.cfg`) lets
every tool read them without running code.

## Example
```python
setup(install_requires=[f"{name}>=1" for name in ("numpy", "lxml")])
```
`install_requires is computed (a comprehension); kb-lint does not run setup.py, so it is not
checked`

## Fix safety
No automatic fix.

## References
- [setuptools: declaring dependencies](https://setuptools.pypa.io/en/latest/userguide/dependency_management.html)
- [PEP 621: static project metadata](https://peps.python.org/pep-0621/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.model import Finding, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB006"
NAME = "dynamic-dependencies"
SEVERITY = Severity.HINT
APPLIES_TO = ("manifest",)
FIX = "none"


def check(ctx: LintContext) -> Iterator[Finding]:
    for problem in ctx.problems:
        if problem.kind == "dynamic":
            yield ctx.report(problem.span, problem.message)
