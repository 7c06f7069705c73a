"""Lock-file findings for KB201/KB203/KB205: on the lock entry itself, and echoed on the matching
direct dependency in pyproject.toml."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from buildwise.analysis.lockcheck import LockMiss, misses
from buildwise.model import Note, Severity, Span
from buildwise.parse.locks import LockFile

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext
    from buildwise.model import Finding

#: miss kind -> rule code
RULE_FOR = {"python": "KB201", "platform": "KB203", "sdist-only": "KB205"}


@dataclass
class LockProblem:
    code: str
    lock: LockFile
    package_index: int
    misses: list[LockMiss]

    @property
    def package(self):  # type: ignore[no-untyped-def]
        return self.misses[0].package

    @property
    def chain(self) -> list[str]:
        return min((m.chain for m in self.misses), key=len)

    def where(self) -> str:
        pythons = list(dict.fromkeys(m.python for m in self.misses))
        if self.code == "KB201":
            return f"CPython {', '.join(pythons)}"
        # Platforms that miss the same Pythons share a clause: "windows-arm64 with CPython 3.11, 3.12;
        # macos-x86_64, macos-arm64 with CPython 3.14" (a cross product would claim pairs that have wheels).
        by_platform: dict[str, list[str]] = {}
        for m in self.misses:
            by_platform.setdefault(m.platform, [])
            if m.python not in by_platform[m.platform]:
                by_platform[m.platform].append(m.python)
        clauses: dict[tuple[str, ...], list[str]] = {}
        for platform, pys in by_platform.items():
            clauses.setdefault(tuple(pys), []).append(platform)
        return "; ".join(
            f"{', '.join(plats)} with CPython {', '.join(pys)}" for pys, plats in clauses.items()
        )


def lock_problems(ctx: LintContext, lock: LockFile) -> list[LockProblem]:
    key = f"lock:{lock.path}"
    cached = ctx.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    targets = ctx.project.targets
    grouped: dict[tuple[str, int], list[LockMiss]] = {}
    for miss in misses(lock, lock_pythons(lock, targets.pythons), targets.platforms, ctx.kb.cpython_exists):
        code = RULE_FOR[miss.kind]
        known = ctx.kb.package(miss.package.key)
        if known is not None and not ctx.kb.needs_tools_on(known, miss.platform):
            continue  # its sdist compiles nothing there (optional parts, or a macOS-only extension)
        if code == "KB205":
            pkg = ctx.kb.package(miss.package.key)
            if pkg is None or not pkg.compiles:
                continue  # an sdist of pure Python builds anywhere
            if pkg.wheels is not None and pkg.wheels.published:
                # The project publishes wheels; the lock lists only those for its own
                # requires-python, so an entry without wheels has none for these Pythons.
                miss = replace(miss, kind="python")
                code = "KB201"
        grouped.setdefault((code, miss.package.index), []).append(miss)
    problems = [LockProblem(code, lock, index, group) for (code, index), group in grouped.items()]
    ctx.cache[key] = problems
    return problems


def lock_pythons(lock: LockFile, pythons: tuple[str, ...]) -> tuple[str, ...]:
    """The targets the lock was made for: a lock's ``requires-python`` (``>=3.13`` for a CI
    tool's pylock.toml) narrows the project's."""
    if not lock.requires_python:
        return pythons
    try:
        spec = SpecifierSet(lock.requires_python)
    except InvalidSpecifier:
        return pythons
    return tuple(
        p for p in pythons if any(spec.contains(f"{p.rstrip('t')}.{n}", prereleases=True) for n in (0, 99))
    )


def describe(ctx: LintContext, problem: LockProblem) -> str:
    pkg = problem.package
    head = f"locked {pkg.name} {pkg.version or ''}".rstrip()
    if problem.code == "KB205":
        return f"{head} has no wheels at all: it is built from source on every target"
    return f"{head} has no wheel for {problem.where()}: the installer builds it from source there"


def lock_notes(ctx: LintContext, problem: LockProblem) -> tuple[Note, ...]:
    """What the source build needs and what to install (help), and the chain that requires it."""
    from buildwise.analysis.wheelcheck import build_notes, ecosystem_for

    notes: tuple[Note, ...] = ()
    info = ctx.kb.package(problem.package.key)
    if info is not None:
        eco = ecosystem_for(ctx, list(dict.fromkeys(m.platform for m in problem.misses)))
        notes = build_notes(ctx.kb, info, eco)
    if len(problem.chain) > 1:
        notes += (Note("note", f"required by {' -> '.join(problem.chain)}"),)
    return notes


_Found = tuple[Span, str, dict[str, object], tuple[Note, ...]]


def findings_on_lock(ctx: LintContext, code: str) -> Iterator[_Found]:
    """Problems of the lock entries themselves. A direct dependency's problem is reported once, on
    its line in pyproject.toml (the echo, or KB202 for a pin), not a second time here; a package
    reached only transitively weighs less (info)."""
    lock = ctx.lock
    if lock is None:
        return
    direct = _direct_keys(ctx, lock)
    for problem in lock_problems(ctx, lock):
        if problem.code != code or problem.package.span is None or problem.package.key in direct:
            continue
        data: dict[str, object] = {"package": problem.package.key}
        if len(problem.chain) > _direct_len(lock):
            data["transitive"] = True
        yield problem.package.span, describe(ctx, problem), data, lock_notes(ctx, problem)


def _direct_len(lock: LockFile) -> int:
    # uv.lock knows the graph: direct = required by the project itself. pylock.toml has no graph:
    # every locked package that pyproject.toml names is taken as direct.
    return 2 if lock.kind == "uv" else 1


def _direct_keys(ctx: LintContext, lock: LockFile) -> set[str]:
    """Packages the pyproject.toml next to the lock names (where their problems are reported)."""
    project = ctx.project
    if project.toml is None or project.lock is None or project.lock.path != lock.path:
        return set()
    from buildwise.project.facts import pyproject_dependencies

    return {d.key for d in pyproject_dependencies(project.toml) if d.parsed.valid and not d.is_build}


def echoes_on_pyproject(ctx: LintContext, code: str) -> Iterator[_Found]:
    """Direct dependencies of the project whose locked version has no wheel for a target."""
    lock = ctx.project.lock
    if lock is None or ctx.kind != "pyproject":
        return
    from buildwise.analysis.coverage import Status
    from buildwise.analysis.wheelcheck import coverage

    name = lock.path.replace("\\", "/").rsplit("/", 1)[-1]
    direct_len = _direct_len(lock)
    problems = {
        p.package.key: p for p in lock_problems(ctx, lock) if p.code == code and len(p.chain) == direct_len
    }
    predates = {c.dep.key for c in coverage(ctx) if c.with_status(Status.PREDATES)}
    for dep in ctx.dependencies:
        if dep.is_build or not dep.parsed.valid or dep.key in predates:
            continue  # KB202 already explains (with a fix) why the pinned version has no wheel
        problem = problems.get(dep.key)
        if problem is None:
            continue
        data: dict[str, object] = {"package": dep.key, "lock": name}
        yield dep.name_span, f"{name}: {describe(ctx, problem)}", data, lock_notes(ctx, problem)


def lock_findings(ctx: LintContext, code: str) -> Iterator[Finding]:
    """A wheel rule's lock-file findings: on the lock entry when linting the lock file, echoed on
    the direct dependency when linting pyproject.toml."""
    from buildwise.analysis.weight import provided_for

    source = findings_on_lock(ctx, code) if ctx.kind == "lock" else echoes_on_pyproject(ctx, code)
    for span, message, data, notes in source:
        severity = None
        if provided_for(ctx, ctx.kb.package(str(data["package"]))):
            severity, message = (
                Severity.INFO,
                message + " (the repository already installs what the build needs)",
            )
        elif data.get("transitive"):
            severity, message = Severity.INFO, message + " (reached only through other packages)"
        yield ctx.report(span, message, severity=severity, data=data, notes=notes)
