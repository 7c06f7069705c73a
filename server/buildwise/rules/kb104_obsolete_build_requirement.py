"""`build-system.requires` lists a requirement that is known to be unneeded or harmful.

## What it does
Checks each build requirement against the knowledge base's list of obsolete build requirements
(`knowledge/build-requirements.toml`, every entry cited). Today:
- `oldest-supported-numpy`: deprecated by its maintainers. Since NumPy 1.25 a build against a newer
  NumPy targets older NumPy versions by default, and a package that supports NumPy 2 must build
  against NumPy >= 2.0; the meta-package pins old NumPy releases that have no wheels for new
  Pythons, which turns into a NumPy source build inside your build.
- `wheel` next to a setuptools floor of 70.1 or later (`setuptools>=70.1`): setuptools ships
  `bdist_wheel` itself; the extra download is unneeded (reported as information). Not reported
  while the floor admits an older setuptools (`setuptools`, `setuptools>=61`), which needs `wheel`,
  nor when setup.py imports `wheel`.

## Why is this bad?
Obsolete build requirements slow every source build and, in the NumPy case, fail it on new Pythons.

## Example
```toml
[build-system]
requires = ["setuptools", "oldest-supported-numpy"]
```

## Fix safety
Unsafe: the build environment changes (`oldest-supported-numpy` becomes `numpy>=2.0`, offered only
when `requires-python` excludes Pythons older than 3.9; `wheel` is removed).

## References
- [NumPy 1.25 release notes](https://numpy.org/doc/stable/release/1.25.0-notes.html#compiling-against-the-numpy-c-api-is-now-backwards-compatible-by-default)
- [NumPy: for downstream package authors](https://numpy.org/devdocs/dev/depending_on_numpy.html)
- [setuptools: bdist_wheel adopted (pypa/setuptools#4369)](https://github.com/pypa/setuptools/pull/4369)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from buildwise.fixes.edits import remove_array_element
from buildwise.model import Finding, Fix, Severity
from buildwise.project.facts import requires_python

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext
    from buildwise.project.facts import Dependency

CODE = "KB104"
NAME = "obsolete-build-requirement"
SEVERITY = Severity.WARNING
APPLIES_TO = ("pyproject",)
FIX = "unsafe"


def _applies(ctx: LintContext, entry: dict[str, Any], build: list[Dependency]) -> bool:
    below = entry.get("unless_setuptools_below")
    if below:
        setuptools = next((d for d in build if d.key == "setuptools"), None)
        if setuptools is None:
            return False
        # Needed while the floor admits setuptools older than `below`: an old setuptools (a
        # constraint, an offline index, a distro build) has no bdist_wheel of its own.
        spec = setuptools.parsed.specifier
        if not spec or any(spec.contains(v) for v in _older_than(below)):
            return False
        if "wheel" in ctx.project.source_tree.needs:
            return False
    return True


def _older_than(below: str) -> list[str]:
    """Probe versions older than ``below`` ("70.1" -> 70.0.0, 70.0.99, 69.0.0, 69.9.9 ... 40.0.0)."""
    major, minor = (int(p) for p in [*below.split("."), "0"][:2])
    probes = [f"{major}.{n}.{m}" for n in range(minor) for m in (0, 99)]
    return probes + [f"{v}.{n}.0" for v in range(major - 1, 39, -1) for n in (0, 9)]


def _floor_at_least(ctx: LintContext, version: str) -> bool:
    assert ctx.pyproject is not None
    spec, _ = requires_python(ctx.pyproject.toml)
    if spec is None:
        return False
    older = Version(version).release
    below = f"{older[0]}.{older[1] - 1}" if len(older) > 1 and older[1] > 0 else None
    return below is not None and not spec.contains(f"{below}.99")


def check(ctx: LintContext) -> Iterator[Finding]:
    doc = ctx.pyproject
    if doc is None:
        return
    requires = doc.toml.key("build-system", "requires")
    build = [d for d in ctx.dependencies if d.is_build and d.parsed.valid]
    for dep in build:
        entry = ctx.kb.obsolete_build_requirements.get(dep.key)
        if entry is None or not _applies(ctx, entry, build):
            continue
        fixes: list[Fix] = []
        replacement = entry.get("replacement")
        if replacement and (
            not entry.get("replacement_requires_python")
            or _floor_at_least(ctx, entry["replacement_requires_python"])
        ):
            edit = dep.replacement(replacement)
            if edit is not None:
                fixes.append(Fix(f"Replace {dep.parsed.name!r} with {replacement!r}", (edit,), safe=False))
        elif not replacement and requires is not None and requires.array is not None:
            fixes.append(
                Fix(
                    f"Remove {dep.parsed.name!r} from build-system.requires",
                    tuple(remove_array_element(doc.toml, requires.array, dep.index)),
                    safe=False,
                )
            )
        severity = Severity.parse(entry.get("severity", "warning"))
        message = f"{dep.parsed.name!r} is obsolete as a build requirement: {entry.get('reason', '')}"
        if replacement:
            message += f"; use {replacement!r} instead"
        yield ctx.report(dep.span, message, fixes=fixes, severity=severity, data={"package": dep.key})
