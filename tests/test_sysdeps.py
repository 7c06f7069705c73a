"""OS dependencies: the declare/bindep/README fixes (merging, idempotent) and `kb-lint deps`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from buildwise.cli import build_parser
from buildwise.cli.check import overrides_from_args
from buildwise.cli.deps import detect_distro
from buildwise.engine import Workspace
from buildwise.fixes.edits import apply_edits
from tests.conftest import write_tree

PY = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "svc"\n'
    'version = "1"\nrequires-python = ">=3.12"\ndependencies = ["psycopg2>=2.9"]\n\n[tool.kb-lint]\n'
    'platforms = ["linux-x86_64"]\n'
)


def kb301(kb, root: Path):  # type: ignore[no-untyped-def]
    ns = build_parser().parse_args(["check", str(root)])
    findings, _ = Workspace(kb, overrides=overrides_from_args(ns)).lint_paths([root])
    return [f for f in findings if f.code == "KB301"]


def apply(fix) -> None:  # type: ignore[no-untyped-def]
    for path in {e.path for e in fix.edits}:
        p = Path(path)
        text = p.read_text() if p.exists() else ""
        p.write_text(apply_edits(text, [e for e in fix.edits if e.path == path]))


def test_declare_in_external_table_then_quiet(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PY})
    [finding] = kb301(kb, tmp_path)
    declare = next(f for f in finding.fixes if "[external]" in f.title)
    apply(declare)
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.endswith(
        '\n[external]\nbuild-requires = [\n    "dep:virtual/compiler/c",\n]\nhost-requires = [\n'
        '    "dep:generic/libpq",\n]\n'
    )
    assert kb301(kb, tmp_path) == []


def test_declare_merges_into_an_existing_table(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path, {"pyproject.toml": PY + '\n[external]\nbuild-requires = ["dep:virtual/compiler/c"]\n'}
    )
    [finding] = kb301(kb, tmp_path)
    apply(next(f for f in finding.fixes if "[external]" in f.title))
    text = (tmp_path / "pyproject.toml").read_text()
    assert (
        '[external]\nbuild-requires = ["dep:virtual/compiler/c"]\nhost-requires = ["dep:generic/libpq"]\n'
        in text
    )
    assert kb301(kb, tmp_path) == []


def test_bindep_file_with_platform_profiles(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PY, "bindep.txt": "git [platform:dpkg]\n"})
    [finding] = kb301(kb, tmp_path)
    apply(next(f for f in finding.fixes if "bindep" in f.title))
    lines = (tmp_path / "bindep.txt").read_text().splitlines()
    assert lines[0] == "git [platform:dpkg]"
    assert "libpq-dev [platform:dpkg platform:apk]" in lines
    assert "libpq-devel [platform:rpm]" in lines
    assert "postgresql-libs [platform:pacman]" in lines
    assert kb301(kb, tmp_path) == []


def test_readme_section_is_refreshed_not_duplicated(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PY, "README.md": "# svc\n"})
    apply(kb301(kb, tmp_path)[0].fixes[0])
    (tmp_path / "requirements.txt").write_text("mysqlclient==2.2.6\n")
    [finding] = kb301(kb, tmp_path)
    assert finding.path.endswith("requirements.txt")
    apply(finding.fixes[0])
    readme = (tmp_path / "README.md").read_text()
    assert readme.count("## System dependencies") == 1
    assert (
        'for="mysqlclient psycopg2"' in readme
        and "default-libmysqlclient-dev" in readme
        and "libpq-dev" in readme
    )
    assert kb301(kb, tmp_path) == []


def kb_deps(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "buildwise", "deps", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deps_command_formats(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PY})
    shell = kb_deps(".", "--distro", "debian", "--format", "shell", cwd=tmp_path)
    assert shell.returncode == 0
    assert shell.stdout.strip() == "apt-get install -y --no-install-recommends gcc libpq-dev python3-dev"
    alpine = kb_deps(".", "--distro", "alpine", "--format", "shell", cwd=tmp_path)
    assert alpine.stdout.strip() == "apk add --no-cache gcc musl-dev libpq-dev python3-dev"
    data = json.loads(kb_deps(".", "--distro", "rhel", "--format", "json", cwd=tmp_path).stdout)
    assert data["ecosystem"] == "fedora" and data["packages"] == ["gcc", "libpq-devel", "python3-devel"]
    assert data["needs"][0]["name"] == "psycopg2"
    text = kb_deps(".", "--distro", "debian", cwd=tmp_path).stdout
    assert "psycopg2" in text and "libpq-dev" in text


def test_deps_nothing_to_install_exits_0(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "requests\n"})
    result = kb_deps(".", "--distro", "debian", "--format", "shell", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("# nothing to install on debian")
    assert kb_deps(".", "--distro", "beos", cwd=tmp_path).returncode == 2


def test_detect_distro(tmp_path: Path) -> None:
    (tmp_path / "os-release").write_text('ID=rocky\nID_LIKE="rhel centos fedora"\n')
    assert detect_distro(tmp_path / "os-release") == "fedora"
    (tmp_path / "os-release").write_text('ID=pop\nID_LIKE="ubuntu debian"\n')
    assert detect_distro(tmp_path / "os-release") == "ubuntu"
    (tmp_path / "os-release").write_text("ID=plan9\n")
    assert detect_distro(tmp_path / "os-release") == "debian"
    assert detect_distro(tmp_path / "missing") == "debian"
