"""``kb-lint check [PATH ...]``: lint every pyproject.toml and requirements file under the paths."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from buildwise.model import Finding, Severity
from buildwise.output import FORMATS, writer
from buildwise.output.plain import relpath
from buildwise.project.config import PLATFORMS, Config, parse_python_list


class CheckUsageError(Exception):
    pass


def add_parser(sub: Any) -> None:
    check = sub.add_parser(
        "check",
        help="lint pyproject.toml, requirements, lock and other dependency files",
        description="Lint the dependency files under PATH (default: .): pyproject.toml, requirements "
        "and lock files, Pipfile, setup.cfg, setup.py, tox.ini, conda environments; a .py file named "
        "here is read as a PEP 723 script.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument(
        "--format", choices=FORMATS, default="text", help="output format on stdout (default: text)"
    )
    check.add_argument(
        "--output-format",
        choices=("full", "concise"),
        default="full",
        help="text: full (help/note lines under each finding, a summary by cause) or concise (one line each)",
    )
    check.add_argument(
        "--distro",
        help="whose install commands help lines show (default: this machine's; 'all' for every distro)",
    )
    check.add_argument(
        "--statistics", action="store_true", help="text: a count per rule instead of the findings"
    )
    check.add_argument(
        "--output",
        action="append",
        metavar="[FORMAT=]FILE|FORMAT",
        help="write a report: FILE (in --format), FORMAT=FILE, or FORMAT (to stdout); repeatable",
    )
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "hint", "never"),
        default="warning",
        help="exit 1 when a finding is at least this severe (default: warning)",
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: also unsafe fixes")
    check.add_argument("--diff", action="store_true", help="show the fixes as a diff instead of writing them")
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
        "--root",
        action="append",
        metavar="DIR",
        help="also read files under DIR (default: only the repository or project of each PATH)",
    )
    check.add_argument(
        "--no-cache", action="store_true", help="compile the knowledge base instead of using the cache"
    )
    check.add_argument(
        "--include-test-data",
        action="store_true",
        help="also check test-data folders (tests/cases, fixtures ...) found under a directory",
    )
    check.add_argument(
        "--verbose", action="store_true", help="say on stderr what was skipped and where targets came from"
    )


def _split(values: list[str] | str | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return tuple(v.strip() for chunk in values for v in chunk.split(",") if v.strip())


def overrides_from_args(args: argparse.Namespace) -> Config:
    from buildwise.cli.errors import UsageError

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
    if getattr(args, "include_test_data", False):
        changes["include_test_data"] = True
    return Config().overlay(**changes)


def _outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) for each report to write."""
    from buildwise.cli.errors import UsageError

    if not args.output:
        return [(args.format, None)]
    outputs: list[tuple[str, str | None]] = []
    for spec in args.output:
        fmt, sep, target = spec.partition("=")
        if sep:
            if fmt not in FORMATS:
                raise UsageError(f"--output {spec}: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
            outputs.append((fmt, target or None))
        elif spec in FORMATS:
            outputs.append((spec, None))
        else:
            outputs.append((args.format, spec))
    if sum(1 for _, target in outputs if target is None) > 1:
        raise UsageError("--output: only one report can go to stdout")
    return outputs


def run(args: argparse.Namespace, out: Any) -> int:
    from buildwise.cli.errors import UsageError
    from buildwise.engine import Workspace
    from buildwise.knowledge import KnowledgeBase
    from buildwise.project.files import FileReader, project_boundary

    paths = [Path(p) for p in (args.paths or ["."])]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    outputs = _outputs(args)
    overrides = overrides_from_args(args)
    kb = KnowledgeBase.load(use_cache=not args.no_cache)
    errors: list[str] = []

    def on_rule_error(code: str, path: str, exc: BaseException) -> None:
        errors.append(f"{code} failed on {path}: {type(exc).__name__}: {exc}")

    reader = FileReader(roots=[project_boundary(p) for p in paths])
    for root in args.root or ():
        if not os.path.isdir(root):
            raise UsageError(f"--root: not a directory: {root}")
        reader.add_root(root)
    workspace = Workspace(kb, reader, overrides=overrides, override_origin="cli", on_rule_error=on_rule_error)
    workspace.index_offline = bool(args.offline)
    if args.fix or args.diff:
        code = _apply_fixes(workspace, paths, args, out)
        if code is not None:
            return code
    progress = None
    if getattr(sys.stderr, "isatty", lambda: False)():
        from buildwise.output.text import Progress

        progress = Progress(sys.stderr)
    try:
        findings, checked = workspace.lint_paths(paths, progress)
    finally:
        if progress is not None:
            progress.close()
    findings.sort(key=Finding.sort_key)
    unknown = None
    if args.verbose or any(fmt == "summary" for fmt, _ in outputs):
        from buildwise.analysis.unknown import unknown_report

        contexts = [c for p in checked if (c := workspace.context_for(p)) is not None]
        unknown = unknown_report(contexts)
    if args.verbose:
        _verbose_report(workspace, checked, unknown or [])

    def write(fmt: str, findings: list[Finding], checked: list[str], fh: Any) -> None:
        if fmt == "summary":
            from buildwise.output.summary import write_summary

            write_summary(findings, checked, fh, unknown, _targets_json(workspace, checked))
        else:
            writer(fmt)(findings, checked, fh)

    for fmt, target in outputs:
        if target is None:
            if fmt == "text":
                from buildwise.output.text import write as write_text

                write_text(findings, checked, out, text_options(args, out))
                if overrides.python is not None or overrides.platforms is not None:
                    write_move_report(findings, overrides, out)
            else:
                write(fmt, findings, checked, out)
            continue
        try:
            with open(target, "w", encoding="utf-8") as fh:
                write(fmt, findings, checked, fh)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if errors:
        for line in errors:
            print(f"kb-lint: internal error: {line}", file=sys.stderr)
        return 2
    if args.fail_on == "never":
        return 0
    threshold = Severity.parse(args.fail_on)
    return 1 if any(f.severity >= threshold for f in findings) else 0


def text_options(args: argparse.Namespace, out: Any) -> Any:
    from buildwise.analysis.probes import detect_distro
    from buildwise.cli.errors import UsageError
    from buildwise.knowledge import KnowledgeBase
    from buildwise.knowledge.model import ECOSYSTEMS
    from buildwise.output.text import TextOptions, use_colour

    distro = args.distro.lower() if args.distro else None
    if distro is not None and distro != "all":
        distro = KnowledgeBase.ecosystem_for(distro)
        if distro not in ECOSYSTEMS:
            raise UsageError(f"--distro: one of {', '.join(ECOSYSTEMS)} or all")
    return TextOptions(
        distro=distro or detect_distro(),
        concise=args.output_format == "concise",
        colour=use_colour(out),
        statistics=args.statistics,
    )


def _targets_json(workspace: Any, checked: list[str]) -> list[dict[str, Any]]:
    """Each project's targets and where they came from (for --format summary)."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in checked:
        project = workspace.project_for(path)
        if str(project.root) in seen:
            continue
        seen.add(str(project.root))
        out.append({"project": relpath(str(project.root)) or ".", **project.targets.to_json()})
    return out


def _verbose_report(workspace: Any, checked: list[str], unknown: list[dict[str, Any]]) -> None:
    """--verbose: the test-data folders left out, each project's targets with their sources, and the
    dependencies the knowledge base does not know."""
    for folder in workspace.skipped:
        print(
            f"kb-lint: skipped test data or CI tooling {relpath(folder)} (--include-test-data checks it)",
            file=sys.stderr,
        )
    seen: set[str] = set()
    for path in checked:
        project = workspace.project_for(path)
        key = str(project.root)
        if key in seen:
            continue
        seen.add(key)
        print(f"kb-lint: {relpath(key) or '.'}: {project.targets.describe()}", file=sys.stderr)
    if unknown:
        names = ", ".join(str(u["name"]) + (f" ({u['index']})" if u["index"] else "") for u in unknown)
        online = any(u["index"] for u in unknown)
        how = (
            "their wheels were checked on the index"
            if online
            else "not checked; --online checks their wheels"
        )
        print(
            f"kb-lint: {len(unknown)} dependencies not in the knowledge base ({how}): {names}",
            file=sys.stderr,
        )


def _apply_fixes(workspace: Any, paths: list[Path], args: argparse.Namespace, out: Any) -> int | None:
    """--fix writes (atomically, refusing files changed meanwhile); --diff prints. Returns an exit
    code to stop with (--diff), or None to go on and report what is left."""
    import difflib

    from buildwise.fixes.apply import ChangedOnDisk, compute_fixes, write_atomically

    result = compute_fixes(workspace, paths, unsafe=args.unsafe_fixes)
    workspace.reader.overlays.clear()
    workspace.invalidate()
    if args.diff:
        for path, (old, new) in sorted(result.changed.items()):
            rel = relpath(path)
            out.writelines(
                difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{rel}", f"b/{rel}")
            )
        n = len(result.applied)
        out.write(
            f"Would fix {result.fixed} problem{'s' if result.fixed != 1 else ''} "
            f"(would apply {n} fix{'es' if n != 1 else ''} in {len(result.changed)} file(s)).\n"
        )
        return 1 if result.changed else 0
    for path, (old_bytes, new_bytes) in sorted(result.writes.items()):
        try:
            write_atomically(path, old_bytes, new_bytes)
        except ChangedOnDisk as exc:
            print(f"kb-lint: {exc}", file=sys.stderr)
            return 2
    if result.applied:
        n = len(result.applied)
        fixed = result.fixed
        print(
            f"Fixed {fixed} problem{'s' if fixed != 1 else ''} "
            f"({n} fix{'es' if n != 1 else ''} in {len(result.changed)} file(s)).",
            file=sys.stderr,
        )
    if result.unfixed:
        n = len(result.unfixed)
        print(
            f"kb-lint: {n} fix{'es' if n != 1 else ''} did not remove {'their' if n != 1 else 'its'} "
            f"finding and {'were' if n != 1 else 'was'} not applied again: "
            + ", ".join(f"{relpath(f.path)}:{f.span.start.line + 1} {f.code}" for f in result.unfixed[:10]),
            file=sys.stderr,
        )
    return None


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
