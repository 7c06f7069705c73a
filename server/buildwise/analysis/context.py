"""What a rule sees: one document, its dependencies, its project and the knowledge base.

The engine builds one per linted file; analyses cache shared facts on it (``cache``) and rules
report findings through it. It knows a rule only by its code, name and default severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from buildwise.analysis.index import IndexClient
from buildwise.knowledge import KnowledgeBase
from buildwise.model import Finding, Fix, Note, Severity, Span
from buildwise.parse.declared import DependencyFile, Problem
from buildwise.parse.locks import LockFile
from buildwise.project import Project, PyprojectDocument, RequirementsDocument
from buildwise.project.config import Config
from buildwise.project.facts import Dependency


class RuleIdentity(Protocol):
    """The part of a rule a finding carries (the registry's ``Rule`` has it)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def severity(self) -> Severity: ...


@dataclass
class LintContext:
    """What a rule sees: the document, its dependencies, the project and the knowledge base."""

    kb: KnowledgeBase
    project: Project
    path: str
    kind: str  # "pyproject" | "requirements" | "lock" | "manifest"
    pyproject: PyprojectDocument | None = None
    requirements: RequirementsDocument | None = None
    lock: LockFile | None = None
    #: setup.cfg, setup.py, Pipfile, Pipfile.lock, tox.ini, a conda environment, a PEP 723 script
    manifest: DependencyFile | None = None
    #: What the document's format parser found wrong (Poetry tables, the files above), by kind.
    problems: list[Problem] = field(default_factory=list)
    #: Index answers already in memory (opt-in online mode); rules never wait for the network.
    index: IndexClient | None = None
    dependencies: list[Dependency] = field(default_factory=list)
    #: Facts several rules share, computed by the first one that needs them.
    cache: dict[str, Any] = field(default_factory=dict)
    _rule: RuleIdentity | None = None
    _found: list[Finding] = field(default_factory=list)

    @property
    def config(self) -> Config:
        return self.project.config

    @property
    def lines(self) -> list[str]:
        if self.pyproject is not None:
            return self.pyproject.toml.index.lines
        if self.requirements is not None:
            return self.requirements.parsed.lines
        if self.lock is not None:
            return self.lock.doc.index.lines
        if self.manifest is not None:
            return self.manifest.lines
        return []

    def report(
        self,
        span: Span,
        message: str,
        *,
        fixes: Iterable[Fix] = (),
        severity: Severity | None = None,
        data: dict[str, Any] | None = None,
        path: str | None = None,
        notes: Iterable[Note] = (),
    ) -> Finding:
        assert self._rule is not None
        rule = self._rule
        finding = Finding(
            code=rule.code,
            name=rule.name,
            severity=severity or rule.severity,
            message=message,
            path=path or self.path,
            span=span,
            fixes=tuple(fixes),
            data=data or {},
            notes=tuple(notes),
        )
        self._found.append(finding)
        return finding
