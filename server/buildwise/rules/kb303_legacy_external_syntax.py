"""`[external]` uses an older draft syntax: `pkg:`/`virtual:` identifiers or `build-host-requires`.

## What it does
Reports entries written in earlier drafts of PEP 725 (`pkg:generic/openssl`,
`virtual:compiler/c`, `pkg:virtual/compiler/c`) and the `build-host-requires` key, which the current
draft calls `host-requires`.

## Why is this bad?
Tools implementing the current draft do not recognise the old forms, so the dependencies they
declare are lost.

## Example
```toml
[external]
build-requires = ["virtual:compiler/c"]
build-host-requires = ["pkg:generic/openssl"]
```

## Fix safety
Safe: rewrites to `dep:virtual/compiler/c`, `dep:generic/openssl` and `host-requires`.

## References
- [PEP 725](https://peps.python.org/pep-0725/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from buildwise.analysis.external import LEGACY_KEYS, entries, external_keys, legacy_rewrite
from buildwise.model import Edit, Finding, Fix, Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

CODE = "KB303"
NAME = "legacy-external-syntax"
SEVERITY = Severity.WARNING
APPLIES_TO = ("pyproject",)
FIX = "safe"


def check(ctx: LintContext) -> Iterator[Finding]:
    if ctx.pyproject is None:
        return
    doc = ctx.pyproject.toml
    for info in external_keys(doc):
        key = str(info.path[1])
        if key in LEGACY_KEYS and doc.get("external", LEGACY_KEYS[key]) is None:
            new = LEGACY_KEYS[key]
            yield ctx.report(
                info.key_span,
                f"{key!r} is the old name of {new!r} in PEP 725",
                fixes=[Fix(f"Rename to {new}", (Edit(doc.path, info.key_span, new),))],
            )
    for entry in entries(doc):
        new_text = legacy_rewrite(entry.text) if entry.element.kind == "string" else None
        if new_text is None or entry.element.value_span is None:
            continue
        yield ctx.report(
            entry.element.value_span,
            f"{entry.text!r} uses an older PEP 725 draft syntax; the current form is {new_text!r}",
            fixes=[Fix(f"Rewrite as {new_text}", (Edit(doc.path, entry.element.value_span, new_text),))],
        )
