"""pyproject.toml has no `[build-system]` table (or it has no `requires`).

## What it does
Reports a package's pyproject.toml (one with a `[project]` table, or next to a setup.py/setup.cfg)
that has no `[build-system]` table, or a `[build-system]` table without `requires`. Applications are
not packages and are not reported: `[tool.uv] package = false`, Poetry `package-mode = false`, PDM
`distribution = false`, or a service deployed as a container image from requirements files (a
Dockerfile, a requirements file, no setup.py or setup.cfg).

## Why is this bad?
Without `[build-system]`, pip falls back to the legacy setuptools backend (PEP 517's
`setuptools.build_meta:__legacy__`) with whatever setuptools version it picks, and cannot know that
the build needs anything else: Cython, pybind11, numpy's headers, maturin. The build then fails inside
pip's isolated environment with `ModuleNotFoundError` or a missing header, far from the cause.
PEP 518 makes `requires` mandatory in the table.

## Example
```toml
[project]
name = "fastthing"
version = "1.0"
```
With `CMakeLists.txt` in the project, the fix inserts:
```toml
[build-system]
requires = ["scikit-build-core"]
build-backend = "scikit_build_core.build"
```

## Fix safety
Safe. The backend follows the tree: maturin for a Cargo.toml using PyO3, scikit-build-core for a
CMakeLists.txt, meson-python for a meson.build, setuptools otherwise; build-time tools the tree needs
(Cython, pybind11, numpy...) are added to `requires` at the same time.

## References
- [PEP 518: the build-system table](https://peps.python.org/pep-0518/)
- [PEP 517: the fallback when build-backend is absent](https://peps.python.org/pep-0517/#source-trees)
- [pyproject.toml specification](https://packaging.python.org/en/latest/specifications/pyproject-toml/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.fixes.edits import insert_before_first_table
from buildwise.model import Finding, Fix, Note, Severity, Span
from buildwise.project.backends import propose_build_system

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB101"
NAME = "missing-build-system"
SEVERITY = Severity.WARNING
APPLIES_TO = ("pyproject",)
FIX = "safe"


def check(ctx: LintContext) -> Iterator[Finding]:
    doc = ctx.pyproject
    if doc is None or doc.read.text is None:
        return
    toml = doc.toml
    table = toml.get("build-system")
    if table is not None:
        if isinstance(table, dict) and "requires" not in table and toml.valid:
            span = toml.span_of("build-system") or Span.point(0, 0)
            yield ctx.report(
                span,
                "[build-system] has no `requires`: PEP 518 makes it mandatory; list the build backend's "
                'distribution (e.g. requires = ["setuptools>=61"])',
            )
        return
    project = ctx.project
    if toml.table("build-system") is not None or not project.looks_like_package or project.is_application:
        return
    if not toml.valid and any(e.span.start.line == 0 for e in toml.errors):
        return  # a broken first line may well be a mangled [build-system] header
    poetry = isinstance(toml.get("tool", "poetry"), dict) and not isinstance(toml.get("project"), dict)
    proposal = propose_build_system(ctx.project.source_tree, poetry=poetry)
    span = (
        toml.span_of("project")
        or (toml.span_of("tool", "poetry") if poetry else None)
        or Span.of(0, 0, 0, len(toml.index.line(0)))
    )
    fix = Fix(
        f"Add [build-system] using {proposal.backend} ({proposal.why})",
        (insert_before_first_table(toml, proposal.table()),),
        safe=True,
    )
    requires = ", ".join(proposal.requires)
    yield ctx.report(
        span,
        "no [build-system] table: pip falls back to legacy setuptools",
        fixes=[fix],
        data={"backend": proposal.backend, "requires": list(proposal.requires)},
        notes=[
            Note("note", "without one, pip cannot install what the build needs"),
            Note("help", f"declare {proposal.backend} with requires = [{requires}] ({proposal.why})"),
        ],
    )
