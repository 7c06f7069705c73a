"""A "No matching distribution found" for a wheel-only package is its own cause: nothing to build."""

from __future__ import annotations

from typing import Any

from buildwise.explain import CAUSE_KINDS, explain_text

LOG = (
    "Collecting torch\n"
    "ERROR: Could not find a version that satisfies the requirement torch (from versions: none)\n"
    "ERROR: No matching distribution found for torch\n"
)


def test_wheel_only_package_without_a_matching_wheel(kb: Any) -> None:
    assert "wheel_only_no_match" in CAUSE_KINDS
    e = explain_text(LOG, python="3.15", platform="linux-x86_64", kb=kb)
    assert e.cause_kind == "wheel_only_no_match"
    assert e.evidence is not None and e.evidence.line == 2
    assert "publishes wheels only (no source distribution)" in e.explanation
    assert "CPython 3.15 on linux-x86_64" in e.explanation
    kinds = [step.kind for step in e.fix]
    assert kinds == ["python", "advice"]  # no compiler or system-package step: nothing is built
    assert e.system_packages == {} or all(not names for names in e.system_packages.values())


def test_the_same_message_for_a_package_with_an_sdist_keeps_its_cause(kb: Any) -> None:
    log = LOG.replace("torch", "psycopg2")
    e = explain_text(log, python="3.12", platform="linux-x86_64", kb=kb)
    assert e.cause_kind == "no_wheel_for_python"
