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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kb-lint",
        description="Find native-build problems in Python projects before pip does.",
    )
    parser.add_argument("--version", action="version", version=f"kb-lint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    from buildwise.cli import check, deps, doctor, explain, kb, rule, serve

    check.add_parser(sub)
    kb.add_parser(sub)
    explain.add_parser(sub)
    deps.add_parser(sub)
    doctor.add_parser(sub)
    serve.add_parser(sub)
    rule.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = sys.stdout
    try:
        parser = build_parser()
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
    from buildwise.cli import check, deps, doctor, explain, kb, rule, serve

    commands = {
        "check": check.run,
        "deps": deps.run,
        "doctor": doctor.run,
        "kb": kb.run,
        "explain": explain.run,
        "serve": serve.run,
        "rule": rule.run,
    }
    run = commands.get(args.command)
    if run is None:
        raise UsageError(f"unknown command {args.command!r}")
    return run(args, out)
