"""The pure API the language server calls (``explain_text``), the knowledge it reads, and the
environment defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from buildwise.explain import CAUSE_KINDS, explain_text
from buildwise.explain.environment import normalize_platform, normalize_python, os_release_ecosystem
from buildwise.explain.patterns import literal_anchor, literal_set_regex
from buildwise.knowledge import KnowledgeBase

LOGS = Path(__file__).parent / "logs"

#: Keys the issue promises in ``--format json``.
PROMISED = {"cause_kind", "package", "version", "python", "evidence", "explanation", "fix", "system_packages",
            "alternatives"}  # fmt: skip


def test_selection_from_an_editor(kb: Any) -> None:
    """A user selects the interesting part of a pasted log in the editor."""
    selection = (
        "      Modules/common.h:15:10: fatal error: lber.h: No such file or directory\n"
        "         15 | #include <lber.h>\n"
        "      compilation terminated.\n"
    )
    e = explain_text(selection, distro="fedora", kb=kb)
    assert e.cause_kind == "missing_system_headers"
    assert e.evidence is not None and e.evidence.line == 1
    assert e.missing == ("header", "lber.h")
    assert "dep:generic/openldap" in e.identifiers
    assert e.system_packages["fedora"][0] == "openldap-devel"
    assert e.fix[0].commands[0] == "sudo dnf install openldap-devel"
    data = e.to_json()
    assert set(data) >= PROMISED
    assert set(data["system_packages"]) == {
        "debian",
        "ubuntu",
        "fedora",
        "alpine",
        "arch",
        "homebrew",
        "conda-forge",
    }
    md = e.to_markdown()
    assert md.startswith("### Header `lber.h` not found")
    assert "sudo dnf install openldap-devel" in md


def test_json_is_what_the_cli_prints(kb: Any) -> None:
    text = (LOGS / "real-psycopg2-no-pg-config.log").read_text(encoding="utf-8")
    data = explain_text(text, distro="debian", kb=kb).to_json()
    assert data["cause_kind"] == "missing_library_config_tool"
    assert data["evidence"] == {"line": 20, "text": "Error: pg_config executable not found."}
    assert data["alternatives"][0]["requirement"] == "psycopg2-binary"
    assert data["alternatives"][0]["same_import"] is True
    assert "libpq-dev" in data["system_packages"]["debian"]
    assert data["verify"][0] == "pg_config --version"


@pytest.mark.parametrize("text", ["", "\n\n", "hello world\n", "\x00\x01\x02", "é" * 10_000])
def test_odd_text_never_raises(text: str, kb: Any) -> None:
    e = explain_text(text, kb=kb)
    assert e.cause_kind == "unknown"
    assert e.explanation


def test_cause_kinds_are_the_issue_list() -> None:
    assert CAUSE_KINDS == (
        "missing_c_compiler", "missing_msvc", "missing_rust_toolchain", "missing_fortran_compiler",
        "missing_cmake", "missing_swig", "missing_pkg_config", "missing_python_headers",
        "missing_library_config_tool", "missing_system_headers", "missing_system_library",
        "missing_blas_lapack", "no_wheel_for_python", "no_wheel_for_platform", "pip_too_old",
        "undeclared_build_dependency", "incompatible_build_dependency", "distutils_removed",
        "stale_generated_c", "unsupported_python_in_build_tool",
        # Causes the real-world corpus (tests/explain/realworld, issue 12) showed explain had no kind for:
        "python_unsupported_by_package", "broken_python_environment", "incompatible_build_frontend",
        # Issue 17: a wheel-only package with no wheel for the target (nothing to build).
        "wheel_only_no_match",
        "unknown",
    )  # fmt: skip


def _tiny_kb(headers: list[str]) -> KnowledgeBase:
    """A knowledge base with one identifier, to show where header knowledge comes from."""
    return KnowledgeBase(
        {
            "identifiers": {
                "dep:generic/frob": {
                    "description": "The frob library.",
                    "detect": {"headers": headers, "libraries": ["frob"]},
                    "ecosystems": {"debian": {"host": ["libfrob-dev"]}, "fedora": {"host": ["frob-devel"]}},
                }
            }
        }
    )


def test_header_to_package_comes_from_the_knowledge_base() -> None:
    """The same log names libfrob-dev only when the knowledge base's [detect] lists frob.h."""
    log = "src/x.c:1:10: fatal error: frob.h: No such file or directory\n"
    known = explain_text(log, distro="debian", kb=_tiny_kb(["frob.h"]))
    unknown = explain_text(log, distro="debian", kb=_tiny_kb([]))
    assert known.cause_kind == unknown.cause_kind == "missing_system_headers"
    assert known.system_packages["debian"] == ["libfrob-dev"]
    assert known.fix[0].commands == ("sudo apt-get install libfrob-dev",)
    assert unknown.system_packages["debian"] == []
    # Without knowledge, the user is told how to find the package instead.
    assert unknown.fix[0].commands == ("apt-file search frob.h",)


