"""One message each: the shapes of errors compilers, linkers, build systems and installers print,
and the cause a person is told. (Whole logs are in test_logs.py; these pin the recognisers.)"""

from __future__ import annotations

from typing import Any

import pytest

from buildwise.explain import explain_text

CASES = [
    # compilers
    ("error: command 'gcc' failed: No such file or directory", "missing_c_compiler", "gcc"),
    (
        "unable to execute 'x86_64-linux-gnu-gcc': No such file or directory",
        "missing_c_compiler",
        "x86_64-linux-gnu-gcc",
    ),
    (
        "gcc: fatal error: cannot execute \u2018cc1plus\u2019: execvp: No such file or directory",
        "missing_c_compiler",
        "g++",
    ),
    ("error: linker `cc` not found", "missing_c_compiler", "cc"),
    (
        "xcrun: error: invalid active developer path (/Library/Developer/CommandLineTools), missing xcrun",
        "missing_c_compiler",
        None,
    ),
    (
        "../meson.build:1:0: ERROR: Unknown compiler(s): [['cc'], ['gcc'], ['clang'], ['nvc'], "
        "['pgcc'], ['icc']]",
        "missing_c_compiler",
        "cc",
    ),
    (
        'error: Microsoft Visual C++ 14.0 is required. Get it with "Build Tools for Visual Studio"',
        "missing_msvc",
        None,
    ),
    ("error: linker `link.exe` not found", "missing_msvc", None),
    (
        "error: library dfftpack has Fortran sources but no Fortran compiler found",
        "missing_fortran_compiler",
        None,
    ),
    # Rust
    ("error: can't find Rust compiler", "missing_rust_toolchain", None),
    ("Cargo, the Rust package manager, is not installed or is not on PATH.", "missing_rust_toolchain", None),
    (
        "error: package `half v2.4.1` cannot be built because it requires rustc 1.81 or newer, "
        "while the currently active rustc version is 1.63.0",
        "missing_rust_toolchain",
        None,
    ),
    # tools
    ("FileNotFoundError: [Errno 2] No such file or directory: 'cmake': 'cmake'", "missing_cmake", "cmake"),
    ("/bin/sh: 1: swig: not found", "missing_swig", "swig"),
    (
        "FileNotFoundError: [Errno 2] No such file or directory: 'pkg-config'",
        "missing_pkg_config",
        "pkg-config",
    ),
    ("OSError: mysql_config not found", "missing_library_config_tool", "mysql_config"),
    ("/bin/sh: 1: krb5-config: not found", "missing_library_config_tool", "krb5-config"),
    (
        "Could not find gdal-config. Make sure you have installed the GDAL native library",
        "missing_library_config_tool",
        "gdal-config",
    ),
    # headers, libraries, pkg-config, build systems
    (
        "src/x.c:1:10: fatal error: libxml/xmlversion.h: No such file or directory",
        "missing_system_headers",
        "libxml/xmlversion.h",
    ),
    (
        "src/x.c:1:10: fatal error: 'openssl/opensslv.h' file not found",
        "missing_system_headers",
        "openssl/opensslv.h",
    ),
    (
        "x.c(3): fatal error C1083: Cannot open include file: 'sqlite3.h': No such file or directory",
        "missing_system_headers",
        "sqlite3.h",
    ),
    ("src/x.c:1:10: fatal error: Python.h: No such file or directory", "missing_python_headers", "Python.h"),
    ("/usr/bin/ld: cannot find -lssl: No such file or directory", "missing_system_library", "ssl"),
    ("ld: library not found for -lzstd", "missing_system_library", "zstd"),
    ("LINK : fatal error LNK1181: cannot open input file 'libpq.lib'", "missing_system_library", "libpq"),
    ("No package 'libffi' found", "missing_system_library", "libffi"),
    (
        'meson.build:5:0: ERROR: Dependency "glib-2.0" not found, tried pkgconfig and cmake',
        "missing_system_library",
        "glib-2.0",
    ),
    (
        "  Could NOT find OpenSSL, try to set the path to OpenSSL root folder",
        "missing_system_library",
        "OpenSSL",
    ),
    ("ERROR: Python dependency not found", "missing_python_headers", None),
    (
        "numpy.distutils.system_info.NotFoundError: No BLAS/LAPACK libraries found.",
        "missing_blas_lapack",
        None,
    ),
    ("/usr/bin/ld: cannot find -lopenblas", "missing_blas_lapack", "openblas"),
    # Python-level
    ("ModuleNotFoundError: No module named 'numpy'", "undeclared_build_dependency", "numpy"),
    (
        "ModuleNotFoundError: No module named 'setuptools.command.test'",
        "incompatible_build_dependency",
        "setuptools.command.test",
    ),
    ("ModuleNotFoundError: No module named 'distutils'", "distutils_removed", "distutils"),
    ("ModuleNotFoundError: No module named 'imp'", "distutils_removed", "imp"),
    (
        "AttributeError: module 'pkgutil' has no attribute 'ImpImporter'. Did you mean: 'zipimporter'?",
        "incompatible_build_dependency",
        "setuptools",
    ),
    (
        "AttributeError: 'build_ext' object has no attribute 'cython_sources'",
        "incompatible_build_dependency",
        "Cython",
    ),
    (
        "src/x.c:9:10: fatal error: longintrepr.h: No such file or directory",
        "stale_generated_c",
        "longintrepr.h",
    ),
    (
        "x.c:100:23: error: \u2018PyThreadState\u2019 {aka \u2018struct _ts\u2019} has no member "
        "named \u2018exc_type\u2019",
        "stale_generated_c",
        None,
    ),
    (
        "x.c:55:5: error: too few arguments to function \u2018_PyLong_AsByteArray\u2019",
        "stale_generated_c",
        None,
    ),
    (
        "error: the configured Python interpreter version (3.14) is newer than PyO3's maximum "
        "supported version (3.13)",
        "unsupported_python_in_build_tool",
        "PyO3",
    ),
    # installers
    (
        "ERROR: numpy-1.26.4-cp312-cp312-win_amd64.whl is not a supported wheel on this platform.",
        "no_wheel_for_platform",
        None,
    ),
    ("src/x.c:3:1: error: expected ';' before '}' token", "unknown", None),
]


