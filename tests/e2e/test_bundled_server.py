"""The server as the .vsix carries it (vscode-client/bundled, made by `npm run package`), run by plain
CPython interpreters that have nothing installed, one per minor version found on this machine, with
Neovim as the client. This is what a VS Code user gets with any Python >= 3.10."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import CLIENT, require
from tests.e2e.test_neovim import KB103, nvim

LAUNCHER = CLIENT / "python" / "launch.py"
BUNDLED = CLIENT / "bundled" / "manifest.json"


def interpreter(version: str) -> str | None:
    """``python3.X`` on PATH or in pyenv's versions, if it really runs (a pyenv shim may not)."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(str(p) for p in Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    for found in filter(None, candidates):
        probe = subprocess.run([found, "-c", "print(1)"], capture_output=True, text=True, timeout=20)
        if probe.returncode == 0:
            return found
    return None


@pytest.mark.parametrize("version", ["3.10", "3.11", "3.12", "3.13", "3.14"])
def test_bundled_server_runs_on(version: str, project: Path, xdg_env: dict[str, str]) -> None:
    require(BUNDLED.is_file(), "no vscode-client/bundled: run `npm run package` in vscode-client")
    python = interpreter(version)
    if python is None:
        pytest.skip(f"no python{version} on this machine")
    check = subprocess.run([python, str(LAUNCHER), "--check"], capture_output=True, text=True, timeout=30)
    info = json.loads(check.stdout)
    assert info["ok"] and info["bundled"], info
    lines = nvim(project, xdg_env, "pyproject.toml", server=json.dumps([python, str(LAUNCHER)]))
    assert KB103 in lines
    assert "ACTION KB103 Add 'Cython' to build-system.requires" in lines


def test_too_old_python_is_a_sentence() -> None:
    """What the extension shows for an interpreter older than 3.10 (any Python 3.6+ runs launch.py)."""
    old = next((p for p in (interpreter(v) for v in ("3.9", "3.8", "3.7")) if p), None)
    if old is None:
        pytest.skip("no Python older than 3.10 on this machine")
    check = subprocess.run([old, str(LAUNCHER), "--check"], capture_output=True, text=True, timeout=30)
    info = json.loads(check.stdout)
    assert not info["ok"]
    assert "is too old: the buildwise server needs Python 3.10 or newer" in info["problem"]
