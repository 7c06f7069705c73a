"""Targets come from the project (requires-python capped by what it tests and deploys on, CI
runners, Dockerfiles), never from the interpreter kb-lint runs on; and they say where they came from."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from buildwise.cli import main
from buildwise.engine import Workspace
from buildwise.project.signals import ci_pythons, nox_pythons, tox_pythons
from buildwise.project.targets import supported_pythons
from tests.conftest import write_tree

WORKFLOW = """\
name: tests
on: [push, pull_request]
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest]
        python-version:
          - "3.11"
          - "3.12"
          - pypy-3.10
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
      - run: pip install -e .[test]
"""

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "service"
version = "1.0"
requires-python = ">=3.11"
dependencies = ["msgpack==1.0.8"]
"""


def _targets(kb, root: Path):  # type: ignore[no-untyped-def]
    ws = Workspace(kb)
    return ws.project_for(root / "pyproject.toml").targets


def test_open_ended_requires_python_is_capped_at_the_newest_tested_python(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, ".github/workflows/tests.yml": WORKFLOW})
    targets = _targets(kb, tmp_path)
    assert targets.pythons == ("3.11", "3.12")
    assert "3.13" in targets.beyond and "3.15" in targets.beyond
    assert targets.platforms == ("linux-x86_64",)  # the only runner the CI uses
    text = targets.describe()
    assert "requires-python >=3.11" in text and ".github/workflows/tests.yml" in text
    # msgpack 1.0.8 has wheels up to 3.12: nothing to report for the Pythons the project runs on
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    assert [f for f in findings if f.code in ("KB201", "KB202")] == []


def test_a_newer_python_in_ci_makes_it_a_target(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workflow = WORKFLOW.replace('- "3.12"', '- "3.12"\n          - "3.13"')
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, ".github/workflows/tests.yml": workflow})
    assert _targets(kb, tmp_path).pythons == ("3.11", "3.12", "3.13")
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    kb202 = [f for f in findings if f.code == "KB202"]
    assert len(kb202) == 1 and "3.13" in kb202[0].message and "3.14" not in kb202[0].message


def test_readiness_for_a_newer_python_is_asked_with_python(kb, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, ".github/workflows/tests.yml": WORKFLOW})
    main(["check", str(tmp_path), "--python", "3.14", "--format", "json", "--select", "KB202"])
    found = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in found] == ["KB202"]


def test_an_application_without_requires_python_targets_its_docker_image(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path,
        {
            "requirements.txt": "msgpack==1.0.8\n",
            "docker/Dockerfile": "FROM python:3.12-slim AS base\nCOPY requirements.txt .\n"
            "RUN pip install -r requirements.txt\n",
        },
    )
    ws = Workspace(kb)
    targets = ws.project_for(tmp_path / "requirements.txt").targets
    assert targets.pythons == ("3.12",)
    assert targets.source == "project"
    assert targets.platforms == ("linux-x86_64",)
    assert "docker/Dockerfile" in targets.describe()


def test_alpine_and_arm64_images_are_musl_and_aarch64(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path,
        {
            "requirements.txt": "requests\n",
            "Dockerfile": "ARG PYTHON_VERSION=3.13\n"
            "FROM --platform=linux/arm64 python:${PYTHON_VERSION}-alpine\n",
        },
    )
    targets = Workspace(kb).project_for(tmp_path / "requirements.txt").targets
    assert targets.pythons == ("3.13",)
    assert targets.platforms == ("linux-musl-aarch64",)


def test_explicit_settings_still_win(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT
            + '\n[tool.kb-lint]\npython = ["3.14"]\nplatforms = ["windows-amd64"]\n',
            ".github/workflows/tests.yml": WORKFLOW,
        },
    )
    targets = _targets(kb, tmp_path)
    assert targets.pythons == ("3.14",) and targets.platforms == ("windows-amd64",)


