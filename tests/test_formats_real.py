"""The dependency formats on real files from public projects (tests/formats/real/, sources in its
README): the findings a user sees on them, where they point, and what the fixes write."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from buildwise.engine import Workspace
from buildwise.fixes.apply import compute_fixes
from buildwise.model import Finding
from buildwise.project.config import Config

REAL = Path(__file__).parent / "formats" / "real"


def _lint(kb: Any, folder: Path, **config: Any) -> list[Finding]:
    overrides = Config(**config) if config else None
    findings, _checked = Workspace(kb, overrides=overrides).lint_paths([folder])
    return sorted(findings, key=Finding.sort_key)


def _where(findings: list[Finding], root: Path) -> list[tuple[str, str, int, str]]:
    return [
        (f.code, Path(f.path).relative_to(root).as_posix(), f.span.start.line + 1, str(f.data.get("package")))
        for f in findings
    ]


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(REAL / name, target)
    return target


def test_poetry_project_with_its_lock(kb: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path, "poetry-datingbot")
    findings = _lint(kb, root, python=("3.13",), select=("KB2",))
    # One finding per cause: a direct dependency's missing wheel is reported on its line in
    # pyproject.toml (KB202: the pin predates 3.13), not a second time on its poetry.lock entry.
    assert _where(findings, root) == [
        ("KB202", "pyproject.toml", 13, "asyncpg"),
        ("KB202", "pyproject.toml", 15, "psycopg2-binary"),
        ("KB202", "pyproject.toml", 24, "aiohttp"),
    ]
    text = (root / "pyproject.toml").read_text().split("\n")
    asyncpg = findings[0]
    span = asyncpg.span
    assert text[span.start.line][span.start.column : span.end.column] == "0.29.0"
    assert asyncpg.message.startswith("asyncpg 0.29.0 predates asyncpg's support for CPython 3.13")
    assert all(not f.fixes for f in findings if f.path.endswith("poetry.lock"))  # locks: no edits


def test_poetry_fix_edits_the_version_string_in_place(kb: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path, "poetry-datingbot")
    workspace = Workspace(kb, overrides=Config(python=("3.13",), select=("KB202",)))
    result = compute_fixes(workspace, [root], unsafe=True)
    old, new = result.changed[str(root / "pyproject.toml")]
    changed = [(a, b) for a, b in zip(old.split("\n"), new.split("\n"), strict=True) if a != b]
    assert changed == [
        ('asyncpg = "0.29.0"', 'asyncpg = "==0.30.0"'),
        ('psycopg2-binary = "2.9.9"', 'psycopg2-binary = "==2.9.10"'),
        ('aiohttp = "<3.9.0"', 'aiohttp = ">=3.10.5"'),
    ]
    assert str(root / "poetry.lock") not in result.changed


def test_poetry_python_sets_the_targets(kb: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path, "poetry-datingbot")
    project = Workspace(kb).project_for(root / "pyproject.toml")
    assert project.targets.source == "requires-python"
    assert project.targets.python_evidence[0] == "tool.poetry.dependencies.python >=3.11,<4.0"
    assert project.targets.pythons[0] == "3.11"


def _pin_msgpack_instead_of_pyyaml(root: Path) -> None:
    """pipenv's own files pin PyYAML 6.0.1, whose source build falls back to pure Python (nothing to
    report, see the next test); the same files with that pin on msgpack 1.0.8 (wheels up to CPython
    3.12, a compiler needed beyond) keep the real layout for the position tests."""
    for name in ("Pipfile", "Pipfile.lock"):
        path = root / name
        path.write_text(path.read_text().replace("pyyaml", "msgpack").replace('"==6.0.1"', '"==1.0.8"'))


def test_pipfile_and_its_lock_with_a_fallback_build_report_nothing(kb: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path, "pipenv")
    assert _lint(kb, root, python=("3.13",), select=("KB2",)) == []


def test_pipfile_and_its_lock(kb: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path, "pipenv")
    _pin_msgpack_instead_of_pyyaml(root)
    findings = _lint(kb, root, python=("3.13",), select=("KB2",))
    assert _where(findings, root) == [
        ("KB202", "Pipfile", 24, "msgpack"),
        ("KB202", "Pipfile.lock", 643, "msgpack"),
    ]
    pipfile, lock = findings
    assert pipfile.fixes and pipfile.fixes[0].edits[0].new_text == "==1.1.0"
    assert not lock.fixes
    lines = (root / "Pipfile.lock").read_text().split("\n")
    assert lines[lock.span.start.line][lock.span.start.column : lock.span.end.column] == "==1.0.8"


@pytest.mark.parametrize("name", ["setupcfg-aiohttp", "pipenv-fake-package", "pdm-demo", "conda-xarray"])
def test_no_false_findings_on_clean_real_files(kb: Any, tmp_path: Path, name: str) -> None:
    root = _copy(tmp_path, name)
    findings = _lint(kb, root)
    assert [f for f in findings if f.code != "KB301"] == []


def test_setup_cfg_requirements_are_checked(kb: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path, "setupcfg-aiohttp")
    workspace = Workspace(kb)
    ctx = workspace.context_for(str(root / "setup.cfg"))
    assert ctx is not None and ctx.kind == "manifest"
    names = [d.key for d in ctx.dependencies]
    assert names == [
        "aiohappyeyeballs",
        "aiosignal",
        "async-timeout",
        "frozenlist",
        "multidict",
        "yarl",
        "aiodns",
        "brotli",
        "brotlicffi",
    ]
    assert ctx.project.targets.python_evidence[0] == "setup.cfg python_requires >=3.9"
    assert ctx.project.targets.pythons[0] == "3.9"


def test_deps_and_readiness_include_pipenv_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from buildwise.cli import main

    root = _copy(tmp_path, "pipenv")
    _pin_msgpack_instead_of_pyyaml(root)
    assert main(["deps", str(root), "--distro", "debian", "--python", "3.13"]) == 0
    out = capsys.readouterr().out
    assert "msgpack" in out and "apt-get install -y --no-install-recommends gcc python3-dev" in out
    monkeypatch.chdir(root)
    assert main(["check", ".", "--python", "3.14", "--select", "KB2"]) == 1
    out = capsys.readouterr().out
    assert "On CPython 3.14: 1 dependency would build from source or fail:" in out
    assert "msgpack" in out and "Pipfile:24 KB202" in out and "Pipfile.lock:643 KB202" in out


def test_a_pipfile_pinned_to_an_old_python_skips_wheel_checks(kb: Any, tmp_path: Path) -> None:
    pipfile = '[packages]\nmsgpack = "==1.0.5"\n\n[requires]\npython_version = "3.7"\n'
    (tmp_path / "Pipfile").write_text(pipfile)
    workspace = Workspace(kb)
    project = workspace.project_for(tmp_path / "Pipfile")
    assert project.targets.pythons == ()
    assert "admits only Pythons older than" in project.targets.describe()
    assert workspace.lint_paths([tmp_path])[0] == []
    # an explicit target still checks it
    findings, _ = Workspace(kb, overrides=Config(python=("3.12",))).lint_paths([tmp_path])
    assert [f.code for f in findings if f.code.startswith("KB2")] == ["KB202"]


@pytest.mark.parametrize(
    "name",
    [
        "poetry-datingbot/pyproject.toml",
        "poetry-datingbot/poetry.lock",
        "setupcfg-aiohttp/setup.cfg",
        "pipenv/Pipfile",
        "pipenv/Pipfile.lock",
        "pipenv-fake-package/tox.ini",
        "pdm-demo/pdm.lock",
        "conda-xarray/environment.yml",
    ],
)
def test_truncated_real_files_never_break_a_rule(kb: Any, tmp_path: Path, name: str) -> None:
    """Bad input is a finding with a place: every rule runs on each file cut short at 12 places."""
    text = (REAL / name).read_text()
    errors: list[tuple[str, str, BaseException]] = []
    for n in range(1, 13):
        folder = tmp_path / str(n)
        folder.mkdir()
        target = folder / Path(name).name
        target.write_text(text[: len(text) * n // 13])
        workspace = Workspace(kb, on_rule_error=lambda code, path, exc: errors.append((code, path, exc)))
        findings, checked = workspace.lint_paths([folder])
        assert str(target) in checked
        for f in findings:
            assert f.span.start <= f.span.end
    assert errors == []


def test_setup_cfg_file_directive_reaches_its_requirements_file(kb: Any, tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(
        "[options]\npython_requires = >=3.13\ninstall_requires = file: deps.list\n"
    )
    (tmp_path / "deps.list").write_text("requests\nmsgpack==1.0.8\n")
    findings, checked = Workspace(kb, overrides=Config(select=("KB202",))).lint_paths([tmp_path])
    assert str(tmp_path / "deps.list") in checked
    [finding] = findings
    assert Path(finding.path).name == "deps.list" and finding.span.start.line == 1
