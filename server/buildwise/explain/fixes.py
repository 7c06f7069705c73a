"""The steps: what to do (best fix first) and how to check it worked.

Order of fixes, as pip's own documentation would advise: a release that has a wheel (no build at
all), a maintained binary alternative, then what the source build needs installed, then the
cause-specific way through (build constraints, another Python).
"""

from __future__ import annotations

from buildwise.explain.diagnose import Diagnosis
from buildwise.explain.model import FixStep
from buildwise.explain.packages import FILE_SEARCH, SystemPackageSet, install_command
from buildwise.explain.prose import package_name, requirement_spec, subject
from buildwise.knowledge import KnowledgeBase

#: Import names whose distribution name differs (for "pip install <what the build imports>").
_DISTRIBUTION_FOR_IMPORT = {
    "skbuild": "scikit-build",
    "setuptools_rust": "setuptools-rust",
    "setuptools_scm": "setuptools-scm",
    "mesonpy": "meson-python",
    "Cython": "Cython",
}

#: A build dependency's release that broke older packages, for a build constraint.
#: Cython 3.0 (2023-07) changed defaults many older setup.py files relied on (PyYAML 5.4's
#: cython_sources); setuptools 72 removed ``setuptools.command.test``; NumPy 2.0 removed numpy.distutils.
_BREAKING = {"Cython": "Cython<3", "setuptools": "setuptools<72", "numpy": "numpy<2"}


def _pip(d: Diagnosis) -> str:
    return "uv pip install" if d.installer == "uv" else "pip install"


def steps(d: Diagnosis, kb: KnowledgeBase, packages: SystemPackageSet, ecosystem: str) -> list[FixStep]:
    """Fix steps, best first."""
    out: list[FixStep] = []
    name, pip = package_name(d), _pip(d)
    if d.wheel_version is not None:
        where = f"CPython {d.python}" + (f" on {d.platform}" if d.cause == "no_wheel_for_platform" else "")
        out.append(
            FixStep(
                "upgrade",
                f"Install a release that has a wheel for {where}",
                (f'{pip} "{name}>={d.wheel_version}"',),
                note=f"Raise the pin wherever {name} is required (requirements files, pyproject.toml).",
            )
        )
    elif d.wheel_floor is not None:
        out.append(
            FixStep(
                "upgrade",
                f"Use a release with a wheel for CPython {d.python}: {name} {d.wheel_floor} or newer",
                (f'{pip} "{name}>={d.wheel_floor}"',),
                note="The log does not show which version was built; older releases have no such wheel.",
            )
        )
    elif d.wheel_last is not None:
        out.append(
            FixStep(
                "python",
                f"Use the last release with a wheel for CPython {d.python}",
                (f'{pip} "{name}=={d.wheel_last}"',),
                note=f"Or use a Python version {subject(d)} publishes wheels for.",
            )
        )
    if d.cause == "pip_too_old":
        out.append(
            FixStep(
                "upgrade-pip",
                "Upgrade pip, then install again: the new pip picks the wheel",
                ("python -m pip install --upgrade pip", f"python -m pip install {requirement_spec(d)}"),
            )
        )
    if d.pkg is not None:
        for alt in d.pkg.alternatives:
            if alt.kind not in ("binary", "successor", "bundled", "pure", "fork"):
                continue
            same = "same import" if alt.same_import else "different import: code changes needed"
            out.append(
                FixStep(
                    "alternative",
                    f"Install {alt.requirement} instead ({alt.kind}; {same})",
                    (f'{pip} "{alt.requirement}"',),
                    note=alt.caveats or None,
                )
            )
    avoid_build = bool(out)
    out += _cause_steps(d)
    out += _system_steps(d, packages, ecosystem, avoid_build)
    return out


