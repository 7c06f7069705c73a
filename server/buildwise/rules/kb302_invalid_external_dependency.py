"""An entry of the PEP 725 `[external]` table is not a valid external dependency.

## What it does
Checks `[external]` in pyproject.toml (current draft syntax): the keys (`build-requires`,
`host-requires`, `dependencies`, their `optional-` tables and `dependency-groups`), each entry's
DepURL (`dep:TYPE/NAME[@VERSION][;MARKER]`: only `==`, `>=`, `>`, `<=`, `<` and commas after `@`,
a valid environment marker), virtual identifiers (`dep:virtual/compiler/...`,
`dep:virtual/interface/...`) that do not exist, `dep:generic/...` identifiers unknown to the
registry (with a did-you-mean), and placement: a compiler or build tool listed under
`host-requires` belongs under `build-requires`.

## Why is this bad?
Tools that read `[external]` (distro packagers, installers that print what to install, buildwise)
ignore or reject entries they cannot map, so the declaration silently stops helping.

## Example
```toml
[external]
host-requires = ["dep:virtual/compiler/c", "dep:generic/libqp"]
```
`dep:virtual/compiler/c` belongs under build-requires; `dep:generic/libqp` is not in the registry;
did you mean dep:generic/libpq?

## Fix safety
No automatic fix. (Older `pkg:`/`virtual:` forms are KB303, which has one.)

## References
- [PEP 725: Specifying external dependencies in pyproject.toml](https://peps.python.org/pep-0725/)
- [PEP 804 draft: central registry of identifiers](https://peps.python.org/pep-0804/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.external import (
    GROUP_KEYS,
    LEGACY_KEYS,
    LIST_KEYS,
    check_depurl,
    entries,
    external_keys,
    legacy_rewrite,
)
from buildwise.model import Finding, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB302"
NAME = "invalid-external-dependency"
SEVERITY = Severity.WARNING
APPLIES_TO = ("pyproject",)
FIX = "none"


def check(ctx: LintContext) -> Iterator[Finding]:
    if ctx.pyproject is None:
        return
    doc = ctx.pyproject.toml
    for info in external_keys(doc):
        key = str(info.path[1])
        if key not in (*LIST_KEYS, *GROUP_KEYS, *LEGACY_KEYS):
            yield ctx.report(
                info.key_span,
                f"[external] has no key {key!r}: PEP 725 defines {', '.join((*LIST_KEYS, *GROUP_KEYS))}",
            )
    for entry in entries(doc):
        if entry.element.kind != "string":
            if not (entry.element.kind == "inline_table" and entry.key.startswith("dependency-groups")):
                yield ctx.report(
                    entry.element.span, f"external.{entry.key} entries must be strings (DepURLs)"
                )
            continue
        if legacy_rewrite(entry.text) is not None:
            continue  # KB303
        problem, ident = check_depurl(entry.text, ctx.kb)
        span = entry.element.value_span or entry.element.span
        if problem is not None:
            yield ctx.report(span, problem, data={"identifier": ident})
            continue
        if ident is not None and entry.section == "host-requires":
            known = ctx.kb.identifier(ident)
            if ident.startswith("dep:virtual/compiler/") or (
                known is not None and known.kind in ("compiler", "tool")
            ):
                yield ctx.report(
                    span,
                    f"{ident} runs during the build: it belongs under build-requires, not {entry.key}",
                    data={"identifier": ident},
                )
