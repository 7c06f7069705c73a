"""Is each thing a source build needs present on this machine? One check per PEP 725 identifier,
answered by probes (tools, compiler include path, pkg-config, the OS package manager).

A check is ``ready`` when a probe found it, ``missing`` when the probes that could run did not,
and ``unknown`` when no probe could run (the reason is in its evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from buildwise.analysis.interpreter import Interpreter
from buildwise.analysis.probes import Machine, Tool, find_header, version_in
from buildwise.knowledge import PYTHON_HEADERS_ID, KnowledgeBase
from buildwise.knowledge.model import IdentifierInfo

READY, MISSING, UNKNOWN = "ready", "missing", "unknown"

_LABELS = {
    "dep:virtual/compiler/c": "C compiler",
    "dep:virtual/compiler/cxx": "C++ compiler",
    "dep:virtual/compiler/rust": "Rust (rustc, cargo)",
    "dep:virtual/compiler/fortran": "Fortran compiler",
    PYTHON_HEADERS_ID: "Python headers",
}
#: Compilers to try first (what setuptools and meson use), before the identifier's detect.tools.
_COMPILERS = {
    "dep:virtual/compiler/c": ("CC", ("cc", "gcc", "clang")),
    "dep:virtual/compiler/cxx": ("CXX", ("c++", "g++", "clang++")),
    "dep:virtual/compiler/fortran": ("FC", ("gfortran", "flang")),
}


@dataclass
class Check:
    identifier: str
    label: str
    status: str
    found: str
    evidence: list[str] = field(default_factory=list)
    needed_by: list[str] = field(default_factory=list)
    #: packages to install on this machine's distro when it is missing
    packages: list[str] = field(default_factory=list)
    #: what to do when no distro package helps (rustup for a too-old rustc, Xcode, MSVC)
    advice: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "label": self.label,
            "status": self.status,
            "found": self.found,
            "evidence": self.evidence,
            "needed_by": self.needed_by,
            "packages": self.packages,
            "advice": self.advice,
        }


def label_for(ident: str) -> str:
    return _LABELS.get(ident, ident.rsplit("/", 1)[-1])


class Checker:
    def __init__(self, kb: KnowledgeBase, machine: Machine, interp: Interpreter, ecosystem: str) -> None:
        self.kb = kb
        self.machine = machine
        self.interp = interp
        self.ecosystem = ecosystem
        self._installed: dict[str, bool] | None = None
        self._installed_error: str | None = None

    # -- helpers ----------------------------------------------------------------------------
    def install_names(self, ident: str) -> list[str]:
        info = self.kb.identifier(ident)
        names = info.names(self.ecosystem) if info is not None else None
        return list(names.install) if names is not None else []

    def prefetch_installed(self, idents: list[str]) -> None:
        """One package-manager query for every package these identifiers map to."""
        names = [n for i in idents for n in self.install_names(i)]
        self._installed, self._installed_error = self.machine.installed_packages(self.ecosystem, names)

    def _package_view(self, ident: str) -> tuple[bool | None, str]:
        names = self.install_names(ident)
        if not names:
            return None, f"no {self.ecosystem} package known for it"
        if self._installed is None:
            self._installed, self._installed_error = self.machine.installed_packages(self.ecosystem, names)
        if self._installed_error is not None or not all(n in self._installed for n in names):
            return None, f"package manager: cannot tell ({self._installed_error or 'not asked'})"
        absent = [n for n in names if not self._installed[n]]
        if absent:
            return False, f"package manager: {', '.join(absent)} not installed"
        return True, f"package manager: {', '.join(names)} installed"

    def c_compiler(self) -> Tool | None:
        env, names = _COMPILERS["dep:virtual/compiler/c"]
        return self._compiler(env, names, self.kb.identifier("dep:virtual/compiler/c"))

    def _compiler(self, env: str, names: tuple[str, ...], info: IdentifierInfo | None) -> Tool | None:
        if self.machine.platform == "win32":
            msvc = self.machine.msvc()
            if msvc is not None and msvc.found:
                return msvc
        first = self.machine.env.get(env, "").split()
        tools = info.tools if info is not None else ()
        return self.machine.first_tool([*first[:1], *names, *tools])

    def include_dirs(self) -> tuple[list[str], str | None]:
        cc = self.c_compiler()
        if cc is None or cc.path is None or cc.name == "MSVC":
            return [], "no C compiler to ask for its include path"
        return self.machine.include_dirs(cc.path)

    # -- one identifier ---------------------------------------------------------------------
    def check(self, ident: str, versions: list[str], needed_by: list[str]) -> Check:
        label = label_for(ident)
        info = self.kb.identifier(ident)
        if ident == PYTHON_HEADERS_ID:
            result = self._python_headers(label)
        elif ident in _COMPILERS:
            result = self._compiler_check(ident, label, info)
        elif ident == "dep:virtual/compiler/rust":
            result = self._rust(label, versions)
        elif info is None:
            result = Check(ident, label, UNKNOWN, "not in the knowledge base", ["no way to detect it"])
        elif info.kind in ("compiler", "tool"):
            result = self._tool_check(ident, label, info)
        else:
            result = self._library(ident, label, info)
        result.needed_by = needed_by
        if result.status == MISSING and not result.packages and result.advice is None:
            result.packages = self.install_names(ident)
        return result

    def _python_headers(self, label: str) -> Check:
        path = f"{self.interp.include}/Python.h"
        if self.interp.python_h:
            return Check(PYTHON_HEADERS_ID, label, READY, path, [f"{path} exists"])
        check = Check(PYTHON_HEADERS_ID, label, MISSING, "no Python.h", [f"{path} does not exist"])
        if not self.interp.include.startswith("/usr/include"):
            check.advice = (
                f"{self.interp.executable} is not the distro's Python: its headers come with its own "
                "installation (reinstall it with its development files)"
            )
        return check

    def _compiler_check(self, ident: str, label: str, info: IdentifierInfo | None) -> Check:
        env, names = _COMPILERS[ident]
        tool = self._compiler(env, names, info)
        if tool is None:
            tried = ", ".join(dict.fromkeys([*names, *(info.tools if info else ())]))
            problem = self.machine.msvc()
            evidence = [f"none of {tried} on PATH"]
            if problem is not None and problem.problem:
                evidence.append(f"MSVC: {problem.problem}")
            return Check(ident, label, MISSING, "no compiler", evidence)
        evidence = [tool.describe()]
        if tool.problem:
            return Check(ident, label, MISSING, f"{tool.name} does not run", [*evidence, tool.problem])
        if ident != "dep:virtual/compiler/c" or tool.name == "MSVC":
            return Check(ident, label, READY, tool.describe(), evidence)
        dirs, why = self.include_dirs()
        if why is not None:
            return Check(ident, label, UNKNOWN, tool.describe(), [*evidence, f"include path: {why}"])
        stdio = find_header("stdio.h", dirs)
        if stdio is None:
            names_ = info.names(self.ecosystem) if info is not None else None
            also = list(names_.also) if names_ is not None else []
            check = Check(
                ident, label, MISSING, f"{tool.describe()}, but no C library headers",
                [*evidence, f"stdio.h is in none of {', '.join(dirs)}"],
            )  # fmt: skip
            check.packages = also or self.install_names(ident)
            return check
        return Check(ident, label, READY, tool.describe(), [*evidence, f"C library headers: {stdio}"])

    def _rust(self, label: str, versions: list[str]) -> Check:
        ident = "dep:virtual/compiler/rust"
        rustc, cargo = self.machine.tool("rustc"), self.machine.tool("cargo")
        evidence = [rustc.describe(), cargo.describe()]
        absent = [t.name for t in (rustc, cargo) if not t.found]
        if absent:
            return Check(ident, label, MISSING, f"{' and '.join(absent)} not on PATH", evidence)
        have = version_in(rustc.version)
        wanted = [v for v in versions if v]
        if not wanted:
            return Check(ident, label, READY, rustc.version or "rustc", evidence)
        if have is None:
            return Check(ident, label, UNKNOWN, "rustc version unreadable", [*evidence, rustc.problem or ""])
        failing = [w for w in wanted if not _satisfies(have, w)]
        if failing:
            check = Check(ident, label, MISSING, f"rustc {have}, needs {', '.join(failing)}", evidence)
            check.advice = (
                "the installed rustc is too old: install a current toolchain with rustup (https://rustup.rs)"
            )
            return check
        return Check(ident, label, READY, f"rustc {have} (needs {', '.join(wanted)})", evidence)

    def _tool_check(self, ident: str, label: str, info: IdentifierInfo) -> Check:
        if not info.tools:
            seen, why = self._package_view(ident)
            status = READY if seen else MISSING if seen is False else UNKNOWN
            return Check(ident, label, status, why, [why])
        tool = self.machine.first_tool(info.tools)
        if tool is None:
            return Check(ident, label, MISSING, "not on PATH", [f"none of {', '.join(info.tools)} on PATH"])
        return Check(ident, label, READY, tool.describe(), [tool.describe()])

    def _library(self, ident: str, label: str, info: IdentifierInfo) -> Check:
        positive: list[str] = []
        negative: list[str] = []
        cannot: list[str] = []
        extra_dirs: list[str] = []
        for module in info.pkg_config:
            found, detail = self.machine.pkg_config(module)
            (positive if found else negative if found is False else cannot).append(detail)
            if found:
                extra_dirs += self.machine.pkg_config_include_dirs(module)
        if info.headers:
            dirs, why = self.include_dirs()
            if why is not None and not extra_dirs:
                cannot.append(f"headers: cannot check ({why})")
            else:
                hits = [h for h in (find_header(x, [*dirs, *extra_dirs]) for x in info.headers) if h]
                if hits:
                    positive.append(f"header {hits[0]}")
                else:
                    negative.append(f"{' / '.join(info.headers)} not in the compiler's include path")
        for name in info.tools:
            tool = self.machine.tool(name)
            (positive if tool.found else negative).append(tool.describe())
        seen, view = self._package_view(ident)
        (positive if seen else negative if seen is False else cannot).append(view)
        evidence = [*positive, *negative, *cannot]
        if positive:
            return Check(ident, label, READY, positive[0], evidence)
        if negative:
            return Check(ident, label, MISSING, negative[0], evidence)
        return Check(ident, label, UNKNOWN, "no probe could run", evidence)


def _satisfies(version: str, wanted: str) -> bool:
    try:
        spec = SpecifierSet(wanted if wanted[0] in "<>=!~" else f">={wanted}")
        return spec.contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return True
