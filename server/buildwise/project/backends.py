"""Build backends: which distribution provides each ``build-backend`` module, and what a new
``[build-system]`` table should say for a given source tree."""

from __future__ import annotations

from dataclasses import dataclass

from buildwise.project.sourcetree import SourceTree

#: build-backend module (before any ":object" suffix) -> distribution that provides it.
BACKEND_DISTRIBUTIONS = {
    "setuptools.build_meta": "setuptools",
    "hatchling.build": "hatchling",
    "hatchling.ouroboros": "hatchling",
    "flit_core.buildapi": "flit-core",
    "flit.buildapi": "flit",
    "poetry.core.masonry.api": "poetry-core",
    "poetry.masonry.api": "poetry",
    "pdm.backend": "pdm-backend",
    "pdm.pep517.api": "pdm-pep517",
    "maturin": "maturin",
    "scikit_build_core.build": "scikit-build-core",
    "scikit_build_core.setuptools.build_meta": "scikit-build-core",
    "mesonpy": "meson-python",
    "sipbuild.api": "sip",
    "enscons.api": "enscons",
    "whey": "whey",
    "pbr.build": "pbr",
    "uv_build": "uv-build",
    "py_build_cmake.build": "py-build-cmake",
    "pymsbuild": "pymsbuild",
    "setuptools_rust.build_meta": "setuptools-rust",
    "hatch_cython": "hatch-cython",
}


def backend_distribution(backend: str) -> str | None:
    module = backend.split(":", 1)[0].strip()
    return BACKEND_DISTRIBUTIONS.get(module)


@dataclass(frozen=True)
class BuildSystemProposal:
    backend: str
    requires: tuple[str, ...]
    why: str

    def table(self, quote: str = '"') -> str:
        items = ", ".join(f"{quote}{r}{quote}" for r in self.requires)
        return f"[build-system]\nrequires = [{items}]\nbuild-backend = {quote}{self.backend}{quote}\n"


def propose_build_system(tree: SourceTree, *, poetry: bool = False) -> BuildSystemProposal:
    """The backend that fits what the tree shows: poetry-core for a project described by
    [tool.poetry], maturin for a PyO3 crate, scikit-build-core for a CMake project, meson-python
    for a Meson project, setuptools otherwise; plus the build-time tools the tree needs (Cython,
    pybind11, numpy...) so one fix leaves nothing for KB103 to report."""
    if poetry:
        # Poetry's documented [build-system] (python-poetry.org/docs/pyproject/#poetry-and-pep-517)
        base = BuildSystemProposal(
            "poetry.core.masonry.api", ("poetry-core>=1.0.0",), "[tool.poetry] describes the package"
        )
    elif tree.cargo_toml and tree.uses_pyo3 and not tree.has_setup_py:
        base = BuildSystemProposal("maturin", ("maturin>=1,<2",), "Cargo.toml uses PyO3")
    elif tree.cmakelists and not tree.has_setup_py:
        base = BuildSystemProposal(
            "scikit_build_core.build", ("scikit-build-core",), "CMakeLists.txt is present"
        )
    elif tree.meson_build and not tree.has_setup_py:
        base = BuildSystemProposal("mesonpy", ("meson-python",), "meson.build is present")
    else:
        base = BuildSystemProposal(
            "setuptools.build_meta",
            ("setuptools>=61",),
            "no Cargo.toml, CMakeLists.txt or meson.build asks for another",
        )
    extra = [req for need, req in tool_requirements(tree, base.backend)]
    return BuildSystemProposal(base.backend, base.requires + tuple(extra), base.why)


#: need (from the source tree) -> requirement to add to build-system.requires
NEED_REQUIREMENT = {
    "cython": "Cython",
    "pybind11": "pybind11",
    "nanobind": "nanobind",
    "numpy": "numpy",
    "cffi": "cffi",
    "setuptools-rust": "setuptools-rust",
    "setuptools-scm": "setuptools-scm",
    "hatch-vcs": "hatch-vcs",
    "cmake": "cmake",
}


def tool_requirements(tree: SourceTree, backend: str | None) -> list[tuple[str, str]]:
    """(need, requirement) pairs the build environment must contain for this tree and backend."""
    module = (backend or "").split(":", 1)[0]
    out: list[tuple[str, str]] = []
    for need in ("cython", "pybind11", "nanobind", "numpy", "cffi"):
        if need in tree.needs and not (module == "maturin" and need != "cffi"):
            out.append((need, NEED_REQUIREMENT[need]))
    if "setuptools-rust" in tree.needs or (
        tree.cargo_toml and tree.uses_pyo3 and module.startswith("setuptools")
    ):
        out.append(("setuptools-rust", "setuptools-rust"))
    if "cmake" in tree.needs and tree.needs["cmake"].path == "setup.py" and module.startswith("setuptools"):
        out.append(("cmake", "cmake"))
    if "setuptools-scm" in tree.needs and module.startswith("setuptools"):
        out.append(("setuptools-scm", "setuptools-scm"))
    return out