def test_linker_library_from_the_knowledge_base() -> None:
    e = explain_text(
        "/usr/bin/ld: cannot find -lfrob: No such file or directory\n", kb=_tiny_kb([]), distro="fedora"
    )
    assert e.cause_kind == "missing_system_library"
    assert e.system_packages["fedora"] == ["frob-devel"]


def test_windows_log_names_windows_remedies(kb: Any) -> None:
    text = (LOGS / "report-msvc-cffi.log").read_text(encoding="utf-8")
    e = explain_text(text, kb=kb)
    assert e.platform == "windows-amd64" and e.distro == "windows"
    assert e.cause_kind == "missing_msvc"
    assert any("visual-cpp-build-tools" in cmd for step in e.fix for cmd in step.commands)
    assert not any(cmd.startswith("sudo") for step in e.fix for cmd in step.commands)


def test_other_packages_signature_does_not_apply(kb: Any) -> None:
    """A knowledge-base signature belongs to its package: PyO3's message in orjson's build is judged
    by the generic PyO3 pattern, not by another project's entry."""
    text = (LOGS / "report-pyo3-orjson-py313.log").read_text(encoding="utf-8")
    e = explain_text(text, platform="macos-arm64", kb=kb)
    assert e.package == "orjson"
    assert e.cause_kind == "unsupported_python_in_build_tool"
    assert e.python == "3.13" and e.python_source == "log"


def test_pip_version_too_old_needs_the_log_to_say_so(kb: Any) -> None:
    text = (LOGS / "real-psycopg2-binary-old-pip.log").read_text(encoding="utf-8")
    old = explain_text(text, python="3.10", platform="linux-x86_64", kb=kb)
    assert old.cause_kind == "pip_too_old" and old.installer_version == "19.2.3"
    assert old.fix[0].commands[0] == "python -m pip install --upgrade pip"
    recent = explain_text(text.replace("19.2.3", "24.0"), python="3.10", platform="linux-x86_64", kb=kb)
    assert recent.cause_kind == "missing_library_config_tool"
    assert any("has a wheel for CPython 3.10" in note for note in recent.notes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("win_amd64", "windows-amd64"),
        ("win32", "windows-x86"),
        ("macosx-10.9-x86_64", "macos-x86_64"),
        ("macosx_11_0_arm64", "macos-arm64"),
        ("manylinux_2_17_aarch64", "linux-aarch64"),
        ("musllinux_1_2_x86_64", "linux-musl-x86_64"),
        ("linux-x86_64", "linux-x86_64"),
        ("linux-armv7l", "linux-armv7l"),
    ],
)
def test_normalize_platform(text: str, expected: str) -> None:
    assert normalize_platform(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3.12", "3.12"), ("3.12.1", "3.12"), ("cp313", "3.13"), ("python3.13t", "3.13t"), ("312", "3.12"),
     ("banana", None), ("2.7", "2.7"), ("2.7.18", "2.7"), ("cp27", "2.7"), ("2.8", None), ("4.0", None)],
)  # fmt: skip
def test_normalize_python(text: str, expected: str | None) -> None:
    assert normalize_python(text) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('ID=debian\nVERSION_ID="12"\n', "debian"),
        ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "ubuntu"),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
        ('ID=opensuse-tumbleweed\nID_LIKE="opensuse suse"\n', None),
    ],
)
def test_distro_from_os_release(content: str, expected: str | None, tmp_path: Path) -> None:
    path = tmp_path / "os-release"
    path.write_text(content, encoding="utf-8")
    assert os_release_ecosystem(path) == expected


def test_literal_helpers() -> None:
    assert (
        literal_anchor(r"Unable to find 'pg_config' file in '.*'") == "Unable to find 'pg_config' file in '"
    )
    assert literal_anchor(r"a|b") is None
    gate = literal_set_regex(["error:", "error ", "not found", "No module"])
    assert gate.search("x: error: y") and gate.search("pkg not found") and gate.search("No module named")
    assert not gate.search("-Werror=format-security")
