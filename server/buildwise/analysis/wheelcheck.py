"""Per-dependency wheel coverage across a project's targets, shared by KB201-KB205.

Computed once per document (cached on the lint context) so five rules do not repeat the work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packaging.utils import canonicalize_name

from buildwise.analysis.coverage import (
    PLATFORM_ECOSYSTEM,
    Status,
    Verdict,
    marker_applies,
    raise_floor,
    verdict,
)
from buildwise.analysis.index_coverage import index_verdict
from buildwise.knowledge import KnowledgeBase, PackageInfo
from buildwise.knowledge.ranges import facts_for
from buildwise.model import Edit, Fix, Note
from buildwise.project.facts import Dependency

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

_LANGUAGE_NAMES = {
    "c": "a C compiler",
    "cxx": "a C++ compiler",
    "rust": "Rust (cargo)",
    "fortran": "a Fortran compiler",
    "go": "Go",
    "cuda": "CUDA",
    "cython": "Cython",
}


@dataclass
class DependencyCoverage:
    dep: Dependency
    #: None for a project the knowledge base does not know (only possible with index data).
    pkg: PackageInfo | None
    verdicts: list[Verdict] = field(default_factory=list)
    only_binary: bool = False
    no_binary: bool = False
    #: "knowledge" (recorded ranges) or "index" (the index's file list, exact)
    source: str = "knowledge"
    _memo: tuple[list[Verdict], dict[tuple[Status, ...], list[Verdict]]] | None = field(
        default=None, repr=False, compare=False
    )

    def with_status(self, *statuses: Status) -> list[Verdict]:
        # Five rules ask the same few questions of every dependency: answer each once per list.
        memo = self._memo
        if memo is None or memo[0] is not self.verdicts:
            memo = self._memo = (self.verdicts, {})
        found = memo[1].get(statuses)
        if found is None:
            found = memo[1][statuses] = [v for v in self.verdicts if v.status in statuses]
        return list(found)


class FormatControl:
    """pip's --only-binary / --no-binary bookkeeping (pip/_internal/models/format_control.py),
    fed the options in file order: which formats pip allows for a package."""

    def __init__(self, options: list[tuple[str, list[str]]]) -> None:
        self.only_binary: set[str] = set()
        self.no_binary: set[str] = set()
        for name, values in options:
            if name == "--only-binary":
                self._add(values, self.only_binary, self.no_binary)
            elif name == "--no-binary":
                self._add(values, self.no_binary, self.only_binary)

    @staticmethod
    def _add(values: list[str], target: set[str], other: set[str]) -> None:
        new = list(values)
        while ":all:" in new:
            other.clear()
            target.clear()
            target.add(":all:")
            del new[: new.index(":all:") + 1]
            if ":none:" not in new:
                return
        for name in new:
            if name == ":none:":
                target.clear()
                continue
            key = canonicalize_name(name)
            other.discard(key)
            target.add(key)

    def allowed(self, key: str) -> frozenset[str]:
        formats = {"binary", "source"}
        if key in self.only_binary:
            formats.discard("source")
        elif key in self.no_binary:
            formats.discard("binary")
        elif ":all:" in self.only_binary:
            formats.discard("source")
        elif ":all:" in self.no_binary:
            formats.discard("binary")
        return frozenset(formats)


def coverage(ctx: LintContext) -> list[DependencyCoverage]:
    cached = ctx.cache.get("coverage")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    targets = ctx.project.targets
    formats = FormatControl(ctx.requirements.graph_options if ctx.requirements is not None else [])
    out: list[DependencyCoverage] = []
    for dep in ctx.dependencies:
        if not dep.parsed.valid or dep.parsed.url:
            continue
        pkg = ctx.kb.package(dep.key)
        if pkg is not None:
            pkg = facts_for(pkg, dep.parsed.specifier)  # the releases this specifier installs
        files = ctx.index.memory.get(dep.key) if ctx.index is not None else None
        if files is not None and not files.files:
            files = None  # unknown to the index: fall back on the knowledge base
        if pkg is None and files is None:
            continue
        allowed = formats.allowed(dep.key)
        cov = DependencyCoverage(
            dep,
            pkg,
            only_binary="source" not in allowed,
            no_binary="binary" not in allowed,
            source="index" if files is not None else "knowledge",
        )
        marker = str(dep.parsed.marker) if dep.parsed.marker is not None else None
        spec = dep.parsed.specifier
        if files is not None:
            cov.verdicts = [
                index_verdict(files, spec, python, platform)
                for python in targets.pythons
                for platform in targets.platforms
                if marker_applies(marker, python, platform) and ctx.kb.cpython_exists(python, platform)
            ]
        elif pkg is not None:
            # Verdicts depend only on these; the knowledge base never changes in a running process,
            # so an edit elsewhere in the file re-uses them.
            spec_key = dep.parsed.specifier_text
            key = (pkg.key, spec_key, marker, targets.pythons, targets.platforms)
            found = ctx.kb.verdicts.get(key)
            if found is None:
                _bound(ctx.kb)
                found = ctx.kb.verdicts[key] = [
                    _verdict(ctx.kb, pkg, spec, spec_key, python, platform)
                    for python in targets.pythons
                    for platform in targets.platforms
                    if marker_applies(marker, python, platform)
                    and ctx.kb.cpython_exists(python, platform)
                    and ctx.kb.needs_tools_on(pkg, platform)  # else the sdist builds with no tools
                ]
            cov.verdicts = found
        out.append(cov)
    ctx.cache["coverage"] = out
    return out


def _verdict(
    kb: KnowledgeBase, pkg: PackageInfo, spec: Any, spec_key: str, python: str, platform: str
) -> Verdict:
    """One target's verdict, cached on the knowledge base (projects share targets and pins)."""
    key = (pkg.key, spec_key, python, platform)
    found = kb.verdicts.get(key)
    if found is None:
        _bound(kb)
        found = kb.verdicts[key] = verdict(pkg, spec, python, platform, spec_key)
    return found


