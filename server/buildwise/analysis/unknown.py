"""Dependencies the knowledge base does not know, so that they are visible instead of silently fine.

Offline, an unknown dependency is not checked at all (no entry means "no native build known").
With ``--online`` its wheel coverage comes from the index's file list (see ``wheelcheck``), and the
report says what the index showed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from buildwise.analysis.coverage import Status

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext


def unknown_in(ctx: LintContext) -> list[tuple[str, str]]:
    """(name as written, normalized key) of the dependencies of one document with no entry."""
    out: dict[str, str] = {}
    for dep in ctx.dependencies:
        if not dep.parsed.valid or dep.parsed.url or not dep.key:
            continue
        if ctx.kb.package(dep.key) is None:
            out.setdefault(dep.key, dep.parsed.name)
    return [(name, key) for key, name in out.items()]


def _index_note(ctx: LintContext, key: str) -> str | None:
    from buildwise.analysis.wheelcheck import coverage, targets_text

    for cov in coverage(ctx):
        if cov.dep.key != key or cov.source != "index":
            continue
        missing = [v for v in cov.verdicts if v.status != Status.WHEEL]
        return f"no wheel for {targets_text(missing)}" if missing else "wheels for every target"
    return None


def unknown_report(contexts: list[LintContext]) -> list[dict[str, Any]]:
    """One item per unknown dependency across documents: its name, the files that name it and,
    when the index was consulted, what its file list showed."""
    found: dict[str, dict[str, Any]] = {}
    for ctx in contexts:
        for name, key in unknown_in(ctx):
            item = found.setdefault(key, {"name": name, "files": [], "index": None})
            if ctx.path not in item["files"]:
                item["files"].append(ctx.path)
            if item["index"] is None and ctx.index is not None:
                item["index"] = _index_note(ctx, key)
    return sorted(found.values(), key=lambda i: str(i["name"]).lower())


__all__ = ["unknown_in", "unknown_report"]
