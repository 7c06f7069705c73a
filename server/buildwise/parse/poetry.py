"""Poetry's dependency tables in pyproject.toml, converted to PEP 508 with the places as written.

Reads ``[tool.poetry.dependencies]`` (its ``python`` entry is the project's target Pythons),
``[tool.poetry.group.<name>.dependencies]`` and the older ``[tool.poetry.dev-dependencies]``.
A value is a version constraint in Poetry's syntax (``^1.2``, ``~1.2``, ``1.2.*``, ``>=1,<2``,
``*``), a table (``version``, ``python``, ``markers``, ``platform``, ``extras``, ``optional``,
``source``; ``git``/``path``/``url`` entries do not come from an index and are skipped) or an array
of such tables (one per Python or platform). The conversion follows poetry-core's constraint
semantics (``^`` up to the next breaking version, ``~`` up to the next minor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import InvalidSpecifier, Specifier

from buildwise.model import Position, Span
from buildwise.parse.declared import Declared, Problem
from buildwise.parse.toml_document import KeyInfo, TomlDocument, slice_text

_OPS = r"(?:\^|~=|~|===|==|!=|<=|>=|<|>|=)"
_SPACE_AFTER_OP = re.compile(rf"({_OPS})\s+")
_CLAUSE = re.compile(rf"^(?P<op>{_OPS})?(?P<version>.+)$")
_RELEASE = re.compile(r"^v?(?P<release>\d+(?:\.\d+)*)")
_ANY = frozenset({"", "*", "x", "X"})
_NOT_FROM_INDEX = ("git", "path", "url", "file")


class ConstraintError(ValueError):
    pass


def _release(version: str) -> list[int]:
    m = _RELEASE.match(version)
    if m is None:
        raise ConstraintError(f"{version!r} is not a version")
    return [int(p) for p in m["release"].split(".")]


def _dotted(parts: list[int]) -> str:
    return ".".join(str(p) for p in parts)


def _next_breaking(parts: list[int]) -> list[int]:
    """poetry-core's Version.next_breaking: ^1.2.3 -> 2.0.0, ^0.2.3 -> 0.3.0, ^0.0.3 -> 0.0.4,
    ^0.0 -> 0.1, ^0 -> 1."""
    if parts[0] > 0 or len(parts) == 1:
        return [parts[0] + 1] + [0] * (len(parts) - 1)
    if parts[1] > 0 or len(parts) == 2:
        return [0, parts[1] + 1] + [0] * (len(parts) - 2)
    return [0, 0, parts[2] + 1] + [0] * (len(parts) - 3)


def _clause(token: str) -> list[str]:
    m = _CLAUSE.match(token)
    if m is None:
        raise ConstraintError(f"{token!r} is not a version constraint")
    op, version = m["op"] or "", m["version"]
    if op == "" and version in _ANY:
        return []
    if op == "^":
        parts = _release(version)
        return [f">={version}", f"<{_dotted(_next_breaking(parts))}"]
    if op == "~":
        parts = _release(version)
        upper = [parts[0] + 1] if len(parts) == 1 else [parts[0], parts[1] + 1]
        return [f">={version}", f"<{_dotted(upper)}"]
    if op in ("", "="):
        if version.endswith((".*", ".x", ".X")):
            return [f"=={version[:-2]}.*"]
        return [f"=={version}"]
    return [f"{op}{version}"]


def poetry_constraint(text: str) -> str:
    """A Poetry version constraint as a PEP 440 specifier ("" = any version). Alternatives
    (``^1.0 || ^2.0``) have no PEP 440 spelling and become "" (any version: the safe reading for a
    wheel check, which then never reports a version the constraint excludes). Raises
    ConstraintError for a constraint Poetry would reject."""
    stripped = text.strip()
    if re.search(r"\|\|?", stripped):
        for alternative in re.split(r"\s*\|\|?\s*", stripped):
            poetry_constraint(alternative)  # still validate each side
        return ""
    clauses: list[str] = []
    for token in re.split(r"[,\s]+", _SPACE_AFTER_OP.sub(r"\1", stripped)):
        if token:
            clauses += _clause(token)
    for clause in clauses:
        try:
            Specifier(clause)
        except InvalidSpecifier:
            raise ConstraintError(f"{text.strip()!r} is not a valid version constraint") from None
    return ",".join(clauses)


def python_marker(constraint: str) -> str:
    """``python = "^3.8"`` inside a dependency, as a marker: python_version >= "3.8" and ..."""
    spec = poetry_constraint(constraint)
    parts = []
    for clause in spec.split(",") if spec else ():
        m = re.match(r"(===|==|!=|<=|>=|~=|<|>)(.*)", clause)
        if m is None:
            continue
        op, version = m.groups()
        variable = (
            "python_full_version" if version.count(".") >= 2 and "*" not in version else "python_version"
        )
        parts.append(f'{variable} {op} "{version}"')
    return " and ".join(parts)


def inner(span: Span, doc: TomlDocument) -> Span:
    """Inside the quotes of a one-line string value."""
    if span.start.line != span.end.line:
        return span
    line = doc.index.line(span.start.line)
    quote = 3 if line[span.start.column : span.start.column + 3] in ('"""', "'''") else 1
    return Span(
        Position(span.start.line, span.start.column + quote),
        Position(span.end.line, max(span.start.column + quote, span.end.column - quote)),
    )


