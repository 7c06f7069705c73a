"""The JSON list (the public JSON shape) and paths as the reports print them."""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from buildwise.model import Finding


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
