"""Will pip find a wheel? Wheel coverage of a dependency for one target (CPython X.Y on a platform),
from the knowledge base's recorded ranges.

A target is covered by a release R when the knowledge base says R has a wheel for the Python
(``python[X.Y].first <= R <= python[X.Y].last``, or abi3 wheels from ``abi3.first`` on for
non-free-threaded CPython >= ``abi3.python``) and for the platform (``platforms[P]`` is a release
``<= R``). Anything the knowledge base does not record is *unknown*, and unknown never produces a
warning.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from buildwise.knowledge.model import PackageInfo, WheelInfo

#: platform -> marker values (PEP 508 environment) for evaluating dependency markers per target.
_PLATFORM_MARKERS: dict[str, dict[str, str]] = {
    "linux-x86_64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "os_name": "posix",
    },
    "linux-aarch64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "aarch64",
        "os_name": "posix",
    },
    "linux-musl-x86_64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "os_name": "posix",
    },
    "linux-musl-aarch64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "aarch64",
        "os_name": "posix",
    },
    "macos-x86_64": {
        "sys_platform": "darwin",
        "platform_system": "Darwin",
        "platform_machine": "x86_64",
        "os_name": "posix",
    },
    "macos-arm64": {
        "sys_platform": "darwin",
        "platform_system": "Darwin",
        "platform_machine": "arm64",
        "os_name": "posix",
    },
    "windows-amd64": {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "platform_machine": "AMD64",
        "os_name": "nt",
    },
    "windows-arm64": {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "platform_machine": "ARM64",
        "os_name": "nt",
    },
}

#: Where a platform's OS packages come from, for "what the build needs" in messages.
PLATFORM_ECOSYSTEM = {
    "linux-x86_64": "debian",
    "linux-aarch64": "debian",
    "linux-musl-x86_64": "alpine",
    "linux-musl-aarch64": "alpine",
    "macos-x86_64": "homebrew",
    "macos-arm64": "homebrew",
}


def marker_environment(python: str, platform: str) -> dict[str, str]:
    version = python.rstrip("t")
    env = {
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{version}.0",
        "platform_release": "",
        "platform_version": "",
        "extra": "",
    }
    env.update(_PLATFORM_MARKERS.get(platform, {}))
    return env


@functools.lru_cache(maxsize=4096)
def _marker(text: str) -> Marker:
    return Marker(text)


@functools.lru_cache(maxsize=16384)
def marker_applies(marker: str | None, python: str, platform: str) -> bool:
    """Does a dependency with this marker (its text) apply to the target?"""
    if not marker:
        return True
    try:
        return bool(_marker(marker).evaluate(marker_environment(python, platform)))
    except Exception:  # undefined marker variables: assume it applies (stay conservative)
        return True


class Status(enum.Enum):
    WHEEL = "wheel"
    UNKNOWN = "unknown"
    SDIST_ONLY = "sdist-only"
    PREDATES = "predates"  # every admitted release is older than the first with wheels for the Python
    NO_PYTHON = "no-python"  # admitted releases exist, none with a wheel for the Python
    NO_PLATFORM = "no-platform"  # wheels for the Python, none for the platform


@dataclass(frozen=True)
class Verdict:
    status: Status
    python: str
    platform: str
    #: First release with a wheel for the Python (and the platform, for NO_PLATFORM), if known.
    first: Version | None = None


def _bounds(spec: SpecifierSet) -> tuple[Version | None, bool]:
    """The highest version ``spec`` can admit (None: unbounded) and whether that bound is inclusive."""
    upper: Version | None = None
    inclusive = True
    for clause in spec:
        op, version = clause.operator, clause.version
        if op in ("==", "===") and "*" in version:
            prefix = version.rstrip(".*")
            try:
                parts = Version(prefix).release
            except InvalidVersion:
                continue
            bump = Version(".".join(str(p) for p in (*parts[:-1], parts[-1] + 1)))
            cand, inc = bump, False
        elif op in ("==", "===", "<=", "<"):
            try:
                cand = Version(version)
            except InvalidVersion:
                continue
            inc = op != "<"
        elif op == "~=":
            release = Version(version).release
            head = release[:-1] if len(release) > 1 else release
            cand = Version(".".join(str(p) for p in (*head[:-1], head[-1] + 1)))
            inc = False
        else:
            continue
        if upper is None or cand < upper or (cand == upper and not inc):
            upper, inclusive = cand, inc
    return upper, inclusive


_FAR_FUTURE = Version("99999")


_NAMED: dict[str, tuple[Version, ...]] = {}
_CONTAINS: dict[tuple[str, Version], bool] = {}


def _named_versions(spec: SpecifierSet, key: str) -> tuple[Version, ...]:
    """Every version a specifier names, a patch above each and the next release: where the edges
    of what it admits are. Parsed once per distinct specifier text (hashing a SpecifierSet costs
    more than parsing it, so the caches are keyed by text)."""
    found = _NAMED.get(key)
    if found is not None:
        return found
    out: set[Version] = set()
    for clause in spec:
        try:
            v = Version(clause.version.rstrip(".*"))
        except InvalidVersion:
            continue
        release = v.release
        out.add(v)
        out.add(Version(".".join(str(p) for p in (*release, 1))))  # 1.2 -> 1.2.1
        out.add(Version(".".join(str(p) for p in (*release[:-1], release[-1] + 1))))
    if len(_NAMED) > 50_000:
        _NAMED.clear()
    found = _NAMED[key] = tuple(sorted(out))
    return found


def admits_range(
    spec: SpecifierSet, low: Version | None, high: Version | None, key: str | None = None
) -> bool:
    """Does ``spec`` admit some version in [low, high] (None = unbounded)? Checked on candidate
    versions: the bounds and every version the specifier names, plus a patch above each.
    ``key``: the specifier's text, when the caller has it (saves formatting it)."""
    if not spec:
        return True
    key = key if key is not None else str(spec)
    candidates = [b for b in (low, high) if b is not None]
    candidates += _named_versions(spec, key)
    if high is None:
        candidates.append(_FAR_FUTURE)
    for cand in candidates:
        if low is not None and cand < low:
            continue
        if high is not None and cand > high:
            continue
        cache_key = (key, cand)
        admitted = _CONTAINS.get(cache_key)
        if admitted is None:
            if len(_CONTAINS) > 200_000:
                _CONTAINS.clear()
            admitted = _CONTAINS[cache_key] = spec.contains(cand, prereleases=True)
        if admitted:
            return True
    return False