def _cause_steps(d: Diagnosis) -> list[FixStep]:
    cause = (
        d.build_error.cause
        if d.build_error is not None and d.cause.startswith(("no_wheel", "pip_"))
        else d.cause
    )
    name, pip, spec = package_name(d), _pip(d), requirement_spec(d)
    miss = d.missing[1] if d.missing else None
    newer = (
        None
        if d.local or d.wheel_floor is not None or not d.package
        else (
            (
                f"Use a newer release of {name} that supports CPython {d.python}",
                (f'{pip} --upgrade "{name}"',),
            )
            if d.package and d.wheel_version is None
            else None
        )
    )
    out: list[FixStep] = []
    if cause == "undeclared_build_dependency" and miss:
        dist = _DISTRIBUTION_FOR_IMPORT.get(miss, miss.split(".")[0])
        out.append(
            FixStep(
                "build-constraint",
                f"Install {dist} yourself and build without isolation",
                (f"{pip} {dist} setuptools wheel", f"{pip} --no-build-isolation {spec}"),
                note="A newer release of the package may declare the dependency properly.",
            )
        )
    elif cause == "incompatible_build_dependency":
        top = (miss or "").split(".")[0]
        bound = _BREAKING.get(top)
        if newer:
            out.append(FixStep("upgrade", *newer))
        if bound:
            constraint = (
                f'echo "{bound}" > build-constraints.txt',
                f"uv pip install --build-constraint build-constraints.txt {spec}"
                if d.installer == "uv"
                else f"PIP_CONSTRAINT=build-constraints.txt pip install {spec}",
            )
            out.append(
                FixStep(
                    "build-constraint",
                    f"Build it with {bound}",
                    constraint,
                    note="PIP_CONSTRAINT also applies inside pip's isolated build environment.",
                )
            )
    elif cause in ("distutils_removed", "stale_generated_c", "unsupported_python_in_build_tool"):
        if cause == "distutils_removed" and d.local:
            out.append(
                FixStep(
                    "advice",
                    "Raise the project's setuptools requirement (setuptools 60+ brings its own distutils)",
                    note='In pyproject.toml: [build-system] requires = ["setuptools>=61", ...]',
                )
            )
        if newer:
            out.append(FixStep("upgrade", *newer))
        older = _older_python(d, cause)
        out.append(
            FixStep(
                "python",
                "Use an older Python that this release supports",
                (f"python{older} -m pip install {spec}",) if older and d.package else (),
            )
        )
        if cause == "distutils_removed":
            out.append(
                FixStep(
                    "advice",
                    "If you build with --no-build-isolation, install setuptools first "
                    "(it provides distutils)",
                    (f"{pip} setuptools",),
                )
            )
        if cause == "unsupported_python_in_build_tool" and miss == "PyO3":
            out.append(
                FixStep(
                    "advice",
                    "Last resort: let PyO3 build against the stable ABI",
                    (f"PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 {pip} {spec}",),
                    note="Unsafe: the extension may misbehave on a Python it was not written for.",
                )
            )
    elif cause == "wheel_only_no_match":
        out.append(
            FixStep(
                "python",
                f"Use a CPython version and platform {name} publishes wheels for",
                note="Installing compilers does not help: there is no source distribution to build.",
            )
        )
        out.append(
            FixStep(
                "advice",
                "Or install it from a package index that carries wheels for this platform",
                (f'{pip} --index-url <index URL> "{name}"',),
                note="Some projects run their own index (for example CPU-only or per-CUDA builds).",
            )
        )
    elif cause == "python_unsupported_by_package":
        out.append(
            FixStep(
                "advice",
                "Use a maintained package that supports Python 3 (its successor or a fork), "
                "or run this one on Python 2.7",
                note="A Python 2-only release cannot be made to build on Python 3 by installing anything.",
            )
        )
    elif cause == "broken_python_environment":
        out.append(
            FixStep(
                "advice",
                "Repair the interpreter first: it must start on its own",
                (
                    'python -c "import sys; print(sys.version)"',
                    "export LD_LIBRARY_PATH=/absolute/path/to/python/lib:$LD_LIBRARY_PATH",
                ),
                note="A relocated or self-built Python needs the directory of libpython on the loader "
                "path (absolute, not relative); otherwise reinstall it.",
            )
        )
    elif cause == "incompatible_build_frontend":
        out.append(
            FixStep(
                "advice",
                "Upgrade the installer, or pin its hook runner to a release it supports",
                ("poetry self update", 'poetry self add "pyproject-hooks<1.1"'),
                note="Old poetry releases set PEP517_BUILD_BACKEND; pyproject-hooks 1.1 no longer reads it.",
            )
        )
    elif cause == "missing_msvc":
        out.append(
            FixStep(
                "toolchain",
                "Install the Microsoft C++ Build Tools with the "
                '"Desktop development with C++" workload, then open a new terminal',
                ("https://visualstudio.microsoft.com/visual-cpp-build-tools/",),
            )
        )
    elif cause == "missing_rust_toolchain":
        out.append(
            FixStep(
                "toolchain",
                "Install a current Rust toolchain with rustup (distro packages may be "
                "too old for recent crates)",
                ("curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh", '. "$HOME/.cargo/env"'),
                note="On Windows use rustup-init.exe from https://rustup.rs (it needs MSVC too).",
            )
        )
    return out


