"""Writers for ``kb-lint doctor``: a terminal table and Markdown (the editor's report)."""

from __future__ import annotations

from buildwise.analysis.doctor import DoctorReport
from buildwise.analysis.doctor_checks import MISSING, READY
from buildwise.analysis.imports import ImportReport

_MARK = {"ready": "ready", "missing": "MISSING", "unknown": "unknown"}


def _builds(n: int) -> str:
    return "1 source build" if n == 1 else f"{n} source builds"


def _summary(report: DoctorReport) -> str:
    if not report.builds:
        return "Nothing needs building from source for this interpreter."
    failing = report.failing
    if failing:
        names = ", ".join(b.name for b in failing)
        return f"{len(failing)} of {_builds(len(report.builds))} would fail here: {names}."
    if all(report.status_of(b) == READY for b in report.builds):
        if len(report.builds) == 1:
            return "The source build has what it needs here."
        return f"All {len(report.builds)} source builds have what they need here."
    return "No build is known to fail, but some needs could not be checked (see above)."


def text(report: DoctorReport) -> str:
    interp = report.interpreter
    lines = [f"Interpreter: {interp.describe()}"]
    lines.append(f"Platform: {interp.kb_platform or interp.sysconfig_platform} ({report.ecosystem} packages)")
    lines.append("")
    if report.builds:
        lines.append(f"pip would compile {_builds(len(report.builds))} here:")
        width = max(len(b.name) for b in report.builds)
        for b in report.builds:
            version = f" {b.version}" if b.version else ""
            lines.append(
                f"  {b.name + version:<{width + 10}} {_MARK[report.status_of(b)]:<8} {b.reason} ({b.source})"
            )
        lines.append("")
    if report.checks:
        width = max(len(c.label) for c in report.checks)
        lines.append(f"  {'Needed':<{width}}  {'Status':<8} Found")
        for c in report.checks:
            lines.append(f"  {c.label:<{width}}  {_MARK[c.status]:<8} {c.found}")
            if c.status != READY:
                for ev in c.evidence:
                    if ev and ev != c.found:
                        lines.append(f"  {'':<{width}}  {'':<8} note: {ev}")
                lines.append(f"  {'':<{width}}  {'':<8} needed by: {', '.join(c.needed_by)}")
        lines.append("")
    for note in report.notes:
        lines.append(f"note: {note}")
    if report.notes:
        lines.append("")
    lines.append(_summary(report))
    if report.command:
        lines.append(f"Install what is missing: {report.command}")
    for advice in report.advice:
        lines.append(f"help: {advice}")
    return "\n".join(lines) + "\n"


def markdown(report: DoctorReport) -> str:
    interp = report.interpreter
    best = interp.tags[0] if interp.tags else "-"
    out = [
        "# kb-lint doctor",
        "",
        f"**Interpreter:** `{interp.executable}` (CPython {interp.full_version}, "
        f"{interp.kb_platform or interp.sysconfig_platform}, best tag `{best}`)",
        "",
        f"**{_summary(report)}**",
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


def imports_text(report: ImportReport) -> str:
    lines: list[str] = [f"problem: {p}" for p in report.problems]
    lines.append(f"Imported the native modules of {len(report.checked)} installed distributions.")
    for f in report.failures:
        lines.append(f"  {f.distribution} {f.version}: `import {f.module}` fails: {f.error}")
        if f.library:
            provider = ", ".join(f.packages) or "no package known for it"
            lines.append(f"      missing shared library {f.library}: install {provider}")
    if not report.failures and not report.problems:
        lines.append("All of them load.")
    return "\n".join(lines) + "\n"
