"""pyproject.toml (or a lock file, Pipfile, setup.cfg, setup.py...) cannot be parsed, or read as UTF-8 text.

## What it does
Reports each syntax error at its position, with the parser's own reason, and files that cannot be
read as text (not UTF-8, too large, unreadable). Besides pyproject.toml and the TOML lock files
(uv.lock, pylock.toml, poetry.lock, pdm.lock) it covers the other files kb-lint reads: a Pipfile or
a script's `# /// script` block (TOML), Pipfile.lock (JSON), setup.cfg and tox.ini (INI, as
configparser reads them) and setup.py (Python syntax; the file is parsed, never run).

## Why is this bad?
pip, build backends and every other tool refuse a pyproject.toml they cannot parse, usually with
an error that does not say where the problem is. buildwise keeps checking the intact parts of the
file (each table that parses on its own still counts), so other findings stay visible while you fix
this one.

## Example
```toml
[build-system]
requires = ["setuptools>=61"
build-backend = "setuptools.build_meta"
```
The array is not closed: `invalid TOML: Unclosed array` at line 3.

## Fix safety
No automatic fix: the intended text cannot be known.

## References
- [TOML v1.0.0](https://toml.io/en/v1.0.0)
- [pyproject.toml specification](https://packaging.python.org/en/latest/specifications/pyproject-toml/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.model import Finding, Severity, Span

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB001"
NAME = "toml-syntax-error"
SEVERITY = Severity.ERROR
APPLIES_TO = ("pyproject", "lock", "manifest")
FIX = "none"


def check(ctx: LintContext) -> Iterator[Finding]:
    if ctx.lock is not None:
        for error in ctx.lock.doc.errors:
            yield ctx.report(error.span, error.message)
        return
    if ctx.manifest is not None:
        for problem in ctx.problems:
            if problem.kind == "syntax":
                yield ctx.report(problem.span, problem.message)
        return
    doc = ctx.pyproject
    if doc is None:
        return
    read = doc.read
    if read.text is None:
        yield ctx.report(Span.point(0, 0), f"pyproject.toml {read.problem}")
        return
    if read.problem and read.problem_at is not None:
        line, col = read.problem_at
        yield ctx.report(Span.of(line, col, line, col + 1), f"pyproject.toml is {read.problem}")
    for error in doc.toml.errors:
        yield ctx.report(error.span, error.message)
