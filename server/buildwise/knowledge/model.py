"""Typed, read-only views of knowledge-base entries, built lazily from the compiled index."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from packaging.version import InvalidVersion, Version

from buildwise.knowledge.variants import DepSpec, OptionalPart, VersionRange, build_optional, build_ranges

#: Ecosystems every identifier must map (or mark not-packaged), in display order.
REQUIRED_ECOSYSTEMS = ("debian", "fedora", "alpine", "arch", "homebrew", "conda-forge")
#: Ecosystems users can ask for. ubuntu falls back to debian's names where it has none of its own.
ECOSYSTEMS = ("debian", "ubuntu", "fedora", "alpine", "arch", "homebrew", "conda-forge")
#: Distro IDs (os-release ID / ID_LIKE) that share another ecosystem's package names.
ECOSYSTEM_ALIASES = {
    "rhel": "fedora",
    "centos": "fedora",
    "rocky": "fedora",
    "almalinux": "fedora",
    "manjaro": "arch",
    "linuxmint": "ubuntu",
    "pop": "ubuntu",
    "brew": "homebrew",
    "macos": "homebrew",
    "conda": "conda-forge",
}

#: Platforms wheel coverage is recorded for.
PLATFORMS = (
    "linux-x86_64",
    "linux-aarch64",
    "linux-musl-x86_64",
    "linux-musl-aarch64",
    "macos-x86_64",
    "macos-arm64",
    "windows-amd64",
    "windows-arm64",
)

EXTERNAL_KEYS = ("build-requires", "host-requires", "dependencies")
OPTIONAL_EXTERNAL_KEYS = ("optional-build-requires", "optional-host-requires", "optional-dependencies")


def normalize_name(name: str) -> str:
    """PEP 503 normalization: ``Foo_Bar.baz`` -> ``foo-bar-baz``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_version(text: str | None) -> Version | None:
    if text is None:
        return None
    try:
        return Version(text)
    except InvalidVersion:
        return None


@dataclass(frozen=True)
class PythonRange:
    first: Version | None
    last: Version | None
    #: True: no release has a wheel for this Python at all (recorded explicitly).
    none: bool = False

    def covers(self, version: Version) -> bool:
        if self.first is not None and version < self.first:
            return False
        return not (self.last is not None and version > self.last)


@dataclass(frozen=True)
class Abi3:
    first: Version
    last: Version | None
    python: tuple[int, int]


@dataclass(frozen=True)
class WheelInfo:
    published: bool
    python: dict[str, PythonRange]
    abi3: Abi3 | None
    #: platform -> first release with wheels for it; False: none published.
    platforms: dict[str, Version | bool]
    notes: str | None
    #: Releases with a pure-Python wheel (py3-none-any): installed wherever no binary wheel fits.
    pure: PythonRange | None = None
    #: Releases with version-independent platform wheels (py3-none-<platform>).
    py3: PythonRange | None = None
    #: False: no release publishes an sdist (wheel-only); None: not recorded.
    sdist: bool | None = None

    def first_for_python(self, python: str) -> Version | None:
        """The first release with a wheel usable by CPython ``python`` ("3.12", "3.13t")."""
        candidates: list[Version] = []
        entry = self.python.get(python)
        if entry is not None and entry.first is not None:
            candidates.append(entry.first)
        if self.abi3 is not None and not python.endswith("t"):
            major, minor = (int(p) for p in python.split("."))
            if (major, minor) >= self.abi3.python:
                candidates.append(self.abi3.first)
        if self.py3 is not None and self.py3.first is not None:
            candidates.append(self.py3.first)
        return min(candidates) if candidates else None

    def knows_python(self, python: str) -> bool:
        return (
            python in self.python
            or (self.abi3 is not None and not python.endswith("t"))
            or self.py3 is not None
        )


@dataclass(frozen=True)
class Alternative:
    requirement: str
    kind: str
    caveats: str
    same_import: bool


@dataclass(frozen=True)
class Signature:
    text: str | None
    regex: str | None
    cause: str
    identifier: str | None
    explanation: str | None


