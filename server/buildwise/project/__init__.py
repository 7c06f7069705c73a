"""A project as the engine sees it: its pyproject.toml, settings, targets, source tree, and the
requirements files that belong to it (with their -r/-c includes resolved)."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buildwise.model import Span
from buildwise.parse.locks import LockFile, parse_lock
from buildwise.parse.requirements import Include, RequirementsFile, parse_requirements
from buildwise.parse.toml import parse_toml
from buildwise.parse.toml_document import TomlDocument
from buildwise.project.boundaries import PROJECT_MARKERS
from buildwise.project.config import Config, ConfigProblem, parse_config
from buildwise.project.facts import BuildSystem, build_system, requires_python
from buildwise.project.files import FileReader, ReadResult, is_requirements_file
from buildwise.project.repodocs import RepoDocs, scan_docs
from buildwise.project.signals import Signals, scan_signals
from buildwise.project.sourcetree import SourceTree, scan_source_tree
from buildwise.project.targets import Targets, compute_targets

MAX_INCLUDE_DEPTH = 50


@dataclass
class IncludeIssue:
    include: Include
    message: str


@dataclass
class RequirementsDocument:
    path: str
    read: ReadResult
    parsed: RequirementsFile
    #: Reached only through ``-c``: its entries constrain versions, they do not add packages.
    constraint: bool = False
    include_issues: list[IncludeIssue] = field(default_factory=list)
    #: Global options of every file in this file's include graph, in the order pip reads them
    #: (pip applies them all, and --only-binary/--no-binary depend on their order).
    graph_options: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class PyprojectDocument:
    path: str
    read: ReadResult
    toml: TomlDocument


class Project:
    """Everything the rules know beyond one document. Cached per root by the workspace."""

    def __init__(
        self,
        root: Path,
        reader: FileReader,
        known_pythons: list[str],
        tree_cache: dict[str, SourceTree] | None = None,
        docs_cache: dict[str, RepoDocs] | None = None,
        default_pythons: tuple[str, ...] = (),
    ) -> None:
        self.root = root
        #: The Pythons checked when the project names none (the CPython releases supported today).
        self.default_pythons = default_pythons
        #: Shared by the workspace: a re-parse of pyproject.toml must not re-walk the tree.
        self._tree_cache = tree_cache if tree_cache is not None else {}
        self._docs_cache = docs_cache if docs_cache is not None else {}
        self.reader = reader
        self.known_pythons = known_pythons
        self.pyproject_path = root / "pyproject.toml"
        self.pyproject: PyprojectDocument | None = None
        read = reader.read(self.pyproject_path)
        if read.text is not None or reader.exists(self.pyproject_path):
            # An unreadable or oversized file still becomes a document, so KB001 can say why.
            self.pyproject = PyprojectDocument(
                str(self.pyproject_path), read, parse_toml(read.text or "", str(self.pyproject_path))
            )
        tool = self.toml.get("tool", "kb-lint") if self.toml is not None else None
        self.file_config, self.config_problems = parse_config(tool)
        self.config = self.file_config
        self._targets: Targets | None = None
        self.target_origin = "tool.kb-lint"

    @property
    def toml(self) -> TomlDocument | None:
        return self.pyproject.toml if self.pyproject is not None else None

    def apply_overrides(self, overrides: Config | None, origin: str) -> None:
        """CLI flags / editor settings: they overlay [tool.kb-lint] (project settings rule for
        select/ignore; explicit targets from the CLI win)."""
        if overrides is None:
            return
        if origin == "settings":  # editor settings only fill in what [tool.kb-lint] leaves unset
            defaults = Config()
            fill = {
                k: getattr(overrides, k)
                for k in ("python", "platforms", "distro", "select", "ignore", "severity", "scripts")
                if getattr(self.file_config, k) == getattr(defaults, k)
                and getattr(overrides, k) != getattr(defaults, k)
            }
            if overrides.online and not self.file_config.online:
                fill["online"] = True
            if overrides.free_threaded and not self.file_config.free_threaded:
                fill["free_threaded"] = True
            self.config = self.file_config.overlay(**fill)
            if "python" in fill:
                self.target_origin = origin
            self._targets = None
            return
        changes = {
            k: getattr(overrides, k)
            for k in ("python", "platforms", "online", "distro", "index_url")
            if getattr(overrides, k) is not None and getattr(overrides, k) is not False
        }
        if overrides.free_threaded:
            changes["free_threaded"] = True
        if overrides.select != ("KB",):
            changes["select"] = overrides.select
        if overrides.ignore:
            changes["ignore"] = tuple(dict.fromkeys((*self.file_config.ignore, *overrides.ignore)))
        if overrides.extend_select:
            changes["extend_select"] = overrides.extend_select
        if overrides.severity:
            changes["severity"] = {**overrides.severity, **self.file_config.severity}
        self.config = self.file_config.overlay(**changes)
        if "python" in changes:
            self.target_origin = origin
        self._targets = None

    @property
    def targets(self) -> Targets:
        if self._targets is None:
            spec_text, spec_origin = self.requires_python_text()
            self._targets = compute_targets(
                spec_text,
                self.config,
                self.known_pythons,
                origin=self.target_origin,
                signals=self.signals,
                spec_origin=spec_origin,
                default_pythons=self.default_pythons,
            )
        return self._targets

    def requires_python_text(self) -> tuple[str | None, str]:
        """project.requires-python, else the lock file's requires-python: (text, where from)."""
        own: tuple[str, str] | None = self.__dict__.get("_own_python")
        if own is not None:
            return own
        spec, _error = requires_python(self.toml)
        if spec is not None:
            return str(self.toml.get("project", "requires-python")) if self.toml else None, "requires-python"
        declared = self.declared_python
        if declared[0] is not None:
            return declared
        lock = self.lock
        if lock is not None and lock.requires_python:
            return lock.requires_python, f"{os.path.basename(lock.path)} requires-python"
        return None, "requires-python"

    @property
    def signals(self) -> Signals:
        """What the project's CI, tox, nox, Dockerfiles and classifiers say about where it runs."""
        if "_signals" not in self.__dict__:
            extra = [("pyproject.toml", self.pyproject.toml.text)] if self.pyproject is not None else []
            found = scan_signals(self.root, self.reader, extra)
            git_root = _git_root(self.root)
            if not found.pythons and git_root is not None and git_root != self.root:
                found.merge(scan_signals(git_root, self.reader, ()))
            self.__dict__["_signals"] = found
        signals: Signals = self.__dict__["_signals"]
        return signals

    @property
    def declared_python(self) -> tuple[str | None, str]:
        """The Python versions a file other than [project] declares (Poetry's python,
        python_requires, Pipfile [requires], a conda environment), and which file."""
        if "_declared_python" not in self.__dict__:
            from buildwise.project.manifests import declared_python

            self.__dict__["_declared_python"] = declared_python(self.toml, self.root, self.reader)
        found: tuple[str | None, str] = self.__dict__["_declared_python"]
        return found

    def with_python(self, specifier: str, origin: str) -> Project:
        """This project, for a file that declares its own Pythons (a script's requires-python);
        explicit targets (settings, CLI) still win."""
        clone = copy.copy(self)
        clone.__dict__ = dict(self.__dict__)
        clone.__dict__["_own_python"] = (specifier, origin)
        clone._targets = None
        return clone

    @property
    def source_tree(self) -> SourceTree:
        key = str(self.root)
        tree = self._tree_cache.get(key)
        if tree is None:
            tree = self._tree_cache[key] = scan_source_tree(self.root)
        return tree

    def invalidate_source_tree(self) -> None:
        self._tree_cache.pop(str(self.root), None)

    @property
    def docs(self) -> RepoDocs:
        """Where the repository documents OS packages (scanned once, on first use). A nested
        project (examples/x, a monorepo member) also counts what its enclosing project documents."""
        key = str(self.root)
        docs = self._docs_cache.get(key)
        if docs is None:
            docs = self._docs_cache[key] = scan_docs(self.root, self.reader)
            enclosing = _enclosing_project(self.root, self.reader)
            if enclosing is not None:
                outer = self._docs_cache.get(str(enclosing))
                if outer is None:
                    outer = self._docs_cache[str(enclosing)] = scan_docs(enclosing, self.reader)
                docs.tokens |= outer.tokens
                docs.files += [f"{os.path.relpath(enclosing / f, self.root)}" for f in outer.files]
        return docs

    @property
    def lock(self) -> LockFile | None:
        """The project's uv.lock or pylock.toml, parsed once per project (None when it has none)."""
        if "_lock" not in self.__dict__:
            self.__dict__["_lock"] = None
            for name in ("uv.lock", "pylock.toml", "poetry.lock", "pdm.lock"):
                path = self.root / name
                read = self.reader.read(path)
                if read.text is not None:
                    self.__dict__["_lock"] = parse_lock(read.text, str(path))
                    break
        found: LockFile | None = self.__dict__["_lock"]
        return found

    @property
    def build_system(self) -> BuildSystem:
        if self.toml is None:
            return BuildSystem(False, None, None, None)
        return build_system(self.toml)

    @property
    def is_application(self) -> bool:
        """An application, not a package: nothing builds or installs it as a distribution.

        ``[tool.uv] package = false``, Poetry ``package-mode = false``, PDM ``distribution = false``,
        or (without a ``[build-system]``, setup.py or setup.cfg) a service deployed as a container
        image from requirements files."""
        toml = self.toml
        if toml is not None:
            if toml.get("build-system") is not None:
                return False
            if (
                toml.get("tool", "uv", "package") is False
                or toml.get("tool", "poetry", "package-mode") is False
                or toml.get("tool", "pdm", "distribution") is False
            ):
                return True
        if self.source_tree.has_setup_py or self.source_tree.has_setup_cfg:
            return False
        return bool(self.signals.containerfiles) and any(
            is_requirements_file(self.root / name) for name in _listdir(self.root)
        )

    @property
    def looks_like_package(self) -> bool:
        """A [project] table or a setup.py/setup.cfg: something pip would build."""
        toml = self.toml
        if toml is not None:
            from buildwise.parse.poetry import is_package

            poetry_package = is_package(toml)
            if poetry_package is not None:
                return poetry_package
        return bool(
            (toml is not None and isinstance(toml.get("project"), dict))
            or self.source_tree.has_setup_py
            or self.source_tree.has_setup_cfg
        )

    def relpath(self, path: str) -> str:
        try:
            return os.path.relpath(path, self.root).replace(os.sep, "/")
        except ValueError:
            return path

    def config_problem_span(self, problem: ConfigProblem) -> Span | None:
        toml = self.toml
        if toml is None:
            return None
        for n in range(len(problem.key), 1, -1):
            span = toml.span_of(*problem.key[:n])
            if span is not None:
                return span
        return None


