"""Lock files: uv.lock and pylock.toml (PEP 751) read here, poetry.lock and pdm.lock in
tool_locks; each gives every locked distribution with its wheel file names, its dependency edges
(with markers) and the position of its entry (the model is in lock_model)."""

from __future__ import annotations

import re
from typing import Any

from packaging.utils import canonicalize_name

from buildwise.parse.lock_model import Edge as Edge
from buildwise.parse.lock_model import LockedPackage as LockedPackage
from buildwise.parse.lock_model import LockFile as LockFile
from buildwise.parse.lock_model import wheel_filename as wheel_filename
from buildwise.parse.lock_schema import PYLOCK, UV_LOCK, LockProblem, span_of, validate
from buildwise.parse.toml import parse_toml
from buildwise.parse.toml_document import TomlDocument
from buildwise.parse.tool_locks import lock_requires_python, pdm_packages, poetry_packages


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


#: Lock files by name -> kind (pylock.<name>.toml is matched by ``is_pylock_name``).
LOCK_NAMES = {"uv.lock": "uv", "pylock.toml": "pylock", "poetry.lock": "poetry", "pdm.lock": "pdm"}


def lock_kind(name: str) -> str | None:
    if is_pylock_name(name):
        return "pylock"
    return LOCK_NAMES.get(name)


def parse_lock(text: str, path: str) -> LockFile:
    doc = parse_toml(text, path)
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    kind = lock_kind(name) or "uv"
    if kind in ("poetry", "pdm"):
        packages = poetry_packages(doc) if kind == "poetry" else pdm_packages(doc)
        return LockFile(path, kind, doc, packages, lock_requires_python(doc, kind))
    data, problems = validate(doc, PYLOCK if kind == "pylock" else UV_LOCK)
    if kind == "pylock":
        packages = _pylock_packages(doc, data, problems)
    else:
        packages = _uv_packages(doc, data, problems)
    rp = data.get("requires-python")
    return LockFile(path, kind, doc, packages, rp if isinstance(rp, str) else None, problems)
