"""`build-backend` names a module whose distribution is not in `build-system.requires`.

## What it does
Maps the `build-backend` module to the distribution that provides it (`setuptools.build_meta` ->
setuptools, `hatchling.build` -> hatchling, `flit_core.buildapi` -> flit-core,
`poetry.core.masonry.api` -> poetry-core, `pdm.backend` -> pdm-backend, `maturin` -> maturin,
`scikit_build_core.build` -> scikit-build-core, `mesonpy` -> meson-python, `sipbuild.api` -> sip, ...)
and reports it when `requires` does not list that distribution. In-tree backends (`backend-path`)
are skipped.

## Why is this bad?
pip installs only what `requires` lists into the isolated build environment, then imports the
backend there: `ModuleNotFoundError: No module named 'hatchling'`, reported as
`subprocess-exited-with-error`. It works on a machine where the backend happens to be installed
and `--no-build-isolation` is used, which hides the problem until CI.

## Example
```toml
[build-system]
requires = ["setuptools-scm"]
build-backend = "hatchling.build"
```

## Fix safety
Safe: adds the backend's distribution to `requires`, in the array's own style.

## References
- [PEP 517: build-backend](https://peps.python.org/pep-0517/)
- [PEP 518: build-system.requires](https://peps.python.org/pep-0518/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.fixes.edits import add_to_array
from buildwise.knowledge import normalize_name
from buildwise.model import Finding, Fix, Severity
from buildwise.project.backends import backend_distribution
from buildwise.project.facts import build_system

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB102"
NAME = "backend-not-in-requires"
SEVERITY = Severity.ERROR
APPLIES_TO = ("pyproject",)
FIX = "safe"


def check(ctx: LintContext) -> Iterator[Finding]:
    doc = ctx.pyproject
    if doc is None:
        return
    bs = build_system(doc.toml)
    if not bs.present or bs.backend is None or bs.backend_path:
        return
    dist = backend_distribution(bs.backend)
    if dist is None:
        return
    listed = {d.key for d in ctx.dependencies if d.is_build and d.parsed.valid}
    if normalize_name(dist) in listed:
        return
    info = doc.toml.key("build-system", "build-backend")
    requires = doc.toml.key("build-system", "requires")
    if info is None:
        return
    fixes = []
    if requires is not None and requires.array is not None:
        fixes.append(
            Fix(f"Add {dist!r} to build-system.requires", tuple(add_to_array(doc.toml, requires.array, dist)))
        )
    yield ctx.report(
        info.value_span,
        f"build-backend {bs.backend!r} comes from the {dist!r} distribution, which build-system.requires "
        f"does not list: pip's isolated build environment will not have it (ModuleNotFoundError)",
        fixes=fixes,
        data={"distribution": dist},
    )