@dataclass(frozen=True)
class Reference:
    type: str
    url: str
    facts: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class PackageInfo:
    """What the knowledge base knows about one PyPI project."""

    key: str
    name: str
    summary: str
    languages: tuple[str, ...]
    build_backend: str | None
    build_requires: tuple[str, ...]
    build_env: dict[str, str]
    external: dict[str, tuple[DepSpec, ...]]
    optional_external: dict[str, dict[str, tuple[DepSpec, ...]]]
    wheels: WheelInfo | None
    alternatives: tuple[Alternative, ...]
    signatures: tuple[Signature, ...]
    references: tuple[Reference, ...]
    unverified: tuple[str, ...]
    last_reviewed: str
    notes: str | None
    raw: dict[str, Any] = field(repr=False, compare=False, hash=False)
    #: Native parts a source build compiles only when it can ([[optional]]).
    optional: tuple[OptionalPart, ...] = ()
    #: Facts that differ for ranges of releases ([[ranges]]); see variants.facts_for.
    ranges: tuple[VersionRange, ...] = ()
    #: The [[ranges]] specifier these facts come from, when facts_for picked one.
    range_text: str | None = None

    @property
    def compiles(self) -> bool:
        return bool(self.languages)

    @property
    def wheel_only(self) -> bool:
        """No release has an sdist: pip can only install a matching wheel, never build."""
        return self.wheels is not None and self.wheels.published and self.wheels.sdist is False

    @property
    def builds_without_tools(self) -> bool:
        """A source build compiles nothing it requires: every native part is optional."""
        return not self.languages and not self.external_ids() and bool(self.optional)

    def external_ids(self, which: tuple[str, ...] = ("build-requires", "host-requires")) -> list[str]:
        """Identifiers a source build needs, build tools first, without duplicates."""
        seen: dict[str, None] = {}
        for key in which:
            for dep in self.external.get(key, ()):
                seen.setdefault(dep.id, None)
        return list(seen)

    def is_unverified(self, fact: str) -> bool:
        return any(fact == u or fact.startswith(u + ".") for u in self.unverified)


@dataclass(frozen=True)
class EcosystemNames:
    build: tuple[str, ...] = ()
    host: tuple[str, ...] = ()
    run: tuple[str, ...] = ()
    not_packaged: str | None = None
    #: Meta-packages that pull it in (documenting one counts; never installed by kb-lint).
    also: tuple[str, ...] = ()

    @property
    def install(self) -> tuple[str, ...]:
        """What to install to build against it: build tools and host (-dev) packages."""
        out: dict[str, None] = {}
        for name in (*self.build, *self.host):
            out.setdefault(name, None)
        return tuple(out)

    @property
    def all_names(self) -> frozenset[str]:
        return frozenset((*self.build, *self.host, *self.run, *self.also))


@dataclass(frozen=True)
class IdentifierInfo:
    id: str
    description: str
    registry: str
    kind: str | None
    provides: tuple[str, ...]
    headers: tuple[str, ...]
    libraries: tuple[str, ...]
    tools: tuple[str, ...]
    pkg_config: tuple[str, ...]
    ecosystems: dict[str, EcosystemNames]
    windows: dict[str, Any]
    references: tuple[Reference, ...]

    def names(self, ecosystem: str) -> EcosystemNames | None:
        eco = ECOSYSTEM_ALIASES.get(ecosystem, ecosystem)
        found = self.ecosystems.get(eco)
        if found is None and eco == "ubuntu":
            found = self.ecosystems.get("debian")
        return found


def _versions_table(raw: dict[str, Any]) -> dict[str, PythonRange]:
    out: dict[str, PythonRange] = {}
    for py, rng in raw.items():
        if isinstance(rng, dict):
            out[py] = PythonRange(
                parse_version(rng.get("first")), parse_version(rng.get("last")), bool(rng.get("none"))
            )
    return out


