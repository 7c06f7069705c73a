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


class UsageError(Exception):
    """A mistake in how kb-lint was called: one line on stderr, exit code 2."""


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
    from buildwise import checkcmd, depscmd, explaincmd, kbcmd

    checkcmd.add_parser(sub)
    kbcmd.add_parser(sub)
    explaincmd.add_parser(sub)
    depscmd.add_parser(sub)
    serve = sub.add_parser("serve", help="start the language server on stdio")
    serve.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    rule = sub.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code", nargs="?", help="rule code, e.g. KB201 (omit to list all rules)")
    rule.add_argument("--format", choices=("text", "json"), default="text")
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
        from buildwise.kbcmd import UsageError as KbUsageError
        from buildwise.knowledge import KnowledgeError

        if isinstance(exc, (KbUsageError,)):
            print(f"kb-lint: error: {exc}", file=sys.stderr)
            return 2
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
    if args.command == "check":
        from buildwise import checkcmd

        return checkcmd.run(args, out)
    if args.command == "deps":
        from buildwise import depscmd

        return depscmd.run(args, out)
    if args.command == "deps":
        from buildwise import depscmd

        return depscmd.run(args, out)
    if args.command == "kb":
        from buildwise import kbcmd

        return kbcmd.run(args, out)
    if args.command == "explain":
        from buildwise import explaincmd

        return explaincmd.run(args, out)
    if args.command == "serve":
        from buildwise.lsp.server import serve

        serve(log_level=args.log_level)
        return 0
    if args.command == "rule":
        from buildwise.rules import rule_doc_command

        return rule_doc_command(args.code, args.format, out)
    raise UsageError(f"unknown command {args.command!r}")
