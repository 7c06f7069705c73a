"""Golden cases: tests/cases/<CODE>/<case>/ holds project/ (the input tree), expected.json (the
findings, as `kb-lint check --format json` prints them, fixes left out) and optionally args (extra
CLI arguments, one per line), fixed/ (files as they must read after every safe fix) and
fixed-unsafe/ (after every fix, safe or not, the way `--fix --unsafe-fixes` applies them).

Each case runs through the engine and through the CLI; both must give exactly expected.json. A case
checks only its folder's rule unless its args say --select otherwise.
With fixed/, the fixes are applied and the result re-linted: the fixed findings must be gone and
their fixes not offered again. Set BUILDWISE_UPDATE_GOLDEN=1 to (re)write expected.json.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from buildwise.cli import build_parser, main
from buildwise.cli.check import overrides_from_args
from buildwise.engine import Workspace
from buildwise.fixes.apply import compute_fixes
from buildwise.model import Finding

CASES = Path(__file__).parent / "cases"
ALL = sorted(p for p in CASES.glob("*/*") if (p / "project").is_dir())


def _args(case: Path) -> list[str]:
    """The case's extra CLI arguments; without a --select of its own, a case checks only the rule
    its folder is named after, so a change in another rule or in the knowledge base does not
    ripple through unrelated cases."""
    args_file = case / "args"
    args = args_file.read_text().split() if args_file.exists() else []
    if "--select" not in args:
        args += ["--select", case.parent.name]
    return args


def _strip(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k != "fixes"} for item in items]


def _engine_findings(kb: Any, project: Path, args: list[str]) -> list[Finding]:
    ns = build_parser().parse_args(["check", str(project), *args])
    workspace = Workspace(kb, overrides=overrides_from_args(ns))
    findings, _ = workspace.lint_paths([project])
    return sorted(findings, key=Finding.sort_key)


def _as_json(findings: list[Finding], project: Path) -> list[dict[str, Any]]:
    out = []
    for f in findings:
        item = f.to_json()
        item["file"] = os.path.relpath(item["file"], project).replace(os.sep, "/")
        out.append(item)
    return _strip(out)


@pytest.mark.parametrize("case", ALL, ids=[f"{p.parent.name}/{p.name}" for p in ALL])
def test_case(case: Path, kb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(case / "project", project)
    args = _args(case)
    engine = _as_json(_engine_findings(kb, project, args), project)

    expected_file = case / "expected.json"
    if os.environ.get("BUILDWISE_UPDATE_GOLDEN"):
        expected_file.write_text(json.dumps(engine, indent=2) + "\n")
    expected = json.loads(expected_file.read_text())
    assert engine == expected, "engine findings differ from expected.json"

    monkeypatch.chdir(project)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    code = main(["check", ".", "--format", "json", *args])
    failing = [f for f in expected if f["severity"] in ("error", "warning")]  # --fail-on warning
    assert code == (1 if failing else 0)
    assert _strip(json.loads(out.getvalue())) == expected, "CLI output differs from expected.json"

    if (case / "fixed").is_dir():
        _check_fixes(kb, case, project, args, "fixed")
    if (case / "fixed-unsafe").is_dir():
        fresh = tmp_path / "unsafe"
        shutil.copytree(case / "project", fresh)
        _check_fixes(kb, case, fresh, args, "fixed-unsafe")


def _check_fixes(kb: Any, case: Path, project: Path, args: list[str], expected_dir: str) -> None:
    unsafe = expected_dir == "fixed-unsafe"
    ns = build_parser().parse_args(["check", str(project), *args])
    workspace = Workspace(kb, overrides=overrides_from_args(ns))
    result = compute_fixes(workspace, [project], unsafe=unsafe)
    assert result.applied, f"{expected_dir}/ exists but no fix was applied"
    for path, (_old, new) in result.changed.items():
        Path(path).write_text(new)
    for expected in (case / expected_dir).rglob("*"):
        if expected.is_file():
            rel = expected.relative_to(case / expected_dir)
            assert (project / rel).read_text() == expected.read_text(), f"{rel} after fixes"
    after = _engine_findings(kb, project, args)
    left = [f for f in after if any(fix.safe or unsafe for fix in f.fixes)]
    assert not left, f"safe fixes still offered after fixing: {left}"