def _listdir(root: Path) -> list[str]:
    try:
        return sorted(os.listdir(root))
    except OSError:
        return []


def _enclosing_project(root: Path, reader: FileReader) -> Path | None:
    """The project folder above ``root`` (pyproject.toml or setup.py), within its repository."""
    stop = _git_root(root)
    # Without a repository, look only a few folders up (never a stranger's project above /tmp).
    parents = root.parents if stop is not None else root.parents[:3]
    for candidate in parents:
        if stop is not None and stop not in (candidate, *candidate.parents):
            break
        if any(reader.exists(candidate / name) for name in PROJECT_MARKERS):
            return candidate
        if candidate == stop:
            break
    return None


def _git_root(start: Path) -> Path | None:
    """The repository a project sits in (the nearest folder with a .git), if any."""
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class IncludeGraph:
    """Parses requirements files reached by -r/-c once per lint run and answers reachability."""

    def __init__(self, reader: FileReader) -> None:
        self.reader = reader
        self._files: dict[str, tuple[ReadResult, RequirementsFile | None]] = {}

    def load(self, path: str) -> tuple[ReadResult, RequirementsFile | None]:
        key = os.path.normcase(os.path.abspath(path))
        if key not in self._files:
            read = self.reader.read(path)
            parsed = parse_requirements(read.text, path) if read.text is not None else None
            self._files[key] = (read, parsed)
        return self._files[key]

    @staticmethod
    def target_path(including: str, include: Include) -> str:
        target = os.path.expanduser(include.target)
        if not os.path.isabs(target):
            target = os.path.join(os.path.dirname(including), target)
        return os.path.normpath(target)

    def reaches(self, start: str, goal: str) -> bool:
        goal_key = os.path.normcase(os.path.abspath(goal))
        stack = [start]
        seen: set[str] = set()
        while stack and len(seen) < 1000:
            path = stack.pop()
            key = os.path.normcase(os.path.abspath(path))
            if key == goal_key:
                return True
            if key in seen:
                continue
            seen.add(key)
            _read, parsed = self.load(path)
            if parsed is None:
                continue
            stack.extend(self.target_path(path, inc) for inc in parsed.includes if not inc.unresolved)
        return False

    def options(self, start: str) -> list[tuple[str, list[str]]]:
        """Global options of ``start`` and every file it includes with -r, in pip's reading order
        (an include's options come where its -r line is)."""
        out: list[tuple[str, list[str]]] = []
        seen: set[str] = set()

        def visit(path: str, depth: int) -> None:
            key = os.path.normcase(os.path.abspath(path))
            if key in seen or depth > MAX_INCLUDE_DEPTH:
                return
            seen.add(key)
            _read, parsed = self.load(path)
            if parsed is None:
                return
            events: list[tuple[int, int, Any]] = [(o.line.first_line, 0, o) for o in parsed.options]
            events += [
                (i.line.first_line, 1, i) for i in parsed.includes if i.kind == "-r" and not i.unresolved
            ]
            for _line, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
                if kind == 0:
                    out.append((item.name, list(item.values)))
                else:
                    visit(self.target_path(path, item), depth + 1)

        visit(start, 0)
        return out


