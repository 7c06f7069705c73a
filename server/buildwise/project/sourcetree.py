"""What a project's source tree says its build needs (Cython sources, Cargo.toml, CMakeLists.txt ...).

Files are read, never executed: ``setup.py`` is searched as text. The walk is bounded (file count,
bytes read per file) so a huge repository costs a few milliseconds, not seconds.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from buildwise.project.boundaries import is_project_dir, is_test_data

#: Directories never entered: VCS data, virtual environments, caches, build output, JS deps.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".venv",
        "venv",
        ".env",
        "env",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "build",
        "dist",
        "site-packages",
        ".eggs",
        "target",
        ".idea",
        ".vscode",
        "htmlcov",
        ".cache",
    }
)
MAX_FILES = 20000
MAX_SCANNED_SOURCES = 400
READ_LIMIT = 64 * 1024

_C_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".pyx", ".pxd")
_INCLUDE_PATTERNS = {
    "pybind11": re.compile(r"#\s*include\s*[<\"]pybind11/"),
    "nanobind": re.compile(r"#\s*include\s*[<\"]nanobind/"),
    "numpy": re.compile(
        r"#\s*include\s*[<\"]numpy/(arrayobject|ndarrayobject|ufuncobject|npy_common)\.h|^\s*cimport\s+numpy",
        re.M,
    ),
}
_SETUP_PATTERNS = {
    "cython": re.compile(r"\bcythonize\s*\(|from\s+Cython\b|import\s+Cython\b"),
    "numpy": re.compile(r"\b(np|numpy)\.get_include\s*\("),
    "cffi": re.compile(r"\bcffi_modules\s*="),
    "pybind11": re.compile(r"\bpybind11\b"),
    "setuptools-rust": re.compile(r"\bRustExtension\b|\bsetuptools_rust\b"),
    "cmake": re.compile(r"\bCMakeExtension\b|[\"']cmake[\"']"),
    "setuptools-scm": re.compile(r"\buse_scm_version\s*="),
    "wheel": re.compile(r"^\s*(from\s+wheel\b|import\s+wheel\b)", re.M),
}
#: CMake fetching or vendoring a build tool itself: FetchContent, ExternalProject, add_subdirectory.
_CMAKE_FETCHES = {
    name: re.compile(
        rf"(FetchContent_Declare|ExternalProject_Add)\s*\(\s*{name}\b|add_subdirectory\s*\([^)]*{name}", re.I
    )
    for name in ("pybind11", "nanobind")
}
#: A Makefile step that runs Cython before packaging: the sdist ships the generated C.
_PREGENERATE_CYTHON = re.compile(r"^\t.*\bcython(?:ize)?\s+\S+\.pyx", re.M)
_CMAKE_PATTERNS = {
    "pybind11": re.compile(r"find_package\s*\(\s*pybind11|pybind11_add_module", re.I),
    "nanobind": re.compile(r"find_package\s*\(\s*nanobind|nanobind_add_module", re.I),
}


@dataclass(frozen=True)
class Evidence:
    """Why the tree needs something: a file (relative to the root) and what it shows."""

    path: str
    reason: str


@dataclass
class SourceTree:
    root: Path
    #: need -> first evidence found: "cython", "pybind11", "nanobind", "numpy", "cffi",
    #: "setuptools-rust", "rust", "cmake", "meson", "setuptools-scm", "c-extension"
    needs: dict[str, Evidence] = field(default_factory=dict)
    has_setup_py: bool = False
    has_setup_cfg: bool = False
    cargo_toml: str | None = None
    uses_pyo3: bool = False
    cmakelists: str | None = None
    meson_build: str | None = None
    files_seen: int = 0
    truncated: bool = False
    #: Folders left out of the scan: nested projects and test data (relative to the root).
    skipped: list[str] = field(default_factory=list)
    #: Build tools the build fetches or vendors itself (CMake FetchContent, git submodules).
    fetched: dict[str, str] = field(default_factory=dict)
    #: Where Cython runs before packaging (a Makefile step), so the sdist ships the generated C.
    pregenerated_cython: str | None = None
    #: What setup.py itself uses (cythonize, numpy.get_include() ...).
    setup_needs: set[str] = field(default_factory=set)

    def need(self, what: str, path: str, reason: str) -> None:
        self.needs.setdefault(what, Evidence(path, reason))


def _read_head(root: Path, path: Path) -> str:
    """The first READ_LIMIT bytes of a regular file inside ``root``; "" for a link leaving the
    project or a FIFO/device (which would leak another file's text or block the walk)."""
    try:
        real = os.path.realpath(path)
        if path.is_symlink() and os.path.commonpath([real, os.path.realpath(root)]) != os.path.realpath(root):
            return ""
        if not stat.S_ISREG(os.stat(real).st_mode):
            return ""
        with open(real, "rb") as fh:
            return fh.read(READ_LIMIT).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return ""


def is_virtualenv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg"))


def scan_source_tree(root: Path) -> SourceTree:
    """Walk ``root`` (bounded) and record what a source build of the project needs."""
    tree = SourceTree(root)
    scanned = 0
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        at_root = rel_dir == ""
        if not at_root:
            parts = tuple(rel_dir.rstrip("/").split("/"))
            nested = is_project_dir(filenames)
            if nested or is_test_data(parts):
                # A nested project builds on its own; test data is not built at all.
                tree.skipped.append(rel_dir.rstrip("/"))
                dirnames[:] = []
                continue
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not d.endswith(".egg-info")
            and not is_virtualenv(os.path.join(dirpath, d))
        )
        for name in sorted(filenames):
            tree.files_seen += 1
            if tree.files_seen > MAX_FILES:
                tree.truncated = True
                return _settle(tree)
            rel = rel_dir + name
            if at_root:
                _root_file(tree, root / name, name)
            elif name == "Cargo.toml":
                _cargo(tree, Path(dirpath) / name, rel)
            if name.endswith((".pyx", ".pxd")):
                tree.need("cython", rel, "is a Cython source file")
            if name.endswith(_C_SUFFIXES) and scanned < MAX_SCANNED_SOURCES:
                scanned += 1
                text = _read_head(root, Path(dirpath) / name)
                for need, pattern in _INCLUDE_PATTERNS.items():
                    if pattern.search(text):
                        what = "uses NumPy's C API" if need == "numpy" else f"includes {need} headers"
                        tree.need(need, rel, what)
                if name.endswith((".c", ".cc", ".cpp", ".cxx")):
                    tree.need("c-extension", rel, "is C/C++ source")
    return _settle(tree)


