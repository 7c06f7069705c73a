"""The terminal writer for ``kb-lint doctor`` (the editor's Markdown report is in lsp/doctor.py)."""

from __future__ import annotations

from buildwise.analysis.doctor import DoctorReport, count_builds
from buildwise.analysis.doctor_checks import READY
from buildwise.analysis.imports import ImportReport

_MARK = {"ready": "ready", "missing": "MISSING", "unknown": "unknown"}


def text(report: DoctorReport) -> str:
    interp = report.interpreter
    lines = [f"Interpreter: {interp.describe()}"]
    lines.append(f"Platform: {interp.kb_platform or interp.sysconfig_platform} ({report.ecosystem} packages)")
    lines.append("")
    if report.builds:
        lines.append(f"pip would compile {count_builds(len(report.builds))} here:")
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
    lines.append(report.summary())
    if report.command:
        lines.append(f"Install what is missing: {report.command}")
    for advice in report.advice:
        lines.append(f"help: {advice}")
    return "\n".join(lines) + "\n"


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
