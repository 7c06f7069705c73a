"""``kb-lint deps [PATH] [--distro ID] [--format text|json|shell] [--all]``: what to install to build
the project (and the dependencies pip would build from source) on a distro, as one command."""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buildwise.analysis.probes import detect_distro
from buildwise.knowledge.model import ECOSYSTEMS

if TYPE_CHECKING:
    from buildwise.analysis.sysdeps import SourceBuild


def add_parser(sub: Any) -> None:
    deps = sub.add_parser("deps", help="OS packages needed to build the project's native code from source")
    deps.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    deps.add_argument(
        "--distro",
        help="debian, ubuntu, fedora, rhel, alpine, arch, homebrew, conda-forge (default: this machine's)",
    )
    deps.add_argument("--format", choices=("text", "json", "shell"), default="text")
    deps.add_argument("--all", action="store_true", help="every native dependency, as if nothing had a wheel")
    deps.add_argument(
        "--python", action="append", help="target CPython version(s) (default: requires-python)"
    )
    deps.add_argument("--platform", action="append", help="target platform(s)")


def collect(workspace: Any, root: Path, include_all: bool) -> list[SourceBuild]:
    from buildwise.analysis.sysdeps import SourceBuild, source_builds, tree_identifiers
    from buildwise.knowledge.ranges import facts_for
    from buildwise.project.files import discover, is_lock_file

    builds: list[SourceBuild] = []
    seen: set[str] = set()
    own_done = False
    for path in discover([root]):
        if is_lock_file(path):
            continue
        ctx = workspace.context_for(str(path))
        if ctx is None:
            continue
        if include_all:
            for dep in ctx.dependencies:
                pkg = ctx.kb.package(dep.key) if dep.parsed.valid else None
                if pkg is None or pkg.key in seen or pkg.wheel_only:
                    continue
                seen.add(pkg.key)
                pkg = facts_for(pkg, dep.parsed.specifier)
                if pkg.external_ids():
                    builds.append(SourceBuild(pkg.name, "--all", pkg.external_ids(), dep))
                for part in pkg.optional:  # shown, never required: the build works without them
                    ids = list(dict.fromkeys(d.id for d in part.requires))
                    if ids:
                        reason = f"optional {part.part}; {part.fallback_text()}"
                        builds.append(SourceBuild(f"{pkg.name} ({part.name})", reason, ids, dep))
        else:
            for build in source_builds(ctx):
                if build.name.lower() not in seen:
                    seen.add(build.name.lower())
                    builds.append(build)
        if not own_done and ctx.project.looks_like_package:
            own = tree_identifiers(ctx.project.source_tree)
            own_done = True
            if own is not None:
                name = str(
                    (ctx.project.toml.get("project", "name") if ctx.project.toml else None) or root.name
                )
                builds.append(SourceBuild(name, f"its own {own[1]} code", own[0]))
    return builds


def run(args: argparse.Namespace, out: Any) -> int:
    from buildwise.analysis.sysdeps import INSTALL_COMMANDS, with_python_headers
    from buildwise.cli.check import _split
    from buildwise.cli.errors import UsageError
    from buildwise.engine import Workspace
    from buildwise.knowledge import KnowledgeBase, load_knowledge
    from buildwise.project.config import PLATFORMS, Config, parse_python_list

    root = Path(args.path)
    if not root.exists():
        raise UsageError(f"no such file or directory: {root}")
    distro = args.distro or detect_distro()
    eco = KnowledgeBase.ecosystem_for(distro)
    if eco not in ECOSYSTEMS:
        raise UsageError(
            f"unknown distro {distro!r}; known: {', '.join(ECOSYSTEMS)} (and rhel, centos, rocky, manjaro...)"
        )
    changes: dict[str, Any] = {}
    if args.python:
        good, bad = parse_python_list(_split(args.python) or ())
        if bad:
            raise UsageError(f"--python: not a CPython version: {', '.join(bad)}")
        changes["python"] = good
    if args.platform:
        platforms = _split(args.platform) or ()
        if any(p not in PLATFORMS for p in platforms):
            raise UsageError(f"--platform: one of {', '.join(PLATFORMS)}")
        changes["platforms"] = platforms
    kb = load_knowledge()
    from buildwise.project.files import FileReader, project_boundary

    reader = FileReader(roots=[project_boundary(root)])  # nothing outside the project is read
    workspace = Workspace(kb, reader, overrides=Config().overlay(**changes))
    builds = collect(workspace, root if root.is_dir() else root.parent, args.all)
    ids = with_python_headers([i for b in builds for i in b.identifiers])
    packages = kb.system_packages(ids, eco)
    command = (
        INSTALL_COMMANDS[eco].format(" ".join(shlex.quote(n) for n in packages.names))
        if packages.names
        else ""
    )
    if args.format == "json":
        json.dump(
            {
                "distro": distro,
                "ecosystem": eco,
                "packages": packages.names,
                "command": command,
                "needs": [
                    {
                        "name": b.name,
                        "reason": b.reason,
                        "identifiers": b.identifiers,
                        "packages": kb.system_packages(b.identifiers, eco).names,
                    }
                    for b in builds
                ],
                "notes": packages.notes,
            },
            out,
            indent=2,
        )
        out.write("\n")
    elif args.format == "shell":
        out.write((command or f"# nothing to install on {eco}") + "\n")
        for ident, note in packages.notes.items():
            out.write(f"# {ident}: {note}\n")
    else:
        if not builds:
            out.write(f"Nothing needs building from source for these targets; nothing to install on {eco}.\n")
            return 0
        out.write(f"Building from source on {eco} needs:\n")
        for b in builds:
            names = " ".join(kb.system_packages(b.identifiers, eco).names) or "-"
            out.write(f"  {b.name:<20} {names:<40} ({b.reason})\n")
        for ident, note in packages.notes.items():
            out.write(f"  note: {ident}: {note}\n")
        out.write(f"\n{command}\n" if command else "\n")
    return 0
