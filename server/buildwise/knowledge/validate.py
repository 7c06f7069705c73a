"""``kb-lint kb validate``: check every knowledge-base file against its schema and against each other.

Checks, per file: the JSON Schema; the file name (normalized package name, or the identifier's path);
that every fact group present is named by a reference or marked unverified; that build requirements
are PEP 508 strings and versions are PEP 440. Across files: every identifier a package uses exists,
every virtual identifier an identifier provides exists. Finally every entry is built through the same
loader the engine uses, so schema and code cannot drift apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from buildwise.knowledge.loader import (
    KnowledgeError,
    compile_index,
    identifier_from_path,
    list_sources,
    read_toml,
)
from buildwise.knowledge.model import (
    PLATFORMS,
    build_identifier,
    build_package,
    normalize_name,
    parse_version,
)
from buildwise.knowledge.variants import DepSpec

PACKAGE_FACTS = (
    "languages",
    "build",
    "external",
    "wheels",
    "alternatives",
    "signatures",
    "optional",
    "ranges",
)
IDENTIFIER_FACTS = ("detect", "provides")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _load_schema(root: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "schema" / name).read_text(encoding="utf-8"))
    return data


def _schema_problems(validator: Any, data: Any, relpath: str) -> list[Problem]:
    out = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        out.append(Problem(relpath, f"schema: at {where}: {err.message}"))
    return out


def _covered(fact: str, covered: set[str]) -> bool:
    parts = fact.split(".")
    return any(".".join(parts[:i]) in covered for i in range(1, len(parts) + 1))


def _package_facts_present(data: dict[str, Any]) -> list[str]:
    present = [f for f in PACKAGE_FACTS if data.get(f)]
    if data.get("languages") == []:
        present.append("languages")
    return present


def _external_specs(external: dict[str, Any]) -> list[str]:
    specs: list[str] = []
    for value in external.values():
        if isinstance(value, list):
            specs += value
        elif isinstance(value, dict):
            for group in value.values():
                specs += group
    return specs


def _dep_specs(data: dict[str, Any]) -> list[str]:
    """Every dependency specifier an entry names: [external], [[optional]] requires, and both
    inside each [[ranges]] item."""
    scopes = [data, *(data.get("ranges") or [])]
    specs: list[str] = []
    for scope in scopes:
        specs += _external_specs(scope.get("external") or {})
        for part in scope.get("optional") or []:
            specs += part.get("requires") or []
    return specs


def _check_package(relpath: str, stem: str, data: dict[str, Any], known_ids: set[str]) -> list[Problem]:
    out: list[Problem] = []
    name = data.get("name")
    if isinstance(name, str) and normalize_name(name) != stem:
        out.append(Problem(relpath, f"file name must be {normalize_name(name)}.toml for {name!r}"))
    covered = {f for ref in data.get("references", []) for f in ref.get("facts", [])}
    covered |= set(data.get("unverified", []))
    for fact in _package_facts_present(data):
        if fact == "wheels":
            parts = [
                f"wheels.{k}"
                for k in ("python", "abi3", "platforms", "pure", "py3", "sdist")
                if data["wheels"].get(k) is not None and data["wheels"].get(k) != {}
            ]
            for part in parts:
                if not _covered(part, covered):
                    out.append(Problem(relpath, f"no reference supports '{part}'"))
            if not parts and not _covered("wheels", covered):
                out.append(Problem(relpath, "no reference supports 'wheels'"))
        elif not _covered(fact, covered):
            out.append(Problem(relpath, f"no reference supports '{fact}' (cite it or list it in unverified)"))
    ranges = data.get("ranges") or []
    for where, build in [
        ("build", data.get("build")),
        *((f"ranges[{i}].build", r.get("build")) for i, r in enumerate(ranges)),
    ]:
        for req in (build or {}).get("requires", []):
            try:
                Requirement(req)
            except InvalidRequirement as exc:
                out.append(Problem(relpath, f"{where}.requires: {req!r} is not a PEP 508 requirement: {exc}"))
    for i, rng in enumerate(ranges):
        try:
            SpecifierSet(rng.get("versions", ""))
        except InvalidSpecifier as exc:
            out.append(Problem(relpath, f"ranges[{i}].versions: {rng.get('versions')!r}: {exc}"))
    for alt in data.get("alternatives", []):
        try:
            Requirement(alt.get("requirement", ""))
        except InvalidRequirement as exc:
            out.append(Problem(relpath, f"alternatives: {alt.get('requirement')!r}: {exc}"))
    for text in _dep_specs(data):
        dep = DepSpec.parse(text)
        if dep is None:
            out.append(Problem(relpath, f"external: {text!r} is not a PEP 725 dependency specifier"))
        elif dep.id not in known_ids:
            out.append(Problem(relpath, f"external: identifier {dep.id} is not in knowledge/external/"))
    for sig in data.get("signatures", []):
        ident = sig.get("identifier")
        if ident and ident not in known_ids:
            out.append(Problem(relpath, f"signatures: identifier {ident} is not in knowledge/external/"))
        if sig.get("regex"):
            try:
                re.compile(sig["regex"])
            except re.error as exc:
                out.append(Problem(relpath, f"signatures: bad regex {sig['regex']!r}: {exc}"))
    wheels = data.get("wheels") or {}
    for py, rng in (wheels.get("python") or {}).items():
        first, last = parse_version(rng.get("first")), parse_version(rng.get("last"))
        if first and last and last < first:
            out.append(Problem(relpath, f"wheels.python.{py}: last {last} is before first {first}"))
    if wheels.get("published") is False and (
        wheels.get("python") or wheels.get("abi3") or wheels.get("pure")
    ):
        out.append(Problem(relpath, "wheels: published = false but wheel versions are listed"))
    return out


def _check_identifier(relpath: str, data: dict[str, Any], known_ids: set[str]) -> list[Problem]:
    out: list[Problem] = []
    expected = identifier_from_path(relpath)
    if data.get("id") != expected:
        out.append(Problem(relpath, f"id must be {expected!r} for this path (found {data.get('id')!r})"))
    covered = {f for ref in data.get("references", []) for f in ref.get("facts", [])}
    covered |= set(data.get("unverified", []))
    for eco in data.get("ecosystems") or {}:
        if eco not in covered:
            out.append(Problem(relpath, f"no reference supports ecosystems.{eco}"))
    for fact in IDENTIFIER_FACTS:
        if data.get(fact) and fact not in covered:
            out.append(Problem(relpath, f"no reference supports '{fact}'"))
    for virtual in data.get("provides", []):
        if virtual not in known_ids:
            out.append(Problem(relpath, f"provides {virtual}, which is not in knowledge/external/"))
    return out


def validate(root: Path) -> list[Problem]:
    """Every problem in the knowledge base at ``root``; an empty list means it is valid."""
    try:
        import jsonschema
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise KnowledgeError(
            "kb validate needs jsonschema: pip install jsonschema (or the 'kb' extra of buildwise-lint)"
        ) from exc
    problems: list[Problem] = []
    sources = list_sources(root)
    package_validator = jsonschema.Draft202012Validator(_load_schema(root, "package.schema.json"))
    ident_validator = jsonschema.Draft202012Validator(_load_schema(root, "identifier.schema.json"))
    loaded: list[tuple[str, str, Path, dict[str, Any]]] = []
    for source in sources:
        try:
            data = read_toml(source.path)
        except KnowledgeError as exc:
            problems.append(Problem(source.relpath, str(exc).split(": ", 1)[-1]))
            continue
        loaded.append((source.kind, source.relpath, source.path, data))
    known_ids = {identifier_from_path(rel) for kind, rel, _, _ in loaded if kind == "identifier"}
    for kind, relpath, path, data in loaded:
        if kind == "package":
            problems += _schema_problems(package_validator, data, relpath)
            problems += _check_package(relpath, path.stem, data, known_ids)
            try:
                build_package(path.stem, data)
            except Exception as exc:  # the loader must accept every valid entry
                problems.append(Problem(relpath, f"the loader rejects it: {exc!r}"))
        elif kind == "identifier":
            problems += _schema_problems(ident_validator, data, relpath)
            problems += _check_identifier(relpath, data, known_ids)
            try:
                build_identifier(identifier_from_path(relpath), data)
            except Exception as exc:
                problems.append(Problem(relpath, f"the loader rejects it: {exc!r}"))
        elif kind == "pythons":
            for entry in data.get("python", []):
                if not re.fullmatch(r"3\.\d+", str(entry.get("version", ""))):
                    problems.append(Problem(relpath, f"bad python version entry {entry!r}"))
            for entry in data.get("platform", []):
                if entry.get("name") not in PLATFORMS:
                    problems.append(Problem(relpath, f"unknown platform in {entry!r}"))
                if not re.fullmatch(r"3\.\d+", str(entry.get("first_python", ""))):
                    problems.append(Problem(relpath, f"bad first_python in {entry!r}"))
                if not str(entry.get("source", "")).startswith("https://"):
                    problems.append(Problem(relpath, f"platform entry without a source URL: {entry!r}"))
    if not any(kind == "pythons" for kind, *_ in loaded):
        problems.append(Problem("pythons.toml", "missing"))
    if not problems:
        compile_index(sources)
    return problems