#: Cached verdicts kept at most: an editing session types ever new pins, and each would stay.
MAX_CACHED_VERDICTS = 5_000


def _bound(kb: KnowledgeBase) -> None:
    if len(kb.verdicts) >= MAX_CACHED_VERDICTS:
        kb.verdicts.clear()


def locked_keys(ctx: LintContext) -> set[str]:
    lock = ctx.project.lock if ctx.kind == "pyproject" else None
    return {p.key for p in lock.packages} if lock is not None else set()


def unlocked_coverage(ctx: LintContext) -> list[DependencyCoverage]:
    """Coverage of the dependencies the knowledge-base rules speak for: not answered exactly by
    the project's lock file (that is reported from the lock), and not under --only-binary /
    --no-binary (KB204 says what happens there instead)."""
    locked = locked_keys(ctx)
    return [
        c
        for c in coverage(ctx)
        if not (c.dep.key in locked and not c.dep.is_build) and not c.only_binary and not c.no_binary
    ]


def builds_from_source(cov: DependencyCoverage) -> bool:
    """Whether a missing wheel makes pip build this dependency, with something to compile.
    False for a wheel-only package (nothing to build: KB206) and for one whose native parts are
    all optional (the build falls back to pure Python and needs nothing)."""
    pkg = cov.pkg
    if pkg is None or cov.source == "index":
        return True
    return not (pkg.wheel_only or pkg.builds_without_tools)