def test_the_lock_files_requires_python_stands_in_for_a_missing_one(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            "uv.lock": 'version = 1\nrequires-python = ">=3.12, <3.14"\n',
        },
    )
    targets = _targets(kb, tmp_path)
    assert targets.pythons == ("3.12", "3.13")
    assert "uv.lock requires-python" in targets.describe()


def test_verbose_says_where_targets_came_from(kb, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, ".github/workflows/tests.yml": WORKFLOW})
    main(["check", str(tmp_path), "--verbose"])
    err = capsys.readouterr().err
    assert "targets CPython 3.11, 3.12 (requires-python >=3.11; up to 3.12" in err
    assert "not checked: 3.13-3.15 (check with --python)" in err


def test_supported_pythons_follow_release_and_end_of_life_dates() -> None:
    entries = [
        {"version": "3.9", "released": "2020-10-05", "end_of_life": "2025-10"},
        {"version": "3.10", "released": "2021-10-04", "end_of_life": "2026-10"},
        {"version": "3.15", "released": "2026-10-09", "end_of_life": "2031-10"},
    ]
    assert supported_pythons(entries, date(2026, 12, 4)) == ("3.15",)
    assert supported_pythons(entries, date(2026, 5, 1)) == ("3.10",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('python-version: ["3.9", "3.10", "3.11"]', ["3.9", "3.10", "3.11"]),
        ("    python: [ '3.12', '3.13' ]", ["3.12", "3.13"]),
        ("python-version: [\n  '3.10',\n  '3.13',\n]\n", ["3.10", "3.13"]),
        ("matrix:\n  include:\n    - python-version: '3.12'\n      os: windows-latest\n", ["3.12"]),
        ("image: python:3.11-bookworm\n", ["3.11"]),
        ('env:\n  CIBW_BUILD: "cp310-* cp311-*"\n  CIBW_SKIP: "cp36-*"\n', ["3.10", "3.11"]),
        ("python-version: ${{ matrix.python }}\n", []),
        ("python-version: '3.x'\n", []),
    ],
)
def test_ci_pythons(text: str, expected: list[str]) -> None:
    assert ci_pythons(text) == expected


def test_tox_and_nox_pythons() -> None:
    assert tox_pythons("[tox]\nenvlist =\n    py3{9,10}\n    py312-lint\n    docs\n") == [
        "3.9",
        "3.10",
        "3.12",
    ]
    assert tox_pythons('[tool.tox]\nenv_list = ["3.13", "3.12", "type"]\n') == ["3.13", "3.12"]
    nox = 'PYTHONS = [\n    "3.10",\n    "3.11",\n]\n\n@nox.session(python="3.12")\ndef docs(s): ...\n'
    assert nox_pythons(nox) == ["3.10", "3.11", "3.12"]


def test_the_json_summary_says_where_targets_came_from(kb, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, ".github/workflows/tests.yml": WORKFLOW})
    main(["check", str(tmp_path), "--format", "summary"])
    summary = json.loads(capsys.readouterr().out)
    [targets] = summary["targets"]
    assert targets["pythons"] == ["3.11", "3.12"] and targets["source"] == "requires-python"
    assert targets["beyond"] == ["3.13", "3.14", "3.15"]
    assert targets["platforms"] == ["linux-x86_64"] and targets["platform_source"] == "project"
    assert any(".github/workflows/tests.yml" in e for e in targets["python_evidence"])


def test_hover_names_the_targets_and_their_source(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from buildwise.lsp.hover import dependency_markdown

    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, ".github/workflows/tests.yml": WORKFLOW})
    ctx = Workspace(kb).context_for(str(tmp_path / "pyproject.toml"))
    assert ctx is not None
    dep = next(d for d in ctx.dependencies if d.key == "msgpack")
    text = dependency_markdown(ctx, dep)
    assert "Checked for CPython 3.11, 3.12 (requires-python >=3.11; up to 3.12" in text
