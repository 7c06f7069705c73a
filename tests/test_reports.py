"""Report formats: SARIF validated by Microsoft's SARIF Multitool (schema + GitHub ingestion rules),
GitHub workflow commands, JUnit XML, --output, --fail-on, --fix/--diff."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import ROOT, write_tree

MULTITOOL = ROOT / "tools" / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"

PROJECT = {
    "pyproject.toml": '[project]\nname = "demo"\nversion = "1"\nrequires-python = ">=3.12"\n'
    'dependencies = ["numpy==1.24.4", "psycopg2>=2.9"]\n',
    "src/demo/_x.pyx": "x = 1\n",
    "requirements.txt": "lxml==4.9.3\nnumpy>=\n",
}


def kb_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "buildwise", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_sarif_passes_the_multitool(tmp_path: Path) -> None:
    if not MULTITOOL.exists():
        if os.environ.get("BUILDWISE_REQUIRE_E2E"):
            pytest.fail("SARIF Multitool missing: run scripts/test (npm install in tools/)")
        pytest.skip("SARIF Multitool not installed (scripts/test installs it into tools/)")
    write_tree(tmp_path, PROJECT)
    result = kb_lint("check", ".", "--output", "sarif=report.sarif", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    log = json.loads((tmp_path / "report.sarif").read_text())
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"KB101", "KB201", "KB202", "KB203"}
    assert all(
        r["helpUri"].endswith(f"{r['id']}.md") and r["help"]["text"] for r in run["tool"]["driver"]["rules"]
    )
    kb101 = next(r for r in run["results"] if r["ruleId"] == "KB101")
    assert kb101["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pyproject.toml"
    assert kb101["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"].startswith(
        "[build-system]"
    )
    out = tmp_path / "validation.sarif"
    check = subprocess.run(
        [
            str(MULTITOOL),
            "validate",
            "report.sarif",
            "--rule-kind",
            "Gh;Sarif",
            "--output",
            str(out),
            "--log",
            "ForceOverwrite",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    problems = json.loads(out.read_text())["runs"][0]["results"]
    errors = [p for p in problems if p.get("level", "warning") == "error"]
    assert errors == [], errors
    assert problems == [], problems  # no warnings either


def test_the_validator_does_reject_bad_sarif(tmp_path: Path) -> None:
    """Guard against a validation step that cannot fail: a broken log must produce errors."""
    if not MULTITOOL.exists():
        pytest.skip("SARIF Multitool not installed")
    bad = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "R", "message": {"id": "m"}}]}],
    }
    (tmp_path / "bad.sarif").write_text(json.dumps(bad))
    out = tmp_path / "v.sarif"
    subprocess.run(
        [
            str(MULTITOOL),
            "validate",
            "bad.sarif",
            "--rule-kind",
            "Gh;Sarif",
            "--output",
            str(out),
            "--log",
            "ForceOverwrite",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert [
        p for p in json.loads(out.read_text())["runs"][0]["results"] if p.get("level", "warning") == "error"
    ]


def _validation_problems(sarif: Path, cwd: Path) -> list[dict[str, object]]:
    out = cwd / "validation.sarif"
    check = subprocess.run(
        [str(MULTITOOL), "validate", str(sarif), "--rule-kind", "Gh;Sarif", "--output", str(out),
         "--log", "ForceOverwrite"],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    results: list[dict[str, object]] = json.loads(out.read_text())["runs"][0]["results"]
    return results


@pytest.mark.parametrize(
    "style", ["relative", "absolute", "dotdot-inside", "outside", "symlink", "cwd-symlink"]
)
def test_sarif_is_valid_for_every_path_style(tmp_path: Path, style: str) -> None:
    """`kb-lint check <path> --format sarif` for each way of naming the project: files under the
    working directory get relative URIs under %SRCROOT%, others an absolute file:// URI with no
    uriBaseId (the validator's SARIF1004 rejects an absolute URI under a base)."""
    if not MULTITOOL.exists():
        pytest.skip("SARIF Multitool not installed")
    proj = tmp_path / "work" / "proj"
    write_tree(proj, PROJECT)
    (tmp_path / "work" / "sub").mkdir()
    (tmp_path / "link").symlink_to(proj)
    cwd, arg = {
        "relative": (tmp_path / "work", "proj"),
        "absolute": (tmp_path / "work", str(proj)),
        "dotdot-inside": (tmp_path / "work", "sub/../proj"),
        "outside": (tmp_path / "work" / "sub", "../proj"),
        "symlink": (tmp_path / "work", str(tmp_path / "link")),
        "cwd-symlink": (tmp_path / "link", "."),
    }[style]
    result = kb_lint("check", arg, "--output", f"sarif={tmp_path / 'r.sarif'}", cwd=cwd)
    assert result.returncode == 1, result.stderr
    log = json.loads((tmp_path / "r.sarif").read_text())
    locations = [
        loc["physicalLocation"]["artifactLocation"]
        for r in log["runs"][0]["results"]
        for loc in r["locations"]
    ]
    assert locations
    for loc in locations:
        if style == "outside":
            assert "uriBaseId" not in loc and loc["uri"].startswith("file:///"), loc
            assert loc["uri"].startswith(proj.resolve().as_uri() + "/")
        else:
            assert loc["uriBaseId"] == "%SRCROOT%" and not loc["uri"].startswith(("file:", "/", "..")), loc
            if style != "cwd-symlink":  # a symlink that leads back under the working directory
                assert loc["uri"].startswith("proj/"), loc
    assert _validation_problems(tmp_path / "r.sarif", tmp_path) == []


def test_github_annotations(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy>=\n"})
    result = kb_lint("check", ".", "--format", "github", cwd=tmp_path)
    assert result.stdout.startswith(
        "::error file=requirements.txt,line=1,col=6,endLine=1,endColumn=7,"
        "title=KB002 invalid-requirement::KB002 invalid requirement"
    )


def test_junit_and_several_outputs_in_one_run(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy>=\n", "requirements-dev.txt": "pytest\n"})
    result = kb_lint(
        "check",
        ".",
        "--output",
        "junit=report.xml",
        "--output",
        "json=findings.json",
        "--output",
        "github",
        cwd=tmp_path,
    )
    assert result.stdout.startswith("::error file=requirements.txt")
    suite = ET.parse(tmp_path / "report.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and "KB002" in (failure.text or "")
    assert json.loads((tmp_path / "findings.json").read_text())[0]["code"] == "KB002"


def test_fail_on(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n', "setup.py": ""})
    assert kb_lint("check", ".", cwd=tmp_path).returncode == 1  # KB101 is a warning
    assert kb_lint("check", ".", "--fail-on", "error", cwd=tmp_path).returncode == 0
    assert kb_lint("check", ".", "--fail-on", "never", cwd=tmp_path).returncode == 0


def test_fix_diff_and_unsafe(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    diff = kb_lint("check", ".", "--diff", cwd=tmp_path)
    assert diff.returncode == 1
    assert "+[build-system]" in diff.stdout and "(would apply 3 fixes in 2 file(s))" in diff.stdout
    assert "[build-system]" not in (tmp_path / "pyproject.toml").read_text()  # --diff writes nothing
    fixed = kb_lint("check", ".", "--fix", cwd=tmp_path)
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[build-system]\nrequires = ["setuptools>=61", "Cython"]')
    assert "KB101" not in fixed.stdout and "numpy==1.24.4" in text  # unsafe fixes wait for --unsafe-fixes
    kb_lint("check", ".", "--fix", "--unsafe-fixes", "--python", "3.12", cwd=tmp_path)
    text = (tmp_path / "pyproject.toml").read_text()
    assert "numpy==1.26.0" in text and "psycopg2-binary>=2.9" in text


def test_fix_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    from buildwise.fixes.apply import ChangedOnDisk, write_atomically

    path = tmp_path / "pyproject.toml"
    path.write_text("new content\n")
    with pytest.raises(ChangedOnDisk):
        write_atomically(str(path), "old content\n", "fixed\n")
    assert path.read_text() == "new content\n"
    write_atomically(str(path), "new content\n", "fixed\n")
    assert path.read_text() == "fixed\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pyproject.toml"]  # no temp file left behind
