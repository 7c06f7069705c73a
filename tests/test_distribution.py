"""Installing buildwise as a new user would: the README's commands, the GitHub Action's scripts, the
built distributions, and building the VS Code extension from its folder alone.

Tests that install packages from the package index run only with BUILDWISE_INSTALL_TESTS=1 (they
need the network); the rest always run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_tree

INSTALL_TESTS = os.environ.get("BUILDWISE_INSTALL_TESTS") == "1"
needs_install = pytest.mark.skipif(
    not INSTALL_TESTS, reason="installs from the index: BUILDWISE_INSTALL_TESTS=1"
)
KB_LINT = str(Path(sys.executable).parent / "kb-lint")


def readme_try_it() -> str:
    """The first command of the README's "Try it" section."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Try it", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1)  # type: ignore[union-attr]


def copy_repository(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "__pycache__", "*.vsix", "bundled", "artifacts"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def test_readme_try_it_makes_its_own_virtualenv() -> None:
    assert readme_try_it() == (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/kb-lint check examples/webapp"
    )


@needs_install
def test_readme_try_it_works_on_a_pep668_system(tmp_path: Path) -> None:
    """Debian's own python3 (EXTERNALLY-MANAGED): the old `python3 -m pip install .` is refused,
    the README's command works."""
    system = Path("/usr/bin/python3")
    marker = list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED"))
    if not system.exists() or not marker:
        pytest.skip("needs a system python3 marked EXTERNALLY-MANAGED (PEP 668)")
    repo = copy_repository(tmp_path / "buildwise")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    env.pop("VIRTUAL_ENV", None)
    old = subprocess.run(
        ["python3", "-m", "pip", "install", "."], cwd=repo, env=env, capture_output=True, text=True
    )
    assert old.returncode != 0 and "externally-managed-environment" in old.stdout + old.stderr
    done = subprocess.run(
        ["sh", "-c", readme_try_it()], cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 1, done.stdout + done.stderr  # 1: the example has findings
    assert "examples/webapp/pyproject.toml:" in done.stdout and "Found" in done.stdout


def test_action_run_script_writes_outputs_and_annotations(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "requirements.txt": "numpy>=\n",
            "vendor/requirements.txt": "numpy>=\n",
        },
    )
    outputs = tmp_path / "github_output"
    env = {
        **os.environ,
        "KB_LINT": KB_LINT,
        "INPUT_PATH": ".",
        "INPUT_ARGS": "--exclude vendor/**",
        "INPUT_SARIF_FILE": "out/kb.sarif",
        "INPUT_ANNOTATE": "true",
        "INPUT_FAIL_ON": "",
        "GITHUB_OUTPUT": str(outputs),
    }
    (tmp_path / "out").mkdir()
    done = subprocess.run(
        ["bash", str(ROOT / ".github/action/run.sh")], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr  # the action's last step fails the job, after the upload
    assert "::error file=requirements.txt,line=1" in done.stdout
    assert "file=vendor/" not in done.stdout
    assert outputs.read_text().splitlines() == ["exit-code=1", "sarif-file=out/kb.sarif"]
    assert (tmp_path / "out/kb.sarif").read_text().startswith("{")


def test_action_yml_runs_the_scripts_it_names() -> None:
    action = (ROOT / "action.yml").read_text()
    scripts = re.findall(r'\$GITHUB_ACTION_PATH/(\S+?)"', action)
    assert scripts == [".github/action/install.sh", ".github/action/run.sh"]
    assert all((ROOT / s).is_file() for s in scripts)
    assert "github/codeql-action/upload-sarif@" in action
    workflow = (ROOT / ".github/workflows/ci.yml").read_text()
    assert "uses: ./\n" in workflow  # the repository's own CI runs the action on itself


@needs_install
def test_action_install_script_installs_from_the_checkout(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "action")
    outputs = tmp_path / "github_output"
    env = {
        **os.environ,
        "GITHUB_ACTION_PATH": str(repo),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
    }
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        ["bash", str(repo / ".github/action/install.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("kb-lint 0.1.0")
    [line] = outputs.read_text().splitlines()
    assert line == f"kb-lint={tmp_path}/kb-lint-venv/bin/kb-lint"


@needs_install
def test_sdist_and_wheel_pass_twine_check(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], capture_output=True, text=True
    )
    if build.returncode != 0 and "No module named build" in build.stderr:
        pytest.skip("the build package is not installed")
    assert build.returncode == 0, build.stderr
    names = sorted(p.name for p in dist.iterdir())
    assert names == ["buildwise_lint-0.1.0-py3-none-any.whl", "buildwise_lint-0.1.0.tar.gz"]
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


def test_vsix_from_the_client_folder_alone_says_what_it_needs(tmp_path: Path) -> None:
    client = tmp_path / "vscode-client"
    shutil.copytree(ROOT / "vscode-client", client, ignore=shutil.ignore_patterns("node_modules", "bundled"))
    done = subprocess.run(
        [sys.executable, "scripts/bundle_server.py"], cwd=client, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("bundle_server: the .vsix bundles the buildwise server")
    assert "whole repository" in line and "pyproject.toml" in line
