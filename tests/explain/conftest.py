"""Explain tests run as if on CPython 3.11, linux-x86_64, Debian: a log that does not show where it
came from is "assumed" to come from this machine, and the golden results must not depend on which
machine runs the tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("buildwise.explain.diagnose.this_python", lambda: "3.11")
    monkeypatch.setattr("buildwise.explain.diagnose.this_platform", lambda: "linux-x86_64")
    monkeypatch.setattr("buildwise.explain.api.this_ecosystem", lambda: "debian")
