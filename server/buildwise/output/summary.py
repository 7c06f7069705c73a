"""``--format summary``: one JSON object with counts per severity and rule, and the dependencies the
knowledge base does not know (with what the index showed, under --online)."""

from __future__ import annotations

import json
from typing import Any

from buildwise.model import Finding, Severity


def write_summary(
    findings: list[Finding],
    checked: list[str],
    out: Any,
    unknown: list[dict[str, Any]] | None = None,
    targets: list[dict[str, Any]] | None = None,
) -> None:
    """``targets``: per project, the Pythons and platforms checked and where they came from."""
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f.code] = by_code.get(f.code, 0) + 1
    data = {
        "files_checked": len(checked),
        "findings": len(findings),
        "by_severity": {s.label: sum(1 for f in findings if f.severity == s) for s in Severity},
        "by_code": dict(sorted(by_code.items())),
        "unknown_dependencies": unknown or [],
        "targets": targets or [],
    }
    json.dump(data, out, indent=2)
    out.write("\n")


__all__ = ["write_summary"]
