"""Engine behaviour that every face relies on: a failing rule is reported and skipped, the others
still run; severities and per-file ignores from the configuration apply."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from buildwise.engine import Workspace
from buildwise.rules import all_rules
from tests.conftest import write_tree


def test_a_broken_rule_is_skipped_and_reported(kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"requirements.txt": "numpy>=\n-r missing.txt\n"})

    def explode(ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    rules = [dataclasses.replace(r, check=explode) if r.code == "KB002" else r for r in all_rules()]
    monkeypatch.setattr("buildwise.rules._RULES", rules)
    errors: list[tuple[str, str, str]] = []
    ws = Workspace(kb, on_rule_error=lambda code, path, exc: errors.append((code, Path(path).name, str(exc))))
    findings, _ = ws.lint_paths([tmp_path])
    assert errors == [("KB002", "requirements.txt", "boom")]
    assert [f.code for f in findings] == ["KB003"]  # the other rules still ran


def test_severity_override_and_per_file_ignores(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n\n[tool.kb-lint]\n'
            'severity = { KB101 = "error" }\nper-file-ignores = { "legacy/*.txt" = ["KB0"] }\n',
            "setup.py": "",
            "legacy/requirements.txt": "numpy>=\n",
            "requirements.txt": "numpy>=\n",
        },
    )
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    by_file = {(Path(f.path).relative_to(tmp_path).as_posix(), f.code): f for f in findings}
    assert by_file[("pyproject.toml", "KB101")].severity.label == "error"
    assert ("requirements.txt", "KB002") in by_file
    assert ("legacy/requirements.txt", "KB002") not in by_file
