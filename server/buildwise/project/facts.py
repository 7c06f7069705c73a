"""Facts rules need, computed once per document: dependencies with positions, targets, build system."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from buildwise.model import Edit, Position, Span
from buildwise.parse.declared import Declared
from buildwise.parse.requirement import ParsedRequirement, parse_requirement
from buildwise.parse.requirements import RequirementLine
from buildwise.parse.toml_document import ArrayInfo, TomlDocument
from buildwise.parse.toml_write import needs_escaping, toml_string


class Dependency:
    """One requirement string in a document, wherever it came from, with lazily computed ranges."""

    __slots__ = (
        "_locate",
        "_spans",
        "constraint",
        "declared",
        "group",
        "index",
        "parsed",
        "path",
        "req_line",
    )

    def __init__(
        self,
        parsed: ParsedRequirement,
        group: str,
        path: str,
        locate: Callable[[], tuple[Span, Span | None]],
        *,
        index: int = 0,
        req_line: RequirementLine | None = None,
        constraint: bool = False,
        declared: Declared | None = None,
    ) -> None:
        self.parsed = parsed
        #: Set for formats other than pyproject arrays and requirements files (Poetry, setup.cfg,
        #: Pipfile...): where the name and version are written when the file has its own syntax.
        self.declared = declared
        self.group = group
        self.path = path
        self.index = index
        self.req_line = req_line
        self.constraint = constraint
        self._locate = locate
        self._spans: tuple[Span, Span | None] | None = None

    @property
    def is_build(self) -> bool:
        return self.group == "build-system.requires" or (self.declared is not None and self.declared.build)

    @property
    def converted(self) -> Declared | None:
        """The declaration, when the file writes it in its own syntax (so the PEP 508 text's
        columns are not the file's)."""
        declared = self.declared
        return declared if declared is not None and declared.verbatim is None else None

    @property
    def editable(self) -> bool:
        """Whether fixes may edit it (a lock file's pins get findings, never edits)."""
        return self.declared is None or self.declared.syntax != "locked"

    @property
    def syntax(self) -> str:
        return self.declared.syntax if self.declared is not None else "pep508"

    @property
    def specifier_text(self) -> str:
        """The version constraint as the file writes it (``^1.26`` in Poetry, ``>=4.9,<5``)."""
        converted = self.converted
        if converted is not None:
            written = (converted.written_specifier or "").strip()
            return "" if written == "*" else written
        return self.parsed.specifier_text

    @property
    def key(self) -> str:
        return self.parsed.key

    def _located(self) -> tuple[Span, Span | None]:
        if self._spans is None:
            self._spans = self._locate()
        return self._spans

    @property
    def span(self) -> Span:
        """The whole element (a TOML string with its quotes, or the requirement on its line)."""
        return self._located()[0]

    @property
    def text_span(self) -> Span | None:
        """The requirement text itself (inside the quotes); None when it spans several lines."""
        return self._located()[1]

    def _sub(self, rng: tuple[int, int] | None) -> Span:
        inner = self.text_span
        if rng is None or inner is None or inner.start.line != inner.end.line:
            return self.span
        if self._toml and not self.literal:
            return inner  # TOML escapes shift the columns: the whole text, not a guessed part
        line, col = inner.start.line, inner.start.column
        return Span(Position(line, col + rng[0]), Position(line, col + rng[1]))

    @property
    def name_span(self) -> Span:
        converted = self.converted
        if converted is not None:
            return converted.name_span or self.span
        return self._sub(self.parsed.name_range)

    @property
    def specifier_span(self) -> Span:
        """The version specifier, or the name when there is none."""
        converted = self.converted
        if converted is not None:
            return converted.specifier_span or self.name_span
        return self._sub(self.parsed.specifier_range or self.parsed.name_range)

    @property
    def literal(self) -> bool:
        """Whether the source text between the quotes is the requirement text exactly (no TOML
        escapes), so columns inside it can be computed from the parsed text."""
        inner = self.text_span
        if inner is None or inner.start.line != inner.end.line:
            return False
        return inner.end.column - inner.start.column == len(self.parsed.text)

    @property
    def _toml(self) -> bool:
        """Whether the requirement is a TOML string (pyproject.toml, a script's metadata)."""
        return self.req_line is None and (
            self.declared is None or self.declared.group.startswith("script.") or self.path.endswith(".toml")
        )

    @property
    def splice_safe(self) -> bool:
        """Whether parts of the text (the specifier) can be replaced in place: the columns of the
        parsed text are the file's (no escapes in between)."""
        return self.req_line is not None or not self._toml or self.literal

    def replacement(self, new: str) -> Edit | None:
        """An edit that makes this requirement read ``new``, written the way its file needs: as
        the line in a requirements file or setup.cfg; in TOML between the quotes when nothing
        needs escaping, else the whole string rewritten as a basic string with quotes and
        backslashes escaped; never for a lock file's pins or a format with its own syntax."""
        if "\n" in new or "\r" in new or not self.editable or self.converted is not None:
            return None
        inner = self.text_span
        if not self._toml:
            if inner is None or (self.path.endswith(".py") and needs_escaping(new)):
                return None  # a Python string literal: leave escaping to the author
            return Edit(self.path, inner, new)
        if inner is not None and self.literal and not needs_escaping(new):
            return Edit(self.path, inner, new)
        return Edit(self.path, self.span, toml_string(new))

    @property
    def error_span(self) -> Span:
        if self.converted is not None:
            return self.specifier_span
        return self._sub(self.parsed.error_range)

    def __repr__(self) -> str:
        return f"Dependency({self.parsed.text!r}, group={self.group!r})"


def _array_locator(array: ArrayInfo, index: int) -> Callable[[], tuple[Span, Span | None]]:
    def locate() -> tuple[Span, Span | None]:
        element = array.element(index)
        return element.span, element.value_span

    return locate


def _array_dependencies(
    doc: TomlDocument, path: tuple[str, ...], group: str, *, tool: bool = False
) -> list[Dependency]:
    """The requirement strings of one array. ``tool``: an environment manager's list (PDM, hatch),
    where ``-e path`` entries and ``{root:uri}`` context fields are not requirements."""
    values = doc.get(*path)
    info = doc.key(*path)
    if not isinstance(values, list) or info is None or info.array is None:
        return []
    out: list[Dependency] = []
    array = info.array
    for i, value in enumerate(values):
        if tool and isinstance(value, str) and (value.lstrip().startswith("-") or "{" in value):
            continue
        if isinstance(value, str):
            out.append(
                Dependency(parse_requirement(value), group, doc.path, _array_locator(array, i), index=i)
            )
    return out


def pyproject_dependencies(doc: TomlDocument) -> list[Dependency]:
    """Every requirement string pyproject.toml declares, build requirements first."""
    deps = _array_dependencies(doc, ("build-system", "requires"), "build-system.requires")
    deps += _array_dependencies(doc, ("project", "dependencies"), "project.dependencies")
    optional = doc.get("project", "optional-dependencies")
    if isinstance(optional, dict):
        for extra in optional:
            deps += _array_dependencies(
                doc, ("project", "optional-dependencies", extra), f"project.optional-dependencies.{extra}"
            )
    groups = doc.get("dependency-groups")
    if isinstance(groups, dict):
        for group in groups:
            deps += _array_dependencies(doc, ("dependency-groups", group), f"dependency-groups.{group}")
    return deps + tool_dependencies(doc)


def tool_dependencies(doc: TomlDocument) -> list[Dependency]:
    """What project tools declare in pyproject.toml besides the standard tables: Poetry's
    dependency tables, PDM's dev-dependencies, hatch environments' dependencies."""
    from buildwise.parse.poetry import poetry_dependencies

    deps = declared_dependencies(doc.path, poetry_dependencies(doc).requirements)
    pdm = doc.get("tool", "pdm", "dev-dependencies")
    if isinstance(pdm, dict):
        for group in pdm:
            deps += _array_dependencies(
                doc,
                ("tool", "pdm", "dev-dependencies", group),
                f"tool.pdm.dev-dependencies.{group}",
                tool=True,
            )
    envs = doc.get("tool", "hatch", "envs")
    if isinstance(envs, dict):
        for env, table in envs.items():
            for key in ("dependencies", "extra-dependencies"):
                if isinstance(table, dict) and key in table:
                    deps += _array_dependencies(
                        doc, ("tool", "hatch", "envs", env, key), f"tool.hatch.envs.{env}.{key}", tool=True
                    )
    return deps


def declared_dependencies(path: str, declared: list[Declared]) -> list[Dependency]:
    """Dependencies of a format's own parser (Poetry, setup.cfg, setup.py, Pipfile...)."""
    out = []
    for i, item in enumerate(declared):
        out.append(
            Dependency(
                parse_requirement(item.requirement),
                item.group,
                path,
                _declared_locator(item),
                index=i,
                declared=item,
            )
        )
    return out


def _declared_locator(item: Declared) -> Callable[[], tuple[Span, Span | None]]:
    def locate() -> tuple[Span, Span | None]:
        return item.span, item.verbatim

    return locate


def requirements_dependencies(
    path: str, lines: list[RequirementLine], *, constraint: bool
) -> list[Dependency]:
    out: list[Dependency] = []
    for n, line in enumerate(lines):
        if line.parsed is None:
            continue
        out.append(
            Dependency(
                line.parsed,
                "constraints" if constraint else "requirements",
                path,
                _requirement_line_locator(line),
                index=n,
                req_line=line,
                constraint=constraint,
            )
        )
    return out


def _requirement_line_locator(line: RequirementLine) -> Callable[[], tuple[Span, Span | None]]:
    def locate() -> tuple[Span, Span | None]:
        span = line.span
        return span, span if span.start.line == span.end.line else None

    return locate


@dataclass(frozen=True)
class BuildSystem:
    present: bool
    requires: tuple[str, ...] | None
    backend: str | None
    backend_path: tuple[str, ...] | None


def build_system(doc: TomlDocument) -> BuildSystem:
    table = doc.get("build-system")
    if not isinstance(table, dict):
        return BuildSystem(False, None, None, None)
    requires = table.get("requires")
    backend = table.get("build-backend")
    backend_path = table.get("backend-path")
    return BuildSystem(
        True,
        tuple(r for r in requires if isinstance(r, str)) if isinstance(requires, list) else None,
        backend if isinstance(backend, str) else None,
        tuple(backend_path) if isinstance(backend_path, list) else None,
    )


def requires_python(doc: TomlDocument | None) -> tuple[SpecifierSet | None, str | None]:
    """project.requires-python as a SpecifierSet, and a parse error message when it is not one."""
    if doc is None:
        return None, None
    value: Any = doc.get("project", "requires-python")
    if not isinstance(value, str):
        return None, None
    try:
        return SpecifierSet(value), None
    except InvalidSpecifier:
        return None, f"requires-python {value!r} is not a valid version specifier"
