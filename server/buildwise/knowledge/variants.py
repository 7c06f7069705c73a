"""Optional native parts and version-ranged facts of a package entry.

``[[optional]]``: a native part (an extension or a system library) that a source build compiles only
when it can; the build still works without it (a pure-Python fallback, or a missing feature). Its
requirements are shown (hover, ``kb-lint deps --all``) but never reported as missing.

``[[ranges]]``: facts that differ for a range of releases; a range describes the native build of
its releases completely (languages, build, external, optional: what it omits, they lack).
:func:`buildwise.knowledge.ranges.facts_for` picks the range that covers the newest release a
specifier admits, the one pip would install.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

_DEP_RE = re.compile(r"^(?P<id>dep:[^@;\s]+)(?:@(?P<version>[^;\s]+))?\s*(?:;\s*(?P<marker>.+))?$")


@dataclass(frozen=True)
class DepSpec:
    """One PEP 725 external dependency specifier, split into its parts."""

    text: str
    id: str
    version: str | None
    marker: str | None

    @classmethod
    def parse(cls, text: str) -> DepSpec | None:
        m = _DEP_RE.match(text.strip())
        if not m:
            return None
        return cls(text, m["id"].split("?")[0].split("#")[0], m["version"], m["marker"])


@dataclass(frozen=True)
class Switch:
    kind: str  # env | config-settings | build-flag | setup-cfg | extra
    name: str
    value: str | None
    effect: str  # enable | disable | require

    def text(self) -> str:
        """How a user flips it: 'PURE=1 (environment)', '--config-settings=KEY', '--no-murmur3'."""
        setting = f"{self.name}={self.value}" if self.value is not None else self.name
        if self.kind == "env":
            return f"{setting} in the environment"
        if self.kind == "config-settings":
            return f"--config-settings {setting}"
        if self.kind == "extra":
            return f"the [{self.name}] extra"
        return setting


@dataclass(frozen=True)
class OptionalPart:
    part: str  # extension | library
    name: str
    requires: tuple[DepSpec, ...]
    default: bool
    switch: Switch | None
    fallback: str  # pure | reduced
    notes: str | None = None

    def fallback_text(self) -> str:
        if self.fallback == "pure":
            return "without it a pure-Python fallback is used (slower, not broken)"
        return "without it that feature is missing; the rest works"


@dataclass(frozen=True)
class VersionRange:
    versions: SpecifierSet
    text: str
    #: The raw table: only the keys it sets override the top-level facts.
    raw: dict[str, Any]


def build_optional(raw: Any, deps: Any) -> tuple[OptionalPart, ...]:
    out = []
    for item in raw or ():
        if not isinstance(item, dict) or not item.get("name"):
            continue
        sw = item.get("switch")
        switch = None
        if isinstance(sw, dict) and sw.get("kind"):
            switch = Switch(
                str(sw["kind"]),
                str(sw.get("name", "")),
                str(sw["value"]) if sw.get("value") is not None else None,
                str(sw.get("effect", "disable")),
            )
        out.append(
            OptionalPart(
                part=str(item.get("part", "extension")),
                name=str(item["name"]),
                requires=deps(item.get("requires")),
                default=bool(item.get("default", True)),
                switch=switch,
                fallback=str(item.get("fallback", "pure")),
                notes=item.get("notes"),
            )
        )
    return tuple(out)


def build_ranges(raw: Any) -> tuple[VersionRange, ...]:
    out = []
    for item in raw or ():
        if not isinstance(item, dict):
            continue
        try:
            spec = SpecifierSet(str(item.get("versions", "")))
        except InvalidSpecifier:
            continue
        out.append(VersionRange(spec, str(spec), item))
    return tuple(out)


def _upper(spec: SpecifierSet) -> tuple[Version | None, bool]:
    """The lowest upper bound of ``spec`` and whether it is inclusive (None: unbounded)."""
    best: tuple[Version, bool] | None = None
    for clause in spec:
        op, text = clause.operator, clause.version
        try:
            if op == "==" and text.endswith(".*"):
                parts = Version(text[:-2]).release
                cand, inc = Version(".".join(str(p) for p in (*parts[:-1], parts[-1] + 1))), False
            elif op in ("==", "===", "<="):
                cand, inc = Version(text), True
            elif op == "<":
                cand, inc = Version(text), False
            elif op == "~=":
                parts = Version(text).release[:-1] or Version(text).release
                cand, inc = Version(".".join(str(p) for p in (*parts[:-1], parts[-1] + 1))), False
            else:
                continue
        except InvalidVersion:
            continue
        if best is None or cand < best[0] or (cand == best[0] and not inc):
            best = (cand, inc)
    return (best[0], best[1]) if best is not None else (None, True)


def newest_admitted(spec: SpecifierSet) -> Version | None:
    """A version just at or below the upper bound of ``spec``: where the newest release it admits
    lies. None when ``spec`` has no upper bound (pip installs the newest release)."""
    upper, inclusive = _upper(spec)
    if upper is None:
        return None
    if inclusive:
        return upper
    release = list(upper.release)
    while release and release[-1] == 0:
        release.pop()
    if not release:
        return None
    release[-1] -= 1
    try:
        return Version(".".join(str(p) for p in (*release, 99999)))
    except InvalidVersion:  # pragma: no cover - built from integers
        return None


__all__ = ["OptionalPart", "Switch", "VersionRange", "build_optional", "build_ranges"]
