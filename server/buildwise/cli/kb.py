"""``kb-lint kb validate|show|list|stats``: read and check the knowledge base."""

from __future__ import annotations

import argparse
import json
from typing import Any

from buildwise.cli.errors import UsageError
from buildwise.knowledge import (
    ECOSYSTEMS,
    PLATFORMS,
    KnowledgeBase,
    KnowledgeError,
    PackageInfo,
    load_knowledge,
    normalize_name,
)
from buildwise.knowledge.loader import default_root


def add_parser(sub: Any) -> None:
    kb = sub.add_parser("kb", help="read and check the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="COMMAND", required=True)

    validate = kb_sub.add_parser("validate", help="validate every knowledge-base file")
    validate.add_argument("--root", help="knowledge base directory (default: the bundled one)")

    show = kb_sub.add_parser("show", help="show what the knowledge base knows about a package")
    show.add_argument("name")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument("--distro", help="only this ecosystem's packages (debian, fedora, alpine...)")

    stats = kb_sub.add_parser("stats", help="counts, and coverage of a ranked list of projects")
    from buildwise.cli import kb_stats

    kb_stats.add_arguments(stats)

    lst = kb_sub.add_parser("list", help="list knowledge-base entries")
    lst.add_argument("--language", help="only packages compiling this language (c, cxx, rust...)")
    lst.add_argument("--identifier", help="only packages needing this identifier (dep:generic/libpq)")
    lst.add_argument("--no-wheels", action="store_true", help="only packages publishing no wheels")
    lst.add_argument("--identifiers", action="store_true", help="list identifiers instead")
    lst.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace, out: Any) -> int:
    if args.kb_command == "validate":
        return _validate(args, out)
    kb = load_knowledge()
    if args.kb_command == "show":
        return _show(kb, args, out)
    if args.kb_command == "stats":
        from buildwise.cli import kb_stats

        return kb_stats.run(kb, args, out)
    return _list(kb, args, out)


def _validate(args: argparse.Namespace, out: Any) -> int:
    from pathlib import Path

    from buildwise.knowledge.validate import validate

    root = Path(args.root) if args.root else default_root()
    problems = validate(root)
    for problem in problems:
        print(problem, file=out)
    kb = KnowledgeBase.load(root, use_cache=False)
    n_pkg, n_id = len(kb.package_keys()), len(kb.identifier_ids())
    if problems:
        print(f"{len(problems)} problem(s) in {n_pkg} packages and {n_id} identifiers", file=out)
        return 1
    print(f"knowledge base valid: {n_pkg} packages, {n_id} identifiers ({root})", file=out)
    return 0


def wheels_json(pkg: PackageInfo) -> dict[str, Any]:
    w = pkg.wheels
    if w is None:
        return {"known": False}
    return {
        "known": True,
        "published": w.published,
        "python": {
            py: {"first": str(r.first) if r.first else None, "last": str(r.last) if r.last else None}
            for py, r in w.python.items()
        },
        "abi3": None
        if w.abi3 is None
        else {"first": str(w.abi3.first), "python": "{}.{}".format(*w.abi3.python)},
        "platforms": {p: (str(v) if v is not False else False) for p, v in w.platforms.items()},
        "pure": None
        if w.pure is None
        else {"first": str(w.pure.first), "last": str(w.pure.last) if w.pure.last else None},
        "py3": None
        if w.py3 is None
        else {"first": str(w.py3.first), "last": str(w.py3.last) if w.py3.last else None},
        "notes": w.notes,
    }


def show_json(kb: KnowledgeBase, pkg: PackageInfo, ecosystems: tuple[str, ...]) -> dict[str, Any]:
    system: dict[str, list[str]] = {}
    notes: dict[str, dict[str, str]] = {}
    for eco in ecosystems:
        packages = kb.package_system_packages(pkg, eco)
        system[eco] = packages.names
        if packages.notes:
            notes[eco] = packages.notes
    return {
        "name": pkg.name,
        "summary": pkg.summary,
        "languages": list(pkg.languages),
        "build_requires": list(pkg.build_requires),
        "build_backend": pkg.build_backend,
        "external": {
            "build": [d.text for d in pkg.external.get("build-requires", ())],
            "host": [d.text for d in pkg.external.get("host-requires", ())],
            "run": [d.text for d in pkg.external.get("dependencies", ())],
        },
        "system_packages": system,
        "system_package_notes": notes,
        "alternatives": [
            {"requirement": a.requirement, "kind": a.kind, "same_import": a.same_import, "caveats": a.caveats}
            for a in pkg.alternatives
        ],
        "wheels": wheels_json(pkg),
        "unverified": list(pkg.unverified),
        "references": [
            {"type": r.type, "url": r.url, "facts": list(r.facts), **({"note": r.note} if r.note else {})}
            for r in pkg.references
        ],
        "last_reviewed": pkg.last_reviewed,
    }


