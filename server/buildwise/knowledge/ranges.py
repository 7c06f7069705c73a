"""Pick the facts of the [[ranges]] entry that covers the releases a specifier admits.

Lives apart from :mod:`buildwise.knowledge.variants` (which :mod:`buildwise.knowledge.model` imports to
read ranges) because applying a range needs the model's own readers: one module each way, no cycle.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from packaging.specifiers import SpecifierSet

from buildwise.knowledge.model import EXTERNAL_KEYS, PackageInfo, _deps
from buildwise.knowledge.variants import VersionRange, build_optional, newest_admitted


def facts_for(pkg: PackageInfo, spec: SpecifierSet | None) -> PackageInfo:
    """``pkg`` with the facts of the range covering the newest release ``spec`` admits."""
    if not pkg.ranges or spec is None:
        return pkg
    newest = newest_admitted(spec)
    if newest is None:
        return pkg
    for rng in pkg.ranges:
        if rng.versions.contains(newest, prereleases=True):
            return _apply(pkg, rng)
    return pkg


def _apply(pkg: PackageInfo, rng: VersionRange) -> PackageInfo:
    raw = rng.raw
    build: dict[str, Any] = raw["build"] if isinstance(raw.get("build"), dict) else {}
    external: dict[str, Any] = raw["external"] if isinstance(raw.get("external"), dict) else {}
    changes: dict[str, Any] = {
        "languages": tuple(raw.get("languages") or ()),
        "build_backend": build.get("backend"),
        "build_requires": tuple(build.get("requires") or ()),
        "build_env": dict(build.get("env") or {}),
        "external": {k: _deps(external.get(k)) for k in EXTERNAL_KEYS if k in external},
        "optional": build_optional(raw.get("optional"), _deps),
    }
    changes["ranges"] = ()
    changes["range_text"] = rng.text
    return replace(pkg, **changes)


__all__ = ["facts_for"]
