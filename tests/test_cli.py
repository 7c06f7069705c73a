"""The CLI as a user runs it: real processes, exit codes, no tracebacks, no editor imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tree


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "buildwise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def test_clean_project_exits_0(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            '\n[project]\nname = "x"\nversion = "1"\n'
        },
    )
    result = run("check", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("All checks passed! (1 file checked)")


def test_findings_exit_1_ruff_style(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "requests\nnumpy>=\n"})
    result = run("check", ".", cwd=tmp_path)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("requirements.txt:2:6: KB002 invalid requirement 'numpy>='")
    assert "Found 1 problem: 1 error." in result.stdout


def test_json_shape(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy>=\n"})
    result = run("check", ".", "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert set(data[0]) >= {
        "code",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "fixes",
    }
    assert data[0]["line"] == 1 and data[0]["column"] == 6 and data[0]["file"] == "requirements.txt"


def test_select_and_ignore(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy>=\n-r missing.txt\n"})
    only_kb003 = json.loads(run("check", ".", "--format", "json", "--select", "KB003", cwd=tmp_path).stdout)
    assert [d["code"] for d in only_kb003] == ["KB003"]
    no_kb0 = run("check", ".", "--ignore", "KB0", cwd=tmp_path)
    assert no_kb0.returncode == 0


@pytest.mark.parametrize(
    "args,needle",
    [
        (["check", "/no/such/path"], "no such file or directory"),
        (["check", "--python", "2.7"], "not a CPython version"),
        (["check", "--platform", "beos"], "unknown beos"),
        (["frobnicate"], "invalid choice"),
        (["rule", "KB999"], "unknown rule"),
        (["kb", "show", "surely-not-a-native-package-xyz"], "not in the knowledge base"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], needle: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_huge_and_binary_files_are_findings_not_crashes(tmp_path: Path) -> None:
    big = tmp_path / "requirements.txt"
    big.write_bytes(b"requests\n" * (6 * 1024 * 1024 // 9 + 1))
    (tmp_path / "requirements-dev.txt").write_bytes(b"pytest\n\xff\xfe garbage\n")
    result = run("check", ".", "--format", "json", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    data = {d["file"]: d for d in json.loads(result.stdout)}
    assert "MiB" in data["requirements.txt"]["message"]
    assert data["requirements-dev.txt"]["code"] == "KB003"
    assert "not valid UTF-8" in data["requirements-dev.txt"]["message"]
    assert data["requirements-dev.txt"]["line"] == 2


def test_cli_does_not_import_the_editor_protocol(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "requests\n"})
    code = (
        "import sys, buildwise.cli\n"
        f"rc = buildwise.cli.main(['check', {str(tmp_path)!r}])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol'))\n"
        "print('IMPORTED', bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "IMPORTED []" in result.stdout, result.stdout + result.stderr


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("kb-lint")
    assert exe.exists()
    a = subprocess.run([str(exe), "rule"], capture_output=True, text=True, timeout=60)
    b = run("rule")
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout
    assert "KB101  missing-build-system" in a.stdout


def test_rule_doc(tmp_path: Path) -> None:
    result = run("rule", "kb103")
    assert result.returncode == 0
    assert result.stdout.startswith("# KB103 `build-tool-missing`")
    assert "## Fix safety" in result.stdout


def test_move_report_lists_what_breaks(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.24.4\nrequests==2.32.3\n"})
    result = run("check", ".", "--python", "3.12", "--platform", "linux-x86_64", cwd=tmp_path)
    assert result.returncode == 1
    assert "On CPython 3.12, linux-x86_64: 1 dependency would build from source or fail:" in result.stdout
    assert "numpy" in result.stdout.split("would build from source or fail:")[1]
