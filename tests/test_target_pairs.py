"""Wheel findings claim only (Python, platform) pairs that exist and cost something: CPython has
no Windows ARM64 builds before 3.11; a package whose compiled parts are all optional, or whose
compiler is needed only on macOS (watchdog), builds its sdist with no tools elsewhere; and a
message names, per platform, only the Pythons that really lack a wheel there."""

from __future__ import annotations

from pathlib import Path

from buildwise.engine import Workspace
from tests.conftest import write_tree

PYPROJECT = """\
[project]
name = "app"
version = "1.0"
requires-python = ">=3.10"
dependencies = ["cffi", "watchdog", "markupsafe"]

[tool.uv]
package = false

[tool.kb-lint]
python = ["3.10", "3.11", "3.14"]
platforms = ["linux-x86_64", "windows-arm64", "macos-arm64"]
"""

FILES = "https://files.pythonhosted.org/packages"


def _wheels(name: str, version: str, tags: list[str]) -> str:
    rows = ",\n".join(f'  {{ url = "{FILES}/{name}-{version}-{t}.whl" }}' for t in tags)
    return f"wheels = [\n{rows},\n]"


def _package(name: str, version: str, tags: list[str]) -> str:
    return (
        f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        f'sdist = {{ url = "{FILES}/{name}-{version}.tar.gz" }}\n' + _wheels(name, version, tags) + "\n"
    )


UV_LOCK = (
    'version = 1\nrequires-python = ">=3.10"\n\n'
    '[[package]]\nname = "app"\nversion = "1.0"\nsource = { virtual = "." }\n'
    'dependencies = [{ name = "cffi" }, { name = "watchdog" }, { name = "markupsafe" }]\n\n'
    # cffi: Linux and macOS for all three; Windows ARM64 for 3.11 only (3.10 has no CPython there).
    + _package(
        "cffi",
        "1.17.1",
        [f"cp3{m}-cp3{m}-manylinux_2_17_x86_64" for m in (10, 11, 14)]
        + [f"cp3{m}-cp3{m}-macosx_11_0_arm64" for m in (10, 11, 14)]
        + ["cp311-cp311-win_arm64"],
    )
    + "\n"
    # watchdog: macOS wheels up to 3.11, pure platform wheels for Linux and Windows (no win_arm64).
    + _package(
        "watchdog",
        "6.0.0",
        ["cp310-cp310-macosx_11_0_arm64", "cp311-cp311-macosx_11_0_arm64", "py3-none-manylinux2014_x86_64"],
    )
    + "\n"
    # markupsafe: no 3.14 wheel anywhere, but its C speedups are optional (pure fallback).
    + _package("markupsafe", "2.1.5", [f"cp3{m}-cp3{m}-manylinux_2_17_x86_64" for m in (10, 11)])
)


def _findings(kb, tmp_path: Path) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "uv.lock": UV_LOCK})
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    return {
        (f.code, str(f.data.get("package"))): f.message
        for f in findings
        if f.code in ("KB201", "KB203") and Path(f.path).name == "pyproject.toml"
    }


def test_windows_arm64_before_311_is_no_target(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = _findings(kb, tmp_path)
    message = found[("KB203", "cffi")]
    assert "windows-arm64 with CPython 3.14" in message, message
    assert "3.10" not in message and "3.11" not in message, message


def test_a_platform_where_nothing_compiles_is_not_claimed(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """watchdog compiles only on macOS: the Windows ARM64 and Linux 3.14 misses cost nothing."""
    message = _findings(kb, tmp_path)[("KB203", "watchdog")]
    assert "macos-arm64 with CPython 3.14" in message, message
    assert "windows" not in message and "linux" not in message and "3.11" not in message, message


def test_a_pure_fallback_in_a_lock_is_not_reported(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = _findings(kb, tmp_path)
    assert not [key for key in found if key[1] == "markupsafe"], found


def test_one_clause_per_set_of_pythons(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Platforms that miss different Pythons get their own clause, never a cross product."""
    lock = UV_LOCK
    for m in (11, 14):
        lock = lock.replace(f'  {{ url = "{FILES}/cffi-1.17.1-cp3{m}-cp3{m}-macosx_11_0_arm64.whl" }},\n', "")
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "uv.lock": lock})
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    (message,) = [
        f.message
        for f in findings
        if f.code == "KB203" and f.data.get("package") == "cffi" and Path(f.path).name == "pyproject.toml"
    ]
    assert "macos-arm64 with CPython 3.11, 3.14; windows-arm64 with CPython 3.14" in message, message
