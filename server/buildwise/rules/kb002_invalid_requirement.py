"""A requirement string is not a valid PEP 508 dependency specifier.

## What it does
Checks every requirement: `build-system.requires`, `project.dependencies`,
`project.optional-dependencies`, `dependency-groups`, and each line of a requirements file (where it
also reports options pip does not accept). The message carries packaging's own reason, and the range
points at the character where the string stops making sense.

The same goes for the other places dependencies are declared: Poetry's dependency tables (a
constraint Poetry rejects, such as `^abc`), PDM dev-dependencies, hatch environments, setup.cfg and
setup.py (`install_requires`, `setup_requires`, `extras_require`, `python_requires`), a Pipfile and
its lock, a script's `# /// script` block, tox `deps` and a conda environment's `pip:` list.

## Why is this bad?
pip stops at the first invalid requirement, often after resolving and downloading everything before
it. A build backend rejects an invalid `dependencies` entry when it builds the package's metadata, so
the error surfaces as `metadata-generation-failed`.

## Example
```toml
dependencies = ["numpy>=1.26 <2"]   # a comma is missing between the two clauses
```
`invalid requirement 'numpy>=1.26 <2'`, with the parser's explanation on a `note:` line:
`PEP 508: Expected comma (within version specifier), semicolon (after version specifier) or end`

## Fix safety
No automatic fix.

## References
- [Dependency specifiers (PEP 508)](https://packaging.python.org/en/latest/specifications/dependency-specifiers/)
- [pip requirements file format](https://pip.pypa.io/en/stable/reference/requirements-file-format/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.model import Finding, Note, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB002"
NAME = "invalid-requirement"
SEVERITY = Severity.ERROR
APPLIES_TO = ("pyproject", "requirements", "manifest")
FIX = "none"

_ARRAYS = (
    "build-system.requires",
    "project.dependencies",
    "project.optional-dependencies",
    "dependency-groups",
)


def check(ctx: LintContext) -> Iterator[Finding]:
    for dep in ctx.dependencies:
        if dep.parsed.valid:
            continue
        if dep.req_line is not None:
            continue  # requirements files: reported from the parser's problems below
        yield ctx.report(
            dep.error_span,
            f"invalid requirement {dep.parsed.text!r}",
            notes=[Note("note", f"PEP 508: {dep.parsed.error}")],
        )
    if ctx.requirements is not None:
        for problem in ctx.requirements.parsed.problems:
            notes = [Note("note", problem.detail)] if problem.detail else []
            yield ctx.report(problem.span, problem.message, notes=notes)
    for found in ctx.problems:
        if found.kind == "invalid":
            yield ctx.report(found.span, found.message)
    if ctx.manifest is not None:
        yield from _manifest_python(ctx)
    if ctx.pyproject is not None:
        yield from _non_strings(ctx)
        yield from _requires_python(ctx)


def _non_strings(ctx: LintContext) -> Iterator[Finding]:
    assert ctx.pyproject is not None
    doc = ctx.pyproject.toml
    for path, info in doc.keys.items():
        if info.array is None or not path or not isinstance(path[0], str):
            continue
        dotted = ".".join(str(p) for p in path)
        if not dotted.startswith(_ARRAYS):
            continue
        values = doc.get(*path)
        is_group = dotted.startswith("dependency-groups")
        allowed = (str, dict) if is_group else (str,)
        if isinstance(values, list) and all(isinstance(v, allowed) for v in values):
            continue  # the common case: no need to locate every element
        for element in info.array.elements:
            if element.kind == "string":
                continue
            if is_group and element.kind == "inline_table":
                continue  # {include-group = "..."} (PEP 735)
            yield ctx.report(element.span, f"{dotted} entries must be strings (PEP 508 requirements)")


def _requires_python(ctx: LintContext) -> Iterator[Finding]:
    from buildwise.project.facts import requires_python

    assert ctx.pyproject is not None
    doc = ctx.pyproject.toml
    _spec, error = requires_python(doc)
    info = doc.key("project", "requires-python")
    if error and info is not None:
        yield ctx.report(info.value_span, error)


def _manifest_python(ctx: LintContext) -> Iterator[Finding]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    assert ctx.manifest is not None
    text, span = ctx.manifest.requires_python, ctx.manifest.requires_python_span
    if text is None or span is None:
        return
    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        yield ctx.report(span, f"python version {text!r} is not a valid version specifier")
