"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...,title=KB201::message``."""

from __future__ import annotations

from typing import Any

from buildwise.model import Finding, Severity
from buildwise.output.plain import relpath

LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.HINT: "notice",
}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(findings: list[Finding], checked: list[str], out: Any) -> None:
    for f in findings:
        props = ",".join(
            [
                f"file={_property(relpath(f.path))}",
                f"line={f.span.start.line + 1}",
                f"col={f.span.start.column + 1}",
                f"endLine={f.span.end.line + 1}",
                f"endColumn={f.span.end.column + 1}",
                f"title={_property(f'{f.code} {f.name}')}",
            ]
        )
        out.write(f"::{LEVEL[f.severity]} {props}::{_data(f'{f.code} {f.message}')}\n")
