"""``kb-lint check``: lint projects (being written)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    sub.add_parser("check", help="lint pyproject.toml and requirements files")


def run(args: argparse.Namespace, out: Any) -> int:
    raise NotImplementedError
