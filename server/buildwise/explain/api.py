"""Explain a failed ``pip install`` / ``uv pip install`` source build from its log.

One engine, two faces: ``kb-lint explain LOG`` streams a file or stdin through :func:`explain_lines`;
the language server's ``buildwise.explain`` command calls :func:`explain_text` on a buffer or a
selection. Both return an :class:`Explanation` (``to_json()``, ``to_markdown()``, ``to_text()``).

Pipeline: :mod:`~buildwise.explain.reader` (bytes -> lines) -> :mod:`~buildwise.explain.scan` (one pass,
bounded candidates; :mod:`~buildwise.explain.patterns` recognise messages,
:mod:`~buildwise.explain.classify` maps names to knowledge-base identifiers) ->
:mod:`~buildwise.explain.diagnose` (decisive line, wheel coverage) -> :mod:`~buildwise.explain.fixes`
and :mod:`~buildwise.explain.packages` (prose, fix steps, system packages per ecosystem).
"""

from __future__ import annotations

from collections.abc import Iterable

from buildwise.explain.diagnose import Diagnosis
from buildwise.explain.diagnose import diagnose as run_diagnosis
from buildwise.explain.environment import (
    normalize_platform,
    normalize_python,
    resolve_ecosystem,
    this_ecosystem,
)
from buildwise.explain.fixes import steps, verify
from buildwise.explain.model import (
    CAUSE_KINDS,
    CAUSE_TITLES,
    Alternative,
    Cause,
    Evidence,
    Explanation,
    FixStep,
)
from buildwise.explain.packages import SystemPackageSet, collect
from buildwise.explain.prose import explanation, title
from buildwise.explain.scan import LogScanner
from buildwise.knowledge import KnowledgeBase, load_knowledge


def explain_text(
    text: str,
    *,
    python: str | None = None,
    platform: str | None = None,
    distro: str | None = None,
    kb: KnowledgeBase | None = None,
) -> Explanation:
    """Explain a whole log held in memory (an editor buffer or selection). Never raises on odd text."""
    return explain_lines(
        text.splitlines(keepends=True), python=python, platform=platform, distro=distro, kb=kb
    )


def explain_lines(
    lines: Iterable[str],
    *,
    python: str | None = None,
    platform: str | None = None,
    distro: str | None = None,
    kb: KnowledgeBase | None = None,
) -> Explanation:
    """Explain a log given line by line (a file or a pipe, streamed: memory stays bounded).

    ``python`` ("3.12") and ``platform`` ("linux-x86_64", "win_amd64"...) say where the log came from
    when the log does not show it; ``distro`` ("ubuntu", "fedora"...) picks whose packages to name first.
    """
    kb = kb or load_knowledge()
    scanner = LogScanner(kb).feed_all(lines)
    scan = scanner.result()
    # A LineReader knows whether it had to fall back from UTF-8 only once it has read everything.
    scan.not_utf8 = bool(getattr(lines, "not_utf8", False))
    py = normalize_python(python) if python else None
    plat = normalize_platform(platform) if platform else None
    d = run_diagnosis(scan, kb, python=py, platform=plat)
    return build(d, kb, ecosystem=_ecosystem(d, distro, scan.context.distro))


def _ecosystem(d: Diagnosis, distro: str | None, log_distro: str | None) -> str:
    chosen = resolve_ecosystem(distro)
    if chosen:
        return chosen
    if (d.platform or "").startswith("windows"):
        return "windows"
    if log_distro and d.platform_source == "log":
        return log_distro
    if (d.platform or "").startswith("macos"):
        return "homebrew"
    if (d.platform or "").startswith("linux-musl"):
        return "alpine"
    return this_ecosystem()


def build(d: Diagnosis, kb: KnowledgeBase, *, ecosystem: str) -> Explanation:
    """Words, steps and packages for a diagnosis."""
    packages = collect(kb, d)
    notes = list(d.notes)
    if d.other_failures:
        notes.append(f"Also failed to build: {', '.join(d.other_failures)} (explain them one log at a time).")
    if d.not_utf8:
        notes.append("The log is not valid UTF-8; undecodable bytes were read as cp1252.")
    if d.python_source == "assumed" and (
        d.cause in ("no_wheel_for_python", "pip_too_old") or d.wheel_floor is not None
    ):
        notes.append(f"The log does not show the Python version; assumed {d.python} (pass --python X.Y).")
    alternatives = tuple(
        Alternative(a.requirement, a.kind, a.same_import, a.caveats)
        for a in (d.pkg.alternatives if d.pkg else ())
    )
    evidence = Evidence(d.decisive.line, d.decisive.text) if d.decisive is not None else None
    build_error = (
        (d.build_error.cause, Evidence(d.build_error.line, d.build_error.text)) if d.build_error else None
    )
    fix = tuple(steps(d, kb, packages, ecosystem))
    return Explanation(
        cause_kind=d.cause,
        title=title(d),
        explanation=explanation(d, kb),
        package=d.display_name,
        version=d.version,
        python=d.python,
        python_source=d.python_source,
        platform=d.platform,
        platform_source=d.platform_source,
        installer=d.installer,
        installer_version=d.pip_version if d.installer != "uv" else None,
        evidence=evidence,
        build_error=build_error,
        missing=d.missing,
        identifiers=tuple(dict.fromkeys(packages.primary_ids + packages.other_ids)),
        fix=fix,
        verify=tuple(verify(d, kb)),
        distro=ecosystem,
        system_packages=packages.names,
        system_package_notes=packages.notes,
        alternatives=alternatives,
        notes=tuple(notes),
        causes=_causes(d, packages, fix, title(d)),
    )


#: Fix kinds that avoid the build (a wheel, a binary alternative, pip itself, another Python): they
#: belong to a wheel-level root cause; the others make the build itself work.
_AVOID_BUILD = ("upgrade", "upgrade-pip", "alternative", "python")


def _causes(
    d: Diagnosis, packages: SystemPackageSet, fix: tuple[FixStep, ...], root_title: str
) -> tuple[Cause, ...]:
    """The chain, root first: a wheel-level root (no wheel, pip too old) and the build error it led to."""
    names = packages.names
    if d.cause == "unknown" and d.decisive is None:
        return ()
    if d.build_error is None:
        evidence = (Evidence(d.decisive.line, d.decisive.text),) if d.decisive is not None else ()
        ids = tuple(d.identifiers)
        return (Cause(d.cause, root_title, d.basis, evidence, d.missing, ids, names, fix, packages.also),)
    symptom = d.build_error
    root = Cause(d.cause, root_title, d.basis, fix=tuple(step for step in fix if step.kind in _AVOID_BUILD))
    built = Cause(
        symptom.cause,
        CAUSE_TITLES.get(symptom.cause, symptom.cause),
        "log",
        (Evidence(symptom.line, symptom.text),),
        d.missing,
        tuple(d.identifiers),
        names,
        tuple(step for step in fix if step.kind not in _AVOID_BUILD),
        packages.also,
    )
    return (root, built)


__all__ = [
    "CAUSE_KINDS",
    "CAUSE_TITLES",
    "Evidence",
    "Explanation",
    "FixStep",
    "explain_lines",
    "explain_text",
]