def _abi3_covers(w: WheelInfo, python: str) -> bool:
    if w.abi3 is None or python.endswith("t"):
        return False
    major, minor = (int(p) for p in python.split("."))
    return (major, minor) >= w.abi3.python


def _python_range(w: WheelInfo, python: str) -> tuple[Version | None, Version | None] | None:
    """(first, last) releases with a wheel usable by ``python``; None when the KB does not know."""
    rng = w.python.get(python)
    first = rng.first if rng is not None else None
    last = rng.last if rng is not None else None
    if w.abi3 is not None and not python.endswith("t"):
        major, minor = (int(p) for p in python.split("."))
        if (major, minor) >= w.abi3.python:
            if first is None or w.abi3.first < first:
                first = w.abi3.first
            last = None if w.abi3.last is None and rng is None else last
    py3_first = w.py3.first if w.py3 is not None else None
    if w.py3 is not None and py3_first is not None and (first is None or py3_first < first):
        first, last = py3_first, w.py3.last  # py3-none-<platform> wheels: any CPython
    if first is None:
        return None
    return first, last


def verdict(
    pkg: PackageInfo, spec: SpecifierSet, python: str, platform: str, key: str | None = None
) -> Verdict:
    key = key if key is not None else str(spec)
    w = pkg.wheels
    if w is None:
        return Verdict(Status.UNKNOWN, python, platform)
    if not w.published:
        return Verdict(Status.SDIST_ONLY, python, platform)
    if w.pure is not None and admits_range(spec, w.pure.first, w.pure.last, key):
        # A py3-none-any wheel is there for every target: pip installs it when nothing fits better.
        return Verdict(Status.WHEEL, python, platform, w.pure.first)
    if w.platforms.get(platform) is False:  # never any wheel for this platform, whatever the Python
        return Verdict(Status.NO_PLATFORM, python, platform, None)
    recorded = w.python.get(python)
    if recorded is not None and recorded.none and not _abi3_covers(w, python):
        return Verdict(Status.NO_PYTHON, python, platform)
    rng = _python_range(w, python)
    if rng is None:
        return Verdict(Status.UNKNOWN, python, platform)
    first, last = rng
    if not admits_range(spec, first, last, key):
        upper, _ = _bounds(spec)
        if (
            upper is not None
            and first is not None
            and upper <= first
            and not spec.contains(first, prereleases=True)
        ):
            return Verdict(Status.PREDATES, python, platform, first)
        if admits_range(spec, None, None, key):
            return Verdict(Status.NO_PYTHON, python, platform, first)
        return Verdict(Status.UNKNOWN, python, platform)
    plat = w.platforms.get(platform)
    if plat is None:
        return Verdict(Status.WHEEL, python, platform, first)
    if plat is False:
        return Verdict(Status.NO_PLATFORM, python, platform, None)
    assert isinstance(plat, Version)
    low = max(plat, first) if first is not None else plat
    if not admits_range(spec, low, last, key):
        return Verdict(Status.NO_PLATFORM, python, platform, low)
    return Verdict(Status.WHEEL, python, platform, first)


def raise_floor(spec: SpecifierSet, floor: Version) -> str:
    """``spec`` with its lower bound raised to ``floor``, as text. A pin becomes a pin on ``floor``;
    otherwise lower bounds and clauses that reject ``floor`` are dropped and the rest kept:
    ``>=1.21,!=1.22.0,<3`` -> ``>=1.26.0,!=1.22.0,<3``."""
    if any(c.operator in ("==", "===") and "*" not in c.version for c in spec):
        return f"=={floor}"
    kept = [str(c) for c in spec if c.operator not in (">=", ">") and c.contains(floor, prereleases=True)]
    return ",".join([f">={floor}", *kept])


__all__ = ["Status", "Verdict", "admits_range", "marker_applies", "raise_floor", "verdict"]
