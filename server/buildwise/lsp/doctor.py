"""The editor's "Check this machine" report: ``kb-lint doctor`` as Markdown."""

from __future__ import annotations

from buildwise.analysis.doctor import DoctorReport
from buildwise.analysis.doctor_checks import MISSING


def markdown(report: DoctorReport) -> str:
    interp = report.interpreter
    best = interp.tags[0] if interp.tags else "-"
    out = [
        "# kb-lint doctor",
        "",
        f"**Interpreter:** `{interp.executable}` (CPython {interp.full_version}, "
        f"{interp.kb_platform or interp.sysconfig_platform}, best tag `{best}`)",
        "",
        f"**{report.summary()}**",
        "",
    ]
    if report.command:
        out += ["Install what is missing:", "", "```sh", report.command, "```", ""]
    for advice in report.advice:
        out += [f"- {advice}", ""]
    if report.builds:
        out += ["## Built from source here", "", "| Package | Status | Why |", "|---|---|---|"]
        for b in report.builds:
            out.append(f"| {b.name} {b.version or ''} | {report.status_of(b)} | {b.reason} ({b.source}) |")
        out.append("")
    if report.checks:
        out += ["## What the builds need", "", "| Needed | Status | Found | Needed by |", "|---|---|---|---|"]
        for c in report.checks:
            found = c.found.replace("|", "\\|")
            status = f"**{c.status}**" if c.status == MISSING else c.status
            out.append(f"| {c.label} | {status} | {found} | {', '.join(c.needed_by)} |")
        out.append("")
    if report.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in report.notes] + [""]
    return "\n".join(out)
