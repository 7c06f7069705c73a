"""``kb-lint doctor``: will the source builds pip needs for this project succeed on this machine?

Combines what gets built (doctor_builds) with what each build needs and whether this machine has
it (doctor_checks). Never installs anything, never runs project code, touches the network only
through an index client the caller passes (``--online``).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from buildwise.analysis.doctor_builds import Build, builds_here
from buildwise.analysis.doctor_checks import MISSING, READY, UNKNOWN, Check, Checker
from buildwise.analysis.interpreter import Interpreter
from buildwise.analysis.probes import Machine
from buildwise.knowledge import PYTHON_HEADERS_ID, KnowledgeBase

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext
    from buildwise.analysis.index import IndexClient
    from buildwise.project import Project


@dataclass
class DoctorReport:
    interpreter: Interpreter
    ecosystem: str
    builds: list[Build]
    checks: list[Check]
    notes: list[str] = field(default_factory=list)
    command: str = ""
    advice: list[str] = field(default_factory=list)

    def status_of(self, build: Build) -> str:
        """ready | missing | unknown for one build."""
        if not build.known:
            return UNKNOWN
        mine = [c for c in self.checks if build.name in c.needed_by]
        if any(c.status == MISSING for c in mine):
            return MISSING
        if any(c.status == UNKNOWN for c in mine):
            return UNKNOWN
        return READY

    @property
    def failing(self) -> list[Build]:
        return [b for b in self.builds if self.status_of(b) == MISSING]

    @property
    def ok(self) -> bool:
        return not self.failing

    def summary(self) -> str:
        """One sentence: does everything pip compiles here have what it needs?"""
        if not self.builds:
            return "Nothing needs building from source for this interpreter."
        failing = self.failing
        if failing:
            names = ", ".join(b.name for b in failing)
            return f"{len(failing)} of {count_builds(len(self.builds))} would fail here: {names}."
        if all(self.status_of(b) == READY for b in self.builds):
            if len(self.builds) == 1:
                return "The source build has what it needs here."
            return f"All {len(self.builds)} source builds have what they need here."
        return "No build is known to fail, but some needs could not be checked (see above)."

    def to_json(self) -> dict[str, Any]:
        return {
            "interpreter": self.interpreter.to_json(),
            "ecosystem": self.ecosystem,
            "ok": self.ok,
            "builds": [{**b.to_json(), "status": self.status_of(b)} for b in self.builds],
            "checks": [c.to_json() for c in self.checks],
            "missing": [c.identifier for c in self.checks if c.status == MISSING],
            "command": self.command,
            "advice": self.advice,
            "notes": self.notes,
        }


def count_builds(n: int) -> str:
    return "1 source build" if n == 1 else f"{n} source builds"


def install_command(kb: KnowledgeBase, ecosystem: str, packages: list[str]) -> str:
    from buildwise.analysis.sysdeps import INSTALL_COMMANDS

    template = INSTALL_COMMANDS.get(ecosystem)
    if template is None or not packages:
        return ""
    return template.format(" ".join(shlex.quote(p) for p in dict.fromkeys(packages)))


def doctor(
    kb: KnowledgeBase,
    interp: Interpreter,
    machine: Machine,
    ecosystem: str,
    project: Project,
    contexts: Iterable[LintContext],
    index: IndexClient | None = None,
) -> DoctorReport:
    builds, notes = builds_here(kb, interp, project, contexts, index)
    # identifier -> (version constraints, needed by), in first-needed order; compilers imply
    # Python's headers (PEP 725).
    needs: dict[str, tuple[list[str], list[str]]] = {}
    for build in builds:
        for spec in build.needs:
            versions, by = needs.setdefault(spec.id, ([], []))
            if spec.version:
                versions.append(spec.version)
            if build.name not in by:
                by.append(build.name)
        if any(s.id.startswith("dep:virtual/compiler/") for s in build.needs):
            _, by = needs.setdefault(PYTHON_HEADERS_ID, ([], []))
            if build.name not in by:
                by.append(build.name)
    checker = Checker(kb, machine, interp, ecosystem)
    checker.prefetch_installed([i for i in needs if i != PYTHON_HEADERS_ID])
    checks = [checker.check(ident, versions, by) for ident, (versions, by) in needs.items()]
    missing = [c for c in checks if c.status == MISSING]
    packages = [p for c in missing for p in c.packages]
    report = DoctorReport(interp, ecosystem, builds, checks, notes)
    report.command = install_command(kb, ecosystem, packages)
    report.advice = list(dict.fromkeys(c.advice for c in missing if c.advice))
    if missing and not packages and ecosystem not in ("debian", "ubuntu", "fedora", "alpine", "arch"):
        for check in missing:
            info = kb.identifier(check.identifier)
            if info is not None and info.windows.get("notes") and machine.platform == "win32":
                report.advice.append(str(info.windows["notes"]))
    for build in builds:
        if not build.known:
            report.notes.append(f"{build.name}: the knowledge base does not know what its source build needs")
    return report
