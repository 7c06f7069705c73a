"""Shared fixtures: the real knowledge base (compiled once per session, no user cache touched)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["BUILDWISE_CACHE_DIR"] = str(tmp_path_factory.mktemp("kb-cache"))


@pytest.fixture(scope="session")
def kb():
    from buildwise.knowledge import KnowledgeBase

    return KnowledgeBase.load(ROOT / "knowledge", use_cache=False)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
