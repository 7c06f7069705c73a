"""``kb-lint explain [LOGFILE | -]``: what made a pip/uv source build fail, and what to do about it.

Exit codes: 0 a cause was found, 1 the cause is unknown, 2 usage errors (missing file, not a log,
bad option).
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from typing import Any, BinaryIO

from buildwise.cli.errors import UsageError
from buildwise.explain.model import CAUSE_KINDS
from buildwise.knowledge.model import ECOSYSTEMS


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "explain",
        help="explain a failed pip/uv install log: the cause, the evidence line, and the fix",
        description="Read a pip or uv install/build log (a file, or - for stdin) and say which package "
        "failed to build, the decisive error line, the cause, and what to do about it. Cause kinds: "
        + ", ".join(CAUSE_KINDS)
        + ". Exit status: 0 cause found, 1 unknown, 2 usage error.",
    )
    p.add_argument("log", nargs="?", default="-", metavar="LOGFILE", help="the log file; - or nothing: stdin")
    p.add_argument(
        "--python",
        metavar="X.Y",
        help="Python the log came from, when it does not show it (default: this interpreter)",
    )
    p.add_argument(
        "--platform",
        metavar="PLATFORM",
        help="platform the log came from (linux-x86_64, "
        "macos-arm64, windows-amd64, win_amd64...; default: this machine)",
    )
    p.add_argument(
        "--distro",
        metavar="ID",
        help=f"whose package names to show first ({', '.join(ECOSYSTEMS)}, "
        "or an os-release ID such as rhel; default: this machine's /etc/os-release, else debian)",
    )
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")


def run(args: argparse.Namespace, out: Any) -> int:
    from buildwise.explain import explain_lines
    from buildwise.explain.environment import normalize_platform, normalize_python, resolve_ecosystem
    from buildwise.explain.reader import LineReader, NotALog

    if args.python and normalize_python(args.python) is None:
        raise UsageError(f"--python {args.python!r} is not a Python version such as 3.12")
    if args.distro and resolve_ecosystem(args.distro) is None:
        raise UsageError(f"unknown --distro {args.distro!r}; known: {', '.join(ECOSYSTEMS)}, windows")
    platform = normalize_platform(args.platform) if args.platform else None
    stream, name = _open(args.log)
    try:
        reader = LineReader(stream, name)
        try:
            result = explain_lines(reader, python=args.python, platform=platform, distro=args.distro)
        except NotALog as exc:
            raise UsageError(str(exc)) from None
        except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz, a read error
            raise UsageError(f"cannot read {name}: {exc}") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if args.format == "json":
        json.dump(result.to_json(), out, indent=2)
        out.write("\n")
    elif args.format == "markdown":
        out.write(result.to_markdown())
    else:
        out.write(result.to_text())
    return result.exit_code


def _open(path: str) -> tuple[BinaryIO, str]:
    if path == "-":
        if sys.stdin.isatty():
            raise UsageError(
                "no log given: pass a log file, or pipe one in (pip install ... 2>&1 | kb-lint explain -)"
            )
        return sys.stdin.buffer, "<stdin>"
    try:
        if path.endswith(".gz"):  # CI systems keep logs compressed
            import gzip

            return gzip.open(path, "rb"), path  # type: ignore[return-value]
        return open(path, "rb"), path
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a log file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


__all__ = ["UsageError", "add_parser", "run"]
