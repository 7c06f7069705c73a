"""``Workspace.lint_file()``: the one entry point the CLI and the language server share.

parse (done by the workspace, cached) -> facts (per document) -> rules (each isolated: an exception
in one is reported through ``on_rule_error`` and the others still run) -> suppressions -> findings.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from buildwise.analysis.context import LintContext
from buildwise.analysis.index import IndexClient, resolve_index_url
from buildwise.knowledge import KnowledgeBase
from buildwise.knowledge.loader import cache_dir
from buildwise.model import Finding, Severity, Span
from buildwise.parse.declared import Problem
from buildwise.parse.lock_schema import LockProblem
from buildwise.parse.locks import parse_lock
from buildwise.parse.poetry import poetry_dependencies
from buildwise.project import (
    IncludeGraph,
    Project,
    load_requirements_document,
)
from buildwise.project.config import Config, _path_matches
from buildwise.project.facts import declared_dependencies, pyproject_dependencies, requirements_dependencies
from buildwise.project.files import FileReader, discover, is_lock_file, is_pyproject
from buildwise.project.manifests import manifest_kind, parse_manifest
from buildwise.project.repodocs import RepoDocs
from buildwise.project.sourcetree import SourceTree
from buildwise.project.targets import supported_pythons
from buildwise.rules import all_rules

if TYPE_CHECKING:
    from buildwise.analysis.doctor import DoctorReport

RuleErrorHandler = Callable[[str, str, BaseException], None]

_SUPPRESS_RE = re.compile(r"#\s*kb-lint:\s*ignore(?P<file>-file)?\b(?:\[(?P<codes>[^\]]*)\])?", re.I)


def _suppressions(lines: list[str]) -> tuple[dict[int, set[str] | None], set[str] | None, bool]:
    """Line -> suppressed codes (None = all), file-level codes, whether the whole file is ignored."""
    per_line: dict[int, set[str] | None] = {}
    file_codes: set[str] = set()
    whole_file = False
    for n, line in enumerate(lines):
        if "kb-lint" not in line:
            continue
        for m in _SUPPRESS_RE.finditer(line):
            codes = {c.strip().upper() for c in (m["codes"] or "").split(",") if c.strip()} or None
            if m["file"]:
                if codes is None:
                    whole_file = True
                else:
                    file_codes |= codes
            else:
                existing = per_line.get(n, set())
                per_line[n] = None if codes is None or existing is None else existing | codes
    return per_line, file_codes, whole_file


def _suppressed(code: str, codes: set[str] | None) -> bool:
    return codes is None or any(code.startswith(c) for c in codes)


def apply_suppressions(findings: list[Finding], lines: list[str]) -> list[Finding]:
    if not any("kb-lint" in line for line in lines):
        return findings
    per_line, file_codes, whole_file = _suppressions(lines)
    if whole_file:
        return []
    kept = []
    for f in findings:
        if file_codes and _suppressed(f.code, file_codes):
            continue
        if any(
            n in per_line and _suppressed(f.code, per_line[n])
            for n in range(f.span.start.line, f.span.end.line + 1)
        ):
            continue
        kept.append(f)
    return kept


def run_rules(ctx: LintContext, on_rule_error: RuleErrorHandler | None = None) -> list[Finding]:
    config = ctx.config
    relpath = ctx.project.relpath(ctx.path)
    for rule in all_rules():
        if ctx.kind not in rule.applies_to or not config.enabled(rule.code, relpath):
            continue
        ctx._rule = rule
        try:
            for _ in rule.check(ctx) or ():
                pass
        except Exception as exc:  # one broken rule must not take the others down
            if on_rule_error is not None:
                on_rule_error(rule.code, ctx.path, exc)
    ctx._rule = None
    findings = []
    for f in ctx._found:
        if f.path != ctx.path and not config.enabled(f.code, ctx.project.relpath(f.path)):
            continue
        severity = config.severity_for(f.code, f.severity)
        findings.append(f if severity == f.severity else _with_severity(f, severity))
    return findings


#: Identical findings (same rule, same message) one file may show before the rest are folded in.
REPEAT_LIMIT = 10


def fold_repeats(findings: list[Finding], limit: int = REPEAT_LIMIT) -> list[Finding]:
    """Keep the first ``limit`` of each set of identical findings in a file and fold the others
    into the last one kept ("... and 7,990 more on lines 11, 12, ..."). A 16,000-line file that
    repeats one package gives ten findings, not a 146 MB report; ``--fix`` still reaches every
    one (each round re-lints)."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for n, f in enumerate(findings):
        groups.setdefault((f.path, f.code, f.message), []).append(n)
    if all(len(g) <= limit for g in groups.values()):
        return findings
    keep: dict[int, Finding] = {}
    for members in groups.values():
        for n in members[:limit]:
            keep[n] = findings[n]
        rest = members[limit:]
        if rest:
            last = findings[members[limit - 1]]
            lines = ", ".join(str(findings[n].span.start.line + 1) for n in rest[:10])
            more = ", ..." if len(rest) > 10 else ""
            note = f" (and {len(rest):,} more identical findings in this file, on lines {lines}{more})"
            keep[members[limit - 1]] = Finding(
                last.code,
                last.name,
                last.severity,
                last.message + note,
                last.path,
                last.span,
                last.fixes,
                {**last.data, "repeats": len(rest)},
                last.notes,
            )
    return [keep[n] for n in sorted(keep)]


