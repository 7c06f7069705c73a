"""Wheel-only packages, optional native parts and version-ranged facts, as the rules see them."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from buildwise.engine import Workspace
from buildwise.knowledge.ranges import facts_for
from buildwise.knowledge.variants import newest_admitted
from tests.conftest import write_tree

PYPROJECT = """[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "app"
version = "1"
requires-python = ">=3.12"
dependencies = [{deps}]

[tool.kb-lint]
python = [{pythons}]
platforms = [{platforms}]
"""


def _codes(kb, tmp_path: Path, deps: str, pythons: str, platforms: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path, {"pyproject.toml": PYPROJECT.format(deps=deps, pythons=pythons, platforms=platforms)}
    )
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    out: dict[str, list[str]] = {}
    for f in findings:
        out.setdefault(f.code, []).append(" ".join([f.message, *(n.text for n in f.notes)]))
    return out


def test_a_wheel_only_package_on_a_python_without_wheels_is_kb206_not_a_build(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = _codes(kb, tmp_path, '"tree-sitter-languages>=1.8"', '"3.13"', '"linux-x86_64"')
    assert found.get("KB206") == [
        "no release of tree-sitter-languages>=1.8 installs on CPython 3.13: it publishes wheels only, "
        "so there is nothing to build and pip stops with 'No matching distribution found for "
        "tree-sitter-languages'. Use a target it has wheels for, or a package index that carries wheels "
        "for that platform"
    ]
    assert "KB201" not in found and "KB301" not in found


def test_kb206_marks_wheel_facts_that_are_not_cited_yet(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pkg = kb.package("torch")
    assert pkg is not None and pkg.wheel_only
    found = _codes(kb, tmp_path, '"torch>=2.4"', '"3.12"', '"linux-musl-aarch64"')
    assert len(found.get("KB206", [])) == 1
    assert "linux-musl-aarch64" in found["KB206"][0]
    assert found["KB206"][0].endswith(
        "[unverified: that it has no sdist is not cited in the knowledge base yet]"
    )
    assert "KB203" not in found and "KB301" not in found


def test_a_package_whose_native_parts_are_optional_is_not_reported_for_a_source_build(
    kb, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pkg = kb.package("dulwich")
    assert pkg is not None and pkg.builds_without_tools
    assert pkg.wheels is not None and pkg.wheels.platforms["linux-musl-x86_64"] is False
    found = _codes(kb, tmp_path, '"dulwich>=0.22"', '"3.12"', '"linux-musl-x86_64"')
    assert not {"KB203", "KB201", "KB301"} & set(found)


def test_a_required_native_build_on_a_platform_without_wheels_is_still_reported(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = _codes(kb, tmp_path, '"ml_dtypes>=0.5"', '"3.12"', '"linux-musl-x86_64"')
    assert "KB203" in found
    assert "a C++ compiler" in found["KB203"][0]


@pytest.mark.parametrize(
    ("spec", "newest"),
    [
        ("<6", "5.99999"),
        ("<=5.8", "5.8"),
        ("==5.8.0", "5.8.0"),
        ("~=5.6", "5.99999"),
        ("==5.*", "5.99999"),
        (">=5", None),
        ("", None),
    ],
)
def test_newest_admitted_release(spec: str, newest: str | None) -> None:
    found = newest_admitted(SpecifierSet(spec))
    assert (str(found) if found is not None else None) == newest


def test_ranged_facts_follow_the_newest_release_the_specifier_admits(kb) -> None:  # type: ignore[no-untyped-def]
    pkg = kb.package("cbor2")
    assert pkg is not None
    old = facts_for(pkg, SpecifierSet("<6"))
    assert old.languages == () and old.external_ids() == [] and old.range_text == "<6"
    assert [p.name for p in old.optional] == ["C extension _cbor2"]
    assert old.builds_without_tools
    new = facts_for(pkg, SpecifierSet(">=5"))
    assert new.languages == ("rust",) and "dep:virtual/compiler/rust" in new.external_ids()
    assert facts_for(pkg, SpecifierSet("==6.1.4")).languages == ("rust",)
    assert facts_for(kb.package("numpy"), SpecifierSet("<2")) is kb.package("numpy")  # no ranges


def test_hover_shows_optional_parts_ranges_and_wheel_only(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from buildwise.lsp.hover import dependency_markdown

    write_tree(tmp_path, {"requirements.txt": "dulwich>=0.22\ncbor2<6\ntorch\n"})
    ctx = Workspace(kb).context_for(str(tmp_path / "requirements.txt"))
    assert ctx is not None
    text = {d.parsed.name: dependency_markdown(ctx, d) for d in ctx.dependencies}
    assert (
        "- Optional extension: Rust extensions dulwich._objects, _pack, _diff_tree (setuptools-rust) "
        "(needs rust, c); disable: PURE in the environment; without it a pure-Python fallback is used "
        "(slower, not broken)"
    ) in text["dulwich"]
    assert "Source build: nothing it requires is compiled" in text["dulwich"]
    assert "- For its releases <6 (the newest this requirement admits):" in text["cbor2"]
    assert "Optional extension: C extension _cbor2 (needs c)" in text["cbor2"]
    assert "Source build compiles: rust" not in text["cbor2"]
    assert "**Wheels only** (no source distribution)" in text["torch"]


def test_deps_all_lists_optional_parts_as_optional(tmp_path: Path) -> None:
    import subprocess
    import sys

    write_tree(tmp_path, {"requirements.txt": "cassandra-driver\npsycopg2\ntorch\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "buildwise", "deps", ".", "--all", "--distro", "debian", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    import json

    needs = {n["name"]: n for n in json.loads(proc.stdout)["needs"]}
    libev = needs["cassandra-driver (libev event loop (cassandra.io.libevwrapper))"]
    assert libev["reason"] == "optional library; without it that feature is missing; the rest works"
    assert "libev-dev" in libev["packages"]
    assert needs["psycopg2"]["reason"] == "--all"
    assert not any(name.startswith("torch") for name in needs)  # wheel-only: nothing to build
    # Without --all nothing optional is asked for: the optional parts are never required.
    plain = subprocess.run(
        [sys.executable, "-m", "buildwise", "deps", ".", "--distro", "debian", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert not any("cassandra" in n["name"] for n in json.loads(plain.stdout)["needs"])
