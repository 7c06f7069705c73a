"""kb-lint doctor against fake machines (PATH directories replaying recorded real tool outputs) and
one real run on this machine."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from buildwise.analysis.doctor import DoctorReport, doctor
from buildwise.analysis.interpreter import Interpreter, probe_interpreter
from buildwise.analysis.probes import Machine, parse_include_dirs
from buildwise.engine import Workspace
from buildwise.knowledge import load_knowledge
from buildwise.project.config import Config
from tests.doctor.fakes import Container, recorded, with_dpkg, with_gcc, with_pkg_config

MANYLINUX = [f"cp312-cp312-manylinux_2_{m}_x86_64" for m in range(36, 16, -1)]


def fake_interpreter(tmp_path: Path, python_h: bool = True, version: str = "3.12") -> Interpreter:
    nodot = version.replace(".", "")
    include = tmp_path / "python" / "include" / f"python{version}"
    include.mkdir(parents=True, exist_ok=True)
    if python_h:
        (include / "Python.h").write_text("/* fake */\n")
    return Interpreter(
        executable=f"/usr/bin/python{version}",
        version=version,
        full_version=f"{version}.3",
        implementation="cpython",
        free_threaded=False,
        tags=tuple(t.replace("cp312", f"cp{nodot}") for t in ("cp312-cp312-linux_x86_64", *MANYLINUX)),
        include=str(include),
        python_h=python_h,
        sysconfig_platform="linux-x86_64",
        machine="x86_64",
        markers={
            "python_version": version,
            "python_full_version": f"{version}.3",
            "sys_platform": "linux",
            "platform_system": "Linux",
            "platform_machine": "x86_64",
            "os_name": "posix",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        },
    )


def project(tmp_path: Path, requirements: str = "psycopg2==2.9.10\n") -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "requirements.txt").write_text(requirements)
    return root


def run(
    tmp_path: Path, container: Container, root: Path, python_h: bool = True, version: str = "3.12"
) -> DoctorReport:
    kb = load_knowledge()
    ws = Workspace(kb, overrides=Config())
    env = container.write()
    return doctor(
        kb,
        fake_interpreter(tmp_path, python_h, version),
        Machine(env=env, platform="linux"),
        "debian",
        ws.project_for(root),
        ws.contexts_under(root),
    )


def by_label(report: DoctorReport) -> dict[str, object]:
    return {c.label: c for c in report.checks}


def test_recorded_gcc_include_list_is_parsed() -> None:
    assert parse_include_dirs(recorded("gcc-E-v.stderr")) == [
        "/usr/lib/gcc/x86_64-linux-gnu/12/include",
        "/usr/local/include",
        "/usr/include/x86_64-linux-gnu",
        "/usr/include",
    ]


def test_container_with_gcc_headers_and_libpq_is_ready(tmp_path: Path) -> None:
    c = Container(tmp_path / "box")
    with_gcc(c)
    with_pkg_config(c, libpq=True)
    with_dpkg(c, {"gcc": True, "libpq-dev": True})
    c.header("stdio.h")
    c.header("postgresql/libpq-fe.h")
    report = run(tmp_path, c, project(tmp_path))
    assert [b.name for b in report.builds] == ["psycopg2"]
    assert "no wheel for linux-x86_64" in report.builds[0].reason
    checks = by_label(report)
    cc = checks["C compiler"]
    assert cc.status == "ready"  # type: ignore[attr-defined]
    assert cc.found == f"gcc (Debian 12.2.0-14+deb12u1) 12.2.0 ({c.bin}/cc)"  # type: ignore[attr-defined]
    assert checks["libpq"].found == "pkg-config: libpq 15.18"  # type: ignore[attr-defined]
    assert checks["Python headers"].status == "ready"  # type: ignore[attr-defined]
    assert report.ok and report.command == ""


def test_container_without_gcc_and_libpq_says_what_to_install(tmp_path: Path) -> None:
    c = Container(tmp_path / "box")
    with_pkg_config(c, libpq=False)
    with_dpkg(c, {"gcc": False, "libpq-dev": False})
    report = run(tmp_path, c, project(tmp_path))
    checks = by_label(report)
    assert checks["C compiler"].status == "missing"  # type: ignore[attr-defined]
    assert checks["C compiler"].evidence[0].startswith("none of cc, gcc, clang")  # type: ignore[attr-defined]
    libpq = checks["libpq"]
    assert libpq.status == "missing"  # type: ignore[attr-defined]
    assert "pkg-config: no libpq.pc" in libpq.evidence  # type: ignore[attr-defined]
    assert "package manager: libpq-dev not installed" in libpq.evidence  # type: ignore[attr-defined]
    assert not report.ok
    assert report.command == "apt-get install -y --no-install-recommends gcc libpq-dev"


def test_gcc_without_c_library_headers_is_not_ready(tmp_path: Path) -> None:
    c = Container(tmp_path / "box")
    with_gcc(c)
    with_pkg_config(c, libpq=True)
    with_dpkg(c, {"gcc": True, "libpq-dev": True})
    c.header("postgresql/libpq-fe.h")  # but no stdio.h
    report = run(tmp_path, c, project(tmp_path))
    cc = by_label(report)["C compiler"]
    assert cc.status == "missing"  # type: ignore[attr-defined]
    assert "no C library headers" in cc.found  # type: ignore[attr-defined]
    assert report.command == "apt-get install -y --no-install-recommends build-essential"


def test_missing_python_headers_of_the_target(tmp_path: Path) -> None:
    c = Container(tmp_path / "box")
    with_gcc(c)
    with_pkg_config(c, libpq=True)
    with_dpkg(c, {"gcc": True, "libpq-dev": True})
    c.header("stdio.h")
    report = run(tmp_path, c, project(tmp_path), python_h=False)
    headers = by_label(report)["Python headers"]
    assert headers.status == "missing"  # type: ignore[attr-defined]
    assert headers.advice is not None and "not the distro's Python" in headers.advice  # type: ignore[attr-defined]
    assert not report.ok


def test_probes_that_cannot_run_say_so(tmp_path: Path) -> None:
    c = Container(tmp_path / "box")  # nothing on PATH at all
    c.add("true-placeholder")
    report = run(tmp_path, c, project(tmp_path))
    libpq = by_label(report)["libpq"]
    assert libpq.status == "missing"  # pg_config is not on PATH: that probe did run
    assert "pkg-config not on PATH" in libpq.evidence  # type: ignore[attr-defined]
    assert any("cannot check" in e for e in libpq.evidence)  # type: ignore[attr-defined]
    assert any(e.startswith("package manager: cannot tell") for e in libpq.evidence)  # type: ignore[attr-defined]


def test_a_tool_that_hangs_times_out(tmp_path: Path) -> None:
    slow = tmp_path / "slow"
    slow.mkdir()
    script = slow / "pkg-config"
    script.write_text("#!/bin/sh\nwhile :; do :; done\n")
    script.chmod(0o755)
    machine = Machine(env={"PATH": str(slow)}, timeout=0.5)
    found, detail = machine.pkg_config("libpq")
    assert found is None and "did not answer within 0.5s" in detail


def test_nothing_to_build_is_ok(tmp_path: Path) -> None:
    c = Container(tmp_path / "box")
    c.add("true-placeholder")
    report = run(tmp_path, c, project(tmp_path, "requests\n"))
    assert report.builds == [] and report.ok


def kb_lint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "buildwise", *args], capture_output=True, text=True, env=env, check=False
    )


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    c = Container(tmp_path / "box")
    with_pkg_config(c, libpq=False)
    env = c.write()
    root = project(tmp_path)
    import os

    env = {**os.environ, "PATH": env["PATH"]}
    env.pop("VIRTUAL_ENV", None)
    done = kb_lint("doctor", str(root), "--format", "json", "--distro", "debian", env=env)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["ok"] is False
    assert "dep:virtual/compiler/c" in data["missing"]
    assert data["command"].startswith("apt-get install -y --no-install-recommends gcc")
    bad = kb_lint("doctor", str(root), "--python", str(tmp_path / "nope"))
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [f"kb-lint: error: no such interpreter: {tmp_path / 'nope'}"]


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs this machine's real gcc")
def test_real_run_on_this_machine(tmp_path: Path) -> None:
    """The real compiler, pkg-config and package manager of this machine, the real interpreter."""
    root = project(tmp_path)
    (root / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (root / "pyproject.toml").write_text('[project]\nname = "native-demo"\nversion = "0"\n')
    (root / "ext.c").write_text("int x;\n")
    done = kb_lint("doctor", str(root), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    interp = probe_interpreter(sys.executable)
    assert data["interpreter"]["tags"][0] == interp.tags[0]
    checks = {c["identifier"]: c for c in data["checks"]}
    cc = checks["dep:virtual/compiler/c"]
    version = subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    assert cc["found"] == f"{version} ({shutil.which('cc')})"
    if shutil.which("pkg-config") and subprocess.run(["pkg-config", "--exists", "libpq"]).returncode == 0:
        assert checks["dep:generic/libpq"]["status"] == "ready"
    assert data["ok"] is all(c["status"] != "missing" for c in data["checks"])


@pytest.mark.parametrize(
    ("rustc", "status"),
    [(recorded("rustc--version.stdout"), "ready"), ("rustc 1.63.0 (4b91a6ea7 2022-08-08)\n", "missing")],
)
def test_rust_version_against_the_package_minimum(tmp_path: Path, rustc: str, status: str) -> None:
    from tests.doctor.fakes import Case

    c = Container(tmp_path / "box")
    with_gcc(c)
    c.header("stdio.h")
    c.add("rustc", Case("--version", rustc))
    c.add("cargo", Case("--version", recorded("cargo--version.stdout")))
    report = run(tmp_path, c, project(tmp_path, "pydantic-core<2\n"), version="3.13")
    # pydantic-core 1.x predates its cp313 wheels: built from source; its Cargo.toml: rust-version 1.75
    assert [b.name for b in report.builds] == ["pydantic-core"]
    rust = by_label(report)["Rust (rustc, cargo)"]
    assert rust.status == status  # type: ignore[attr-defined]
    if status == "missing":
        assert rust.found == "rustc 1.63.0, needs >=1.75"  # type: ignore[attr-defined]
        assert "rustup" in (rust.advice or "")  # type: ignore[attr-defined]
        assert "rustup" in " ".join(report.advice) and report.command == ""
