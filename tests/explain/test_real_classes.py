"""Classes of real-world logs explain must read (issue 12, section 2), one short log each.

The corpus in tests/explain/realworld measures how often explain is right on real pastes; these pin
each class on a minimal log so a regression names the class it breaks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from buildwise.cli import main
from buildwise.explain import explain_text

HEADER = "src/x.c:3:10: fatal error: lber.h: No such file or directory\ncompilation terminated.\n"


@pytest.mark.parametrize(
    "prefix",
    [
        "2024-05-01T10:00:00.1234567Z ",
        "##[error]",
        "#12 3.456 ",
        "25.60 ",
        "Step #1: ",
        "[pipenv.exceptions.InstallError]:       ",
        "> ",
        "--->  ",
    ],
)
def test_decorations_in_front_of_lines(prefix: str, kb: Any) -> None:
    log = "".join(prefix + line + "\n" for line in HEADER.splitlines())
    e = explain_text(log, kb=kb, distro="debian")
    assert e.cause_kind == "missing_system_headers"
    assert e.missing == ("header", "lber.h")


def test_pipenv_python_list_dump(kb: Any) -> None:
    log = (
        "['Collecting psutil', '  src/x.c:31:20: fatal error: Python.h: No such file or directory', "
        "'   #include \"Python.h\"', '  compilation terminated.', \"  error: command 'gcc' failed\"]\n"
    )
    e = explain_text(log, kb=kb, distro="debian")
    assert e.cause_kind == "missing_python_headers"


@pytest.mark.parametrize(
    "message",
    [
        "Aucun fichier ou dossier de ce type",
        "Bestand of map bestaat niet",
        "\uadf8\ub7f0 \ud30c\uc77c\uc774\ub098 \ub514\ub809\ud130\ub9ac\uac00 \uc5c6\uc2b5\ub2c8\ub2e4",
    ],
)
def test_compiler_messages_in_other_languages(message: str, kb: Any) -> None:
    e = explain_text(f"Modules/constants.h:7:18: fatal error: lber.h: {message}\n", kb=kb, distro="debian")
    assert (e.cause_kind, e.missing) == ("missing_system_headers", ("header", "lber.h"))


def test_header_named_only_by_the_include_echo(kb: Any) -> None:
    """A paste that starts below the "fatal error" line still shows which header gcc could not open."""
    log = "  #include <sql.h>\n              ^~~~~~~\n    compilation terminated.\n"
    e = explain_text(log, kb=kb, distro="debian")
    assert (e.cause_kind, e.missing) == ("missing_system_headers", ("header", "sql.h"))
    assert e.evidence is not None and e.evidence.line == 1


@pytest.mark.parametrize(
    ("line", "cause", "name"),
    [
        ("ImportError: libgit2.so.21: cannot open shared object file: No such file or directory",
         "missing_system_library", "libgit2"),
        ("  error: libhdf5.so: cannot open shared object file: No such file or directory",
         "missing_system_library", "libhdf5"),
        ("python3.5: error while loading shared libraries: libpython3.5m.so.1.0: cannot open shared "
         "object file: No such file or directory", "broken_python_environment", None),
        ("    error in erl_terms setup command: use_2to3 is invalid.", "incompatible_build_dependency",
         "setuptools"),
        ("error: invalid command 'bdist_wheel'", "undeclared_build_dependency", "wheel"),
        ("    ModuleNotFoundError: No module named 'ConfigParser'", "python_unsupported_by_package",
         "ConfigParser"),
        ("  KeyError: 'PEP517_BUILD_BACKEND'", "incompatible_build_frontend", "pyproject-hooks"),
        ("Command 'pkg-config --exists mysqlclient' returned non-zero exit status 127.",
         "missing_pkg_config", "pkg-config"),
        ("Command 'pkg-config --exists mysqlclient' returned non-zero exit status 1.",
         "missing_system_library", "mysqlclient"),
    ],
)  # fmt: skip
def test_one_line_classes(line: str, cause: str, name: str | None, kb: Any) -> None:
    e = explain_text(f"{line}\n", kb=kb, distro="debian")
    assert e.cause_kind == cause, e.explanation
    if name is not None:
        assert e.missing is not None and e.missing[1] == name


def test_pkg_config_name_without_the_probes_names_the_tool_first(kb: Any) -> None:
    log = "Exception: Can not find valid pkg-config name.\nSpecify MYSQLCLIENT_CFLAGS manually\n"
    e = explain_text(log, kb=kb, distro="debian")
    assert e.cause_kind == "missing_pkg_config"
    assert e.system_packages["debian"][0] == "pkg-config"


@pytest.mark.parametrize(
    ("line", "python"),
    [
        ("Python 3.6.0 (v3.6.0:41df79263a11, Dec 23 2016, 08:06:12) [MSC v.1900 64 bit (AMD64)]", "3.6"),
        ("pip 18.1 from /opt/virtualenv/lib/python3.6/site-packages/pip (python 3.6)", "3.6"),
        ("  Using cached matplotlib-3.10.1-cp313-cp313-win_amd64.whl.metadata (11 kB)", "3.13"),
        ("    gcc -I/usr/include/python2.6 -c ext/_yaml.c -o build/temp.linux-x86_64-2.6/ext/_yaml.o",
         "2.6"),
    ],
)  # fmt: skip
def test_python_from_the_log(line: str, python: str, kb: Any) -> None:
    e = explain_text(f"{line}\nsrc/x.c:1:1: fatal error: Python.h: No such file or directory\n", kb=kb)
    assert (e.python, e.python_source) == (python, "log")


def test_python_2_is_accepted_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    log = tmp_path / "build.log"
    log.write_text("src/x.c:1:1: fatal error: Python.h: No such file or directory\n")
    assert main(["explain", str(log), "--python", "2.7", "--format", "json", "--distro", "debian"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["python"], data["python_source"], data["cause_kind"]) == (
        "2.7",
        "argument",
        "missing_python_headers",
    )


def test_root_cause_first_then_the_build_error(kb: Any) -> None:
    """numpy 1.24.4 has no wheel for CPython 3.12: that is the root; distutils missing is the symptom."""
    log = (
        "Collecting numpy==1.24.4\n"
        "  Using cached numpy-1.24.4.tar.gz (10.9 MB)\n"
        '  File "/tmp/pip-build-env-x/overlay/lib/python3.12/site-packages/setuptools/__init__.py", line 10\n'
        "ModuleNotFoundError: No module named 'distutils'\n"
    )
    data = explain_text(log, kb=kb, distro="debian").to_json()
    kinds = [c["kind"] for c in data["causes"]]
    assert kinds == ["no_wheel_for_python", "distutils_removed"]
    assert data["cause_kind"] == kinds[0]
    root, symptom = data["causes"]
    assert root["basis"] == "knowledge" and root["fix"][0]["kind"] == "upgrade"
    assert symptom["evidence"][0]["line"] == 4
    assert data["fix"][0]["kind"] == "upgrade"  # a wheel first, building second


def test_wheel_finding_on_an_assumed_python_is_only_a_note(kb: Any) -> None:
    """A log that does not show its Python keeps the build error it shows as the cause."""
    log = (
        "Downloading/unpacking cffi>=0.6\n"
        "  Downloading cffi-0.6.tar.gz (169kB): 169kB downloaded\n"
        "    Package libffi was not found in the pkg-config search path.\n"
    )
    e = explain_text(log, kb=kb, python=None, distro="debian")
    assert e.python_source == "assumed"
    assert e.cause_kind == "missing_system_library"
    assert any("does not show its Python" in note for note in e.notes)


@pytest.mark.parametrize(
    ("line", "package", "version"),
    [
        ("  • Installing cffi (1.15.0): Failed", "cffi", "1.15.0"),
        ("  Caused by: Failed to fetch wheel: numpy==1.24.4", "numpy", "1.24.4"),
    ],
)
def test_failed_package_from_poetry_and_old_uv(line: str, package: str, version: str, kb: Any) -> None:
    e = explain_text(f"{line}\nsrc/x.c:1:1: fatal error: ffi.h: No such file or directory\n", kb=kb)
    assert (e.package, e.version) == (package, version)


def test_summary_only_log_gets_the_likely_cause_as_a_guess(kb: Any) -> None:
    """psycopg2 ships no Linux wheels: a failed build there most likely lacks pg_config (libpq)."""
    log = "Collecting psycopg2\nERROR: Failed building wheel for psycopg2\nFailed to build psycopg2\n"
    data = explain_text(log, kb=kb, platform="linux-x86_64", distro="debian").to_json()
    assert data["cause_kind"] == "missing_library_config_tool"
    assert data["causes"][0]["basis"] == "guess"
    assert "libpq-dev" in data["causes"][0]["system_packages"]["debian"]


def test_other_names_for_the_packages_are_given(kb: Any) -> None:
    """Threads say "install build-essential" or "libldap2-dev"; explain names them as alternatives."""
    compiler = explain_text("unable to execute 'gcc': No such file or directory\n", kb=kb, distro="debian")
    assert "build-essential" in compiler.causes[0].also_packages["debian"]
    ldap = explain_text(HEADER, kb=kb, distro="debian").to_json()
    assert "libldap2-dev" in ldap["causes"][0]["also_packages"]["debian"]
    assert "libldap2-dev" not in ldap["causes"][0]["system_packages"]["debian"]  # named, not installed