def load_requirements_document(
    path: str, graph: IncludeGraph, *, constraint: bool = False
) -> RequirementsDocument:
    read, parsed = graph.load(path)
    if parsed is None:
        parsed = parse_requirements("", path)
    doc = RequirementsDocument(path, read, parsed, constraint)
    for include in parsed.includes:
        if include.unresolved:
            names = ", ".join(f"${{{n}}}" for n in include.unresolved)
            doc.include_issues.append(
                IncludeIssue(
                    include, f"{include.kind} {include.target}: {names} is not set in the environment"
                )
            )
            continue
        target = graph.target_path(path, include)
        target_read, _ = graph.load(target)
        if target_read.text is None:
            what = "requirements" if include.kind == "-r" else "constraints"
            hint = " (pip resolves it relative to the directory of this file)"
            if target_read.problem and target_read.problem.endswith("not opened"):
                hint = "; add a root with --root (or the editor's `roots` setting) to allow it"
            doc.include_issues.append(
                IncludeIssue(include, f"{what} file {include.target!r} {target_read.problem}{hint}")
            )
        elif graph.reaches(target, path):
            doc.include_issues.append(
                IncludeIssue(
                    include,
                    f"include cycle: {include.target!r} includes this file again "
                    "(directly or through other files)",
                )
            )
    doc.graph_options = graph.options(path)
    return doc
