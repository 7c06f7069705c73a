"""From a scanned log to a diagnosis: which package failed, which line decided it, and whether the
real cause is that pip should never have built it (no wheel for this Python or platform, pip too old).

Wheel questions are answered with the same coverage logic the linter's KB201-KB205 use
(:func:`buildwise.analysis.coverage.verdict`), so ``kb-lint check`` and ``kb-lint explain`` agree.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from buildwise.analysis.coverage import Status, verdict
from buildwise.explain.environment import this_platform, this_python
from buildwise.explain.scan import Candidate, ScanResult
from buildwise.knowledge import PLATFORMS, KnowledgeBase, PackageInfo
from buildwise.knowledge.ranges import facts_for

#: pip releases that first understood a wheel tag family: older pips skip such wheels and build
#: the sdist. manylinux2014: pip 19.3; manylinux_x_y (PEP 600): 20.3; musllinux (PEP 656): 21.2;
#: macOS 11+ / arm64 version numbering: 20.3.
_PIP_FOR_PLATFORM = {
    "linux-x86_64": ("20.3", "manylinux_2_17 / manylinux_2_28 (PEP 600)"),
    "linux-aarch64": ("20.3", "manylinux_2_17 / manylinux_2_28 (PEP 600)"),
    "linux-musl-x86_64": ("21.2", "musllinux (PEP 656)"),
    "linux-musl-aarch64": ("21.2", "musllinux (PEP 656)"),
    "macos-arm64": ("20.3", "macosx_11_0_arm64"),
    "macos-x86_64": ("20.3", "macosx_11_0 and later"),
}


#: Causes a wheel would not have avoided: the interpreter or the installer itself is broken, or the
#: release supports only Python 2 (then "no wheel for this Python" is true but says less).
_NOT_ABOUT_WHEELS = (
    "broken_python_environment",
    "incompatible_build_frontend",
    "python_unsupported_by_package",
)


@dataclass
class Diagnosis:
    """Everything the explanation and the fix need, decided; no prose yet."""

    cause: str
    decisive: Candidate | None
    build_error: Candidate | None = None
    package: str | None = None
    display_name: str | None = None
    version: str | None = None
    python: str | None = None
    python_source: str = "assumed"
    platform: str | None = None
    platform_source: str = "assumed"
    installer: str | None = None
    pip_version: str | None = None
    pkg: PackageInfo | None = None
    identifiers: list[str] = field(default_factory=list)
    also_identifiers: list[str] = field(default_factory=list)
    missing: tuple[str, str] | None = None
    #: The release to move to (first with a wheel for this Python and platform).
    wheel_version: Version | None = None
    #: When the built version is unknown: the first release with a wheel for this Python/platform.
    wheel_floor: Version | None = None
    #: Last release with a wheel for this Python (support dropped after it).
    wheel_last: Version | None = None
    pip_needed: tuple[str, str] | None = None
    succeeded: bool = False
    #: Built from a local directory, not a release from an index.
    local: bool = False
    source: str | None = None
    other_failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_utf8: bool = False
    #: How sure the cause is: log (a line says it), knowledge (package/version/Python and the
    #: knowledge base imply it), guess (the log shows too little).
    basis: str = "log"


def _pick(candidates: list[Candidate]) -> Candidate | None:
    best: Candidate | None = None
    for cand in candidates:
        if best is None or cand.strength > best.strength:
            best = cand  # candidates are in line order: on a tie the earliest stays
    return best


def _choose_package(scan: ScanResult) -> str | None:
    ctx = scan.context
    if ctx.failed:
        return ctx.failed[0]
    specific = _pick([c for c in scan.candidates if c.cause != "unknown"])
    if specific is not None and specific.package:
        return specific.package
    return ctx.current


def _refine(best: Candidate, pool: list[Candidate]) -> tuple[Candidate, list[str]]:
    """Prefer the root of a chain: pkg-config missing explains "dependency X not found"."""
    if best.resolved.missing_kind in ("dependency", "pkg-config") and best.cause != "missing_pkg_config":
        for cand in pool:
            if cand.cause == "missing_pkg_config" and cand.line <= best.line + 50:
                return cand, list(best.resolved.identifiers)
    return best, []


def diagnose(
    scan: ScanResult,
    kb: KnowledgeBase,
    *,
    python: str | None = None,
    platform: str | None = None,
) -> Diagnosis:
    ctx = scan.context
    if ctx.succeeded and not ctx.failed:
        # pip prints warnings that look like errors ("don't know how to compile Fortran") during
        # builds that then succeed: a log that ends in success has nothing to explain.
        d = Diagnosis(cause="unknown", decisive=None, package=ctx.current, succeeded=True)
        d.display_name = ctx.display_name(ctx.current)
        d.version = ctx.version_of(ctx.current)
        d.installer, d.pip_version = ctx.installer, ctx.pip_version
        d.python, d.python_source = (ctx.python, "log") if ctx.python else (python, "argument")
        d.platform, d.platform_source = (
            (ctx.final_platform(), "log") if ctx.final_platform() else (platform, "argument")
        )
        return d
    package = _choose_package(scan)
    pool = [c for c in scan.candidates if c.package in (package, None)] if package else list(scan.candidates)
    pool = [c.for_package(package) for c in (pool or scan.candidates)]
    best = _pick([c for c in pool if c.cause != "unknown"]) or _pick(pool)
    also: list[str] = []
    if best is not None:
        best, also = _refine(best, pool)
        if package is None:
            package = best.package
        if package is None and best.resolved.missing_kind == "package" and best.resolved.missing_name:
            package = best.resolved.missing_name  # "No matching distribution found for NAME"
    d = Diagnosis(cause=best.cause if best else "unknown", decisive=best, package=package)
    d.display_name = ctx.display_name(package)
    d.version = ctx.version_of(package)
    d.local = package in ctx.local
    d.source = ctx.local_paths.get(package) if package else None
    d.installer, d.pip_version = ctx.installer, ctx.pip_version
    d.succeeded = ctx.succeeded and not ctx.failed
    d.other_failures = [ctx.display_name(p) or p for p in ctx.failed if p != package]
    d.not_utf8 = scan.not_utf8
    if best is not None:
        d.identifiers = list(best.resolved.identifiers)
        if (
            best.signature is not None
            and best.signature.identifier
            and best.signature.identifier not in d.identifiers
        ):
            d.identifiers.insert(0, best.signature.identifier)
        if best.resolved.missing_kind and best.resolved.missing_name:
            d.missing = (best.resolved.missing_kind, best.resolved.missing_name)
        d.also_identifiers = [i for i in also if i not in d.identifiers]

    # Where the log came from: the log's word first, then the caller's, then this machine.
    stated = best.hit.python if best is not None else None
    if stated or ctx.python:
        d.python, d.python_source = stated or ctx.python, "log"
    elif python:
        d.python, d.python_source = python, "argument"
    else:
        d.python, d.python_source = this_python(), "assumed"
    log_platform = ctx.final_platform()
    if log_platform in ("macos", "windows") and platform and platform.startswith(log_platform):
        log_platform = None  # the log shows the OS, the caller knows the CPU: "macos" + macos-arm64
    if log_platform:
        d.platform, d.platform_source = log_platform, "log"
    elif platform:
        d.platform, d.platform_source = platform, "argument"
    else:
        d.platform, d.platform_source = this_platform(), "assumed"

    if d.cause == "missing_c_compiler" and (d.platform or "").startswith("windows"):
        d.cause = "missing_msvc"
    if d.cause == "missing_tool":
        d.cause = "unknown"
    d.pkg = kb.package(package) if package and not d.local else None
    if d.pkg is not None and d.version:
        # Facts that differ by release ([[ranges]]): those of the version the log built.
        with contextlib.suppress(InvalidSpecifier):
            d.pkg = facts_for(d.pkg, SpecifierSet(f"=={d.version}"))
    if d.cause not in _NOT_ABOUT_WHEELS:
        _wheels(d)
    if d.pkg is not None and d.pkg.wheel_only and d.cause in ("no_wheel_for_python", "no_wheel_for_platform"):
        d.cause = "wheel_only_no_match"  # pip found nothing to install and has nothing to build
    if d.cause == "unknown" and not d.succeeded:
        _from_knowledge(d, kb)
    return d


def _from_knowledge(d: Diagnosis, kb: KnowledgeBase) -> None:
    """The log shows a failed build but no error that says why (a summary, a truncated paste). When
    the knowledge base says this package always builds from source here and needs a system library,
    that library is the likely cause: say so, as a guess."""
    pkg = d.pkg
    if pkg is None or pkg.wheels is None or d.platform not in PLATFORMS:
        return
    always_built = not pkg.wheels.published or pkg.wheels.platforms.get(d.platform) is False
    hosts = pkg.external_ids(("host-requires",))
    info = kb.identifier(hosts[0]) if always_built and hosts else None
    if info is None:
        return
    config_tools = [t for t in info.tools if t.endswith(("-config", "_config"))]
    d.cause = "missing_library_config_tool" if config_tools else "missing_system_library"
    d.missing = ("tool", config_tools[0]) if config_tools else None
    d.identifiers = [info.id]
    d.basis = "guess"
    where = f"for {d.platform}" if pkg.wheels.published else "at all"
    d.notes.append(
        f"The log shows no error line that says why the build failed. {pkg.name} publishes no wheels "
        f"{where}, so pip always builds it there, and the build needs "
        f"{info.description.rstrip('.')}: its absence is the most likely cause (a guess from the "
        "knowledge base; the full log, with pip -v, would say)."
    )


def _wheels(d: Diagnosis) -> None:
    """Would a wheel have avoided this build? Changes the cause when the knowledge base says so."""
    pkg, version, python, platform = d.pkg, d.version, d.python, d.platform
    if pkg is None or pkg.wheels is None or not python or platform not in PLATFORMS:
        return  # the knowledge base records wheels only for its platforms (not armv7l, not "a Mac")
    if python.startswith("2."):
        return  # ... and only for CPython 3
    if version is None:
        first = pkg.wheels.first_for_python(python)
        plat = pkg.wheels.platforms.get(platform)
        if first is not None and plat is not False and pkg.wheels.published:
            d.wheel_floor = max(first, plat) if isinstance(plat, Version) else first
        if plat is not False and pkg.wheels.published and d.cause == "unknown":
            _old_pip(d)  # nothing else explains it: wheels exist here, but an old pip sees none
        return
    try:
        spec = SpecifierSet(f"=={version}")
        built = Version(version)
    except (InvalidSpecifier, InvalidVersion):
        return
    if not pkg.wheels.published:
        d.notes.append(f"{pkg.name} publishes no wheels at all: every install compiles it.")
        return
    result = verdict(pkg, spec, python, platform)
    build_cause = d.cause
    plat_first = pkg.wheels.platforms.get(platform)
    if result.status == Status.UNKNOWN and d.cause == "unknown" and plat_first is not False and _old_pip(d):
        return
    if result.status == Status.UNKNOWN and isinstance(plat_first, Version) and built < plat_first:
        # Nothing recorded for this Python, but no release before plat_first had a wheel for this
        # platform at all: whatever the Python, pip had to build this one.
        d.wheel_version = plat_first
        _replace_cause(d, "no_wheel_for_platform")
        return
    if result.status == Status.PREDATES and result.first is not None:
        d.wheel_version = result.first
        _replace_cause(d, "no_wheel_for_python")
    elif result.status == Status.NO_PYTHON:
        rng = pkg.wheels.python.get(python)
        if rng is not None and rng.last is not None and built > rng.last:
            d.wheel_last = rng.last
            _replace_cause(d, "no_wheel_for_python")
    elif result.status == Status.NO_PLATFORM:
        if result.first is not None and result.first > built:
            d.wheel_version = result.first
            _replace_cause(d, "no_wheel_for_platform")
        else:
            d.notes.append(
                f"{pkg.name} publishes no wheels for {platform}: there it always builds from source."
            )
    elif result.status == Status.WHEEL and build_cause != "no_wheel_for_python":
        _wheel_existed(d, result.first)


def _replace_cause(d: Diagnosis, cause: str) -> None:
    """A wheel-level root cause (no wheel, pip too old) for what the log shows."""
    needs = {"no_wheel_for_python": (d.python_source,), "no_wheel_for_platform": (d.platform_source,)}
    assumed = "assumed" in needs.get(cause, (d.python_source, d.platform_source))
    if assumed and d.decisive is not None and d.cause != "unknown":
        # The log does not say which Python it came from: the build error it does show stays the
        # cause; what holds for this machine's Python is only a note.
        d.notes.append(
            f"If this log comes from CPython {d.python} on {d.platform}: "
            + CAUSE_NOTE.get(cause, cause)
            + " (the log does not show its "
            + (
                "platform; pass --platform"
                if cause == "no_wheel_for_platform"
                else "Python; pass --python X.Y"
            )
            + ")."
        )
        d.wheel_version = d.wheel_floor = d.wheel_last = None
        d.pip_needed = None
        return
    if d.decisive is not None and d.cause != cause:
        d.build_error = d.decisive
    d.cause = cause
    d.basis = "guess" if assumed else "knowledge"


#: What a wheel finding means, for the note on a log whose Python is not known.
CAUSE_NOTE = {
    "no_wheel_for_python": "this release has no wheel for it, which is why pip built it",
    "no_wheel_for_platform": "this release has no wheel for it, which is why pip built it",
    "pip_too_old": "a wheel exists, and pip was too old to use it",
}


def _old_pip(d: Diagnosis) -> bool:
    """pip is older than the first release that understands the wheel tags of this platform."""
    needed = _PIP_FOR_PLATFORM.get(d.platform or "")
    if d.installer == "uv" or not d.pip_version or needed is None:
        return False
    try:
        old = Version(d.pip_version) < Version(needed[0])
    except InvalidVersion:
        return False
    if old:
        d.pip_needed = needed
        _replace_cause(d, "pip_too_old")
    return old


def _wheel_existed(d: Diagnosis, first: Version | None) -> None:
    """A wheel existed for this Python and platform, yet pip built from source."""
    assert d.pkg is not None and d.platform is not None
    where = f"CPython {d.python} on {d.platform}"
    if _old_pip(d):
        return
    if d.platform_source == "log" or d.platform_source == "argument":
        d.notes.append(
            f"{d.pkg.name} {d.version} has a wheel for {where} according to the knowledge base, yet it was "
            "built from source: check for --no-binary (or PIP_NO_BINARY), an index without wheels, or an "
            "old pip."
        )


__all__ = ["Diagnosis", "diagnose"]