def _ecosystems(args: argparse.Namespace) -> tuple[str, ...]:
    if not getattr(args, "distro", None):
        return ECOSYSTEMS
    eco = KnowledgeBase.ecosystem_for(args.distro)
    if eco not in ECOSYSTEMS:
        raise UsageError(f"unknown distro {args.distro!r}; known: {', '.join(ECOSYSTEMS)}")
    return (eco,)


def _show(kb: KnowledgeBase, args: argparse.Namespace, out: Any) -> int:
    pkg = kb.package(args.name)
    if pkg is None:
        raise UsageError(
            f"{args.name!r} is not in the knowledge base (no native build known for it; "
            "`kb-lint kb list` shows what is)"
        )
    data = show_json(kb, pkg, _ecosystems(args))
    if args.format == "json":
        json.dump(data, out, indent=2)
        out.write("\n")
        return 0
    out.write(format_show(kb, pkg, data))
    return 0


def _wheel_line(pkg: PackageInfo, kb: KnowledgeBase) -> list[str]:
    w = pkg.wheels
    if w is None:
        return ["  wheel coverage: not recorded"]
    if not w.published:
        return ["  wheels: none published; every install builds from source"]
    lines = []
    for py in kb.pythons + [f"{p}t" for p in kb.pythons]:
        rng = w.python.get(py)
        first = w.first_for_python(py)
        if rng is None and first is None:
            continue
        text = f"from {first}" if first else "none"
        if rng is not None and rng.last is not None:
            text += f" to {rng.last}"
        lines.append(f"    CPython {py:<6} {text}")
    if w.abi3 is not None:
        lines.append(f"    abi3 (CPython >= {w.abi3.python[0]}.{w.abi3.python[1]}) from {w.abi3.first}")
    if w.py3 is not None:
        lines.append(f"    any CPython (py3-none-<platform> wheels) from {w.py3.first}")
    if w.pure is not None:
        lines.append(
            f"    pure-Python wheel (py3-none-any, used where nothing else fits) from {w.pure.first}"
        )
    plat = []
    for p in PLATFORMS:
        if p in w.platforms:
            v = w.platforms[p]
            plat.append(f"{p}: " + ("none" if v is False else f"from {v}"))
    head = ["  wheels by CPython (first release with a wheel):"] if lines else []
    tail = ["  wheels by platform: " + ", ".join(plat)] if plat else []
    return head + lines + tail


def format_show(kb: KnowledgeBase, pkg: PackageInfo, data: dict[str, Any]) -> str:
    lines = [f"{pkg.name}: {pkg.summary}"]
    lines.append(f"  languages: {', '.join(pkg.languages) or 'none'}")
    if pkg.build_requires:
        lines.append(f"  build requires: {', '.join(pkg.build_requires)}")
    for key, label in (("build", "build tools"), ("host", "libraries")):
        if data["external"][key]:
            lines.append(f"  {label}: {', '.join(data['external'][key])}")
    lines += _wheel_line(pkg, kb)
    if data["system_packages"]:
        lines.append("  to build from source, install:")
        for eco, names in data["system_packages"].items():
            note = data["system_package_notes"].get(eco)
            extra = "; ".join(f"{k}: {v}" for k, v in (note or {}).items())
            lines.append(f"    {eco:<12} {' '.join(names) or '-'}" + (f"  ({extra})" if extra else ""))
    for alt in pkg.alternatives:
        lines.append(f"  instead: {alt.requirement} ({alt.kind}) - {alt.caveats}")
    if pkg.unverified:
        lines.append(f"  unverified: {', '.join(pkg.unverified)}")
    lines.append(f"  sources (reviewed {pkg.last_reviewed}):")
    for ref in pkg.references:
        lines.append(f"    [{ref.type}] {ref.url} ({', '.join(ref.facts)})")
    return "\n".join(lines) + "\n"


def _list(kb: KnowledgeBase, args: argparse.Namespace, out: Any) -> int:
    if args.identifiers:
        rows = [
            {"id": i, "description": info.description, "registry": info.registry}
            for i in kb.identifier_ids()
            if (info := kb.identifier(i)) is not None
        ]
        if args.format == "json":
            json.dump(rows, out, indent=2)
            out.write("\n")
        else:
            for row in rows:
                out.write(f"{row['id']:<40} {row['description']}\n")
        return 0
    selected: list[PackageInfo] = []
    for key in kb.package_keys():
        pkg = kb.package(key)
        assert pkg is not None
        if args.language and args.language not in pkg.languages:
            continue
        if args.identifier and args.identifier not in pkg.external_ids(
            ("build-requires", "host-requires", "dependencies")
        ):
            continue
        if args.no_wheels and not (pkg.wheels is not None and not pkg.wheels.published):
            continue
        selected.append(pkg)
    if args.format == "json":
        json.dump(
            [{"name": p.name, "languages": list(p.languages), "summary": p.summary} for p in selected],
            out,
            indent=2,
        )
        out.write("\n")
    else:
        for p in selected:
            out.write(f"{normalize_name(p.name):<28} {','.join(p.languages) or '-':<16} {p.summary}\n")
    return 0


__all__ = ["KnowledgeError", "UsageError", "add_parser", "run", "show_json"]