@pytest.mark.parametrize(("line", "cause", "name"), CASES, ids=[c[1] + ":" + c[0][:40] for c in CASES])
def test_message(line: str, cause: str, name: str | None, kb: Any) -> None:
    e = explain_text(f"some noise\n{line}\nmore noise\n", kb=kb, distro="debian")
    assert e.cause_kind == cause, e.explanation
    assert e.evidence is not None and e.evidence.line == 2
    if name is not None:
        assert e.missing is not None and e.missing[1] == name


def test_warnings_are_not_evidence(kb: Any) -> None:
    text = (
        "src/x.c:1:1: warning: implicit declaration of function '_PyFoo' [-Wimplicit-function-declaration]\n"
        "gcc -Werror=format-security -c x.c\n"
        "src/y.c:2:10: fatal error: yaml.h: No such file or directory\n"
    )
    e = explain_text(text, kb=kb, distro="debian")
    assert e.cause_kind == "missing_system_headers"
    assert e.evidence is not None and e.evidence.line == 3
    assert e.system_packages["debian"][0] == "libyaml-dev"


def test_old_pip_names_the_package_by_its_build_directory(kb: Any) -> None:
    text = (
        "Collecting psycopg2==2.8.6\n"
        "  Downloading https://files.pythonhosted.org/packages/fd/ae/psycopg2-2.8.6.tar.gz (383kB)\n"
        "    ERROR: Command errored out with exit status 1:\n"
        "     command: /usr/bin/python3 -c 'import sys, setuptools' egg_info\n"
        "         cwd: /tmp/pip-install-9ua7w2hm/psycopg2/\n"
        "    Error: pg_config executable not found.\n"
        "ERROR: Command errored out with exit status 1: python setup.py egg_info Check the logs for full "
        "command output.\n"
    )
    e = explain_text(text, kb=kb, distro="debian")
    assert (e.package, e.version, e.cause_kind) == ("psycopg2", "2.8.6", "missing_library_config_tool")


def test_uv_older_format(kb: Any) -> None:
    text = (
        "Resolved 1 package in 120ms\n"
        "error: Failed to download and build `psycopg2==2.9.9`\n"
        "  Caused by: Build backend failed to determine requirements with `build_wheel()` (exit status: 1)\n"
        "--- stdout:\n"
        "Error: pg_config executable not found.\n"
    )
    e = explain_text(text, kb=kb, distro="debian")
    assert (e.package, e.version, e.installer) == ("psycopg2", "2.9.9", "uv")
    assert e.fix[0].commands[0] == 'uv pip install "psycopg2-binary"'


def test_first_of_several_failures_is_explained_and_the_others_named(kb: Any) -> None:
    text = (
        "Building wheel for python-ldap (pyproject.toml): started\n"
        "Modules/common.h:15:10: fatal error: lber.h: No such file or directory\n"
        "Building wheel for pycairo (pyproject.toml): started\n"
        "Package cairo was not found in the pkg-config search path.\n"
        "Failed to build python-ldap pycairo\n"
    )
    e = explain_text(text, kb=kb, distro="debian")
    assert e.package == "python-ldap" and e.cause_kind == "missing_system_headers"
    assert any("pycairo" in note for note in e.notes)
