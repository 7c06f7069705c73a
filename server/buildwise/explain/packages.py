"""System packages for a diagnosis, per ecosystem, from the knowledge base's identifiers.

The identifiers come from the log (the header/tool/library that was missing, looked up in
``[detect]``), from the cause (a missing compiler is ``dep:virtual/compiler/c``), and from the
package's own ``[external]`` table, so one install command covers the next failure too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from buildwise.explain.diagnose import Diagnosis
from buildwise.knowledge import ECOSYSTEMS, PYTHON_HEADERS_ID, KnowledgeBase

#: The identifier a cause stands for when the log named nothing more specific. These are the team's
#: fixed identifier names (briefs/identifiers.md), not package knowledge.
CAUSE_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "missing_c_compiler": ("dep:virtual/compiler/c",),
    "missing_msvc": ("dep:virtual/compiler/c",),
    "missing_rust_toolchain": ("dep:virtual/compiler/rust",),
    "missing_fortran_compiler": ("dep:virtual/compiler/fortran",),
    "missing_cmake": ("dep:generic/cmake",),
    "missing_swig": ("dep:generic/swig",),
    "missing_pkg_config": ("dep:generic/pkg-config",),
    "missing_python_headers": (PYTHON_HEADERS_ID,),
    "missing_blas_lapack": ("dep:virtual/interface/blas", "dep:virtual/interface/lapack"),
}

INSTALL_COMMANDS = {
    "debian": "sudo apt-get install {}",
    "ubuntu": "sudo apt-get install {}",
    "fedora": "sudo dnf install {}",
    "alpine": "sudo apk add {}",
    "arch": "sudo pacman -S --needed {}",
    "homebrew": "brew install {}",
    "conda-forge": "conda install -c conda-forge {}",
}

#: How to ask each package manager which package ships a file (when the knowledge base does not know).
FILE_SEARCH = {
    "debian": "apt-file search {}",
    "ubuntu": "apt-file search {}",
    "fedora": "dnf provides '*/{}'",
    "arch": "pacman -F {}",
}

_COMPILERS = ("dep:virtual/compiler/",)
_TOOL_CAUSES = ("missing_pkg_config", "missing_cmake", "missing_swig")


@dataclass
class SystemPackageSet:
    """Per ecosystem: the names to install, the decisive ones first, and notes on gaps."""

    primary_ids: list[str] = field(default_factory=list)
    other_ids: list[str] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)
    primary_names: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    windows: list[str] = field(default_factory=list)
    #: Other names that bring the same in: meta-packages (build-essential) and older names that are
    #: transitional now (libldap2-dev); shown as "or", never installed.
    also: dict[str, list[str]] = field(default_factory=dict)


def collect(kb: KnowledgeBase, d: Diagnosis) -> SystemPackageSet:
    if d.cause == "wheel_only_no_match":
        return SystemPackageSet([], [])  # nothing is built: no system package can help
    known = set(kb.identifier_ids())
    primary = [i for i in (*d.identifiers, *d.also_identifiers) if i in known]
    if d.cause in _TOOL_CAUSES or not primary:
        # A missing tool is named first even when the line also names what the tool was looking for
        # (mysqlclient's "Can not find valid pkg-config name" names the MySQL client library too).
        tool = [i for i in CAUSE_IDENTIFIERS.get(d.cause, ()) if i in known]
        primary = tool + [i for i in primary if i not in tool]
    if not primary and d.build_error is not None:
        primary = [i for i in CAUSE_IDENTIFIERS.get(d.build_error.cause, ()) if i in known]
    compiled = d.missing is not None and d.missing[0] in ("header", "library")
    others: list[str] = []
    if d.pkg is not None:
        for ident in d.pkg.external_ids():
            if ident in primary or ident not in known:
                continue
            if compiled and ident.startswith(_COMPILERS):
                continue  # the log shows the compiler ran
            others.append(ident)
    wants_headers = d.cause in ("missing_c_compiler", "missing_msvc") or (
        not compiled and any(i.startswith(_COMPILERS) for i in others + primary)
    )
    result = SystemPackageSet(primary, others)
    for eco in ECOSYSTEMS:
        first = kb.system_packages(primary, eco, with_python_headers=False)
        full = kb.system_packages(primary + others, eco, with_python_headers=wants_headers)
        names = list(first.names) + [n for n in full.names if n not in first.names]
        result.names[eco] = names
        result.primary_names[eco] = list(first.names)
        notes = {**full.notes, **first.notes}
        if notes:
            result.notes[eco] = notes
        also = [
            name
            for ident in primary + others
            if (info := kb.identifier(ident)) is not None and (eco_names := info.names(eco)) is not None
            for name in eco_names.also
            if name not in names
        ]
        if also:
            result.also[eco] = list(dict.fromkeys(also))
    for ident in primary + others:
        info = kb.identifier(ident)
        if info is None or not info.windows or (d.cause == "missing_msvc" and ident.startswith(_COMPILERS)):
            continue  # MSVC itself gets its own step
        how = [str(info.windows["notes"]).rstrip(".")] if info.windows.get("notes") else []
        how += [
            f"{tool} install {' '.join(str(v) for v in info.windows[tool])}"
            for tool in ("vcpkg", "winget", "choco")
            if info.windows.get(tool)
        ]
        if how:
            what = (info.description or ident).split(".")[0].split(" (")[0]
            result.windows.append(f"{what}: {'; or '.join(how)}")
    return result


def install_command(ecosystem: str, names: list[str]) -> str | None:
    template = INSTALL_COMMANDS.get(ecosystem)
    return template.format(" ".join(names)) if template and names else None


__all__ = [
    "CAUSE_IDENTIFIERS",
    "FILE_SEARCH",
    "INSTALL_COMMANDS",
    "SystemPackageSet",
    "collect",
    "install_command",
]