def _settle(tree: SourceTree) -> SourceTree:
    """Drop needs the build supplies itself: tools CMake fetches or a submodule vendors, and Cython
    when a Makefile generates the C before packaging (and setup.py does not run Cython)."""
    for name in tree.fetched:
        tree.needs.pop(name, None)
    cython = tree.needs.get("cython")
    if tree.pregenerated_cython and cython is not None and "cython" not in tree.setup_needs:
        del tree.needs["cython"]
    return tree


def _root_file(tree: SourceTree, path: Path, name: str) -> None:
    if name == "setup.py":
        tree.has_setup_py = True
        text = _read_head(tree.root, path)
        for need, pattern in _SETUP_PATTERNS.items():
            if pattern.search(text):
                tree.need(need, "setup.py", f"uses {_SETUP_WHAT[need]}")
                tree.setup_needs.add(need)
    elif name == "setup.cfg":
        tree.has_setup_cfg = True
    elif name == "Cargo.toml":
        _cargo(tree, path, name)
    elif name == "CMakeLists.txt":
        tree.cmakelists = name
        text = _read_head(tree.root, path)
        tree.need("cmake", name, "is a CMake project")
        for need, pattern in _CMAKE_PATTERNS.items():
            if pattern.search(text):
                tree.need(need, name, f"CMakeLists.txt uses {need}")
        for need, pattern in _CMAKE_FETCHES.items():
            if pattern.search(text):
                tree.fetched[need] = "CMakeLists.txt fetches it (FetchContent/add_subdirectory)"
    elif name == ".gitmodules":
        for need in ("pybind11", "nanobind"):
            if re.search(rf"^\s*path\s*=\s*\S*{need}", _read_head(tree.root, path), re.M):
                tree.fetched[need] = ".gitmodules vendors it as a submodule"
    elif name in ("Makefile", "GNUmakefile", "makefile"):
        if _PREGENERATE_CYTHON.search(_read_head(tree.root, path)):
            tree.pregenerated_cython = name
    elif name == "meson.build":
        tree.meson_build = name
        tree.need("meson", name, "is a Meson project")


def _cargo(tree: SourceTree, path: Path, rel: str) -> None:
    """A Rust crate, at the root or wherever the project keeps it (``src/_ext/Cargo.toml``)."""
    text = _read_head(tree.root, path)
    pyo3 = bool(re.search(r"^\s*pyo3\b|\bpyo3\s*=|\[dependencies\.pyo3\]", text, re.M))
    if tree.cargo_toml is None:  # the root is walked first: its crate wins
        tree.cargo_toml = rel
        tree.uses_pyo3 = pyo3
    tree.need("rust", rel, "is a Rust crate" + (" using PyO3" if pyo3 else ""))


_SETUP_WHAT = {
    "cython": "Cython (cythonize)",
    "numpy": "NumPy's headers (numpy.get_include())",
    "cffi": "cffi (cffi_modules)",
    "pybind11": "pybind11",
    "setuptools-rust": "setuptools-rust (RustExtension)",
    "cmake": "CMake",
    "setuptools-scm": "setuptools-scm (use_scm_version)",
    "wheel": "the wheel package",
}
