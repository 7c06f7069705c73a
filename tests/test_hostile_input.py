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
