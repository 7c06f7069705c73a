"""Bad input of every kind is a finding with a position, never the end of the run: nesting
deeper than the parsers can recurse, lock-file fields of the wrong type, line breaks pip knows
and a naive split does not, files too large to check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from buildwise.parse.toml import parse_toml
from buildwise.parse.toml_depth import MAX_NESTING
from tests.conftest import write_tree
from tests.test_cli import run

DEEP = 600  # far past Python's recursion limit for tomli's recursive descent

#: Each way TOML nests: arrays, inline tables, dotted keys (in pairs, headers, inline tables), mixed.
NESTINGS = {
    "arrays": "x = " + "[" * DEEP + "]" * DEEP,
    "inline-tables": "x = " + "{ a = " * DEEP + "1" + " }" * DEEP,
    "dotted-key": "a" + ".a" * DEEP + " = 1",
    "dotted-header": "[a" + ".a" * DEEP + "]\nb = 1",
    "dotted-in-inline": "x = { a" + ".a" * DEEP + " = 1 }",
    "mixed": "x = " + "[{ a.b = " * (DEEP // 2) + "1" + " }]" * (DEEP // 2),
}
BUILD_SYSTEM = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_deep_nesting_is_an_error_where_the_limit_is_crossed(kind: str) -> None:
    text = BUILD_SYSTEM + "[tool.deep]\n" + NESTINGS[kind] + "\n"
    doc = parse_toml(text)
    assert len(doc.errors) == 1
    error = doc.errors[0]
    assert f"deeper than {MAX_NESTING} levels" in error.message
    assert error.span.start.line >= 3  # on the deep line (or the deep header), not at the top
    assert doc.get("build-system", "requires") == ["setuptools>=61"]  # the rest still counts
    assert doc.key("build-system", "requires") is not None


def test_nesting_within_the_limit_parses_exactly() -> None:
    n = MAX_NESTING - 5
    doc = parse_toml("x = " + "[" * n + "1" + "]" * n + "\n")
    assert doc.valid
    value = doc.get("x")
    for _ in range(n - 1):
        value = value[0]
    assert value == [1]


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    text = 'x = "' + "[" * DEEP + '"  # ' + "{" * DEEP + "\ny = '" + "a." * DEEP + "'\n"
    assert parse_toml(text).valid


@pytest.mark.parametrize("name", ["pyproject.toml", "uv.lock", "pylock.toml"])
def test_deep_nesting_through_the_cli_checks_every_other_project(tmp_path: Path, name: str) -> None:
    deep = "[tool.deep]\n" if name == "pyproject.toml" else ""
    for kind, body in NESTINGS.items():
        write_tree(tmp_path / kind, {name: deep + body + "\n"})
    write_tree(tmp_path / "zz-intact", {"pyproject.toml": '[project]\nname = "x"\n'})
    result = run("check", "--format", "json", "--fail-on", "never", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    findings = json.loads(result.stdout)
    deep_errors = {Path(f["file"]).parent.name for f in findings if "levels" in f["message"]}
    assert deep_errors == set(NESTINGS)
    assert all(f["line"] >= 1 for f in findings)
    if name == "pyproject.toml":  # the intact project after them was still checked
        assert any(f["code"] == "KB101" and "zz-intact" in f["file"] for f in findings)


# -- requirements files are split into lines exactly as pip splits them ---------------------------

#: Every character ``str.splitlines()`` (pip's splitter) breaks on, besides LF and CRLF.
PIP_BREAKS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_the_break_list_is_exactly_what_str_splitlines_knows() -> None:
    from buildwise.parse.requirements import has_other_breaks

    breakers = {chr(c) for c in range(0x3000) if len(f"a{chr(c)}b".splitlines()) == 2} - {"\n"}
    assert breakers == set(PIP_BREAKS)
    assert all(has_other_breaks(f"a{c}b") for c in breakers)
    assert not has_other_breaks("a\r\nb\n")


@pytest.mark.parametrize("brk", PIP_BREAKS, ids=[f"U+{ord(c):04X}" for c in PIP_BREAKS])
def test_every_pip_line_break_splits_statements(brk: str) -> None:
    from buildwise.parse.requirements import parse_requirements

    text = f"requests==2.32.3{brk}numpy>=1.26\n# note{brk}lxml\n-c constraints.txt{brk}-r base.txt\n"
    parsed = parse_requirements(text, f"break-{ord(brk)}.txt")
    pip_statements = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    assert [r.text for r in parsed.requirements] == ["requests==2.32.3", "numpy>=1.26", "lxml"]
    assert [(i.kind, i.target) for i in parsed.includes] == [("-c", "constraints.txt"), ("-r", "base.txt")]
    assert len(parsed.requirements) + len(parsed.includes) == len(pip_statements)
    numpy = parsed.requirements[1]
    assert numpy.span.start.line == 0 and numpy.span.start.column == len("requests==2.32.3") + 1
    assert text.split("\n")[0][numpy.span.start.column :].startswith("numpy")


def test_a_package_hidden_behind_a_form_feed_is_checked_by_the_cli(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "requests==2.32.3\x0cnot a requirement!\u2028pkg==1\n"})
    result = run("check", "--format", "json", "--select", "KB002", str(tmp_path))
    findings = json.loads(result.stdout)
    assert [(f["code"], f["line"]) for f in findings] == [("KB002", 1)]
    assert "'not a requirement!'" in findings[0]["message"]
    assert 18 <= findings[0]["column"] <= 18 + len("not a requirement!")  # inside the second pip line


# -- every lock-file field is checked by type -----------------------------------------------------

#: (file name, text, field path the finding names, the 1-based line it is on)
WRONG_TYPES = [
    ("uv.lock", '[[package]]\nname = "a"\nwheels = [{ url = 5 }]\n', "package[0].wheels[0].url", 3),
    ("uv.lock", '[[package]]\nname = "a"\nversion = 1\n', "package[0].version", 3),
    ("uv.lock", '[[package]]\nname = "a"\ndependencies = [{ name = "b", marker = 3 }]\n', "marker", 3),
    ("uv.lock", '[[package]]\nname = "a"\nsdist = "x.tar.gz"\n', "package[0].sdist", 3),
    ("uv.lock", 'requires-python = 3\n[[package]]\nname = "a"\n', "requires-python", 1),
    ("uv.lock", 'package = "everything"\n', "package", 1),
    ("uv.lock", '[[package]]\nname = ["a"]\n', "package[0].name", 2),
    ("uv.lock", '[[package]]\nversion = "1"\n', "package[0] has no name", 1),
    ("pylock.toml", 'lock-version = 1.0\n[[packages]]\nname = "a"\n', "lock-version", 1),
    ("pylock.toml", '[[packages]]\nname = "a"\nwheels = "a.whl"\n', "packages[0].wheels", 3),
    ("pylock.toml", '[[packages]]\nname = "a"\nwheels = [{ name = 1 }]\n', "packages[0].wheels[0].name", 3),
    ("pylock.toml", '[[packages]]\nname = "a"\nmarker = true\n', "packages[0].marker", 3),
    ("pylock.toml", "packages = [1]\n", "packages[0]", 1),
    ("pylock.toml", '[[packages]]\nname = "a"\nwheels = [{ hashes = { sha256 = 1 } }]\n', "sha256", 3),
]


@pytest.mark.parametrize(("name", "text", "field", "line"), WRONG_TYPES)
def test_wrong_lock_field_types_are_findings_at_their_place(
    tmp_path: Path, name: str, text: str, field: str, line: int
) -> None:
    write_tree(tmp_path, {name: text, "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'})
    result = run("check", "--format", "json", "--fail-on", "never", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    findings = [f for f in json.loads(result.stdout) if f["code"] == "KB005"]
    assert len(findings) == 1, findings
    assert field in findings[0]["message"]
    assert findings[0]["line"] == line
    assert Path(findings[0]["file"]).name == name


def test_a_lock_file_too_large_to_check_is_a_finding(tmp_path: Path) -> None:
    from buildwise.parse.text import MAX_FILE_BYTES

    entry = '[[package]]\nname = "a"\nversion = "1"\n'
    write_tree(tmp_path, {"uv.lock": entry * (MAX_FILE_BYTES // len(entry) + 1)})
    result = run("check", "--format", "json", str(tmp_path))
    findings = json.loads(result.stdout)
    assert [(f["code"], f["line"]) for f in findings] == [("KB005", 1)]
    assert "MiB are not checked" in findings[0]["message"]


# -- cost is bounded: per-line constant work, repeated findings folded ---------------------------


def _lint_repeated(kb: object, root: Path, n: int) -> tuple[float, int]:
    import time

    from buildwise.engine import Workspace
    from buildwise.project.config import Config

    (root / "requirements.txt").write_text("psycopg2==2.9.9\nlxml==4.9.0\n" * (n // 2))
    workspace = Workspace(kb, overrides=Config())  # type: ignore[arg-type]
    start = time.perf_counter()
    findings, _ = workspace.lint_paths([root])
    return time.perf_counter() - start, len(findings)


def test_work_per_line_is_constant_and_repeats_fold(kb: object, tmp_path: Path) -> None:
    _lint_repeated(kb, tmp_path, 200)  # warm the caches
    small, _ = _lint_repeated(kb, tmp_path, 2000)
    large, found = _lint_repeated(kb, tmp_path, 8000)
    assert large < small * 8, f"4x the lines took {large / small:.1f}x as long (quadratic: 16x)"
    assert found <= 60  # two packages, a few rules, ten of each identical finding at most (not 8,000)
    result = run("check", "--format", "json", "--fail-on", "never", str(tmp_path))
    assert len(result.stdout) < 200_000, len(result.stdout)
    assert "more identical findings in this file" in result.stdout
