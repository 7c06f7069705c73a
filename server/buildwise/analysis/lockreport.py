"""Lock-file findings for KB201/KB203/KB205: on the lock entry itself, and echoed on the matching
direct dependency in pyproject.toml."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from buildwise.analysis.lockcheck import LockMiss, misses
from buildwise.model import Span
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
        platforms = list(dict.fromkeys(m.platform for m in self.misses))
        return f"{', '.join(platforms)} with CPython {', '.join(pythons)}"


def lock_problems(ctx: LintContext, lock: LockFile) -> list[LockProblem]:
    key = f"lock:{lock.path}"
    cached = ctx.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    targets = ctx.project.targets
    grouped: dict[tuple[str, int], list[LockMiss]] = {}
    for miss in misses(lock, targets.pythons, targets.platforms):
        code = RULE_FOR[miss.kind]
        if code == "KB205":
            pkg = ctx.kb.package(miss.package.key)
            if pkg is None or not pkg.compiles:
                continue  # an sdist of pure Python builds anywhere
        grouped.setdefault((code, miss.package.index), []).append(miss)
    problems = [LockProblem(code, lock, index, group) for (code, index), group in grouped.items()]
    ctx.cache[key] = problems
    return problems


def describe(ctx: LintContext, problem: LockProblem) -> str:
    from buildwise.analysis.wheelcheck import ecosystem_for, needs_text

    pkg = problem.package
    chain = " -> ".join(problem.chain)
    head = f"locked {pkg.name} {pkg.version or ''}".rstrip()
    if problem.code == "KB205":
        text = f"{head} has no wheels at all: it is built from source on every target"
    else:
        text = f"{head} has no wheel for {problem.where()}: the installer builds it from source there"
    info = ctx.kb.package(pkg.key)
    if info is not None:
        eco = ecosystem_for(ctx, list(dict.fromkeys(m.platform for m in problem.misses)))
        text += f", which needs {needs_text(ctx.kb, info, eco)}"
    if len(problem.chain) > 1:
        text += f" (required by {chain})"
    return text


def findings_on_lock(ctx: LintContext, code: str) -> Iterator[tuple[Span, str, dict[str, object]]]:
    lock = ctx.lock
    if lock is None:
        return
    for problem in lock_problems(ctx, lock):
        if problem.code != code or problem.package.span is None:
            continue
        yield problem.package.span, describe(ctx, problem), {"package": problem.package.key}


def echoes_on_pyproject(ctx: LintContext, code: str) -> Iterator[tuple[Span, str, dict[str, object]]]:
    """Direct dependencies of the project whose locked version has no wheel for a target."""
    lock = ctx.project.lock
    if lock is None or ctx.kind != "pyproject":
        return
    from buildwise.analysis.coverage import Status
    from buildwise.analysis.wheelcheck import coverage

    name = lock.path.replace("\\", "/").rsplit("/", 1)[-1]
    # uv.lock knows the graph: direct = required by the project itself. pylock.toml has no graph:
    # every locked package that pyproject.toml names is taken as direct.
    direct_len = 2 if lock.kind == "uv" else 1
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
        yield dep.name_span, f"{name}: {describe(ctx, problem)}", {"package": dep.key, "lock": name}


def lock_findings(ctx: LintContext, code: str) -> Iterator[Finding]:
    """A wheel rule's lock-file findings: on the lock entry when linting the lock file, echoed on
    the direct dependency when linting pyproject.toml."""
    source = findings_on_lock(ctx, code) if ctx.kind == "lock" else echoes_on_pyproject(ctx, code)
    for span, message, data in source:
        yield ctx.report(span, message, data=data)
