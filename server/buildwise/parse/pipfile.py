"""Pipenv's Pipfile (TOML) and Pipfile.lock (JSON), converted to PEP 508 with their places.

Pipfile: ``[packages]``, ``[dev-packages]`` and any other package category; a value is a version
(``"*"``, ``">=2.0"``, ``"==1.4"``; a bare ``"1.4"`` means ``==1.4``) or a table with ``version``,
``extras``, ``markers`` and marker keys (``sys_platform = "== 'win32'"``); ``git``, ``path``,
``file`` entries do not come from an index and are skipped. ``[requires] python_version`` /
``python_full_version`` give the target Python.

Pipfile.lock: ``default``, ``develop`` and other categories map names to ``version`` (a ``==``
pin), ``markers`` and ``extras``. It holds hashes, not file names, so wheel coverage comes from the
knowledge base; a lock file gets findings, never edits.
"""

from __future__ import annotations

from typing import Any

from buildwise.model import Position, Span
from buildwise.parse.declared import Declared, DependencyFile, Problem
from buildwise.parse.jsonpos import parse_json
from buildwise.parse.poetry import inner
from buildwise.parse.toml import parse_toml
from buildwise.parse.toml_document import TomlDocument

_NOT_CATEGORIES = frozenset({"source", "requires", "pipenv", "scripts"})
_NOT_FROM_INDEX = ("git", "path", "file", "uri", "url")
_MARKER_KEYS = (
    "os_name",
    "sys_platform",
    "platform_machine",
    "platform_python_implementation",
    "platform_release",
    "platform_system",
    "platform_version",
    "python_version",
    "python_full_version",
    "implementation_name",
    "implementation_version",
)
_OPERATORS = ("==", "!=", "<=", ">=", "~=", "===", "<", ">")


def pipfile_version(text: str) -> str:
    """``"*"`` -> "", ``"1.4"`` -> "==1.4", a PEP 440 specifier as is."""
    stripped = text.strip()
    if stripped in ("", "*"):
        return ""
    if stripped.startswith(_OPERATORS):
        return stripped
    return f"=={stripped}"


def _requirement(name: str, value: Any) -> str | None:
    """The PEP 508 string for a Pipfile or Pipfile.lock entry; None when it is not from an index."""
    table = {"version": value} if isinstance(value, str) else value
    if not isinstance(table, dict) or any(k in table for k in _NOT_FROM_INDEX):
        return None
    version = table.get("version")
    spec = pipfile_version(version) if isinstance(version, str) else ""
    extras = table.get("extras")
    extras_text = ""
    if isinstance(extras, list) and extras and all(isinstance(e, str) for e in extras):
        extras_text = "[" + ",".join(extras) + "]"
    markers = []
    raw = table.get("markers")
    if isinstance(raw, str) and raw.strip():
        markers.append(raw.strip())
    for key in _MARKER_KEYS:
        condition = table.get(key)
        if isinstance(condition, str) and condition.strip():
            markers.append(f"{key} {condition.strip()}")
    marker = " and ".join(f"({m})" if len(markers) > 1 else m for m in markers)
    return f"{name}{extras_text}{spec}" + (f"; {marker}" if marker else "")


def _categories(data: dict[str, Any]) -> list[str]:
    return [k for k, v in data.items() if isinstance(v, dict) and k not in _NOT_CATEGORIES]


def _python(doc: TomlDocument, out: DependencyFile) -> None:
    for key, make in (("python_full_version", "=={}"), ("python_version", "=={}.*")):
        value = doc.get("requires", key)
        info = doc.key("requires", key)
        if isinstance(value, str) and value.strip() and info is not None:
            out.requires_python = make.format(value.strip().rstrip(".*"))
            out.requires_python_span = inner(info.value_span, doc)
            return


def parse_pipfile(text: str, path: str = "Pipfile") -> tuple[DependencyFile, TomlDocument]:
    out = DependencyFile(path, "Pipfile", text)
    doc = parse_toml(text, path)
    for error in doc.errors:
        out.problems.append(Problem(error.span, error.message, "syntax"))
    _python(doc, out)
    for category in _categories(doc.data):
        for name, value in doc.data[category].items():
            info = doc.key(category, name)
            if info is None:
                continue
            requirement = _requirement(name, value)
            if requirement is None:
                continue
            if isinstance(value, str):
                spec_span: Span | None = inner(info.value_span, doc)
            else:
                version = doc.key(category, name, "version")
                spec_span = inner(version.value_span, doc) if version is not None else None
            written = value if isinstance(value, str) else value.get("version")
            out.requirements.append(
                Declared(
                    requirement,
                    category,
                    info.pair_span,
                    None,
                    name_span=info.key_span,
                    specifier_span=spec_span,
                    written_specifier=written if isinstance(written, str) else None,
                    syntax="pipfile",
                )
            )
    return out, doc


def _inside(span: Span) -> Span:
    """A JSON string's span without its quotes (JSON strings are always on one line)."""
    if span.start.line != span.end.line or span.end.column - span.start.column < 2:
        return span
    return Span(
        Position(span.start.line, span.start.column + 1), Position(span.end.line, span.end.column - 1)
    )


def _without_unknown_marker(requirement: str) -> str:
    """pipenv writes markers on variables older packaging releases do not know (PEP 751's
    ``'dev' in dependency_groups``): the pin still counts, as if the marker held."""
    from buildwise.parse.requirement import parse_requirement

    if parse_requirement(requirement).valid or ";" not in requirement:
        return requirement
    bare = requirement.split(";", 1)[0].strip()
    return bare if parse_requirement(bare).valid else requirement


def parse_pipfile_lock(text: str, path: str = "Pipfile.lock") -> DependencyFile:
    out = DependencyFile(path, "Pipfile.lock", text)
    doc = parse_json(text)
    if doc.error is not None:
        out.problems.append(Problem(doc.error[0], f"Pipfile.lock is {doc.error[1]}", "syntax"))
        return out
    data = doc.data
    if not isinstance(data, dict):
        out.problems.append(Problem(Span.point(0, 0), "Pipfile.lock must hold a JSON object", "syntax"))
        return out
    requires = data.get("_meta", {}).get("requires") if isinstance(data.get("_meta"), dict) else None
    if isinstance(requires, dict):
        for key, make in (("python_full_version", "=={}"), ("python_version", "=={}.*")):
            value = requires.get(key)
            span = doc.value_span("_meta", "requires", key)
            if isinstance(value, str) and span is not None:
                out.requires_python = make.format(value.strip())
                out.requires_python_span = _inside(span)
                break
    for category, packages in data.items():
        if category.startswith("_") or not isinstance(packages, dict):
            continue
        for name, entry in packages.items():
            key_span = doc.key_span(category, name)
            requirement = _requirement(name, entry)
            if requirement is None or key_span is None:
                continue
            requirement = _without_unknown_marker(requirement)
            version_span = doc.value_span(category, name, "version")
            entry_span = doc.value_span(category, name)
            out.requirements.append(
                Declared(
                    requirement,
                    category,
                    Span(key_span.start, entry_span.end) if entry_span else key_span,
                    None,
                    name_span=_inside(key_span),
                    specifier_span=_inside(version_span) if version_span else None,
                    written_specifier=entry.get("version") if isinstance(entry.get("version"), str) else None,
                    syntax="locked",
                )
            )
    return out