def _older_python(d: Diagnosis, cause: str) -> str | None:
    """The newest Python the failing build can still work with, when the log says."""
    if cause == "distutils_removed":
        return "3.11"
    if cause == "unsupported_python_in_build_tool" and d.decisive is not None and d.decisive.hit.detail:
        return d.decisive.hit.detail
    py = (d.python or "").rstrip("t")
    if cause == "stale_generated_c" and py.count(".") == 1 and py.split(".")[1].isdigit():
        minor = int(py.split(".")[1])
        return f"3.{minor - 1}" if minor > 0 else None
    return None


def _system_steps(
    d: Diagnosis, packages: SystemPackageSet, ecosystem: str, out_before: bool
) -> list[FixStep]:
    python_bound = (
        "python_unsupported_by_package",
        "broken_python_environment",
        "incompatible_build_frontend",
        "undeclared_build_dependency",
        "incompatible_build_dependency",
        "distutils_removed",
        "stale_generated_c",
        "unsupported_python_in_build_tool",
    )
    if d.cause in (*python_bound, "pip_too_old"):
        return []
    if d.build_error is not None and d.build_error.cause in python_bound:
        return []  # installing libraries cannot make this release build on this Python
    out: list[FixStep] = []
    if ecosystem == "windows":
        if packages.windows:
            out.append(
                FixStep("system-packages", "Install what the build needs on Windows", tuple(packages.windows))
            )
        return out
    names = packages.names.get(ecosystem, [])
    cmd = install_command(ecosystem, names)
    title = "To build from source instead, install" if out_before else "Install"
    if cmd:
        out.append(
            FixStep(
                "system-packages",
                f"{title} the build's system packages ({ecosystem}), then retry",
                (cmd, f"{_pip(d)} {requirement_spec(d)}") if d.package else (cmd,),
                note=_headers_note(d)
                or _notes_text(packages.notes.get(ecosystem))
                or _also(packages, ecosystem),
            )
        )
    elif d.missing and d.missing[0] == "header" and ecosystem in FILE_SEARCH:
        out.append(
            FixStep(
                "system-packages",
                f"Find and install the package that ships {d.missing[1]}",
                (FILE_SEARCH[ecosystem].format(d.missing[1].rsplit("/", 1)[-1]),),
            )
        )
    return out


def _also(packages: SystemPackageSet, ecosystem: str) -> str | None:
    also = packages.also.get(ecosystem)
    return f"Also known as, or pulled in by: {', '.join(also)}" if also else None


def _headers_note(d: Diagnosis) -> str | None:
    if d.cause != "missing_python_headers":
        return None
    return (
        f"The headers must match CPython {d.python}: for a Python that is not the distro's default, "
        "install that version's own -dev/-devel package (e.g. python3.X-dev)"
    )


def _notes_text(notes: dict[str, str] | None) -> str | None:
    if not notes:
        return None
    return "; ".join(f"{ident}: {why}" for ident, why in notes.items())


def verify(d: Diagnosis, kb: KnowledgeBase) -> list[str]:
    """Commands that show the fix worked, before and including the real install."""
    out: list[str] = []
    cause = d.cause
    miss = d.missing[1] if d.missing else None
    tool_checks = {
        "missing_c_compiler": "cc --version",
        "missing_rust_toolchain": "cargo --version && rustc --version",
        "missing_fortran_compiler": "gfortran --version",
        "missing_cmake": "cmake --version",
        "missing_swig": "swig -version",
        "missing_pkg_config": "pkg-config --version",
        "missing_msvc": 'where cl  (in a "Developer Command Prompt for VS")',
    }
    if cause in tool_checks:
        out.append(tool_checks[cause])
    elif cause == "missing_library_config_tool" and miss:
        out.append(f"{miss} --version")
    elif cause == "missing_python_headers":
        out.append(
            "python -c \"import sysconfig, os; h = os.path.join(sysconfig.get_path('include'), "
            "'Python.h'); print(h, os.path.exists(h))\""
        )
    elif cause in ("missing_system_headers", "missing_system_library", "missing_blas_lapack"):
        modules = [m for i in d.identifiers if (info := kb.identifier(i)) for m in info.pkg_config[:1]]
        if modules:
            out.append(f"pkg-config --cflags --libs {modules[0]}")
        elif miss and d.missing and d.missing[0] == "header":
            out.append(f"echo '#include <{miss}>' | cc -E -x c - > /dev/null && echo found")
    if d.wheel_version is not None or cause == "pip_too_old":
        target = f'"{package_name(d)}>={d.wheel_version}"' if d.wheel_version else requirement_spec(d)
        out.append(f"{_pip(d)} --only-binary=:all: {target}")
    elif d.package and d.decisive is not None:
        out.append(f"{_pip(d)} -v {requirement_spec(d)}")
    return out


__all__ = ["steps", "verify"]