@dataclass
class PoetryDependencies:
    requirements: list[Declared]
    problems: list[Problem]
    #: ``python = "^3.9"`` as a PEP 440 specifier, and the place of its value.
    requires_python: str | None = None
    requires_python_span: Span | None = None


_VERSION_IN_TABLE = re.compile(r"""\bversion\s*=\s*(?P<q>["'])(?P<v>[^"'\n]*)(?P=q)""")


def _find_version(doc: TomlDocument, element_span: Span) -> Span | None:
    """The inside of ``version = "..."`` within an inline table of an array (the tree indexes
    pairs of top-level inline tables only)."""
    text = slice_text(doc.index, element_span)
    m = _VERSION_IN_TABLE.search(text)
    if m is None:
        return None
    start = doc.index.offset(element_span.start.line, element_span.start.column) + m.start("v")
    return Span(doc.index.position_of(start), doc.index.position_of(start + len(m["v"])))


class _Reader:
    def __init__(self, doc: TomlDocument) -> None:
        self.doc = doc
        self.out = PoetryDependencies([], [])

    def table(self, path: tuple[str, ...], group: str, skip: frozenset[str]) -> None:
        table = self.doc.get(*path)
        if not isinstance(table, dict):
            return
        for name, value in table.items():
            if name.lower() == "python":
                if group == "tool.poetry.dependencies":
                    self._python(path, value)
                continue
            if name.lower().replace("_", "-") in skip:
                continue
            self.entry(path, name, value, group)

    def _python(self, path: tuple[str, ...], value: Any) -> None:
        info = self.doc.key(*path, "python")
        if not isinstance(value, str):
            return
        span = inner(info.value_span, self.doc) if info is not None else None
        try:
            self.out.requires_python = poetry_constraint(value) or None
        except ConstraintError as exc:
            if span is not None:
                self.out.problems.append(Problem(span, f"python {value!r}: {exc}"))
            return
        self.out.requires_python_span = span

    def entry(self, path: tuple[str, ...], name: str, value: Any, group: str) -> None:
        info = self.doc.key(*path, name)
        table_info = self.doc.table(*path, name)
        if info is None and table_info is None:
            return
        if info is not None:
            key_span, entry_span = info.key_span, info.pair_span
        else:
            assert table_info is not None and table_info.header_span is not None
            key_span = entry_span = table_info.header_span
        if isinstance(value, str):
            spec_span = inner(info.value_span, self.doc) if info is not None else None
            self._add(name, {"version": value}, group, key_span, entry_span, spec_span)
        elif isinstance(value, dict):
            version = self.doc.key(*path, name, "version")
            spec_span = inner(version.value_span, self.doc) if version is not None else None
            self._add(name, value, group, key_span, entry_span, spec_span)
        elif isinstance(value, list) and info is not None and info.array is not None:
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    self._bad(info, f"{name}: each entry of a list of constraints must be a table")
                    continue
                element = info.array.element(i) if i < len(info.array.elements) else None
                where = element.span if element is not None else info.pair_span
                self._add(name, item, group, key_span, where, _find_version(self.doc, where))
        elif info is not None:
            self._bad(info, f"{name}: a Poetry dependency is a version string or a table")

    def _bad(self, info: KeyInfo, message: str) -> None:
        self.out.problems.append(Problem(info.value_span, message))

    def _add(
        self,
        name: str,
        table: dict[str, Any],
        group: str,
        key_span: Span,
        entry_span: Span,
        spec_span: Span | None,
    ) -> None:
        if any(k in table for k in _NOT_FROM_INDEX):
            return  # a VCS checkout, a local path or an archive: no index, no wheel question
        written = table.get("version")
        if written is not None and not isinstance(written, str):
            self.out.problems.append(Problem(spec_span or entry_span, f"{name}: version must be a string"))
            return
        try:
            spec = poetry_constraint(written or "")
            python = table.get("python")
            markers = [python_marker(python)] if isinstance(python, str) else []
        except ConstraintError as exc:
            self.out.problems.append(Problem(spec_span or entry_span, f"{name}: {exc}"))
            return
        platform = table.get("platform")
        if isinstance(platform, str) and platform.strip():
            markers.append(f'sys_platform == "{platform.strip()}"')
        raw_markers = table.get("markers")
        if isinstance(raw_markers, str) and raw_markers.strip():
            markers.append(raw_markers.strip())
        markers = [m for m in markers if m]
        extras = table.get("extras")
        extras_text = ""
        if isinstance(extras, list) and all(isinstance(e, str) for e in extras) and extras:
            extras_text = "[" + ",".join(extras) + "]"
        marker_text = " and ".join(f"({m})" if len(markers) > 1 else m for m in markers)
        requirement = f"{name}{extras_text}{spec}" + (f"; {marker_text}" if marker_text else "")
        self.out.requirements.append(
            Declared(
                requirement=requirement,
                group=group,
                span=entry_span,
                verbatim=None,
                name_span=key_span,
                specifier_span=spec_span,
                written_specifier=written,
                syntax="poetry",
            )
        )


