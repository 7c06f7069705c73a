"""Report formats for kb-lint check: text, json, sarif, github, junit, summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from buildwise.model import Finding

Writer = Callable[[list[Finding], list[str], Any], None]

FORMATS = ("text", "json", "sarif", "github", "junit", "summary")


_WRITERS = {
    "text": ("text", "write_text"),
    "json": ("plain", "write_json"),
    "sarif": ("sarif", "write_sarif"),
    "github": ("github", "write_github"),
    "junit": ("junit", "write_junit"),
    "summary": ("summary", "write_summary"),
}


def writer(fmt: str) -> Writer:
    """The writer for ``fmt``; only its module is imported (junit's XML, SARIF's rule table)."""
    import importlib

    module, name = _WRITERS[fmt]
    found: Writer = getattr(importlib.import_module(f"buildwise.output.{module}"), name)
    return found
