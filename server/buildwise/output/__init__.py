"""Report formats for kb-lint check: text, json, sarif, github, junit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from buildwise.model import Finding

Writer = Callable[[list[Finding], list[str], Any], None]

FORMATS = ("text", "json", "sarif", "github", "junit")


def writer(fmt: str) -> Writer:
    from buildwise.output import github, junit, plain, sarif

    return {
        "text": plain.write_text,
        "json": plain.write_json,
        "sarif": sarif.write_sarif,
        "github": github.write_github,
        "junit": junit.write_junit,
    }[fmt]