def poetry_dependencies(doc: TomlDocument) -> PoetryDependencies:
    """Every dependency Poetry declares in this pyproject.toml (none when it has no [tool.poetry])."""
    reader = _Reader(doc)
    poetry = doc.get("tool", "poetry")
    if not isinstance(poetry, dict):
        return reader.out
    # Poetry 2 reads [project] first; [tool.poetry.dependencies] then only adds detail (a source,
    # a marker) to the same names, which [project] already declares and the rules already check.
    project = doc.get("project")
    skip: frozenset[str] = frozenset()
    if isinstance(project, dict) and isinstance(project.get("dependencies"), list):
        from buildwise.parse.requirement import parse_requirement

        skip = frozenset(parse_requirement(d).key for d in project["dependencies"] if isinstance(d, str))
    reader.table(("tool", "poetry", "dependencies"), "tool.poetry.dependencies", skip)
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        reader.out.requires_python = None  # [project] says it
        reader.out.requires_python_span = None
    reader.table(("tool", "poetry", "dev-dependencies"), "tool.poetry.dev-dependencies", frozenset())
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for group in groups:
            reader.table(
                ("tool", "poetry", "group", group, "dependencies"),
                f"tool.poetry.group.{group}.dependencies",
                frozenset(),
            )
    return reader.out


def is_package(doc: TomlDocument) -> bool | None:
    """``package-mode = false`` says the project is not a package (None: no [tool.poetry])."""
    poetry = doc.get("tool", "poetry")
    if not isinstance(poetry, dict):
        return None
    return poetry.get("package-mode") is not False


def poetry_floor(written: str | None, floor: str, pep440: str) -> str:
    """A raised lower bound in Poetry's syntax: ``^1.21`` -> ``^1.26``, ``~1.2`` -> ``~1.4``;
    anything else takes the PEP 440 text (Poetry accepts it)."""
    text = (written or "").strip()
    if text.startswith("^") and "," not in text and "|" not in text:
        return f"^{floor}"
    if text.startswith("~") and not text.startswith("~=") and "," not in text and "|" not in text:
        return f"~{floor}"
    return pep440
