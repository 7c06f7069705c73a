"""``kb-lint serve``: start the language server on stdio (imported only for this command, so the
other commands never load pygls or lsprotocol)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="start the language server on stdio")
    serve.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))


def run(args: argparse.Namespace, out: Any) -> int:
    from buildwise.lsp.app import serve

    serve(log_level=args.log_level)
    return 0
