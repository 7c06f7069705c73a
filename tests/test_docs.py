"""Rule docs and the README's rule table are generated from the rule docstrings; they must not drift."""

from __future__ import annotations

from pathlib import Path

from buildwise.rules import all_rules
from buildwise.rules.docsgen import BEGIN, expected_files

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_current() -> None:
    stale = [
        str(p.relative_to(ROOT))
        for p, text in expected_files(ROOT).items()
        if not p.exists() or p.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `python -m buildwise.rules.docsgen`: stale {stale}"
    assert BEGIN in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_documented() -> None:
    for rule in all_rules():
        for section in (
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix safety",
            "## References",
        ):
            assert section in rule.doc, f"{rule.code} lacks {section}"
        assert rule.name == rule.name.lower() and " " not in rule.name
