"""OS packages a project needs: which dependencies get built from source (and the project's own
native code), which PEP 725 identifiers that needs, and the install commands per distro."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from buildwise.analysis.coverage import Status
from buildwise.knowledge import PYTHON_HEADERS_ID, KnowledgeBase
from buildwise.model import Note
from buildwise.project.facts import Dependency
from buildwise.project.sourcetree import SourceTree

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext

#: Display order and labels for the README section and `kb-lint deps`.
ECOSYSTEM_LABELS = {
    "debian": "Debian/Ubuntu",
    "fedora": "Fedora/RHEL",
    "alpine": "Alpine",
    "arch": "Arch Linux",
    "homebrew": "macOS (Homebrew)",
    "conda-forge": "conda-forge",
}
INSTALL_COMMANDS = {
    "debian": "apt-get install -y --no-install-recommends {}",
    "ubuntu": "apt-get install -y --no-install-recommends {}",
    "fedora": "dnf install -y {}",
    "alpine": "apk add --no-cache {}",
    "arch": "pacman -S --needed --noconfirm {}",
    "homebrew": "brew install {}",
    "conda-forge": "conda install -c conda-forge {}",
}
#: bindep platform profiles per ecosystem.
BINDEP_PROFILES = {
    "debian": "platform:dpkg",
    "fedora": "platform:rpm",
    "alpine": "platform:apk",
    "arch": "platform:pacman",
    "homebrew": "platform:brew",
}

_STATUS_REASON = {
    Status.PREDATES: "no wheel for CPython {pythons}",
    Status.NO_PYTHON: "no wheel for CPython {pythons}",
    Status.NO_PLATFORM: "no wheel for {platforms}",
    Status.SDIST_ONLY: "it publishes no wheels",
}


@dataclass
class SourceBuild:
    """Something that gets compiled on a target, and the identifiers that compiling needs."""

    name: str
    reason: str
    identifiers: list[str]
    dep: Dependency | None = None
    build_ids: list[str] = field(default_factory=list)
    host_ids: list[str] = field(default_factory=list)


#: Build tools, not libraries: a compiler, and what build backends fetch from PyPI themselves.
TOOLCHAIN = frozenset({"dep:generic/cmake", "dep:generic/meson", "dep:generic/ninja"})


def is_toolchain(ident: str) -> bool:
    return ident.startswith("dep:virtual/compiler/") or ident in TOOLCHAIN


def tree_identifiers(tree: SourceTree) -> tuple[list[str], str] | None:
    """The project's own native code: compilers and tools its tree shows it needs."""
    ids: list[str] = []
    what: list[str] = []
    if "c-extension" in tree.needs or "cython" in tree.needs:
        ids.append("dep:virtual/compiler/c")
        what.append("C")
    if (
        "pybind11" in tree.needs
        or "nanobind" in tree.needs
        or any(tree.needs[n].path.endswith((".cpp", ".cc", ".cxx")) for n in tree.needs if n == "c-extension")
    ):
        ids.append("dep:virtual/compiler/cxx")
        what.append("C++")
    if tree.cargo_toml:
        ids.append("dep:virtual/compiler/rust")
        what.append("Rust")
    if tree.cmakelists:
        ids.append("dep:generic/cmake")
    if tree.meson_build:
        ids += ["dep:generic/meson", "dep:generic/ninja"]
    if not ids:
        return None
    return ids, " and ".join(what) or "native"


def source_builds(ctx: LintContext) -> list[SourceBuild]:
    """Dependencies of this document built from source on some target, with what they need."""
    from buildwise.analysis.wheelcheck import coverage, platforms_of, pythons_of

    out: list[SourceBuild] = []
    for cov in coverage(ctx):
        if cov.pkg is None or cov.only_binary or cov.pkg.wheel_only:
            continue
        ids = cov.pkg.external_ids()
        if not ids:
            continue
        reasons: list[str] = []
        if cov.no_binary:
            reasons.append("--no-binary")
        for status, template in _STATUS_REASON.items():
            verdicts = cov.with_status(status)
            if verdicts:
                text = template.format(
                    pythons=", ".join(pythons_of(verdicts)), platforms=", ".join(platforms_of(verdicts))
                )
                if text not in reasons:
                    reasons.append(text)
        if not reasons:
            continue
        build = [d.id for d in cov.pkg.external.get("build-requires", ())]
        host = [d.id for d in cov.pkg.external.get("host-requires", ())]
        out.append(SourceBuild(cov.dep.parsed.name, "; ".join(reasons), ids, cov.dep, build, host))
    return out


def with_python_headers(ids: list[str]) -> list[str]:
    out = list(dict.fromkeys(ids))
    if any(i.startswith("dep:virtual/compiler/") for i in out) and PYTHON_HEADERS_ID not in out:
        out.append(PYTHON_HEADERS_ID)
    return out


def all_names(kb: KnowledgeBase, ident: str) -> set[str]:
    """Every package name any ecosystem uses for ``ident`` (build, host or run)."""
    info = kb.identifier(ident)
    if info is None:
        return set()
    names: set[str] = set()
    for eco in info.ecosystems.values():
        names |= {n.lower() for n in eco.all_names}
    for lib in info.libraries:  # the conventional development-package names of each library
        names |= {f"lib{lib}-dev".lower(), f"lib{lib}-devel".lower(), f"{lib}-devel".lower()}
    for key in ("vcpkg", "choco", "winget"):
        names |= {n.lower() for n in info.windows.get(key, [])}
    return names


def install_lines(kb: KnowledgeBase, ids: list[str]) -> list[tuple[str, str, list[str]]]:
    """(label, command, notes) per ecosystem for ``ids`` (Python headers implied by compilers)."""
    lines = []
    for eco, label in ECOSYSTEM_LABELS.items():
        packages = kb.system_packages(ids, eco)
        notes: list[str] = []
        for note in sorted(set(packages.notes.values()), key=len):
            if not any(note.startswith(n.rstrip(".")[:50]) for n in notes):
                notes.append(note)
        command = INSTALL_COMMANDS[eco].format(" ".join(packages.names)) if packages.names else ""
        lines.append((label, command, notes))
    return lines


def install_command(ecosystem: str, packages: tuple[str, ...] | list[str]) -> str:
    template = INSTALL_COMMANDS.get(ecosystem)
    if template is None or not packages:
        return ""
    return template.format(" ".join(shlex.quote(p) for p in dict.fromkeys(packages)))


def note_lines(note: Note, distro: str) -> list[str]:
    """A note's text lines: with install packages, one command for ``distro`` (each, for all)."""
    if not note.packages:
        return [note.text]
    if distro == "all":
        return [f"{note.text}: on {eco}: {install_command(eco, names)}" for eco, names in note.packages]
    names = note.packages_for(distro) or (note.packages_for("debian") if distro == "ubuntu" else ())
    if not names:
        return [f"{note.text} (no {distro} package known; --distro all shows the others)"]
    return [f"{note.text}: {install_command(distro, names)}"]
