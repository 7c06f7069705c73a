"""poetry.lock and pdm.lock: every locked distribution with its file names and its place.

Both list each package's files (wheels and sdist) by name, so wheel coverage is exact, as for
uv.lock. Neither records which entry is the project itself, so (as for pylock.toml) every locked
package is taken as installed, on the targets its Python range and markers admit.

- poetry.lock 2.x: ``[[package]]`` with ``files = [{file = "x.whl", hash = ...}]``,
  ``python-versions`` (Poetry syntax), ``markers`` (lock 2.1), ``[package.source] type``;
  1.x keeps the file lists in ``[metadata.files]`` by package name.
- pdm.lock: ``[[package]]`` with ``files = [{file = ..., hash = ...}]`` (or ``url``),
  ``requires_python``, ``marker``, ``dependencies`` (PEP 508 strings); lock 3.x keeps the files
  in ``[metadata.files]`` under ``"name version"``.
"""

from __future__ import annotations

from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from buildwise.parse.lock_model import Edge, LockedPackage, wheel_filename
from buildwise.parse.poetry import ConstraintError, python_marker
from buildwise.parse.toml_document import TomlDocument

_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar")


def _file_names(files: Any) -> list[str]:
    out = []
    for item in files if isinstance(files, list) else []:
        if not isinstance(item, dict):
            continue
        name = item.get("file") or item.get("name")
        if not isinstance(name, str) and isinstance(item.get("url"), str):
            name = wheel_filename(item["url"])
        if isinstance(name, str):
            out.append(name)
    return out


def _split(files: list[str]) -> tuple[list[str], bool]:
    wheels = [f for f in files if f.endswith(".whl")]
    return wheels, any(f.endswith(_SDIST_SUFFIXES) for f in files)


def _and(*markers: str | None) -> str | None:
    parts = [m for m in markers if m]
    if not parts:
        return None
    return " and ".join(f"({m})" if len(parts) > 1 else m for m in parts)


def _pep440_python_marker(spec: Any) -> str | None:
    if not isinstance(spec, str) or not spec.strip():
        return None
    try:
        clauses = list(SpecifierSet(spec))
    except InvalidSpecifier:
        return None
    parts = []
    for c in clauses:
        variable = (
            "python_full_version" if c.version.count(".") >= 2 and "*" not in c.version else "python_version"
        )
        parts.append(f'{variable} {c.operator} "{c.version}"')
    return " and ".join(parts) or None


def poetry_packages(doc: TomlDocument) -> list[LockedPackage]:
    legacy_files = doc.get("metadata", "files")
    out = []
    for i, raw in enumerate(doc.get("package") or []):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        key = canonicalize_name(raw["name"])
        files = raw.get("files")
        if files is None and isinstance(legacy_files, dict):
            files = next((v for k, v in legacy_files.items() if canonicalize_name(k) == key), None)
        wheels, has_sdist = _split(_file_names(files))
        source = raw.get("source")
        kind = source.get("type") if isinstance(source, dict) else None
        source_kind = {"git": "git", "directory": "directory", "file": "path", "url": "url"}.get(
            kind if isinstance(kind, str) else "", "registry"
        )
        python = raw.get("python-versions")
        try:
            python_only = python_marker(python) if isinstance(python, str) and python.strip() != "*" else None
        except ConstraintError:
            python_only = None
        markers = raw.get("markers")
        deps = []
        table = raw.get("dependencies")
        for name, value in (table or {}).items() if isinstance(table, dict) else ():
            marker = value.get("markers") if isinstance(value, dict) else None
            deps.append(Edge(name, marker if isinstance(marker, str) else None))
        info = doc.key("package", i, "name")
        out.append(
            LockedPackage(
                name=raw["name"],
                key=key,
                version=raw.get("version") if isinstance(raw.get("version"), str) else None,
                index=i,
                wheels=wheels,
                has_sdist=has_sdist,
                source=source_kind,
                dependencies=deps,
                marker=_and(python_only, markers if isinstance(markers, str) else None),
                span=info.value_span if info is not None else None,
            )
        )
    return out


def pdm_packages(doc: TomlDocument) -> list[LockedPackage]:
    legacy_files = doc.get("metadata", "files")
    out = []
    for i, raw in enumerate(doc.get("package") or []):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        key = canonicalize_name(raw["name"])
        version = raw.get("version") if isinstance(raw.get("version"), str) else None
        files = raw.get("files")
        if files is None and isinstance(legacy_files, dict):
            files = next(
                (
                    v
                    for k, v in legacy_files.items()
                    if canonicalize_name(k.split(" ")[0]) == key and k.endswith(f" {version}")
                ),
                None,
            )
        wheels, has_sdist = _split(_file_names(files))
        source = "registry"
        if "git" in raw or "revision" in raw:
            source = "git"
        elif "path" in raw:
            source = "path"
        elif "url" in raw:
            source = "url"
        deps = []
        for text in raw.get("dependencies") or []:
            if not isinstance(text, str):
                continue
            try:
                req = Requirement(text)
            except InvalidRequirement:
                continue
            deps.append(Edge(req.name, str(req.marker) if req.marker is not None else None))
        marker = raw.get("marker")
        info = doc.key("package", i, "name")
        out.append(
            LockedPackage(
                name=raw["name"],
                key=key,
                version=version,
                index=i,
                wheels=wheels,
                has_sdist=has_sdist,
                source=source,
                dependencies=deps,
                marker=_and(
                    _pep440_python_marker(raw.get("requires_python")),
                    marker if isinstance(marker, str) else None,
                ),
                span=info.value_span if info is not None else None,
            )
        )
    return out


def lock_requires_python(doc: TomlDocument, kind: str) -> str | None:
    if kind == "poetry":
        value = doc.get("metadata", "python-versions")
        if isinstance(value, str):
            from buildwise.parse.poetry import poetry_constraint

            try:
                return poetry_constraint(value) or None
            except ConstraintError:
                return None
        return None
    value = doc.get("metadata", "requires_python")
    return value if isinstance(value, str) else None
