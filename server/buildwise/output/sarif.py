"""SARIF 2.1.0 that GitHub code scanning ingests: rules with help and help URI, results with
relative physical locations, and fixes where we have them."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from buildwise import __version__
from buildwise.model import Edit, Finding, Severity, Span
from buildwise.rules import PROJECT_URL, all_rules

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _inside(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` as a URI reference, or None when it is not under ``root``."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return None
    parts = Path(rel).parts
    if os.path.isabs(rel) or (parts and parts[0] == os.pardir):
        return None
    return quote(Path(rel).as_posix())


def _artifact(path: str) -> dict[str, str]:
    """A relative URI under %SRCROOT% (the working directory) when the file is below it, whether
    the paths are spelled relative, absolute, with ``..`` or through a symlink; else an absolute
    ``file://`` URI without a uriBaseId (SARIF1004: no absolute URI under a base)."""
    absolute = os.path.abspath(path)
    root = os.getcwd()
    for candidate, base in ((absolute, root), (os.path.realpath(absolute), os.path.realpath(root))):
        rel = _inside(candidate, base)
        if rel is not None:
            return {"uri": rel, "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(os.path.realpath(absolute)).as_uri()}


def _uri(path: str) -> str:
    return _artifact(path)["uri"]


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.start.line + 1,
        "startColumn": span.start.column + 1,
        "endLine": span.end.line + 1,
        "endColumn": span.end.column + 1,
    }


def _location(path: str, span: Span) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(path),
            "region": _region(span),
        }
    }


def _replacement(edit: Edit) -> dict[str, Any]:
    return {"deletedRegion": _region(edit.span), "insertedContent": {"text": edit.new_text}}


def _rules() -> list[dict[str, Any]]:
    out = []
    for r in all_rules():
        out.append(
            {
                "id": r.code,
                "name": "".join(p.capitalize() for p in r.name.split("-")),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc, "markdown": r.doc},
                "helpUri": r.url,
                "defaultConfiguration": {"level": LEVEL[r.severity]},
                "properties": {"tags": ["build", "packaging"], "problem.severity": LEVEL[r.severity]},
            }
        )
    return out


def sarif_log(findings: list[Finding]) -> dict[str, Any]:
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        fingerprint = hashlib.sha256(f"{f.code}:{_uri(f.path)}:{f.message}".encode()).hexdigest()[:32]
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index.get(f.code, 0),
            "level": LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f.path, f.span)],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        }
        fixes = []
        for fix in f.fixes:
            by_file: dict[str, list[Edit]] = {}
            for e in fix.edits:
                by_file.setdefault(e.path, []).append(e)
            fixes.append(
                {
                    "description": {"text": fix.title + ("" if fix.safe else " (unsafe)")},
                    "artifactChanges": [
                        {
                            "artifactLocation": _artifact(path),
                            "replacements": [_replacement(e) for e in edits],
                        }
                        for path, edits in by_file.items()
                    ],
                }
            )
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kb-lint",
                        "fullName": "buildwise kb-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def write_sarif(findings: list[Finding], checked: list[str], out: Any) -> None:
    json.dump(sarif_log(findings), out, indent=2)
    out.write("\n")