def build_wheels(raw: dict[str, Any] | None) -> WheelInfo | None:
    if not isinstance(raw, dict) or "published" not in raw:
        return None
    abi3 = None
    raw_abi3 = raw.get("abi3")
    if isinstance(raw_abi3, dict):
        first = parse_version(raw_abi3.get("first"))
        py = str(raw_abi3.get("python", ""))
        if first is not None and re.fullmatch(r"3\.\d+", py):
            major, minor = py.split(".")
            abi3 = Abi3(first, parse_version(raw_abi3.get("last")), (int(major), int(minor)))
    platforms: dict[str, Version | bool] = {}
    for plat, value in (raw.get("platforms") or {}).items():
        if value is False:
            platforms[plat] = False
        elif isinstance(value, str) and (v := parse_version(value)) is not None:
            platforms[plat] = v
    raw_pure = raw.get("pure")
    pure = None
    if isinstance(raw_pure, dict) and parse_version(raw_pure.get("first")) is not None:
        pure = PythonRange(parse_version(raw_pure.get("first")), parse_version(raw_pure.get("last")))
    raw_py3 = raw.get("py3")
    py3 = None
    if isinstance(raw_py3, dict) and parse_version(raw_py3.get("first")) is not None:
        py3 = PythonRange(parse_version(raw_py3.get("first")), parse_version(raw_py3.get("last")))
    return WheelInfo(
        pure=pure,
        py3=py3,
        published=bool(raw.get("published")),
        python=_versions_table(raw.get("python") or {}),
        abi3=abi3,
        platforms=platforms,
        notes=raw.get("notes"),
        sdist=raw["sdist"] if isinstance(raw.get("sdist"), bool) else None,
    )


def _deps(values: Any) -> tuple[DepSpec, ...]:
    out = []
    for text in values or ():
        if isinstance(text, str) and (dep := DepSpec.parse(text)) is not None:
            out.append(dep)
    return tuple(out)


def _refs(raw: Any) -> tuple[Reference, ...]:
    return tuple(
        Reference(r.get("type", ""), r.get("url", ""), tuple(r.get("facts", ())), r.get("note"))
        for r in raw or ()
        if isinstance(r, dict)
    )


def build_package(key: str, raw: dict[str, Any]) -> PackageInfo:
    external_raw = raw.get("external") or {}
    build = raw.get("build") or {}
    return PackageInfo(
        key=key,
        name=str(raw.get("name", key)),
        summary=str(raw.get("summary", "")),
        languages=tuple(raw.get("languages") or ()),
        build_backend=build.get("backend"),
        build_requires=tuple(build.get("requires") or ()),
        build_env=dict(build.get("env") or {}),
        external={k: _deps(external_raw.get(k)) for k in EXTERNAL_KEYS if k in external_raw},
        optional_external={
            k: {group: _deps(v) for group, v in (external_raw.get(k) or {}).items()}
            for k in OPTIONAL_EXTERNAL_KEYS
            if k in external_raw
        },
        wheels=build_wheels(raw.get("wheels")),
        alternatives=tuple(
            Alternative(
                a.get("requirement", ""),
                a.get("kind", "binary"),
                a.get("caveats", ""),
                bool(a.get("same_import", False)),
            )
            for a in raw.get("alternatives") or ()
        ),
        signatures=tuple(
            Signature(
                s.get("text"),
                s.get("regex"),
                s.get("cause", "unknown"),
                s.get("identifier"),
                s.get("explanation"),
            )
            for s in raw.get("signatures") or ()
        ),
        references=_refs(raw.get("references")),
        unverified=tuple(raw.get("unverified") or ()),
        last_reviewed=str(raw.get("last_reviewed", "")),
        notes=raw.get("notes"),
        raw=raw,
        optional=build_optional(raw.get("optional"), _deps),
        ranges=build_ranges(raw.get("ranges")),
    )


def build_identifier(ident: str, raw: dict[str, Any]) -> IdentifierInfo:
    detect = raw.get("detect") or {}
    ecosystems: dict[str, EcosystemNames] = {}
    windows: dict[str, Any] = {}
    for eco, names in (raw.get("ecosystems") or {}).items():
        if eco == "windows":
            windows = dict(names)
            continue
        if not isinstance(names, dict):
            continue
        ecosystems[eco] = EcosystemNames(
            build=tuple(names.get("build") or ()),
            host=tuple(names.get("host") or ()),
            run=tuple(names.get("run") or ()),
            not_packaged=names.get("not-packaged"),
            also=tuple(names.get("also") or ()),
        )
    return IdentifierInfo(
        id=ident,
        description=str(raw.get("description", "")),
        registry=str(raw.get("registry", "buildwise")),
        kind=raw.get("kind"),
        provides=tuple(raw.get("provides") or ()),
        headers=tuple(detect.get("headers") or ()),
        libraries=tuple(detect.get("libraries") or ()),
        tools=tuple(detect.get("tools") or ()),
        pkg_config=tuple(detect.get("pkg-config") or ()),
        ecosystems=ecosystems,
        windows=windows,
        references=_refs(raw.get("references")),
    )
