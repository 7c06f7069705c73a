"""Exact wheel coverage of a lock file: which locked distributions have no wheel whose tags a target
interpreter accepts, with the chain of packages that requires each one.

Target tags come from ``packaging.tags`` for a CPython X.Y (free-threaded: the ``t`` ABI, no abi3)
on a platform, with these assumptions, documented in the README: manylinux up to glibc 2.39 (down
to the legacy manylinux1/2010/2014 aliases), musllinux up to musl 1.2, macOS 14 (arm64 from 11.0,
x86_64 from 10.9, universal2 included), Windows win_amd64/win_arm64.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from packaging.markers import InvalidMarker, Marker
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

from buildwise.analysis.coverage import marker_environment
from buildwise.parse.locks import Edge, LockedPackage, LockFile

GLIBC_MAX_MINOR = 39
MUSL_MAX_MINOR = 2
MACOS_VERSION = (14, 0)


def _manylinux(arch: str) -> list[str]:
    out = [f"manylinux_2_{minor}_{arch}" for minor in range(GLIBC_MAX_MINOR, 4, -1)]
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    for minor, alias in legacy.items():
        if arch in ("x86_64", "i686") or alias == "manylinux2014":
            out.insert(out.index(f"manylinux_2_{minor}_{arch}") + 1, f"{alias}_{arch}")
    return out


def platform_tags(platform: str) -> list[str]:
    if platform == "linux-x86_64":
        return _manylinux("x86_64")
    if platform == "linux-aarch64":
        return _manylinux("aarch64")
    if platform.startswith("linux-musl-"):
        arch = platform.rsplit("-", 1)[1]
        return [f"musllinux_1_{minor}_{arch}" for minor in range(MUSL_MAX_MINOR, -1, -1)]
    if platform == "macos-arm64":
        return list(mac_platforms(MACOS_VERSION, "arm64"))
    if platform == "macos-x86_64":
        return list(mac_platforms(MACOS_VERSION, "x86_64"))
    if platform == "windows-amd64":
        return ["win_amd64"]
    if platform == "windows-arm64":
        return ["win_arm64"]
    return []


@functools.lru_cache(maxsize=256)
def target_tags(python: str, platform: str) -> frozenset[Tag]:
    free_threaded = python.endswith("t")
    major, minor = (int(p) for p in python.rstrip("t").split("."))
    plats = platform_tags(platform)
    abi = f"cp{major}{minor}{'t' if free_threaded else ''}"
    tags = set(cpython_tags((major, minor), [abi], plats))
    if free_threaded:
        tags = {t for t in tags if t.abi != "abi3"}
    tags |= set(compatible_tags((major, minor), f"cp{major}{minor}", plats))
    return frozenset(tags)


@functools.lru_cache(maxsize=65536)
def wheel_tags(filename: str) -> frozenset[Tag] | None:
    try:
        return frozenset(parse_wheel_filename(filename)[3])
    except InvalidWheelFilename:
        return None


def has_wheel_for(pkg: LockedPackage, python: str, platform: str) -> bool:
    accepted = target_tags(python, platform)
    return any((tags := wheel_tags(w)) is not None and tags & accepted for w in pkg.wheels)


#: Wheel platforms kb-lint does not check (WebAssembly, mobile): a lock made for them (a Pyodide
#: lock) says nothing about the targets.
_OTHER_PLATFORMS = ("emscripten", "wasm32", "wasi", "pyodide", "ios_", "android_")


def for_other_platforms(pkg: LockedPackage) -> bool:
    """Every wheel of the entry is for a platform kb-lint does not check (and it has no sdist)."""
    if pkg.has_sdist or not pkg.wheels:
        return False
    for w in pkg.wheels:
        tags = wheel_tags(w)
        if tags is None or not all(any(o in t.platform for o in _OTHER_PLATFORMS) for t in tags):
            return False
    return True


def has_wheel_for_python(pkg: LockedPackage, python: str) -> bool:
    """Some wheel accepts this Python on some known platform (tells KB201 from KB203)."""
    from buildwise.project.config import PLATFORMS

    return any(has_wheel_for(pkg, python, platform) for platform in PLATFORMS)


def _marker_true(marker: str | None, python: str, platform: str) -> bool:
    if not marker:
        return True
    try:
        return bool(Marker(marker).evaluate(marker_environment(python, platform)))
    except (InvalidMarker, Exception):
        return True


@dataclass
class LockMiss:
    package: LockedPackage
    python: str
    platform: str
    #: "python" (no wheel for this Python anywhere) | "platform" | "sdist-only"
    kind: str
    chain: list[str] = field(default_factory=list)


def _resolve(lock: LockFile, edge: Edge, python: str, platform: str) -> list[LockedPackage]:
    candidates = lock.by_key(canonicalize_name(edge.name))
    if edge.version is not None:
        exact = [p for p in candidates if p.version == edge.version]
        if exact:
            return exact
    if len(candidates) > 1:
        forked = [
            p for p in candidates if any(_marker_true(m, python, platform) for m in p.resolution_markers)
        ]
        return forked or candidates
    return candidates


def reachable(lock: LockFile, python: str, platform: str) -> dict[int, list[str]]:
    """Index of each locked package installed for the target -> chain of names that requires it."""
    if lock.kind == "pylock" or not any(p.is_project for p in lock.packages):
        return {p.index: [p.name] for p in lock.packages if _marker_true(p.marker, python, platform)}
    chains: dict[int, list[str]] = {}
    queue: list[tuple[LockedPackage, list[str]]] = [(p, [p.name]) for p in lock.packages if p.is_project]
    while queue:
        pkg, chain = queue.pop(0)
        if pkg.index in chains:
            continue
        chains[pkg.index] = chain
        for edge in pkg.dependencies:
            if not _marker_true(edge.marker, python, platform):
                continue
            for dep in _resolve(lock, edge, python, platform):
                if dep.index not in chains:
                    queue.append((dep, [*chain, dep.name]))
    return chains


def misses(
    lock: LockFile,
    pythons: tuple[str, ...],
    platforms: tuple[str, ...],
    exists: Callable[[str, str], bool] = lambda python, platform: True,
) -> list[LockMiss]:
    """``exists(python, platform)``: whether CPython is built for that pair at all."""
    out: list[LockMiss] = []
    for python in pythons:
        for platform in platforms:
            if not exists(python, platform):
                continue
            for index, chain in reachable(lock, python, platform).items():
                pkg = lock.packages[index]
                if pkg.is_project or pkg.source in ("git", "url", "path"):
                    continue
                if not pkg.wheels:
                    if pkg.has_sdist:
                        out.append(LockMiss(pkg, python, platform, "sdist-only", chain))
                    continue
                if has_wheel_for(pkg, python, platform) or for_other_platforms(pkg):
                    continue
                kind = "platform" if has_wheel_for_python(pkg, python) else "python"
                out.append(LockMiss(pkg, python, platform, kind, chain))
    return out
