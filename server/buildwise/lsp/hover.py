"""What the engine knows about the dependency under the cursor, as Markdown (the editor's hover)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from buildwise.model import Position, Span
from buildwise.project.facts import Dependency

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext
    from buildwise.knowledge import KnowledgeBase, PackageInfo


def dependency_at(ctx: LintContext, pos: Position) -> Dependency | None:
    for dep in ctx.dependencies:
        span = dep.span
        if span.start <= pos <= span.end:
            return dep
    return None


def _contains(span: Span, pos: Position) -> bool:
    return span.start <= pos <= span.end


def hover(ctx: LintContext, pos: Position, distro: str | None = None) -> tuple[Span, str] | None:
    dep = dependency_at(ctx, pos)
    if dep is None:
        return None
    return dep.span, dependency_markdown(ctx, dep, distro)


def dependency_markdown(ctx: LintContext, dep: Dependency, distro: str | None = None) -> str:
    kb = ctx.kb
    name = dep.parsed.name or dep.parsed.text
    where = "build requirement" if dep.is_build else dep.group
    pkg = kb.package(dep.key) if dep.key else None
    head = f"**{name}** ({where})"
    if not dep.parsed.valid:
        return f"{head}\n\nNot a valid requirement: {dep.parsed.error}"
    if pkg is None:
        return (
            f"{head}\n\nNot in the buildwise knowledge base: no native build is known for it "
            "(pure-Python projects need no entry). If it compiles code, please add an entry."
        )
    from buildwise.knowledge.ranges import facts_for

    pkg = facts_for(pkg, dep.parsed.specifier)  # the releases this requirement installs
    targets = ctx.project.targets
    body = package_markdown(kb, pkg, targets.pythons, targets.platforms, distro)
    return f"{head}\n\n{body}\n\n_Checked for {targets.describe().removeprefix('targets ')}._"


def optional_lines(pkg: PackageInfo) -> list[str]:
    """One line per optional native part: what it needs, its switch, what happens without it."""
    out = []
    for part in pkg.optional:
        text = f"- Optional {part.part}: {part.name}"
        needs = ", ".join(dict.fromkeys(d.id.rsplit("/", 1)[-1] for d in part.requires))
        if needs:
            text += f" (needs {needs})"
        if not part.default:
            text += "; off unless switched on"
        if part.switch is not None:
            text += f"; {part.switch.effect}: {part.switch.text()}"
        out.append(f"{text}; {part.fallback_text()}")
    return out


def package_markdown(
    kb: KnowledgeBase,
    pkg: PackageInfo,
    pythons: tuple[str, ...],
    platforms: tuple[str, ...],
    distro: str | None = None,
) -> str:
    lines = [pkg.summary, ""]
    if pkg.range_text:
        lines.append(f"- For its releases {pkg.range_text} (the newest this requirement admits):")
    if pkg.languages:
        lines.append(f"- Source build compiles: {', '.join(pkg.languages)}")
    elif pkg.optional:
        lines.append("- Source build: nothing it requires is compiled (only the optional parts below)")
    if pkg.build_requires:
        lines.append(f"- Build requires: {', '.join(pkg.build_requires)}")
    lines += optional_lines(pkg)
    w = pkg.wheels
    if w is not None and w.published and w.sdist is False:
        lines.append(
            "- **Wheels only** (no source distribution): pip never builds it; where no wheel matches, "
            "the install fails with 'No matching distribution found'."
        )
    if w is not None and not w.published:
        lines.append("- **Publishes no wheels**: every install builds from source.")
    elif w is not None:
        cells = []
        for py in pythons:
            first = w.first_for_python(py)
            rng = w.python.get(py)
            if first is None and not w.knows_python(py):
                cells.append(f"{py}: unknown")
            elif first is None:
                cells.append(f"{py}: none")
            else:
                last = f"-{rng.last}" if rng is not None and rng.last is not None else "+"
                cells.append(f"{py}: {first}{last}")
        if cells:
            lines.append(f"- Wheels for your Pythons: {'; '.join(cells)}")
        plat = []
        for p in platforms:
            v = w.platforms.get(p)
            if v is None:
                continue
            plat.append(f"{p}: {'none' if v is False else f'from {v}'}")
        if plat:
            lines.append(f"- Wheels for your platforms: {'; '.join(plat)}")
    else:
        lines.append("- Wheel coverage: not recorded in the knowledge base")
    ids = pkg.external_ids()
    if ids:
        ecos = (distro,) if distro else ("debian", "fedora", "alpine", "homebrew")
        lines.append("- To build from source, install:")
        for eco in ecos:
            packages = kb.system_packages(ids, eco)
            names = " ".join(packages.names) or "-"
            lines.append(f"  - {eco}: `{names}`")
    for alt in pkg.alternatives:
        lines.append(f"- Instead: `{alt.requirement}` ({alt.kind}): {alt.caveats}")
    if pkg.unverified:
        lines.append(f"- Unverified: {', '.join(pkg.unverified)}")
    refs = ", ".join(f"[{r.type}]({r.url})" for r in pkg.references[:4])
    lines += ["", f"Sources: {refs} (reviewed {pkg.last_reviewed})"]
    return "\n".join(lines)
