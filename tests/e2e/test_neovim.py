"""Neovim as a second, independent LSP client of the server (shared/recipes/neovim-client.md).

Headless Neovim opens a file of the e2e project, starts ``python -m buildwise.lsp`` with its own LSP
client, and prints the diagnostics, the code-action titles and the hover it received (nvim_client.lua).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.conftest import CACHE, CLIENT, E2E, require

SERVER_CMD = json.dumps([sys.executable, "-m", "buildwise.lsp"])
KB103 = (
    "DIAG 1 0 KB103 buildwise the source tree needs Cython at build time (src/fastmath/_speedups.pyx is a "
    "Cython source file), but build-system.requires does not list it: pip's isolated build will fail "
    "without it"
)


def find_nvim() -> str:
    candidates = [
        os.environ.get("BUILDWISE_NVIM"),
        str(CACHE / "nvim" / "bin" / "nvim"),
        shutil.which("nvim"),
    ]
    nvim = next((c for c in candidates if c and os.access(c, os.X_OK)), None)
    require(nvim, "Neovim is not installed (vscode-client/scripts/install-e2e-deps.sh installs it)")
    assert nvim is not None
    return nvim


def nvim(
    project: Path, env: dict[str, str], filename: str, init: Path | None = None, server: str = SERVER_CMD
) -> list[str]:
    """Run nvim_client.lua on ``filename`` with ``server`` (a JSON command); with ``init``, the client
    comes from that init file instead."""
    args = ["-u", str(init)] if init else ["--clean"]
    env = {**env, "BUILDWISE_TIMEOUT_MS": "15000", "BUILDWISE_SERVER_CMD": "" if init else server}
    started = time.monotonic()
    result = subprocess.run(
        [
            find_nvim(),
            "--headless",
            *args,
            "-n",
            "-i",
            "NONE",
            "-c",
            f"luafile {E2E / 'nvim_client.lua'}",
            filename,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    lines = result.stdout.splitlines()
    print(f"{filename}: {time.monotonic() - started:.2f} s", *lines, sep="\n")
    assert result.returncode == 0, f"nvim exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return lines


def test_pyproject_missing_cython(project: Path, xdg_env: dict[str, str]) -> None:
    lines = nvim(project, xdg_env, "pyproject.toml")
    assert KB103 in lines  # other rules may report too (e.g. undocumented OS packages): not asserted here
    assert [line for line in lines if line.startswith("ACTION KB103 ")] == [
        "ACTION KB103 Add 'Cython' to build-system.requires",
        "ACTION KB103 Ignore KB103 on this line (# kb-lint: ignore[KB103])",
    ]


def test_requirements_no_wheel_for_python(project: Path, xdg_env: dict[str, str]) -> None:
    lines = nvim(project, xdg_env, "requirements.txt")
    kb201 = "DIAG 1 5 KB201 buildwise numpy >=2.1 has no wheel for CPython 3.9"
    assert any(line.startswith(kb201) for line in lines), lines
    assert "ACTION KB201 Ignore KB201 on this line (# kb-lint: ignore[KB201])" in lines
    assert "HOVER **numpy** (requirements)" in lines


def test_quick_fix_text_leaves_no_kb103(project: Path, xdg_env: dict[str, str]) -> None:
    """After the text the quick-fix produces (as applied in VS Code), the server no longer reports KB103."""
    path = project / "pyproject.toml"
    path.write_text(path.read_text().replace('["setuptools>=64"]', '["setuptools>=64", "Cython"]'))
    lines = nvim(project, xdg_env, "pyproject.toml")
    assert any(line.startswith("PUBLISHED ") for line in lines), lines
    assert not [line for line in lines if " KB103 " in line], lines


def test_readme_configuration(project: Path, xdg_env: dict[str, str], tmp_path: Path) -> None:
    """The Neovim set-up the README documents (vim.lsp.config + vim.lsp.enable, `kb-lint serve` on
    PATH) attaches by itself to pyproject.toml and requirements files."""
    version = subprocess.run([find_nvim(), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.match(r"NVIM v0\.(\d+)", version)
    require(match and int(match[1]) >= 11, f"the README's set-up needs Neovim >= 0.11, not {version[:20]}")
    readme = (CLIENT / "README.md").read_text()
    marked = r"<!-- neovim-config:begin -->\n```lua\n(.*?)```\n<!-- neovim-config:end -->"
    snippet = re.search(marked, readme, re.S)
    assert snippet, "README.md lost its marked Neovim configuration"
    init = tmp_path / "init.lua"
    init.write_text(snippet[1])
    env = {**xdg_env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{xdg_env['PATH']}"}
    assert KB103 in nvim(project, env, "pyproject.toml", init)
    lines = nvim(project, env, "requirements.txt", init)
    assert any(line.startswith("DIAG 1 5 KB201 buildwise numpy") for line in lines), lines
