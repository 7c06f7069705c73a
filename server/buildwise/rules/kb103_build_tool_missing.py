"""The source tree needs a build-time tool that `build-system.requires` does not list.

## What it does
Reads (never runs) the project's files and reports a build requirement the tree shows but
`requires` lacks:

| the tree has | it needs |
|---|---|
| `.pyx`/`.pxd` files, `cythonize(...)` in setup.py | Cython |
| `#include <pybind11/...>`, `find_package(pybind11)`, pybind11 in setup.py | pybind11 |
| `#include <nanobind/...>`, `find_package(nanobind)` | nanobind |
| `numpy/arrayobject.h`, `cimport numpy`, `np.get_include()` | numpy |
| `cffi_modules=` in setup.py | cffi |
| a `Cargo.toml` using PyO3 with setuptools, `RustExtension` | setuptools-rust |
| `CMakeExtension`/cmake in setup.py | cmake |
| `[tool.setuptools_scm]`, `use_scm_version=` | setuptools-scm |
| `[tool.hatch.version] source = "vcs"` | hatch-vcs |

## Why is this bad?
pip builds in an isolated environment that contains only `requires`. The build then dies with
`ModuleNotFoundError: No module named 'Cython'` or `fatal error: pybind11/pybind11.h: No such file
or directory`, while it works on the author's machine where the tool happens to be installed.

## Example
```toml
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
```
with `src/fast/_speedups.pyx` in the tree: `the source tree needs Cython (src/fast/_speedups.pyx is a
Cython source file)`.

## Fix safety
Safe: adds the requirement to `requires`, in the array's own style.

## References
- [PEP 518](https://peps.python.org/pep-0518/)
- [Cython: compiling with setuptools](https://cython.readthedocs.io/en/latest/src/userguide/source_files_and_compilation.html)
- [NumPy: adding a dependency on NumPy](https://numpy.org/devdocs/dev/depending_on_numpy.html)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.fixes.edits import add_to_array
from buildwise.knowledge import normalize_name
from buildwise.model import Finding, Fix, Severity
from buildwise.project.backends import tool_requirements
from buildwise.project.sourcetree import Evidence

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB103"
NAME = "build-tool-missing"
SEVERITY = Severity.ERROR
APPLIES_TO = ("pyproject",)
FIX = "safe"

#: Distributions that satisfy a need besides the one we would add.
SATISFIED_BY = {
    "cython": {"cython", "cython3"},
    "pybind11": {"pybind11", "pybind11-global"},
    "numpy": {"numpy", "oldest-supported-numpy"},
    "setuptools-rust": {"setuptools-rust"},
    "cmake": {"cmake", "scikit-build", "scikit-build-core"},
    "setuptools-scm": {"setuptools-scm", "setuptools-scm-git-archive"},
}


def _pyproject_needs(ctx: LintContext) -> list[tuple[str, str, Evidence]]:
    doc = ctx.pyproject
    assert doc is not None
    toml = doc.toml
    out = []
    if isinstance(toml.get("tool", "setuptools_scm"), dict):
        out.append(
            (
                "setuptools-scm",
                "setuptools-scm",
                Evidence("pyproject.toml", "[tool.setuptools_scm] is configured"),
            )
        )
    version = toml.get("tool", "hatch", "version")
    if isinstance(version, dict) and version.get("source") == "vcs":
        out.append(
            ("hatch-vcs", "hatch-vcs", Evidence("pyproject.toml", '[tool.hatch.version] uses source = "vcs"'))
        )
    return out


def check(ctx: LintContext) -> Iterator[Finding]:
    doc = ctx.pyproject
    if doc is None:
        return
    bs = ctx.project.build_system
    requires = doc.toml.key("build-system", "requires")
    if not bs.present or requires is None or requires.array is None:
        return  # KB101's business
    listed = {d.key for d in ctx.dependencies if d.is_build and d.parsed.valid}
    tree = ctx.project.source_tree
    needs = [
        (need, req, tree.needs[need])
        for need, req in tool_requirements(tree, bs.backend)
        if need in tree.needs
    ]
    if (
        "setuptools-rust" not in tree.needs
        and tree.cargo_toml
        and ("setuptools-rust", "setuptools-rust") in tool_requirements(tree, bs.backend)
    ):
        needs.append(("setuptools-rust", "setuptools-rust", tree.needs["rust"]))
    needs += _pyproject_needs(ctx)
    seen: set[str] = set()
    for need, requirement, evidence in needs:
        satisfied = SATISFIED_BY.get(need, {normalize_name(requirement)})
        if listed & satisfied or need in seen:
            continue
        seen.add(need)
        fix = Fix(
            f"Add {requirement!r} to build-system.requires",
            tuple(add_to_array(doc.toml, requires.array, requirement)),
        )
        yield ctx.report(
            requires.key_span,
            f"the source tree needs {requirement} at build time ({evidence.path} {evidence.reason}), "
            "but build-system.requires does not list it: pip's isolated build will fail without it",
            fixes=[fix],
            data={"requirement": requirement, "evidence": evidence.path},
        )
