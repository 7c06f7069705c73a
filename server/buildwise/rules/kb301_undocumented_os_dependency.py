"""A source build needs OS packages that the repository does not document anywhere.

## What it does
For each dependency that is built from source on a target (no wheel for a target Python or platform,
an sdist-only package, or a `--no-binary`), takes the OS packages the build needs from the knowledge
base and looks for them where people look: README*,
INSTALL*, CONTRIBUTING*, `docs/` (Markdown, reST, text), Dockerfile/Containerfile install lines,
`bindep.txt`, CI workflow files, and a PEP 725 `[external]` table in pyproject.toml. Any name of the
package in any distro counts (`libpq-dev`, `libpq5`, `libpq-devel`, `postgresql-libs`, `libpq`...).
Reports what no file mentions, with the package names per distro, when that includes a library:
a compiler alone is not reported (the wheel rules already say the build needs one), nor CMake, Meson
or Ninja (build backends fetch them from PyPI), nor a project's own native code needing a compiler.

## Why is this bad?
A source build that needs `libpq-dev` fails on every fresh machine and in every new container image
until someone writes that down. The first person to find out is usually a new colleague or CI.

## Example
```toml
dependencies = ["psycopg2>=2.9"]   # no wheels on Linux, and the README never mentions libpq
```

## Fix safety
Safe: the fixes only write documentation. "Document" inserts (or refreshes) a "System dependencies"
section in the README between markers, with install commands for Debian/Ubuntu, Fedora, Alpine,
Arch, Homebrew and conda-forge; "Declare" writes or merges a PEP 725 `[external]` table; "bindep"
writes or merges a `bindep.txt` with platform profiles. Switching to a binary alternative (when the
knowledge base lists one) is offered as an unsafe fix.

## References
- [PEP 725: external dependencies in pyproject.toml](https://peps.python.org/pep-0725/)
- [bindep](https://docs.opendev.org/opendev/bindep/latest/readme.html)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.sysdeps import (
    SourceBuild,
    all_names,
    is_toolchain,
    source_builds,
)
from buildwise.analysis.weight import dev_only
from buildwise.analysis.wheelcheck import package_note
from buildwise.fixes.os_deps import bindep_fix, external_fix, readme_fix
from buildwise.knowledge import PYTHON_HEADERS_ID
from buildwise.model import Finding, Fix, Note, Severity, Span

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB301"
NAME = "undocumented-os-dependency"
SEVERITY = Severity.WARNING
APPLIES_TO = ("pyproject", "requirements", "manifest")
FIX = "safe"


def _declared(ctx: LintContext) -> set[str]:
    toml = ctx.project.toml
    external = toml.get("external") if toml is not None else None
    out: set[str] = set()
    if isinstance(external, dict):
        for value in external.values():
            items = value if isinstance(value, list) else []
            if isinstance(value, dict):
                items = [v for group in value.values() if isinstance(group, list) for v in group]
            out |= {str(v).split(";")[0].split("@")[0].strip() for v in items}
    return out


def undocumented(ctx: LintContext, ids: list[str]) -> list[str]:
    docs = ctx.project.docs
    declared = _declared(ctx)
    missing = []
    for ident in ids:
        if ident == PYTHON_HEADERS_ID or ident in declared:
            continue
        names = all_names(ctx.kb, ident)
        if not names or any(docs.mentions(n) for n in names):
            continue
        missing.append(ident)
    return missing


def _builds(ctx: LintContext) -> list[tuple[SourceBuild, Span]]:
    return [(b, b.dep.name_span) for b in source_builds(ctx) if b.dep is not None]


def check(ctx: LintContext) -> Iterator[Finding]:
    builds = _builds(ctx)
    if not builds:
        return
    every: list[str] = []
    for build, _ in builds:
        every += build.identifiers
    every_missing = undocumented(ctx, list(dict.fromkeys(every)))
    if not every_missing:
        return
    names = [b.name for b, _ in builds if not set(every_missing).isdisjoint(b.identifiers)]
    shared: list[Fix] = [readme_fix(ctx, every_missing, names)]
    for fix in (external_fix(ctx, every_missing), bindep_fix(ctx, every_missing)):
        if fix is not None:
            shared.append(fix)
    from buildwise.analysis.wheelcheck import alternative_fixes, coverage

    by_dep = {id(c.dep): c for c in coverage(ctx)}  # one look-up per build, not a scan (16k lines)
    missing_set = set(every_missing)
    for build, span in builds:
        missing = [i for i in build.identifiers if i in missing_set]
        if all(is_toolchain(i) for i in missing):
            # Only a compiler or build tools: the wheel rules already say a source build needs
            # a compiler, and build backends fetch CMake/Meson/Ninja from PyPI themselves.
            continue
        fixes = list(shared)
        if build.dep is not None:
            cov = by_dep.get(id(build.dep))
            if cov is not None:
                fixes += alternative_fixes(cov)
        labels = ", ".join(i.rsplit("/", 1)[-1] for i in missing)
        dev = build.dep is not None and dev_only(ctx, build.dep)
        notes = [Note("note", f"it is built from source: {build.reason}")]
        install = package_note(ctx.kb, missing, "its build needs these packages", python_headers=False)
        if install is not None:
            notes.append(install)
        yield ctx.report(
            span,
            f"{build.name} needs OS packages the repository does not document ({labels})"
            + (" (a development dependency)" if dev else ""),
            severity=Severity.INFO if dev else None,
            fixes=fixes,
            data={"package": build.name, "identifiers": missing},
            notes=notes,
        )
