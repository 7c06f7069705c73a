"""Each pyproject.toml / setup.py is its own project; test data is not the project."""

from __future__ import annotations

from pathlib import Path

from buildwise.cli import main
from buildwise.engine import Workspace
from buildwise.project.boundaries import is_test_data
from buildwise.project.sourcetree import scan_source_tree
from tests.conftest import write_tree

ROOT_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "tool"
version = "1.0"
requires-python = ">=3.11"
"""

EXAMPLE_PYPROJECT = """\
[build-system]
requires = ["setuptools>=70.1"]
build-backend = "setuptools.build_meta"

[project]
name = "fastdemo"
version = "0.1"
requires-python = ">=3.11"
"""


def _repo(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            "pyproject.toml": ROOT_PYPROJECT,
            "src/tool/__init__.py": "",
            "examples/fastdemo/pyproject.toml": EXAMPLE_PYPROJECT,
            "examples/fastdemo/src/fastdemo/_speed.pyx": "def f(): pass\n",
            "examples/fastdemo/src/fastdemo/core.c": "int f(void) { return 0; }\n",
            "tests/cases/broken/project/pyproject.toml": "[project\nname = 'broken'\n",
            "tests/cases/broken/project/requirements.txt": "numpy>=\n",
            "tests/requirements.txt": "pytest\n",
        },
    )


def test_a_nested_project_does_not_lend_its_sources_to_the_root(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _repo(tmp_path)
    root_tree = scan_source_tree(tmp_path)
    assert root_tree.needs == {}
    assert "examples/fastdemo" in root_tree.skipped and "tests/cases" in root_tree.skipped
    example_tree = scan_source_tree(tmp_path / "examples/fastdemo")
    assert set(example_tree.needs) == {"cython", "c-extension"}

    findings, _ = Workspace(kb).lint_paths([tmp_path])
    root_findings = [f for f in findings if Path(f.path) == tmp_path / "pyproject.toml"]
    assert root_findings == []  # no KB103 "needs Cython", no KB301 "its own C code" for the root
    example = [f.code for f in findings if Path(f.path) == tmp_path / "examples/fastdemo/pyproject.toml"]
    assert "KB103" in example  # the example itself needs Cython at build time


def test_test_data_is_skipped_unless_asked_for(kb, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _repo(tmp_path)
    ws = Workspace(kb)
    _findings, checked = ws.lint_paths([tmp_path])
    rel = sorted(Path(p).relative_to(tmp_path).as_posix() for p in checked)
    assert "tests/requirements.txt" in rel  # the project's own test requirements are checked
    assert not any(p.startswith("tests/cases/") for p in rel)
    assert [Path(p).relative_to(tmp_path).as_posix() for p in ws.skipped] == ["tests/cases"]

    main(["check", str(tmp_path), "--verbose", "--select", "KB0"])
    err = capsys.readouterr().err
    assert "skipped test data" in err and "tests/cases" in err

    main(["check", str(tmp_path), "--include-test-data", "--select", "KB0", "--format", "json"])
    out = capsys.readouterr().out
    assert "tests/cases/broken/project/pyproject.toml" in out and '"KB001"' in out


def test_include_test_data_can_be_configured(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _repo(tmp_path)
    (tmp_path / "pyproject.toml").write_text(ROOT_PYPROJECT + "\n[tool.kb-lint]\ninclude-test-data = true\n")
    _findings, checked = Workspace(kb).lint_paths([tmp_path])
    assert any("tests/cases/broken" in p.replace("\\", "/") for p in checked)


def test_an_explicit_path_into_test_data_is_checked(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _repo(tmp_path)
    findings, _ = Workspace(kb).lint_paths([tmp_path / "tests/cases/broken/project"])
    assert "KB001" in {f.code for f in findings}


def test_what_counts_as_test_data() -> None:
    assert is_test_data(("tests", "data"))
    assert is_test_data(("src", "pkg", "tests", "fixtures", "x"))
    assert is_test_data(("testdata",))
    assert is_test_data(("tests", "e2e", "project"), is_project=True)
    assert not is_test_data(("tests",))
    assert not is_test_data(("tests", "unit"))
    assert not is_test_data(("examples", "demo"), is_project=True)


def test_rust_sources_are_found_where_the_project_keeps_them(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": ROOT_PYPROJECT,
            "src/_ext/Cargo.toml": '[package]\nname = "ext"\n\n[dependencies]\npyo3 = "0.22"\n',
        },
    )
    tree = scan_source_tree(tmp_path)
    assert tree.cargo_toml == "src/_ext/Cargo.toml" and tree.uses_pyo3
    assert tree.needs["rust"].path == "src/_ext/Cargo.toml"


def test_build_tools_the_build_fetches_itself_are_not_needed(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": ROOT_PYPROJECT,
            "CMakeLists.txt": "include(FetchContent)\nFetchContent_Declare(\n  pybind11\n  URL https://x/v2.13.6.tar.gz\n)\n"
            "FetchContent_MakeAvailable(pybind11)\npybind11_add_module(_core MODULE src/main.cpp)\n",
            "src/main.cpp": "#include <pybind11/pybind11.h>\n",
        },
    )
    tree = scan_source_tree(tmp_path)
    assert "pybind11" not in tree.needs and "pybind11" in tree.fetched
    assert "cmake" in tree.needs


def test_cython_run_before_packaging_is_not_a_build_requirement(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": ROOT_PYPROJECT,
        "msgpack/_cmsgpack.pyx": "cdef int x = 1\n",
        "Makefile": "all: cython\n\n.PHONY: cython\ncython:\n\tcython msgpack/_cmsgpack.pyx\n",
    }
    write_tree(tmp_path, files)
    assert "cython" not in scan_source_tree(tmp_path).needs
    write_tree(tmp_path, {"setup.py": "from Cython.Build import cythonize\n"})  # setup.py runs Cython
    assert "cython" in scan_source_tree(tmp_path).needs
