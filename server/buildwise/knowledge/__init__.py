"""The knowledge base: native-build facts about PyPI projects and PEP 725 identifiers."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from buildwise.knowledge.loader import KnowledgeError, default_root, load_index
from buildwise.knowledge.model import (
    ECOSYSTEM_ALIASES,
    ECOSYSTEMS,
    PLATFORMS,
    EcosystemNames,
    IdentifierInfo,
    PackageInfo,
    build_identifier,
    build_package,
    normalize_name,
)

__all__ = [
    "ECOSYSTEMS",
    "PLATFORMS",
    "IdentifierInfo",
    "KnowledgeBase",
    "KnowledgeError",
    "PackageInfo",
    "SystemPackages",
    "load_knowledge",
    "normalize_name",
]

PYTHON_HEADERS_ID = "dep:generic/python"


class SystemPackages:
    """What to install on one ecosystem to build something from source."""

    def __init__(self, ecosystem: str) -> None:
        self.ecosystem = ecosystem
        self.names: list[str] = []
        #: identifier -> why it has no package there (not-packaged reasons, missing mappings)
        self.notes: dict[str, str] = {}

    def add(self, ident: str, names: EcosystemNames | None) -> None:
        if names is None:
            self.notes.setdefault(ident, "no package name known")
            return
        if names.not_packaged:
            self.notes.setdefault(ident, names.not_packaged)
            return
        for name in names.install:
            if name not in self.names:
                self.names.append(name)


class KnowledgeBase:
    """Read-only access to the compiled index; entries are turned into objects on first use."""

    def __init__(self, index: dict[str, Any], root: Path | None = None) -> None:
        self.root = root
        self._packages_raw: dict[str, dict[str, Any]] = index.get("packages", {})
        self._identifiers_raw: dict[str, dict[str, Any]] = index.get("identifiers", {})
        self._pythons_raw: dict[str, Any] = index.get("pythons", {})
        self.obsolete_build_requirements: dict[str, dict[str, Any]] = {
            normalize_name(str(entry.get("name", ""))): entry
            for entry in index.get("build_requirements", {}).get("obsolete", [])
        }
        self.files: dict[str, str] = index.get("files", {})
        self._packages: dict[str, PackageInfo] = {}
        self._identifiers: dict[str, IdentifierInfo] = {}
        #: (package, specifier, python, platform) -> coverage verdict. The knowledge base never
        #: changes under a running process, so an answer stays right; edits re-use them.
        self.verdicts: dict[tuple[Any, ...], Any] = {}
        #: system_packages() answers; callers only read them.
        self._system_cache: dict[tuple[Any, ...], SystemPackages] = {}

    @classmethod
    def load(cls, root: Path | None = None, *, use_cache: bool = True) -> KnowledgeBase:
        root = root or default_root()
        return cls(load_index(root, use_cache=use_cache), root)

    # -- packages ---------------------------------------------------------------------------
    def package_keys(self) -> list[str]:
        return sorted(self._packages_raw)

    def package(self, name: str) -> PackageInfo | None:
        found = self._packages.get(name)  # callers mostly pass normalized names already
        if found is not None:
            return found
        key = name if name.islower() and "_" not in name and "." not in name else normalize_name(name)
        found = self._packages.get(key)
        if found is None:
            raw = self._packages_raw.get(key)
            if raw is None:
                return None
            found = self._packages[key] = build_package(key, raw)
        return found

    def __contains__(self, name: str) -> bool:
        return normalize_name(name) in self._packages_raw

    # -- identifiers ------------------------------------------------------------------------
    def identifier_ids(self) -> list[str]:
        return sorted(self._identifiers_raw)

    def identifier(self, ident: str) -> IdentifierInfo | None:
        found = self._identifiers.get(ident)
        if found is None:
            raw = self._identifiers_raw.get(ident)
            if raw is None:
                return None
            found = self._identifiers[ident] = build_identifier(ident, raw)
        return found

    @functools.cached_property
    def _detect_index(self) -> dict[tuple[str, str], list[str]]:
        """(kind, name) -> identifiers, for headers, libraries, tools and pkg-config modules."""
        out: dict[tuple[str, str], list[str]] = {}
        for ident in self._identifiers_raw:
            info = self.identifier(ident)
            assert info is not None
            for kind, names in (
                ("header", info.headers),
                ("library", info.libraries),
                ("tool", info.tools),
                ("pkg-config", info.pkg_config),
            ):
                for name in names:
                    out.setdefault((kind, name), []).append(ident)
        return out

    def identifiers_for(self, kind: str, name: str) -> list[str]:
        """Identifiers whose ``detect`` lists ``name`` as a header/library/tool/pkg-config module."""
        return list(self._detect_index.get((kind, name), ()))

    # -- system packages --------------------------------------------------------------------
    @staticmethod
    def ecosystem_for(distro: str) -> str:
        distro = distro.lower()
        return ECOSYSTEM_ALIASES.get(distro, distro)

    def system_packages(
        self, identifiers: list[str], ecosystem: str, *, with_python_headers: bool | None = None
    ) -> SystemPackages:
        """Packages that provide ``identifiers`` on ``ecosystem``.

        PEP 725: Python's development headers are implied when a compiler is among the identifiers;
        ``with_python_headers`` forces the choice.
        """
        ecosystem = self.ecosystem_for(ecosystem)
        cache_key = (tuple(identifiers), ecosystem, with_python_headers)
        cached = self._system_cache.get(cache_key)
        if cached is not None:
            return cached
        result = SystemPackages(ecosystem)
        wanted = list(identifiers)
        if with_python_headers is None:
            with_python_headers = any(i.startswith("dep:virtual/compiler/") for i in wanted)
        if with_python_headers and PYTHON_HEADERS_ID not in wanted:
            wanted.append(PYTHON_HEADERS_ID)
        for ident in wanted:
            info = self.identifier(ident)
            result.add(ident, info.names(ecosystem) if info else None)
        self._system_cache[cache_key] = result
        return result

    def package_system_packages(self, pkg: PackageInfo, ecosystem: str) -> SystemPackages:
        """What to install to build ``pkg`` on ``ecosystem``; [external] entries whose marker
        excludes that ecosystem's OS (``sys_platform == 'linux'`` on Homebrew) are left out."""
        ids: list[str] = []
        for key in ("build-requires", "host-requires"):
            for dep in pkg.external.get(key, ()):
                if dep.id not in ids and _marker_allows(dep.marker, self.ecosystem_for(ecosystem)):
                    ids.append(dep.id)
        return self.system_packages(ids, ecosystem)

    # -- Python versions --------------------------------------------------------------------
    @functools.cached_property
    def pythons(self) -> list[str]:
        """Known CPython minor versions, oldest first ("3.9", ..., "3.15")."""
        versions = [str(v["version"]) for v in self._pythons_raw.get("python", [])]
        return sorted(versions, key=lambda v: tuple(int(p) for p in v.split(".")))

    @functools.cached_property
    def _platform_floors(self) -> dict[str, tuple[int, int]]:
        floors = {}
        for entry in self._pythons_raw.get("platform", []):
            major, minor = str(entry["first_python"]).split(".")
            floors[str(entry["name"])] = (int(major), int(minor))
        return floors

    def cpython_exists(self, python: str, platform: str) -> bool:
        """Whether CPython ``python`` ("3.10", "3.13t") is built for ``platform`` at all (CPython
        on Windows ARM64 starts at 3.11): a pair where it is not is no target."""
        floor = self._platform_floors.get(platform)
        if floor is None:
            return True
        major, minor = python.rstrip("t").split(".")[:2]
        return (int(major), int(minor)) >= floor

    def needs_tools_on(self, pkg: PackageInfo, platform: str) -> bool:
        """Whether a source build of ``pkg`` on ``platform`` compiles anything. False when every
        native part is optional (a pure-Python fallback) and when every compiler it lists carries a
        marker that leaves the platform out (watchdog compiles only on macOS): there a missing wheel
        costs nothing, pip builds the sdist with no tools. A wheel-only package (nothing to build)
        is a different question and answers True here."""
        if pkg.wheel_only:
            return True
        if pkg.builds_without_tools:
            return False
        deps = [d for key in ("build-requires", "host-requires") for d in pkg.external.get(key, ())]
        compilers = [d for d in deps if d.id.startswith("dep:virtual/compiler/")]
        if not compilers:
            return True
        ecosystem = _PLATFORM_ECOSYSTEM.get(platform.split("-")[0], "debian")
        return any(_marker_allows(d.marker, ecosystem) for d in compilers)

    def python_info(self, version: str) -> dict[str, Any] | None:
        for entry in self._pythons_raw.get("python", []):
            if str(entry.get("version")) == version:
                return dict(entry)
        return None


#: A wheel platform's OS family -> the ecosystem whose OS markers evaluate for it.
_PLATFORM_ECOSYSTEM = {"windows": "windows", "macos": "homebrew"}

_ECOSYSTEM_OS = {"homebrew": ("darwin", "Darwin", "posix"), "windows": ("win32", "Windows", "nt")}


def _marker_allows(marker: str | None, ecosystem: str) -> bool:
    if not marker:
        return True
    from packaging.markers import InvalidMarker, Marker

    sys_platform, system, os_name = _ECOSYSTEM_OS.get(ecosystem, ("linux", "Linux", "posix"))
    try:
        return bool(
            Marker(marker).evaluate(
                {"sys_platform": sys_platform, "platform_system": system, "os_name": os_name}
            )
        )
    except (InvalidMarker, Exception):
        return True


@functools.cache
def load_knowledge(root: str | None = None) -> KnowledgeBase:
    """The process-wide knowledge base, loaded once (``root`` overrides the default location)."""
    return KnowledgeBase.load(Path(root) if root else None)


__all__ += ["ECOSYSTEM_ALIASES", "PLATFORMS", "PYTHON_HEADERS_ID"]
