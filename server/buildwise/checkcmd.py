"""``kb-lint check [PATH ...]``: lint every pyproject.toml and requirements file under the paths."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from buildwise.config import PLATFORMS, Config, parse_python_list
from buildwise.model import Finding, Severity


class CheckUsageError(Exception):
    pass


def add_parser(sub: Any) -> None:
    check = sub.add_parser(
        "check",
        help="lint pyproject.toml and requirements files",
        description="Lint pyproject.toml and requirements files under PATH (default: .).",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.add_argument("--select", help="only these rule codes or prefixes (comma-separated)")
    check.add_argument("--ignore", help="skip these rule codes or prefixes (comma-separated)")
    check.add_argument(
        "--python", action="append", help="target CPython version(s), e.g. 3.12 or 3.12,3.13 (repeatable)"
    )
    check.add_argument("--platform", action="append", help=f"target platform(s): {', '.join(PLATFORMS)}")
    check.add_argument(
        "--free-threaded", action="store_true", help="also check free-threaded builds (3.13t, 3.14t...)"
    )
    check.add_argument(
        "--online",
        action="store_true",
        help="look dependencies up on the package index (PEP 691 JSON API) for exact wheel coverage",
    )
    check.add_argument("--offline", action="store_true", help="like --online, from the cached answers only")
    check.add_argument("--index-url", help="the simple index to ask (default: pip's configuration)")
    check.add_argument("--exclude", action="append", help="skip paths matching this glob (repeatable)")
    check.add_argument(
        "--no-cache", action="store_true", help="compile the knowledge base instead of using the cache"
    )


def _split(values: list[str] | str | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return tuple(v.strip() for chunk in values for v in chunk.split(",") if v.strip())


def overrides_from_args(args: argparse.Namespace) -> Config:
    from buildwise.cli import UsageError

    changes: dict[str, Any] = {}
    select = _split(args.select)
    if select is not None:
        changes["select"] = tuple(s.upper() for s in select)
    ignore = _split(args.ignore)
    if ignore is not None:
        changes["ignore"] = tuple(s.upper() for s in ignore)
    pythons = _split(args.python)
    if pythons is not None:
        good, bad = parse_python_list(pythons)
        if bad:
            raise UsageError(f"--python: not a CPython version: {', '.join(bad)} (use 3.12 or 3.13t)")
        changes["python"] = good
    platforms = _split(args.platform)
    if platforms is not None:
        bad = [p for p in platforms if p not in PLATFORMS]
        if bad:
            raise UsageError(f"--platform: unknown {', '.join(bad)}; known: {', '.join(PLATFORMS)}")
        changes["platforms"] = platforms
    if args.free_threaded:
        changes["free_threaded"] = True
    if args.online or args.offline:
        changes["online"] = True
    if args.index_url:
        if not args.index_url.startswith(("https://", "http://", "file://")):
            raise UsageError(f"--index-url: not a URL: {args.index_url}")
        changes["index_url"] = args.index_url
    exclude = _split(args.exclude)
    if exclude is not None:
        changes["exclude"] = exclude
    return Config().overlay(**changes)


def run(args: argparse.Namespace, out: Any) -> int:
    from buildwise.cli import UsageError
    from buildwise.engine import Workspace
    from buildwise.knowledge import KnowledgeBase

    paths = [Path(p) for p in (args.paths or ["."])]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    overrides = overrides_from_args(args)
    kb = KnowledgeBase.load(use_cache=not args.no_cache)
    errors: list[str] = []

    def on_rule_error(code: str, path: str, exc: BaseException) -> None:
        errors.append(f"{code} failed on {path}: {type(exc).__name__}: {exc}")

    workspace = Workspace(kb, overrides=overrides, override_origin="cli", on_rule_error=on_rule_error)
    workspace.index_offline = bool(args.offline)
    findings, checked = workspace.lint_paths(paths)
    findings.sort(key=Finding.sort_key)
    if args.format == "json":
        json.dump([with_relpath(f.to_json()) for f in findings], out, indent=2)
        out.write("\n")
    else:
        write_text(findings, checked, out)
        if overrides.python is not None or overrides.platforms is not None:
            write_move_report(findings, overrides, out)
    if errors:
        import sys

        for line in errors:
            print(f"kb-lint: internal error: {line}", file=sys.stderr)
        return 2
    return 1 if findings else 0


def relpath(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def with_relpath(data: dict[str, Any]) -> dict[str, Any]:
    data["file"] = relpath(data["file"])
    for fix in data.get("fixes", []):
        for edit in fix["edits"]:
            edit["file"] = relpath(edit["file"])
    return data


def write_text(findings: list[Finding], checked: list[str], out: Any) -> None:
    for f in findings:
        mark = " [*]" if any(fix.safe for fix in f.fixes) else ""
        out.write(
            f"{relpath(f.path)}:{f.span.start.line + 1}:{f.span.start.column + 1}: "
            f"{f.code}{mark} {f.message}\n"
        )
    if not findings:
        out.write(f"All checks passed! ({len(checked)} file{'s' if len(checked) != 1 else ''} checked)\n")
        return
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    parts = [
        f"{n} {s.label}{'s' if n != 1 and s != Severity.INFO else ''}"
        for s, n in sorted(counts.items(), reverse=True)
        if n
    ]
    fixable = sum(1 for f in findings if any(fix.safe for fix in f.fixes))
    tail = f" ({fixable} fixable with --fix)" if fixable else ""
    out.write(
        f"Found {len(findings)} problem{'s' if len(findings) != 1 else ''}: {', '.join(parts)}{tail}.\n"
    )


_WHEEL_CODES = {"KB201", "KB202", "KB203", "KB204", "KB205"}


def write_move_report(findings: list[Finding], overrides: Config, out: Any) -> None:
    """``--python 3.14`` answers "what breaks if we move there": the dependencies that have no
    wheel for the requested targets, one line each, with where they are declared."""
    rows: dict[str, list[str]] = {}
    for f in findings:
        if f.code not in _WHEEL_CODES:
            continue
        package = str(f.data.get("package", "?"))
        where = f"{relpath(f.path)}:{f.span.start.line + 1} {f.code}"
        rows.setdefault(package, []).append(where)
    targets = ", ".join([*(f"CPython {p}" for p in overrides.python or ()), *(overrides.platforms or ())])
    out.write(f"\nOn {targets}: ")
    if not rows:
        out.write("every dependency the knowledge base knows has a wheel.\n")
        return
    out.write(f"{len(rows)} dependenc{'y' if len(rows) == 1 else 'ies'} would build from source or fail:\n")
    for package, places in sorted(rows.items()):
        out.write(f"  {package:<24} {', '.join(dict.fromkeys(places))}\n")
