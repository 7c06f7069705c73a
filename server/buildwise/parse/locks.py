"""uv.lock and pylock.toml (PEP 751): every locked distribution with its wheel file names, its
dependency edges (with markers) and the position of its entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name

from buildwise.model import Span
from buildwise.parse.lock_schema import PYLOCK, UV_LOCK, LockProblem, span_of, validate
from buildwise.parse.toml import parse_toml
from buildwise.parse.toml_document import TomlDocument


@dataclass(frozen=True)
class Edge:
    name: str
    marker: str | None = None
    version: str | None = None


@dataclass
class LockedPackage:
    name: str
    key: str
    version: str | None
    index: int
    wheels: list[str]
    has_sdist: bool
    #: registry | editable | virtual | directory | git | url | path
    source: str
    dependencies: list[Edge] = field(default_factory=list)
    #: pylock: when the package is installed at all
    marker: str | None = None
    #: uv: the forks of the resolution this entry belongs to
    resolution_markers: list[str] = field(default_factory=list)
    span: Span | None = None

    @property
    def is_project(self) -> bool:
        return self.source in ("editable", "virtual", "directory")


@dataclass
class LockFile:
    path: str
    kind: str  # "uv" | "pylock"
    doc: TomlDocument
    packages: list[LockedPackage]
    requires_python: str | None
    #: Fields of the wrong type (left out of ``packages``) and entries without a name.
    problems: list[LockProblem] = field(default_factory=list)

    def by_key(self, key: str) -> list[LockedPackage]:
        return [p for p in self.packages if p.key == key]


def wheel_filename(url_or_name: str) -> str:
    tail = url_or_name.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail


def _uv_source(source: Any) -> str:
    if not isinstance(source, dict):
        return "registry"
    for kind in ("registry", "editable", "virtual", "directory", "git", "url", "path"):
        if kind in source:
            return kind
    return "registry"


def _edges(raw: Any) -> list[Edge]:
    out = []
    for item in raw or []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            marker, version = item.get("marker"), item.get("version")
            out.append(
                Edge(
                    item["name"],
                    marker if isinstance(marker, str) else None,
                    version if isinstance(version, str) else None,
                )
            )
    return out


def _unnamed(doc: TomlDocument, table: str, i: int, problems: list[LockProblem]) -> None:
    problems.append(LockProblem(span_of(doc, (table, i)), f"{table}[{i}] has no name (not checked)"))


def _uv_packages(doc: TomlDocument, data: dict[str, Any], problems: list[LockProblem]) -> list[LockedPackage]:
    out = []
    for i, raw in enumerate(data.get("package") or []):
        if not isinstance(raw.get("name"), str):
            if doc.get("package", i, "name") is None:  # a wrong-typed name is reported already
                _unnamed(doc, "package", i, problems)
            continue
        deps = _edges(raw.get("dependencies"))
        for table in ("optional-dependencies", "dev-dependencies"):
            groups = raw.get(table)
            if isinstance(groups, dict):
                for group in groups.values():
                    deps += _edges(group)
        wheels = [
            wheel_filename(w["url"]) for w in raw.get("wheels") or [] if isinstance(w, dict) and "url" in w
        ]
        info = doc.key("package", i, "name")
        out.append(
            LockedPackage(
                name=raw["name"],
                key=canonicalize_name(raw["name"]),
                version=raw.get("version"),
                index=i,
                wheels=wheels,
                has_sdist=isinstance(raw.get("sdist"), dict),
                source=_uv_source(raw.get("source")),
                dependencies=deps,
                resolution_markers=[m for m in raw.get("resolution-markers") or [] if isinstance(m, str)],
                span=info.value_span if info is not None else None,
            )
        )
    return out


def _pylock_packages(
    doc: TomlDocument, data: dict[str, Any], problems: list[LockProblem]
) -> list[LockedPackage]:
    out = []
    for i, raw in enumerate(data.get("packages") or []):
        if not isinstance(raw.get("name"), str):
            if doc.get("packages", i, "name") is None:
                _unnamed(doc, "packages", i, problems)
            continue
        wheels = []
        for w in raw.get("wheels") or []:
            if isinstance(w, dict):
                name = w.get("name") or (wheel_filename(w["url"]) if isinstance(w.get("url"), str) else None)
                if isinstance(name, str):
                    wheels.append(name)
        source = "registry"
        for kind in ("vcs", "directory", "archive"):
            if kind in raw:
                source = {"vcs": "git", "directory": "directory", "archive": "url"}[kind]
        info = doc.key("packages", i, "name")
        out.append(
            LockedPackage(
                name=raw["name"],
                key=canonicalize_name(raw["name"]),
                version=raw.get("version"),
                index=i,
                wheels=wheels,
                has_sdist=isinstance(raw.get("sdist"), dict),
                source=source,
                dependencies=_edges(raw.get("dependencies")),
                marker=raw.get("marker") if isinstance(raw.get("marker"), str) else None,
                span=info.value_span if info is not None else None,
            )
        )
    return out


def is_pylock_name(name: str) -> bool:
    return name == "pylock.toml" or re.fullmatch(r"pylock\.[^.]+\.toml", name) is not None


def parse_lock(text: str, path: str) -> LockFile:
    doc = parse_toml(text, path)
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    kind = "pylock" if is_pylock_name(name) else "uv"
    data, problems = validate(doc, PYLOCK if kind == "pylock" else UV_LOCK)
    if kind == "pylock":
        packages = _pylock_packages(doc, data, problems)
    else:
        packages = _uv_packages(doc, data, problems)
    rp = data.get("requires-python")
    return LockFile(path, kind, doc, packages, rp if isinstance(rp, str) else None, problems)
