"""Explain a failed ``pip install`` / ``uv pip install`` source build from its log.

One engine, two faces: ``kb-lint explain LOG`` streams a file or stdin through :func:`explain_lines`;
the language server's ``buildwise.explain`` command calls :func:`explain_text` on a buffer or a
selection. Both return an :class:`Explanation` (``to_json()``, ``to_markdown()``, ``to_text()``).
The pipeline lives in :mod:`buildwise.explain.api`; this package imports it only when called, so
``kb-lint check`` does not pay for it at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from buildwise.explain.model import CAUSE_KINDS, CAUSE_TITLES, Evidence, Explanation, FixStep

if TYPE_CHECKING:
    from buildwise.knowledge import KnowledgeBase


def explain_text(
    text: str,
    *,
    python: str | None = None,
    platform: str | None = None,
    distro: str | None = None,
    kb: KnowledgeBase | None = None,
) -> Explanation:
    """Explain a whole log held in memory (an editor buffer or selection). Never raises on odd text."""
    from buildwise.explain import api

    return api.explain_text(text, python=python, platform=platform, distro=distro, kb=kb)


def explain_lines(
    lines: Iterable[str],
    *,
    python: str | None = None,
    platform: str | None = None,
    distro: str | None = None,
    kb: KnowledgeBase | None = None,
) -> Explanation:
    """Explain a log read line by line (a file or a pipe), keeping only bounded state."""
    from buildwise.explain import api

    return api.explain_lines(lines, python=python, platform=platform, distro=distro, kb=kb)


__all__ = [
    "CAUSE_KINDS",
    "CAUSE_TITLES",
    "Evidence",
    "Explanation",
    "FixStep",
    "explain_lines",
    "explain_text",
]
