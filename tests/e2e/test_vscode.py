"""VS Code itself: the packaged .vsix in code-server, driven through Debian's Chromium (playwright-core).

The driver (vscode-client/e2e/run.mjs, also ``npm run test:e2e``) checks each step as a person would and
writes report.json and screenshots to artifacts/e2e/vscode/; this test runs it and asserts on the report.
The extension is told to use the base interpreter (outside the virtual environment, without buildwise
installed), so the test also proves that the server's dependencies travel inside the .vsix.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import ARTIFACTS, CACHE, CLIENT, require

VSIX = Path(os.environ.get("BUILDWISE_VSIX", CLIENT / "buildwise.vsix"))
CODE_SERVER = Path(os.environ.get("CODE_SERVER", CACHE / "code-server/node_modules/.bin/code-server"))
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def base_python() -> str:
    """The interpreter this virtual environment was made from: no buildwise installed there."""
    for name in (f"python{sys.version_info[0]}.{sys.version_info[1]}", "python3"):
        candidate = Path(sys.base_prefix) / "bin" / name
        if candidate.exists():
            return str(candidate)
    return sys.executable


def test_vscode_diagnostics_hover_and_quick_fix(xdg_env: dict[str, str]) -> None:
    install = "run vscode-client/scripts/install-e2e-deps.sh"
    require(shutil.which("node"), "node is not installed")
    require((CLIENT / "node_modules/playwright-core").is_dir(), "no vscode-client/node_modules: npm ci")
    require(VSIX.is_file(), f"no {VSIX.name}: run `npm run package` in vscode-client")
    require(CODE_SERVER.exists(), f"code-server is not installed: {install}")
    require(CHROMIUM.exists(), f"Chromium is not installed: {install}")
    artifacts = ARTIFACTS / "vscode"
    env = {
        **xdg_env,
        "BUILDWISE_VSIX": str(VSIX),
        "BUILDWISE_E2E_PYTHON": base_python(),
        "BUILDWISE_E2E_ARTIFACTS": str(artifacts),
        "CODE_SERVER": str(CODE_SERVER),
        "CHROMIUM": str(CHROMIUM),
    }
    result = subprocess.run(
        ["node", "e2e/run.mjs"],
        cwd=CLIENT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    print(result.stdout)
    report = json.loads((artifacts / "report.json").read_text())
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\nerror: {report.get('error')}"
    assert report["ok"] and all(step["ok"] for step in report["steps"]), report["steps"]
    steps = {step["name"] for step in report["steps"]}
    assert {
        "a changed setting reaches the server: ignore KB201",
        "no usable Python: a message with Choose Interpreter",
        "check this machine (kb-lint doctor)",
    } <= steps

    problems = " | ".join(report["problems"])
    assert "buildwise KB103" in problems and "the source tree needs Cython at build time" in problems
    assert "buildwise KB201" in problems and "numpy >=2.1 has no wheel for CPython 3.9" in problems
    assert "numpy (requirements)" in report["hover"]  # the server's hover (after any diagnostic text)
    assert "Add 'Cython' to build-system.requires" in report["quickFixes"]
    assert 'requires = ["setuptools>=64", "Cython"]' in report["textAfterFix"]
    assert not any("KB103" in row for row in report["problemsAfterFix"])
    assert any("KB201" in row for row in report["problemsAfterFix"])
    shots = {Path(s).name for s in report["screenshots"]}
    assert shots >= {"1-problems.png", "2-hover.png", "3-quick-fix-menu.png", "4-after-fix.png"}
