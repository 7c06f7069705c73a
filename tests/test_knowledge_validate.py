"""kb validate: the checks for optional native parts, version ranges and wheel-only entries."""

from __future__ import annotations

import shutil
from pathlib import Path

from buildwise.knowledge.validate import validate

ROOT = Path(__file__).resolve().parents[1] / "knowledge"

GOOD = """
name = "demo-native"
summary = "A demonstration entry with optional parts and ranges."
languages = []
last_reviewed = "2026-12-04"

[build]
backend = "setuptools.build_meta"
requires = ["setuptools"]

[wheels]
published = true
sdist = false

[[optional]]
part = "extension"
name = "C speedups"
requires = ["dep:virtual/compiler/c"]
default = true
switch = { kind = "env", name = "DEMO_PURE", value = "1", effect = "disable" }
fallback = "pure"

[[ranges]]
versions = "<2"
languages = ["c"]
[ranges.external]
build-requires = ["dep:virtual/compiler/c"]

[[references]]
type = "source-code"
url = "https://example.invalid/setup.py"
facts = ["languages", "build", "optional", "ranges", "wheels"]
"""


def _kb(tmp_path: Path, entry: str) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copytree(ROOT / "external", root / "external")
    shutil.copy(ROOT / "pythons.toml", root / "pythons.toml")
    (root / "packages").mkdir()
    (root / "packages" / "demo-native.toml").write_text(entry, encoding="utf-8")
    return root


def _messages(tmp_path: Path, entry: str) -> list[str]:
    return [p.message for p in validate(_kb(tmp_path, entry))]


def test_the_shipped_knowledge_base_is_valid() -> None:
    assert [str(p) for p in validate(ROOT)] == []


def test_an_entry_with_optional_parts_ranges_and_no_sdist_is_valid(tmp_path: Path) -> None:
    assert _messages(tmp_path, GOOD) == []


def test_optional_parts_and_ranges_need_a_reference(tmp_path: Path) -> None:
    entry = GOOD.replace('"optional", "ranges", ', "")
    messages = _messages(tmp_path, entry)
    assert any("'optional'" in m for m in messages)
    assert any("'ranges'" in m for m in messages)


def test_unknown_identifiers_inside_optional_parts_and_ranges_are_reported(tmp_path: Path) -> None:
    entry = GOOD.replace(
        'build-requires = ["dep:virtual/compiler/c"]', 'build-requires = ["dep:generic/nor-this"]'
    ).replace('\nrequires = ["dep:virtual/compiler/c"]', '\nrequires = ["dep:generic/no-such-lib"]')
    messages = _messages(tmp_path, entry)
    assert any("dep:generic/no-such-lib is not in knowledge/external/" in m for m in messages)
    assert any("dep:generic/nor-this is not in knowledge/external/" in m for m in messages)


def test_a_bad_range_specifier_is_reported(tmp_path: Path) -> None:
    messages = _messages(tmp_path, GOOD.replace('versions = "<2"', 'versions = "before two"'))
    assert any(m.startswith("ranges[0].versions: 'before two'") for m in messages)


def test_an_optional_part_needs_a_fallback(tmp_path: Path) -> None:
    messages = _messages(tmp_path, GOOD.replace('fallback = "pure"\n', ""))
    assert any("'fallback' is a required property" in m for m in messages)
