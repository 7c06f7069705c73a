"""How much a source build weighs: at most an info, never a warning, when the project already
provides for it (its Dockerfile, CI, scripts or docs install the OS packages and a compiler) or when
only development tooling needs it (dev, test, docs, lint groups and requirements files)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from buildwise.analysis.sysdeps import all_names, is_toolchain
from buildwise.knowledge import PackageInfo
from buildwise.model import Severity
from buildwise.project.facts import Dependency

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

#: Dependency groups, extras and requirements-file name parts for development only.
_DEV_WORDS = frozenset(
    {
        "dev",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "docs",
        "doc",
        "lint",
        "typing",
        "ci",
        "bench",
        "benchmark",
        "benchmarks",
        "coverage",
        "mypy",
        "style",
        "qa",
        "check",
    }
)
_COMPILER_WORDS = frozenset(
    {"gcc", "g++", "clang", "build-essential", "build-base", "gcc-c++", "compiler", "compilers", "msvc"}
)


def dev_only(ctx: LintContext, dep: Dependency) -> bool:
    """A dependency of a development group, extra or requirements file (requirements-dev.txt,
    docs-requirements.txt, ci/*.txt, [dependency-groups] test): it weighs less than what the
    project deploys."""
    if dep.group.startswith(("dependency-groups.", "project.optional-dependencies.")):
        return dep.group.rsplit(".", 1)[-1].lower() in _DEV_WORDS
    if dep.group == "requirements":
        rel = ctx.project.relpath(dep.path).lower()
        words = set(re.split(r"[^a-z]+", rel.rsplit(".", 1)[0]))
        return bool(words & _DEV_WORDS)
    return False


def provided_for(ctx: LintContext, pkg: PackageInfo | None) -> bool:
    """The repository already installs what a source build of ``pkg`` needs (its Dockerfile, CI,
    scripts or docs name every OS library, and a compiler when one is needed)."""
    if pkg is None or not pkg.compiles:
        return False
    docs = ctx.project.docs
    ids = pkg.external_ids()
    for ident in ids:
        if is_toolchain(ident):
            continue
        names = all_names(ctx.kb, ident)
        if names and not any(docs.mentions(n) for n in names):
            return False
    return any(docs.mentions(w) for w in _COMPILER_WORDS)


def weighed(ctx: LintContext, dep: Dependency, pkg: PackageInfo | None) -> tuple[Severity | None, str]:
    """(INFO, why) for a source build the project provides for or a development-only dependency
    (at most an info, never a warning); (None, "") otherwise."""
    if provided_for(ctx, pkg):
        return Severity.INFO, " (the repository already installs what the build needs)"
    if dev_only(ctx, dep):
        where = dep.group if dep.group != "requirements" else ctx.project.relpath(dep.path)
        return Severity.INFO, f" (a development dependency: {where})"
    return None, ""
