"""Exact wheel-tag matching for lock files (packaging.tags), and the uv.lock dependency graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildwise.analysis.lockcheck import has_wheel_for, misses, reachable, target_tags
from buildwise.parse.locks import LockedPackage, parse_lock

CASES = Path(__file__).parent / "cases"


def pkg(*wheels: str) -> LockedPackage:
    return LockedPackage("x", "x", "1", 0, list(wheels), True, "registry")


@pytest.mark.parametrize(
    "wheel,python,platform,ok",
    [
        ("x-1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "3.12", "linux-x86_64", True),
        ("x-1-cp312-cp312-manylinux2010_x86_64.whl", "3.12", "linux-x86_64", True),
        (
            "x-1-cp312-cp312-manylinux_2_40_x86_64.whl",
            "3.12",
            "linux-x86_64",
            False,
        ),  # newer glibc than assumed
        ("x-1-cp312-cp312-manylinux_2_28_aarch64.whl", "3.12", "linux-x86_64", False),
        ("x-1-cp312-cp312-musllinux_1_2_x86_64.whl", "3.12", "linux-musl-x86_64", True),
        ("x-1-cp312-cp312-manylinux_2_17_x86_64.whl", "3.12", "linux-musl-x86_64", False),
        ("x-1-cp38-abi3-manylinux_2_17_x86_64.whl", "3.13", "linux-x86_64", True),
        (
            "x-1-cp38-abi3-manylinux_2_17_x86_64.whl",
            "3.13t",
            "linux-x86_64",
            False,
        ),  # no abi3 for free-threaded
        ("x-1-cp313-cp313t-manylinux_2_17_x86_64.whl", "3.13t", "linux-x86_64", True),
        ("x-1-cp313-cp313-manylinux_2_17_x86_64.whl", "3.13t", "linux-x86_64", False),
        ("x-1-cp311-cp311-macosx_10_9_universal2.whl", "3.11", "macos-arm64", True),
        ("x-1-cp311-cp311-macosx_15_0_arm64.whl", "3.11", "macos-arm64", False),  # newer macOS than assumed
        ("x-1-cp311-cp311-win_amd64.whl", "3.11", "windows-arm64", False),
        ("x-1-py3-none-any.whl", "3.15", "windows-arm64", True),
        ("x-1-cp311-cp311-manylinux_2_17_x86_64.whl", "3.12", "linux-x86_64", False),
    ],
)
def test_tag_matching(wheel: str, python: str, platform: str, ok: bool) -> None:
    assert has_wheel_for(pkg(wheel), python, platform) is ok


def test_target_tags_are_cached_and_ordered() -> None:
    assert target_tags("3.12", "linux-x86_64") is target_tags("3.12", "linux-x86_64")


def test_uv_graph_follows_markers_and_forks() -> None:
    lock = parse_lock((CASES / "KB201/uv-lock/project/uv.lock").read_text(), "uv.lock")
    names_311 = {lock.packages[i].name: chain for i, chain in reachable(lock, "3.11", "linux-x86_64").items()}
    names_313 = {lock.packages[i].name: chain for i, chain in reachable(lock, "3.13", "linux-x86_64").items()}
    assert names_311["pandas"] == ["lockdemo", "pandas"]
    assert names_311["numpy"] == ["lockdemo", "pandas", "numpy"]
    numpy_311 = next(
        lock.packages[i] for i in reachable(lock, "3.11", "linux-x86_64") if lock.packages[i].name == "numpy"
    )
    numpy_313 = next(
        lock.packages[i] for i in reachable(lock, "3.13", "linux-x86_64") if lock.packages[i].name == "numpy"
    )
    assert numpy_311.version != numpy_313.version  # the fork on python_full_version
    assert "urllib3" in names_313


def test_misses_are_exact() -> None:
    lock = parse_lock((CASES / "KB201/uv-lock/project/uv.lock").read_text(), "uv.lock")
    found = {
        (m.package.name, m.python, m.platform, m.kind)
        for m in misses(lock, ("3.11", "3.13"), ("linux-x86_64", "windows-amd64"))
    }
    assert ("pandas", "3.13", "linux-x86_64", "python") in found
    assert ("pandas", "3.11", "linux-x86_64", "python") not in found
    assert ("psycopg2", "3.11", "linux-x86_64", "platform") in found
    assert ("psycopg2", "3.11", "windows-amd64", "platform") not in found
    assert not any(name == "requests" for name, *_ in found)


def test_broken_lock_does_not_raise() -> None:
    lock = parse_lock('version = 1\n[[package]]\nname = "x"\nwheels = [ { url = "bad', "uv.lock")
    assert lock.doc.errors
    assert [p.name for p in lock.packages] == []  # the broken entry is skipped, not guessed
    assert misses(lock, ("3.12",), ("linux-x86_64",)) == []