def needs_text(kb: KnowledgeBase, pkg: PackageInfo | None, ecosystem: str) -> str:
    """'a C compiler; on debian: gcc libpq-dev python3-dev' (what a source build needs)."""
    if pkg is None:
        return "whatever its build needs (it is not in the knowledge base; see its install docs)"
    tools = [_LANGUAGE_NAMES[lang] for lang in pkg.languages if lang in _LANGUAGE_NAMES and lang != "cython"]
    parts = []
    if tools:
        parts.append(", ".join(dict.fromkeys(tools)))
    ids = pkg.external_ids()
    if ids and ecosystem == "windows":
        vcpkg = [
            name
            for ident in ids
            if (info := kb.identifier(ident)) is not None
            for name in info.windows.get("vcpkg", [])
        ]
        text = "on Windows: the Microsoft C++ Build Tools" if any("compiler" in i for i in ids) else ""
        if vcpkg:
            text += (", and " if text else "on Windows: ") + f"vcpkg {' '.join(dict.fromkeys(vcpkg))}"
        if text:
            parts.append(text)
    elif ids:
        packages = kb.system_packages(ids, ecosystem)
        if packages.names:
            parts.append(f"on {ecosystem}: {' '.join(packages.names)}")
    if pkg.build_requires and not parts:
        parts.append(f"build requirements {', '.join(pkg.build_requires)}")
    return "; ".join(parts) if parts else "a compiler toolchain"


#: Ecosystems a finding's install help covers (the text writer shows the user's one).
NOTE_ECOSYSTEMS = ("debian", "ubuntu", "fedora", "alpine", "arch", "homebrew", "conda-forge")


def package_note(
    kb: KnowledgeBase, ids: list[str], text: str, python_headers: bool | None = None
) -> Note | None:
    """A ``help:`` note with the OS packages that provide ``ids`` on every ecosystem."""
    per: list[tuple[str, tuple[str, ...]]] = []
    for eco in NOTE_ECOSYSTEMS:
        names = kb.system_packages(ids, eco, with_python_headers=python_headers).names
        if names:
            per.append((eco, tuple(names)))
    return Note("help", text, tuple(per)) if per else None


def build_notes(kb: KnowledgeBase, pkg: PackageInfo | None, ecosystem: str) -> tuple[Note, ...]:
    """The detail of a source build under a finding: what it needs, and what to install first."""
    needs = needs_text(kb, pkg, ecosystem)
    what = needs.split("; on ", 1)[0]
    notes = [Note("note", f"its source build needs {what}")]
    if pkg is None:
        return tuple(notes)
    if ecosystem == "windows":
        windows = [p for p in needs.split("; ") if p.startswith("on Windows")]
        if windows:
            notes.append(Note("help", f"install {windows[0][len('on Windows: '):]}"))
        return tuple(notes)
    found = package_note(kb, pkg.external_ids(), "install what the build needs first")
    if found is not None:
        notes.append(found)
    return tuple(notes)


def targets_text(verdicts: list[Verdict]) -> str:
    """Which targets lack a wheel, short: 'CPython 3.13, 3.14; windows-arm64 (CPython 3.10)'."""
    from buildwise.analysis.coverage import Status

    if any(v.status == Status.SDIST_ONLY for v in verdicts):
        return "any target (it publishes no wheels at all)"
    pythons = pythons_of([v for v in verdicts if v.status in (Status.PREDATES, Status.NO_PYTHON)])
    parts = [f"CPython {', '.join(pythons)}"] if pythons else []
    by_platform: dict[str, list[str]] = {}
    for v in verdicts:
        if v.status == Status.NO_PLATFORM and v.python not in pythons:
            by_platform.setdefault(v.platform, []).append(v.python)
    for platform, pys in by_platform.items():
        parts.append(f"{platform} (CPython {', '.join(pys)})")
    return "; ".join(parts)


def ecosystem_for(ctx: LintContext, platforms: list[str]) -> str:
    if platforms and all(p.startswith("windows") for p in platforms):
        return "windows"
    configured = ctx.config.distro
    for platform in platforms:
        eco = PLATFORM_ECOSYSTEM.get(platform)
        if eco == "debian" and configured:
            return KnowledgeBase.ecosystem_for(configured)
        if eco is not None:
            return eco
    return KnowledgeBase.ecosystem_for(configured) if configured else "debian"


