"""ruff-style text lines and the JSON list (the public JSON shape)."""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from buildwise.model import Finding, Severity


@functools.lru_cache(maxsize=16384)
def relpath(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def finding_json(f: Finding) -> dict[str, Any]:
    data = f.to_json()
    data["file"] = relpath(data["file"])
    for fix in data.get("fixes", []):
        for edit in fix["edits"]:
            edit["file"] = relpath(edit["file"])
    return data


def write_json(findings: list[Finding], checked: list[str], out: Any) -> None:
    json.dump([finding_json(f) for f in findings], out, indent=2)
    out.write("\n")


def write_text(findings: list[Finding], checked: list[str], out: Any) -> None:
    for f in findings:
        mark = " [*]" if any(fix.safe for fix in f.fixes) else ""
        where = f"{relpath(f.path)}:{f.span.start.line + 1}:{f.span.start.column + 1}"
        out.write(f"{where}: {f.code}{mark} {f.message}\n")
    if not findings:
        plural = "s" if len(checked) != 1 else ""
        out.write(f"All checks passed! ({len(checked)} file{plural} checked)\n")
        return
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    parts = [
        f"{n} {s.label}{'s' if n != 1 and s != Severity.INFO else ''}"
        for s, n in sorted(counts.items(), reverse=True)
        if n
    ]
    fixable = sum(1 for f in findings if any(fix.safe for fix in f.fixes))
    tail = f" ({fixable} fixable with --fix)" if fixable else ""
    plural = "s" if len(findings) != 1 else ""
    out.write(f"Found {len(findings)} problem{plural}: {', '.join(parts)}{tail}.\n")
