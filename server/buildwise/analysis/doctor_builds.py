"""Which of a project's dependencies pip would build from source for one real interpreter.

Sources, most exact first: the lock file's wheel file names matched against the interpreter's own
tags; with ``--online`` the index's file list for the release pip would pick; otherwise the
knowledge base's wheel facts for the interpreter's CPython version and platform. The project itself
is built too when ``pip install .`` compiles its own native code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from buildwise.analysis.coverage import Status, verdict
from buildwise.analysis.interpreter import Interpreter
from buildwise.knowledge import KnowledgeBase, PackageInfo
from buildwise.knowledge.variants import DepSpec

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext
    from buildwise.analysis.index import IndexClient
    from buildwise.project import Project


@dataclass
class Build:
    """Something pip would compile here, and what the knowledge base says compiling it needs."""

    name: str
    reason: str
    #: "lock file" | "index" | "knowledge base" | "project"
    source: str
    needs: list[DepSpec] = field(default_factory=list)
    #: False when the knowledge base does not know what its build needs
    known: bool = True
    version: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "reason": self.reason,
            "source": self.source,
            "needs": [d.text for d in self.needs],
            "known": self.known,
        }


def _applies(marker: object, env: dict[str, str]) -> bool:
    if marker is None:
        return True
    try:
        return bool(Marker(str(marker)).evaluate({**env, "extra": ""}))
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True


def _needs(pkg: PackageInfo | None) -> tuple[list[DepSpec], bool]:
    if pkg is None:
        return [], False
    specs: dict[str, DepSpec] = {}
    for key in ("build-requires", "host-requires"):
        for dep in pkg.external.get(key, ()):
            specs.setdefault(dep.id, dep)
    return list(specs.values()), bool(specs) or not pkg.compiles


_KB_REASONS = {
    Status.SDIST_ONLY: "it publishes no wheels",
    Status.PREDATES: "the versions allowed predate its first wheel for CPython {python} ({first})",
    Status.NO_PYTHON: "no wheel for CPython {python}",
    Status.NO_PLATFORM: "no wheel for {platform}",
}


def _from_lock(project: Project, interp: Interpreter, kb: KnowledgeBase) -> tuple[list[Build], set[str]]:
    from buildwise.analysis.lockcheck import reachable

    lock = project.lock
    if lock is None:
        return [], set()
    platform = interp.kb_platform
    if platform is not None:
        indexes: Iterable[int] = reachable(lock, interp.target_python, platform)
    else:
        indexes = range(len(lock.packages))
    builds: list[Build] = []
    covered: set[str] = set()
    for index in indexes:
        pkg = lock.packages[index]
        covered.add(pkg.key)
        if pkg.is_project or pkg.source in ("git", "url", "path"):
            continue
        if any(interp.accepts(w) for w in pkg.wheels):
            continue
        if not pkg.has_sdist:
            continue  # nothing to build from; pip fails without compiling anything
        reason = (
            f"none of its {len(pkg.wheels)} locked wheels fits this interpreter"
            if pkg.wheels
            else "the lock file has only its sdist"
        )
        info = kb.package(pkg.key)
        needs, known = _needs(info)
        builds.append(Build(pkg.name, reason, "lock file", needs, known, pkg.version))
    return builds, covered


def _chosen_release(files: Any, spec: SpecifierSet, interp: Interpreter) -> Any:
    from buildwise.analysis.index_coverage import releases

    def python_ok(requires: str | None) -> bool:
        if not requires:
            return True
        try:
            return SpecifierSet(requires).contains(interp.full_version, prereleases=True)
        except InvalidSpecifier:
            return True

    candidates = [r for r in releases(files) if not r.yanked and python_ok(r.requires_python)]
    admitted = [r for r in candidates if spec.contains(r.version)] or [
        r for r in candidates if spec.contains(r.version, prereleases=True)
    ]
    return admitted[-1] if admitted else None


def builds_here(
    kb: KnowledgeBase,
    interp: Interpreter,
    project: Project,
    contexts: Iterable[LintContext],
    index: IndexClient | None = None,
) -> tuple[list[Build], list[str]]:
    """(builds, notes): what pip would compile for ``interp``, and what could not be decided."""
    from buildwise.analysis.sysdeps import tree_identifiers
    from buildwise.analysis.wheelcheck import FormatControl

    builds, covered = _from_lock(project, interp, kb)
    notes: list[str] = []
    seen = set(covered)
    platform = interp.kb_platform
    for ctx in contexts:
        formats = FormatControl(ctx.requirements.graph_options if ctx.requirements is not None else [])
        for dep in ctx.dependencies:
            if not dep.parsed.valid or dep.parsed.url or dep.key in seen:
                continue
            if not _applies(dep.parsed.marker, interp.markers):
                continue
            seen.add(dep.key)
            allowed = formats.allowed(dep.key)
            pkg = kb.package(dep.key)
            needs, known = _needs(pkg)
            name = dep.parsed.name
            if "binary" not in allowed:
                if pkg is not None or index is not None:
                    builds.append(Build(name, "--no-binary forces a source build", "project", needs, known))
                continue
            if "source" not in allowed:
                continue  # --only-binary: pip never compiles it (KB204 reports a missing wheel)
            spec = dep.parsed.specifier
            if index is not None:
                files = index.get(name)
                if files is not None and files.files:
                    chosen = _chosen_release(files, spec, interp)
                    if chosen is None:
                        notes.append(f"{name}: no release on the index fits {spec or 'any version'}")
                    elif not any(interp.accepts(w) for w in chosen.wheels) and chosen.has_sdist:
                        why = f"{len(chosen.wheels)} wheels on the index, none for this interpreter"
                        reason = why if chosen.wheels else "the index has only its sdist"
                        builds.append(Build(name, reason, "index", needs, known, str(chosen.version)))
                    continue
            if pkg is None:
                continue  # not a native package the knowledge base knows: nothing compiles
            if platform is None or pkg.wheels is None:
                notes.append(f"{name}: the knowledge base has no wheel facts for this interpreter")
                continue
            found = verdict(pkg, spec, interp.target_python, platform)
            template = _KB_REASONS.get(found.status)
            if template is None:
                if found.status is Status.UNKNOWN:
                    notes.append(
                        f"{name}: the knowledge base does not know whether CPython "
                        f"{interp.target_python} on {platform} has a wheel (--online asks the index)"
                    )
                continue
            reason = template.format(python=interp.target_python, platform=platform, first=found.first)
            builds.append(Build(name, reason, "knowledge base", needs, known))
    if project.looks_like_package:
        own = tree_identifiers(project.source_tree)
        if own is not None:
            toml = project.toml
            name = str((toml.get("project", "name") if toml is not None else None) or project.root.name)
            specs = [s for s in (DepSpec.parse(i) for i in own[0]) if s is not None]
            builds.append(Build(name, f"`pip install .` compiles its own {own[1]} code", "project", specs))
    return builds, notes