def _with_severity(f: Finding, severity: Severity) -> Finding:
    return Finding(f.code, f.name, severity, f.message, f.path, f.span, f.fixes, f.data, f.notes)


class Workspace:
    """Projects by root, a file reader (editor buffers first), the knowledge base, and settings."""

    def __init__(
        self,
        kb: KnowledgeBase,
        reader: FileReader | None = None,
        overrides: Config | None = None,
        override_origin: str = "cli",
        on_rule_error: RuleErrorHandler | None = None,
    ) -> None:
        self.kb = kb
        self.reader = reader or FileReader()
        self.overrides = overrides
        self.override_origin = override_origin
        self.on_rule_error = on_rule_error
        self._projects: dict[str, Project] = {}
        self._trees: dict[str, SourceTree] = {}
        self._docs: dict[str, RepoDocs] = {}
        self._index_clients: dict[str, IndexClient] = {}
        #: Files named on the command line (a .py file there is a PEP 723 script).
        self.explicit_files: set[str] = set()
        #: Fold identical findings beyond REPEAT_LIMIT per file (off while ``--fix`` works).
        self.fold_repeats = True
        #: Work from the index cache only (``--offline``), never the network.
        self.index_offline = False
        #: Test-data folders the last ``lint_paths`` left out (for ``--verbose``).
        self.skipped: list[str] = []
        #: What a project that names no Python is checked for: the releases supported today.
        self.default_pythons = supported_pythons(
            [info for v in kb.pythons if (info := kb.python_info(v)) is not None], date.today()
        )
        #: path -> project root, only while :meth:`lint_paths` runs (no file appears meanwhile).
        self._roots: dict[str, Path] | None = None

    def project_root(self, path: str | Path) -> Path:
        absolute = os.path.abspath(path)
        if self._roots is not None:
            found = self._roots.get(absolute)
            if found is None:
                found = self._roots[absolute] = self._find_root(absolute)
            return found
        return self._find_root(absolute)

    def _find_root(self, absolute: str) -> Path:
        start = Path(absolute)
        directory = start if start.is_dir() else start.parent
        for candidate in (directory, *directory.parents):
            if self.reader.exists(candidate / "pyproject.toml"):
                return candidate
        return directory

    def _forget_project(self, root: str) -> None:
        """Drop what a finished project cached (lint_paths: memory stays flat over many projects)."""
        self._projects.pop(root, None)
        self._trees.pop(root, None)
        self._docs.pop(root, None)

    def project_for(self, path: str | Path) -> Project:
        root = self.project_root(path)
        key = str(root)
        project = self._projects.get(key)
        if project is None:
            project = Project(
                root, self.reader, self.kb.pythons, self._trees, self._docs, self.default_pythons
            )
            project.apply_overrides(self.overrides, self.override_origin)
            self._projects[key] = project
        return project

    def invalidate(
        self, path: str | Path | None = None, *, source_tree: bool = False, docs: bool = False
    ) -> None:
        """Forget cached projects (all, or the one owning ``path``), or only its source-tree scan or
        its documentation scan."""
        if path is None:
            self._projects.clear()
            self._docs.clear()
            return
        root = str(self.project_root(path))
        if source_tree:
            self._trees.pop(root, None)
        elif docs:
            self._docs.pop(root, None)
        else:
            self._projects.pop(root, None)

    def index_client(self, project: Project) -> IndexClient | None:
        """The index client for a project that opted in to online look-ups (None otherwise)."""
        if not project.config.online:
            return None
        url = resolve_index_url(project.config.index_url)
        if url is None:
            return None
        client = self._index_clients.get(url)
        if client is None:
            client = self._index_clients[url] = IndexClient(url, cache_dir(), offline=self.index_offline)
        return client

    def context_for(self, path: str, graph: IncludeGraph | None = None) -> LintContext | None:
        ctx = self._context_for(path, graph)
        if ctx is not None:
            ctx.index = self.index_client(ctx.project)
        return ctx

    def _context_for(self, path: str, graph: IncludeGraph | None = None) -> LintContext | None:
        path = os.path.abspath(path)
        project = self.project_for(path)
        if is_pyproject(path):
            if project.pyproject is None or os.path.abspath(project.pyproject.path) != path:
                project = Project(
                    Path(path).parent,
                    self.reader,
                    self.kb.pythons,
                    self._trees,
                    self._docs,
                    self.default_pythons,
                )
                project.apply_overrides(self.overrides, self.override_origin)
            doc = project.pyproject
            if doc is None:
                return None
            ctx = LintContext(self.kb, project, path, "pyproject", pyproject=doc)
            ctx.dependencies = pyproject_dependencies(doc.toml)
            ctx.problems = poetry_dependencies(doc.toml).problems
            return ctx
        if is_lock_file(path):
            read = self.reader.read(path)
            lock = parse_lock(read.text or "", path)
            if read.problem is not None:  # not read (too large, outside the project ...) or not UTF-8
                at = Span.point(*read.problem_at) if read.problem_at else Span.point(0, 0)
                name = os.path.basename(path)
                verb = "is " if read.problem_at else ""
                lock.problems.insert(0, LockProblem(at, f"{name} {verb}{read.problem}"))
            return LintContext(self.kb, project, path, "lock", lock=lock)
        kind = manifest_kind(path, explicit=self.is_script(path, project))
        if kind is not None:
            read = self.reader.read(path)
            if read.text is None:
                return None
            manifest = parse_manifest(read.text, path, kind)
            if kind == "script" and manifest.requires_python:
                project = project.with_python(manifest.requires_python, "script requires-python")
            ctx = LintContext(self.kb, project, path, "manifest", manifest=manifest)
            ctx.dependencies = declared_dependencies(path, manifest.requirements)
            ctx.problems = [p for p in manifest.problems if not self._read_elsewhere(p, path)]
            return ctx
        if path.endswith(".py"):
            return None  # a Python file that is not a script kb-lint was asked to read
        graph = graph or IncludeGraph(self.reader)
        req = load_requirements_document(path, graph)
        ctx = LintContext(self.kb, project, path, "requirements", requirements=req)
        ctx.dependencies = requirements_dependencies(path, req.parsed.requirements, constraint=req.constraint)
        return ctx

    def is_script(self, path: str, project: Project) -> bool:
        """A .py file (other than setup.py) whose PEP 723 block kb-lint reads: named on the command
        line, or matched by ``[tool.kb-lint] scripts``."""
        if not path.endswith(".py") or os.path.basename(path) == "setup.py":
            return False
        if os.path.normcase(os.path.abspath(path)) in self.explicit_files:
            return True
        return any(_path_matches(project.relpath(path), g) for g in project.config.scripts)

    def lint_file(
        self, path: str, graph: IncludeGraph | None = None, ctx: LintContext | None = None
    ) -> list[Finding]:
        ctx = ctx or self.context_for(path, graph)
        if ctx is None:
            return []
        findings = run_rules(ctx, self.on_rule_error)
        own = [f for f in findings if f.path == ctx.path]
        other = [f for f in findings if f.path != ctx.path]
        found = sorted(apply_suppressions(own, ctx.lines) + other, key=Finding.sort_key)
        return fold_repeats(found) if self.fold_repeats else found

    def _prefetch_index(self, paths: list[Path], graph: IncludeGraph) -> dict[str, LintContext]:
        """Online mode: look every dependency up before the rules run (in parallel), and keep the
        contexts built for that so nothing is parsed twice."""
        contexts: dict[str, LintContext] = {}
        wanted: dict[IndexClient, set[str]] = {}
        for path in paths:
            if not self._may_be_online(path) or not self.project_for(path).config.online:
                continue
            ctx = self.context_for(str(path), graph)
            if ctx is None or ctx.index is None:
                continue
            contexts[str(path)] = ctx
            wanted.setdefault(ctx.index, set()).update(d.key for d in ctx.dependencies if d.parsed.valid)
        for client, names in wanted.items():
            client.prefetch(names)
        return contexts

    def _may_be_online(self, path: Path) -> bool:
        """False when the project cannot have opted in to index look-ups (no --online)."""
        if self.overrides is not None and self.overrides.online:
            return True
        return self._mentions(path, "online")

    def _mentions(self, path: Path, setting: str) -> bool:
        """Whether the pyproject.toml of ``path``'s project contains the word ``setting`` at all: a
        project without it cannot have set it, and is not built up front (and held in memory, for
        every project of a big run) just to read its [tool.kb-lint] table."""
        text = self.reader.read(self.project_root(path) / "pyproject.toml").text
        return text is not None and setting in text

    def lint_paths(
        self, paths: list[Path], progress: Callable[[int, int], None] | None = None
    ) -> tuple[list[Finding], list[str]]:
        """Lint every file found under ``paths``, and every requirements file they include:
        (findings, checked files). ``progress(done, total)`` is called after each file."""
        graph = IncludeGraph(self.reader)
        findings: list[Finding] = []
        checked: list[str] = []
        seen: set[str] = set()
        self._roots = {}
        try:
            include_test_data = (self.overrides is not None and self.overrides.include_test_data) or any(
                self._mentions(p, "include-test-data") and self.project_for(p).config.include_test_data
                for p in paths
            )
            self.skipped = []
            queue = deque(
                discover(
                    paths,
                    self.overrides.exclude if self.overrides else (),
                    include_test_data=include_test_data,
                    skipped=self.skipped,
                )
            )
            self.explicit_files |= {os.path.normcase(os.path.abspath(p)) for p in paths if p.is_file()}
            queue += self._configured_scripts(list(queue))
            contexts = self._prefetch_index(list(queue), graph)
            current: str | None = None
            while queue:
                path = queue.popleft()
                key = os.path.normcase(os.path.abspath(path))
                if key in seen:
                    continue
                seen.add(key)
                root = str(self.project_root(path))
                if root != current:
                    # Files come project by project: the one before is done. Its parsed documents,
                    # scans and requirements files go (an include reached later is read again).
                    if current is not None and not contexts:
                        self._forget_project(current)
                        graph = IncludeGraph(self.reader)
                    current = root
                project = self.project_for(path)
                if project.config.excluded(project.relpath(str(path))):
                    continue
                checked.append(str(path))
                findings += self.lint_file(str(path), graph, contexts.get(str(path)))
                if progress is not None:
                    progress(len(seen), len(seen) + len(queue))
                if manifest_kind(path) is not None:
                    queue += self._manifest_includes(path)
                elif not is_pyproject(path) and not is_lock_file(path) and not str(path).endswith(".py"):
                    _read, parsed = graph.load(str(path))
                    for include in parsed.includes if parsed is not None else ():
                        target = graph.target_path(str(path), include)
                        # (a target outside the project is reported on the include, never opened)
                        if (
                            not include.unresolved
                            and self.reader.outside(target) is None
                            and os.path.isfile(target)
                        ):
                            queue.append(Path(target))
        finally:
            self._roots = None
        return findings, checked

    def _read_elsewhere(self, problem: Problem, path: str) -> bool:
        """A computed setup.py list that reads requirements files which exist: their dependencies
        are checked there, so the hint would tell the user nothing."""
        folder = os.path.dirname(path)
        return (
            problem.kind == "dynamic"
            and bool(problem.reads)
            and all(self.reader.exists(os.path.join(folder, name)) for name in problem.reads)
        )

    def _configured_scripts(self, found: list[Path]) -> list[Path]:
        """Scripts matched by ``[tool.kb-lint] scripts`` in the projects found."""
        out: list[Path] = []
        for path in found:
            if not is_pyproject(path) or not self._mentions(path, "scripts"):
                continue
            project = self.project_for(path)
            for pattern in project.config.scripts:
                out += sorted(p for p in project.root.glob(pattern) if p.is_file() and p.suffix == ".py")
        return out

    def _manifest_includes(self, path: Path) -> list[Path]:
        """Requirements files a setup.cfg reads (``install_requires = file: requirements.in``)."""
        if path.name != "setup.cfg":
            return []
        read = self.reader.read(path)
        if read.text is None:
            return []
        manifest = parse_manifest(read.text, str(path), "setup.cfg")
        return [path.parent / name for name in manifest.includes if (path.parent / name).is_file()]

    def contexts_under(self, root: Path) -> list[LintContext]:
        """A context for each pyproject.toml and requirements file under ``root`` (lock files are
        read through their project)."""
        out: list[LintContext] = []
        for path in discover([root], self.overrides.exclude if self.overrides else ()):
            if is_lock_file(path):
                continue
            ctx = self.context_for(str(path))
            if ctx is not None:
                out.append(ctx)
        return out


def doctor_report(
    workspace: Workspace,
    root: Path,
    python: str | None = None,
    distro: str | None = None,
    index: IndexClient | None = None,
    timeout: float = 10.0,
    env: dict[str, str] | None = None,
) -> DoctorReport:
    """``kb-lint doctor`` for a project directory, for the CLI and the language server: probes the
    target interpreter (raises InterpreterError) and this machine."""
    from buildwise.analysis.doctor import doctor
    from buildwise.analysis.interpreter import default_python, probe_interpreter
    from buildwise.analysis.probes import Machine, machine_ecosystem

    env = dict(os.environ) if env is None else env
    interp = probe_interpreter(python or default_python(env), timeout=max(timeout, 20.0))
    directory = root if root.is_dir() else root.parent
    project = workspace.project_for(directory / "pyproject.toml")
    machine = Machine(env=env, timeout=timeout)
    contexts = workspace.contexts_under(directory)
    return doctor(workspace.kb, interp, machine, machine_ecosystem(distro), project, contexts, index)
