"""kb-lint: the buildwise engine on the command line.

The CLI never imports pygls or lsprotocol (start-up time); ``kb-lint serve`` imports the server lazily.
Exit codes: 0 clean, 1 findings (or a failed validation), 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from buildwise import __version__
from buildwise.cli.errors import UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would print usage and exit(2) itself
        raise UsageError(message)


COMMANDS = ("check", "kb", "explain", "deps", "doctor", "serve", "rule")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (``only``: the command being run) just that command's part, so
    ``kb-lint check`` does not import what ``explain``, ``deps`` or ``kb`` need to build theirs."""
    parser = _Parser(
        prog="kb-lint",
        description="Find native-build problems in Python projects before pip does.",
    )
    parser.add_argument("--version", action="version", version=f"kb-lint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import importlib

    for name in COMMANDS if only not in COMMANDS else (only,):
        importlib.import_module(f"buildwise.cli.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = sys.stdout
    try:
        parser = build_parser(argv[0] if argv else None)
        if not argv:
            parser.print_help(out)
            return 2
        args = parser.parse_args(argv)
        return dispatch(args, out)
    except UsageError as exc:
        print(f"kb-lint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error: say so in one line, never a traceback
        from buildwise.knowledge import KnowledgeError

        if isinstance(exc, KnowledgeError):
            print(f"kb-lint: knowledge base error: {exc}", file=sys.stderr)
            return 2
        print(
            f"kb-lint: internal error: {type(exc).__name__}: {exc} (set BUILDWISE_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        import os

        if os.environ.get("BUILDWISE_DEBUG"):
            import traceback

            traceback.print_exc()
        return 2


def dispatch(args: argparse.Namespace, out: Any) -> int:
    if args.command not in COMMANDS:
        raise UsageError(f"unknown command {args.command!r}")
    import importlib

    run: Any = importlib.import_module(f"buildwise.cli.{args.command}").run
    return int(run(args, out))
