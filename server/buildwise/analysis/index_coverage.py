"""Exact coverage from an index's file list: the release pip would pick for a target, and whether it
has a wheel the target accepts."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from buildwise.analysis.coverage import Status, Verdict
from buildwise.analysis.index import ProjectFiles
from buildwise.analysis.lockcheck import target_tags


@dataclass(frozen=True)
class Release:
    version: Version
    wheels: tuple[str, ...]
    has_sdist: bool
    requires_python: str | None
    yanked: bool


class _Builder:
    def __init__(self, requires_python: str | None) -> None:
        self.wheels: list[str] = []
        self.sdist = False
        self.requires_python = requires_python
        self.yanked = True  # a release counts as yanked only when every one of its files is


@functools.lru_cache(maxsize=4096)
def releases(files: ProjectFiles) -> tuple[Release, ...]:
    by_version: dict[Version, _Builder] = {}
    for f in files.files:
        try:
            if f.filename.endswith(".whl"):
                version = parse_wheel_filename(f.filename)[1]
            else:
                version = parse_sdist_filename(f.filename)[1]
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
        entry = by_version.setdefault(version, _Builder(f.requires_python))
        if f.filename.endswith(".whl"):
            entry.wheels.append(f.filename)
        else:
            entry.sdist = True
        entry.yanked = entry.yanked and f.yanked
    out = [Release(v, tuple(e.wheels), e.sdist, e.requires_python, e.yanked) for v, e in by_version.items()]
    return tuple(sorted(out, key=lambda r: r.version))


def _python_ok(release: Release, python: str) -> bool:
    if not release.requires_python:
        return True
    try:
        return SpecifierSet(release.requires_python).contains(f"{python.rstrip('t')}.0", prereleases=True)
    except InvalidSpecifier:
        return True


def _wheel_ok(release: Release, python: str, platform: str) -> bool:
    accepted = target_tags(python, platform)
    for wheel in release.wheels:
        try:
            if set(parse_wheel_filename(wheel)[3]) & accepted:
                return True
        except InvalidWheelFilename:
            continue
    return False


def index_verdict(files: ProjectFiles, spec: SpecifierSet, python: str, platform: str) -> Verdict:
    candidates = [r for r in releases(files) if not r.yanked and _python_ok(r, python)]
    if not candidates:
        return Verdict(Status.UNKNOWN, python, platform)
    if not any(r.wheels for r in candidates):
        return Verdict(Status.SDIST_ONLY, python, platform)
    admitted = [r for r in candidates if spec.contains(r.version)] or [
        r for r in candidates if spec.contains(r.version, prereleases=True)
    ]
    if not admitted:
        return Verdict(Status.UNKNOWN, python, platform)
    chosen = admitted[-1]  # pip picks the newest admitted release
    if _wheel_ok(chosen, python, platform):
        return Verdict(Status.WHEEL, python, platform, chosen.version)
    later = [r for r in candidates if r.version > chosen.version and _wheel_ok(r, python, platform)]
    if later:
        return Verdict(Status.PREDATES, python, platform, later[0].version)
    from buildwise.project.config import PLATFORMS

    if any(_wheel_ok(chosen, python, p) for p in PLATFORMS):
        return Verdict(Status.NO_PLATFORM, python, platform)
    return Verdict(Status.NO_PYTHON, python, platform)