def floor_fix(cov: DependencyCoverage, floor_version: object, why: str) -> Fix | None:
    """Raise the dependency's lower bound to ``floor_version``, written in its file's syntax
    (Poetry keeps its ``^``/``~``); none for a lock file's pins."""
    from packaging.version import Version

    dep = cov.dep
    if not isinstance(floor_version, Version) or not dep.editable:
        return None
    converted = dep.converted
    if (converted.specifier_span is None) if converted is not None else dep.parsed.specifier_range is None:
        return None
    new_spec = raise_floor(dep.parsed.specifier, floor_version)
    if converted is not None and dep.syntax == "poetry":
        from buildwise.parse.poetry import poetry_floor

        new_spec = poetry_floor(converted.written_specifier, str(floor_version), new_spec)
    glue = " " if new_spec[:1] in ("^", "~") and not new_spec.startswith("~=") else ""
    title = f"Require {dep.parsed.name}{glue}{new_spec} ({why})"
    if converted is not None or dep.splice_safe:  # the rest of the text stays as written
        return Fix(title, (Edit(dep.path, dep.specifier_span, str(new_spec)),), safe=False)
    # TOML escapes in the string: the columns of its parts are unknown, so rewrite it whole
    new = rebuilt(dep.parsed.text, specifier=str(new_spec))
    edit = dep.replacement(new) if new is not None else None
    return Fix(title, (edit,), safe=False) if edit is not None else None


def rebuilt(
    old: str, *, replacement: str | None = None, specifier: str | None = None, keep_pin: bool = False
) -> str | None:
    """``old`` (a PEP 508 string) with another project (``replacement``, its name, extras,
    version and marker) or another specifier, rebuilt with ``packaging``: extras and the marker
    of ``old`` are kept (the extras only when the project stays the same), so
    ``pendulum[test]<2.1`` -> ``pendulum[test]>=3``, never ``pendulum>=3[test]<2.1``. With
    ``keep_pin`` (a drop-in build of the same code), a replacement without a version keeps the old
    specifier: ``psycopg2==2.9.9`` -> ``psycopg2-binary==2.9.9``."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(old)
        new = Requirement(replacement) if replacement is not None else None
    except InvalidRequirement:
        return None
    if new is not None:
        same = canonicalize_name(new.name) == canonicalize_name(req.name)
        markers = [str(m) for m in (req.marker, new.marker) if m is not None]
        new.extras = set(new.extras) | (set(req.extras) if same else set())
        if keep_pin and not new.specifier and not new.url:
            new.specifier = req.specifier
        marker = markers[0] if len(markers) == 1 else " and ".join(f"({m})" for m in markers)
        req = new
        req.marker = None
        text = str(req)
        return f"{text} ; {marker}" if marker else text
    if specifier is not None:
        from packaging.specifiers import SpecifierSet

        req.specifier = SpecifierSet(specifier)
    return str(req)


def alternative_fixes(cov: DependencyCoverage) -> list[Fix]:
    dep = cov.dep
    fixes: list[Fix] = []
    if not dep.editable:
        return fixes
    for alt in cov.pkg.alternatives if cov.pkg is not None else ():
        if alt.kind not in ("binary", "successor", "pure", "bundled"):
            continue
        if dep.converted is not None:  # Poetry/Pipfile syntax: only a drop-in rename fits it
            if not (alt.same_import and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", alt.requirement)):
                continue
            edit: Edit | None = Edit(dep.path, dep.name_span, alt.requirement)
        else:
            new = rebuilt(dep.parsed.text, replacement=alt.requirement, keep_pin=alt.same_import)
            edit = dep.replacement(new) if new is not None else None
        if edit is None:
            continue
        how = "same import" if alt.same_import else "check your imports"
        fixes.append(Fix(f"Switch to {alt.requirement} ({alt.kind}; {how})", (edit,), safe=False))
    return fixes


def pythons_of(verdicts: list[Verdict]) -> list[str]:
    return list(dict.fromkeys(v.python for v in verdicts))


def platforms_of(verdicts: list[Verdict]) -> list[str]:
    return list(dict.fromkeys(v.platform for v in verdicts))
