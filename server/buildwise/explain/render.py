"""Explanations as a terminal reads them (text) and as an editor shows them (Markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # model.Explanation.to_text()/to_markdown() call in here; types only, no cycle
    from buildwise.explain.model import Explanation


def _where(e: Explanation) -> str:
    parts = []
    if e.package:
        parts.append(f"{e.package} {e.version}" if e.version else e.package)
    if e.python:
        parts.append(f"CPython {e.python}" + ("" if e.python_source == "log" else f" ({e.python_source})"))
    if e.platform:
        parts.append(e.platform + ("" if e.platform_source == "log" else f" ({e.platform_source})"))
    if e.installer:
        parts.append(f"{e.installer} {e.installer_version}" if e.installer_version else e.installer)
    return ", ".join(parts)


_BASIS = {"knowledge": "from the knowledge base", "guess": "a guess: the log does not show it"}


def _basis(e: Explanation) -> str:
    basis = e.causes[0].basis if e.causes else "log"
    return f"  ({_BASIS[basis]})" if basis in _BASIS else ""


def text(e: Explanation) -> str:
    lines = [f"{e.title}  [{e.cause_kind}]{_basis(e)}"]
    where = _where(e)
    if where:
        lines.append(f"  {'while building' if e.package else 'where'}: {where}")
    if e.evidence is not None:
        lines.append(f"  log line {e.evidence.line}: {e.evidence.text}")
    if e.build_error is not None:
        kind, ev = e.build_error
        if e.evidence is not None and ev.line == e.evidence.line:
            lines.append(f"  (the build error on that line: {kind})")
        else:
            lines.append(f"  build error ({kind}) at line {ev.line}: {ev.text}")
    lines += ["", "Why:", f"  {e.explanation}"]
    if e.fix:
        lines += ["", "Fix (best first):"]
        for n, step in enumerate(e.fix, 1):
            lines.append(f"  {n}. {step.title}")
            for cmd in step.commands:
                lines.append(f"       {cmd}")
            if step.note:
                lines.append(f"     ({step.note})")
    others = {eco: names for eco, names in e.system_packages.items() if names and eco != e.distro}
    if others and any(step.kind == "system-packages" for step in e.fix):
        lines += ["", "System packages on other platforms:"]
        for eco, names in others.items():
            lines.append(f"  {eco:<12} {' '.join(names)}")
    if e.verify:
        lines += ["", "Check:"]
        lines += [f"  {cmd}" for cmd in e.verify]
    if e.notes:
        lines += ["", "Notes:"]
        lines += [f"  - {note}" for note in e.notes]
    return "\n".join(lines) + "\n"


def _code(cmds: tuple[str, ...] | list[str]) -> list[str]:
    return ["```sh", *cmds, "```"] if cmds else []


def markdown(e: Explanation) -> str:
    out = [
        f"### {e.title}",
        "",
        f"`{e.cause_kind}`" + (f" — {_where(e)}" if _where(e) else "") + _basis(e),
        "",
    ]
    if e.evidence is not None:
        out += [f"**Log line {e.evidence.line}:**", "", "```text", e.evidence.text, "```", ""]
    if e.build_error is not None:
        kind, ev = e.build_error
        if e.evidence is not None and ev.line == e.evidence.line:
            out += [f"(The build error on that line: `{kind}`.)", ""]
        else:
            out += [f"**Build error ({kind}), line {ev.line}:**", "", "```text", ev.text, "```", ""]
    out += ["**Why.** " + e.explanation, ""]
    if e.fix:
        out += ["**Fix** (best first):", ""]
        for n, step in enumerate(e.fix, 1):
            out.append(f"{n}. {step.title}" + (f" — {step.note}" if step.note else ""))
            if step.commands:
                out += ["", *(f"   {line}" for line in _code(step.commands)), ""]
        out.append("")
    packages = {eco: names for eco, names in e.system_packages.items() if names}
    if packages and any(step.kind == "system-packages" for step in e.fix):
        out += ["**System packages:**", "", "| ecosystem | packages |", "|---|---|"]
        out += [f"| {eco} | {' '.join(names)} |" for eco, names in packages.items()]
        out.append("")
    if e.verify:
        out += ["**Check:**", "", *_code(e.verify), ""]
    if e.notes:
        out += [f"- {note}" for note in e.notes]
    return "\n".join(out).rstrip() + "\n"


__all__ = ["markdown", "text"]
