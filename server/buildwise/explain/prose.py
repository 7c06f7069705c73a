"""The words: what failed and why, in one paragraph with the specifics from the log, and a title."""

from __future__ import annotations

import re

from buildwise.explain.diagnose import Diagnosis
from buildwise.explain.model import CAUSE_TITLES
from buildwise.knowledge import KnowledgeBase


def package_name(d: Diagnosis) -> str:
    return d.display_name or d.package or "the package"


def requirement_spec(d: Diagnosis) -> str:
    if d.local and d.source:
        return d.source
    if d.package and d.version:
        return f"{package_name(d)}=={d.version}"
    return package_name(d) if d.package else "<package>"


def subject(d: Diagnosis) -> str:
    return f"{package_name(d)} {d.version}" if d.version else package_name(d)


def _describe_ids(kb: KnowledgeBase, ids: list[str]) -> str:
    parts = []
    for ident in ids:
        info = kb.identifier(ident)
        parts.append(info.description.rstrip(".") if info and info.description else ident)
    return "; ".join(dict.fromkeys(parts))


def explanation(d: Diagnosis, kb: KnowledgeBase) -> str:
    """One paragraph: what happened and why, with the specifics from the log."""
    who, py, plat = subject(d), d.python or "?", d.platform or "?"
    miss = d.missing[1] if d.missing else None
    provides = _describe_ids(kb, d.identifiers) if d.identifiers else ""
    by = f" It is provided by: {provides}." if provides else ""
    cause = d.cause
    if cause == "no_wheel_for_python":
        if d.wheel_last is not None:
            head = f"{who} is newer than the last release with a wheel for CPython {py} ({d.wheel_last})."
        else:
            head = f"{who} has no wheel for CPython {py}; the first release with one is {d.wheel_version}."
        return (
            head
            + " So pip downloaded the source distribution and tried to compile it, and that build failed"
            + _build_error(d)
        )
    if cause == "wheel_only_no_match":
        return (
            f"{package_name(d)} publishes wheels only (no source distribution), and none of the releases "
            f"pip looked at has a wheel for CPython {py} on {plat}: there was nothing to install and "
            "nothing to build, so pip stopped before building anything."
        )
    if cause == "no_wheel_for_platform":
        return (
            f"{who} has no wheel for {plat}; the first release with one for CPython {py} there is "
            f"{d.wheel_version}. So pip fell back to compiling the source distribution, and that build failed"
            + _build_error(d)
        )
    if cause == "pip_too_old":
        needed = d.pip_needed or ("?", "?")
        return (
            f"{who} publishes a wheel for CPython {py} on {plat}, but pip {d.pip_version} predates its "
            f"{needed[1]} tags (understood from pip {needed[0]} on), so pip ignored the wheel and built from "
            "source instead; that build failed" + _build_error(d)
        )
    texts = {
        "missing_library_config_tool": f"The build of {who} runs `{miss or 'a -config tool'}` to find a "
        "library's compiler and linker flags, and it is not on PATH: the library's development package is "
        f"not installed.{by}",
        "missing_system_headers": f"Compiling {who} needs the header `{miss}`, which is not installed: the "
        f"development package of the library that ships it is missing.{by}",
        "missing_system_library": f"Building {who} needs "
        + (f"the library `{miss}`" if miss else "a system library")
        + f" (its development files: headers, pkg-config file, linkable library), which was not found.{by}",
        "missing_c_compiler": f"{who} contains C/C++ code that must be compiled, and no compiler was found"
        + (f" (`{miss}` is not installed)." if miss else "."),
        "missing_msvc": f"{who} contains C/C++ code; on Windows that needs the Microsoft C++ Build Tools "
        "(MSVC), which are not installed or not found.",
        "missing_rust_toolchain": f"{who} contains Rust code; building it needs a Rust toolchain (cargo and "
        "rustc, recent enough), which was not found on PATH.",
        "missing_fortran_compiler": f"{who} contains Fortran code and no Fortran compiler was found.",
        "missing_cmake": f"The build of {who} runs CMake, which is not installed.",
        "missing_swig": f"The build of {who} runs SWIG to generate its wrapper code, and SWIG is not "
        "installed.",
        "missing_pkg_config": f"The build of {who} asks pkg-config where its libraries are, and "
        "pkg-config is not installed"
        + (f" (it was looking for {_describe_ids(kb, d.also_identifiers)})." if d.also_identifiers else "."),
        "missing_python_headers": f"Compiling {who} needs CPython {py}'s development headers (`Python.h`), "
        "which are not installed for this interpreter.",
        "missing_blas_lapack": f"{who} links against a BLAS/LAPACK library (OpenBLAS, MKL, Accelerate...) "
        "and none was found.",
        "undeclared_build_dependency": f"The build of {who} imports `{miss}`, but the package does not "
        "declare it as a build requirement; pip builds in an isolated environment that only has the "
        "declared ones.",
        "incompatible_build_dependency": f"{who} cannot be built with the version of "
        f"{miss or 'a build tool'} that pip installed for the build (the newest): this release predates "
        "a breaking change in it.",
        "distutils_removed": f"The build of {who} (or an old build tool it pins, such as setuptools < 60) "
        f"imports `{miss or 'distutils'}`, which was removed from the standard library in Python 3.12 "
        f"(PEP 632); this build predates CPython {py}.",
        "stale_generated_c": f"{who} ships C code generated by an old Cython that uses CPython internals "
        f"CPython {py} no longer has; it compiles only on older Pythons unless regenerated.",
        "unsupported_python_in_build_tool": f"{who} is built with "
        f"{miss or 'a build tool'} that does not support Python {py} yet"
        + (f" (it supports up to {d.decisive.hit.detail})." if d.decisive and d.decisive.hit.detail else "."),
        "python_unsupported_by_package": f"{who} supports only Python 2: its setup.py "
        + (f"imports `{miss}`, a module" if miss else "uses syntax")
        + f" that Python 3 does not have, so it cannot even be built on CPython {py}.",
        "broken_python_environment": "The Python interpreter that pip started to run the build cannot "
        "load its own shared library (libpython): the interpreter is installed incompletely or needs "
        "LD_LIBRARY_PATH, so nothing was built.",
        "incompatible_build_frontend": "The installer's own copy of the build-hook runner "
        f"({miss or 'pyproject-hooks'}) does not work with the installer release: the failure happens "
        f"before {who} itself is built.",
    }
    if cause in texts:
        hedge = (
            "Most likely (no line of the log says so): " if d.basis == "guess" and d.decisive is None else ""
        )
        return hedge + texts[cause] + _signature_note(d)
    if d.succeeded and d.decisive is None:
        return "The log shows no failed build: the installation succeeded."
    if d.decisive is None:
        return "No build failure was found in this log (no error lines pip or a build backend would print)."
    extra = f" The build needed `{miss}`, which is not installed.{by}" if miss else ""
    return (
        "buildwise does not recognise this failure. The line shown is the first error in the failing "
        f"build; read the output around it.{extra}"
    )


