"""Nothing outside the project is read or shown: includes that climb out, absolute includes and
links that point out are findings naming the path, and the file is never opened (checked with
an audit hook on ``open``), in every output format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tree

SECRET = "root:x:0:0:TOPSECRET:/root:/bin/bash\n"

#: Run kb-lint in a process that records every file it opens, then print what it opened.
AUDITED = """
import json, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
sys.addaudithook(hook)
import buildwise.cli
try:
    code = buildwise.cli.main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
print("\\n@@OPENED@@" + json.dumps(opened))
sys.exit(code)
"""


def run_audited(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", AUDITED, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    out, _, opened = result.stdout.rpartition("\n@@OPENED@@")
    return result, out, json.loads(opened)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    return secret


def _escapes(project: Path, secret: Path) -> dict[str, dict[str, str]]:
    """Each way out of a project, as the files of a project (with the path findings must name)."""
    rel = os.path.relpath(secret, project / "requirements")
    return {
        "climbing -r": {"requirements/dev.txt": f"-r {rel}\n"},
        "absolute -c": {"requirements.txt": f"-c {secret}\n"},
        "--requirement=": {"requirements.txt": f"--requirement={secret}\n"},
        "symlinked requirements.txt": {"@requirements.txt": str(secret)},
        "include of a symlink": {"requirements.txt": "-r base.txt\n", "@base.txt": str(secret)},
        "symlinked pyproject.toml": {"@pyproject.toml": str(secret)},
        "symlinked uv.lock": {"pyproject.toml": '[project]\nname = "x"\n', "@uv.lock": str(secret)},
        "symlinked include folder": {
            "requirements.txt": "-r shared/base.txt\n",
            "@shared": str(secret.parent),
        },
    }


def _make(project: Path, files: dict[str, str]) -> None:
    project.mkdir(parents=True, exist_ok=True)
    (project / ".git").mkdir(exist_ok=True)  # the repository is the boundary
    for rel, text in files.items():
        if rel.startswith("@"):
            (project / rel[1:]).parent.mkdir(parents=True, exist_ok=True)
            (project / rel[1:]).symlink_to(text)
        else:
            write_tree(project, {rel: text})


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_nothing_outside_the_project_is_opened_or_shown(tmp_path: Path, outside: Path, fmt: str) -> None:
    projects = []
    for n, (case, files) in enumerate(_escapes(tmp_path / "p", outside).items()):
        project = tmp_path / f"case{n}"
        _make(project, {k: v.replace(str(tmp_path / "p"), str(project)) for k, v in files.items()})
        projects.append((case, project))
    args = [str(p) for _, p in projects]
    result, out, opened = run_audited("check", "--format", fmt, "--fail-on", "never", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "TOPSECRET" not in out and "TOPSECRET" not in result.stderr
    assert not [p for p in opened if os.path.realpath(p).startswith(str(outside.parent))], opened
    if fmt != "json":
        return
    findings = json.loads(out)
    for case, project in projects:
        refused = [
            f["message"]
            for f in findings
            if "not opened" in f["message"]
            and Path(os.path.abspath(tmp_path / f["file"])).is_relative_to(project)
        ]
        assert refused, case
        assert any(str(outside.parent) in m or "outside the project" in m for m in refused), (case, refused)


def test_root_flag_allows_a_shared_folder(tmp_path: Path, outside: Path) -> None:
    project = tmp_path / "project"
    _make(project, {"requirements.txt": f"-r {outside}\n"})
    outside.write_text("not a requirement!\n")
    _result, out, _opened = run_audited(
        "check", "--format", "json", "--root", str(outside.parent), ".", cwd=project
    )
    messages = [f["message"] for f in json.loads(out)]
    assert not any("not opened" in m for m in messages)
    assert any("'not a requirement!'" in m for m in messages)


def test_includes_inside_the_repository_are_followed(tmp_path: Path) -> None:
    project = tmp_path / "repo"
    _make(project, {"app/requirements.txt": "-r ../shared/base.txt\n", "shared/base.txt": "bad req!\n"})
    _result, out, _opened = run_audited("check", "--format", "json", "app", cwd=project)
    messages = [f["message"] for f in json.loads(out)]
    assert any("'bad req!'" in m for m in messages), messages


def test_source_tree_scan_reads_no_link_out_and_no_fifo(tmp_path: Path, outside: Path) -> None:
    """The build-needs scan (CMakeLists.txt, Cargo.toml, C sources) opens nothing outside the
    project through a link, and a FIFO named like a build file does not block the run."""
    project = tmp_path / "project"
    _make(
        project,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
            "@CMakeLists.txt": str(outside),
            "@Cargo.toml": str(outside),
            "@src/x/_ext.c": str(outside),
        },
    )
    os.mkfifo(project / "Makefile")
    result, _out, opened = run_audited("check", "--format", "json", "--fail-on", "never", ".", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not [p for p in opened if os.path.realpath(p).startswith(str(outside.parent))], opened
