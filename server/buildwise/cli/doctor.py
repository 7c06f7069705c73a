"""``kb-lint doctor [PATH]``: would the source builds pip needs here succeed on this machine?

``--import``: do the installed native packages load (missing shared libraries)?
Exit codes: 0 everything needed is here, 1 a needed build would fail (or an import fails), 2 usage.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildwise.cli.errors import UsageError

if TYPE_CHECKING:
    from buildwise.analysis.doctor import DoctorReport


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "doctor",
        help="check that this machine has what the project's source builds need (never installs anything)",
    )
    p.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    p.add_argument(
        "--python",
        metavar="PATH",
        help="the interpreter to install into (default: the active virtualenv's, else kb-lint's own)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--distro", help="whose package names to use (default: this machine's)")
    p.add_argument("--online", action="store_true", help="ask the package index for exact file lists")
    p.add_argument("--index-url", help="the index to ask with --online (default: pip's configuration)")
    p.add_argument(
        "--import",
        dest="check_imports",
        action="store_true",
        help="import each installed native package in a subprocess and report the ones that fail to load",
    )
    p.add_argument("--timeout", type=float, default=10.0, help="seconds each probe may take (default: 10)")


def run_doctor(args: argparse.Namespace) -> DoctorReport:
    from buildwise.engine import Workspace, doctor_report
    from buildwise.knowledge import load_knowledge
    from buildwise.project.config import Config
    from buildwise.project.files import FileReader, project_boundary

    reader = FileReader(roots=[project_boundary(args.path)])  # nothing outside the project is read
    workspace = Workspace(load_knowledge(), reader, overrides=Config())
    index = None
    if args.online:
        from buildwise.analysis.index import IndexClient, resolve_index_url
        from buildwise.knowledge.loader import cache_dir

        url = resolve_index_url(args.index_url)
        if url is None:
            raise UsageError("--online: no index URL (set --index-url)")
        index = IndexClient(url, cache_dir())
    return doctor_report(workspace, Path(args.path), args.python, args.distro, index, timeout=args.timeout)


def run(args: argparse.Namespace, out: Any) -> int:
    from buildwise.analysis.interpreter import InterpreterError

    root = Path(args.path)
    if not root.exists():
        raise UsageError(f"no such file or directory: {root}")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    try:
        if args.check_imports:
            return _run_imports(args, out)
        report = run_doctor(args)
    except InterpreterError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        json.dump(report.to_json(), out, indent=2)
        out.write("\n")
    else:
        from buildwise.output.doctor import text

        out.write(text(report))
    return 0 if report.ok else 1


def _run_imports(args: argparse.Namespace, out: Any) -> int:
    from buildwise.analysis.imports import check_imports
    from buildwise.analysis.interpreter import default_python, probe_interpreter
    from buildwise.analysis.probes import machine_ecosystem
    from buildwise.knowledge import load_knowledge

    python = args.python or default_python()
    probe_interpreter(python)  # one line (exit 2) when it is not a working interpreter
    report = check_imports(load_knowledge(), python, machine_ecosystem(args.distro), timeout=args.timeout * 6)
    if args.format == "json":
        json.dump(report.to_json(), out, indent=2)
        out.write("\n")
    else:
        from buildwise.output.doctor import imports_text

        out.write(imports_text(report))
    return 1 if report.failures or report.problems else 0