def _signature_note(d: Diagnosis) -> str:
    """What the knowledge base says about this very message of this package, if anything."""
    sig = d.decisive.signature if d.decisive is not None else None
    return f" {sig.explanation}" if sig is not None and sig.explanation else ""


def _build_error(d: Diagnosis) -> str:
    if d.build_error is None:
        return "."
    kind = d.build_error.cause
    return f" at line {d.build_error.line}: {CAUSE_TITLES.get(kind, kind)}."


def title(d: Diagnosis) -> str:
    if d.cause == "unknown" and d.decisive is None:
        return "No failed build in this log: the install succeeded" if d.succeeded else "No failure found"
    base = CAUSE_TITLES.get(d.cause, d.cause)
    miss = d.missing[1] if d.missing else None
    if (
        d.cause in ("missing_library_config_tool", "missing_system_headers", "missing_system_library")
        and miss
    ):
        base = {
            "missing_library_config_tool": f"`{miss}` not found (a library's configuration tool)",
            "missing_system_headers": f"Header `{miss}` not found",
            "missing_system_library": f"Library `{miss}` not found",
        }[d.cause]
    if d.cause == "undeclared_build_dependency" and miss:
        base = f"The build imports `{miss}` but does not declare it"
    return re.sub(r"\s+", " ", base)


__all__ = ["explanation", "package_name", "requirement_spec", "subject", "title"]
