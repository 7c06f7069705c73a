"""Real-editor end-to-end tests: shared set-up.

They need tools from outside pip (code-server, Chromium, Neovim: vscode-client/scripts/install-e2e-deps.sh
installs them). Without them a test skips with the reason, unless BUILDWISE_REQUIRE_E2E=1 (CI), where a
missing tool is a failure: a green run must not hide an editor test that never ran.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

E2E = Path(__file__).resolve().parent
REPO = E2E.parent.parent
CLIENT = REPO / "vscode-client"
PROJECT = E2E / "project"
ARTIFACTS = REPO / "artifacts" / "e2e"
CACHE = Path(os.environ.get("BUILDWISE_E2E_CACHE", Path.home() / ".cache" / "buildwise-e2e"))


def require(condition: object, reason: str) -> None:
    """Skip (or, with BUILDWISE_REQUIRE_E2E=1, fail) when ``condition`` is falsy."""
    if condition:
        return
    if os.environ.get("BUILDWISE_REQUIRE_E2E") == "1":
        pytest.fail(f"BUILDWISE_REQUIRE_E2E=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the e2e project (tests apply fixes to it)."""
    return Path(shutil.copytree(PROJECT, tmp_path / "project"))


@pytest.fixture
def xdg_env(tmp_path: Path) -> dict[str, str]:
    """The environment with every XDG directory in a temporary folder (nothing lands in $HOME)."""
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "STATE", "CACHE", "RUNTIME"):
        path = tmp_path / "xdg" / name.lower()
        path.mkdir(parents=True, mode=0o700)
        env[f"XDG_{name}_HOME" if name != "RUNTIME" else "XDG_RUNTIME_DIR"] = str(path)
    return env  # BUILDWISE_CACHE_DIR: the session's (tests/conftest.py), so the knowledge base compiles once
