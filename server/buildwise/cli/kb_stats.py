"""``kb-lint kb stats``: what the knowledge base holds, and how much of a ranked list it covers."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from buildwise.cli.errors import UsageError
from buildwise.knowledge import KnowledgeBase, normalize_name


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "--top",
        metavar="FILE",
        help="ranked list of project names: one per line, or a tab-separated file with a header "
        "whose first column is the name (sorted by a 'rank...' column when it has one)",
    )
    parser.add_argument("-n", type=int, default=1000, help="how many names of --top to check (default 1000)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def read_ranked(path: Path) -> list[str]:
    """Names in rank order from a plain list or a TSV with a header row."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not a UTF-8 text file") from None
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    if not rows:
        return []
    if len(rows[0]) == 1:
        return [r[0].strip() for r in rows]
    header = [h.strip().lower() for h in rows[0]]
    body = rows[1:]
    rank_col = next((i for i, h in enumerate(header) if h.startswith("rank")), None)
    if rank_col is not None:
        ranked = []
        for row in body:
            cell = row[rank_col].strip() if rank_col < len(row) else ""
            if cell.isdigit():
                ranked.append((int(cell), row[0].strip()))
        return [name for _, name in sorted(ranked)]
    return [r[0].strip() for r in body]


def summary(kb: KnowledgeBase) -> dict[str, Any]:
    packages = [p for k in kb.package_keys() if (p := kb.package(k)) is not None]
    languages = Counter(lang for p in packages for lang in p.languages)
    return {
        "packages": len(packages),
        "identifiers": len(kb.identifier_ids()),
        "languages": dict(languages.most_common()),
        "wheel_only": sorted(p.key for p in packages if p.wheel_only),
        "with_optional_parts": sorted(p.key for p in packages if p.optional),
        "with_ranges": sorted(p.key for p in packages if p.ranges),
        "with_unverified_facts": sorted(p.key for p in packages if p.unverified),
    }


def coverage_of(kb: KnowledgeBase, names: list[str], n: int) -> dict[str, Any]:
    top = list(dict.fromkeys(normalize_name(x) for x in names if x))[:n]
    known = [x for x in top if kb.package(x) is not None]
    return {
        "checked": len(top),
        "with_entry": len(known),
        "without_entry": [x for x in top if kb.package(x) is None],
    }


def run(kb: KnowledgeBase, args: argparse.Namespace, out: Any) -> int:
    if args.n <= 0:
        raise UsageError("-n must be a positive number")
    data = summary(kb)
    if args.top:
        data["top"] = {"file": args.top, **coverage_of(kb, read_ranked(Path(args.top)), args.n)}
    if args.format == "json":
        json.dump(data, out, indent=2)
        out.write("\n")
        return 0
    langs = ", ".join(f"{k} {v}" for k, v in data["languages"].items())
    out.write(f"knowledge base: {data['packages']} packages, {data['identifiers']} identifiers\n")
    out.write(f"  compiled languages: {langs}\n")
    out.write(
        f"  wheel-only: {len(data['wheel_only'])}; with optional native parts: "
        f"{len(data['with_optional_parts'])}; with version ranges: {len(data['with_ranges'])}; "
        f"with unverified facts: {len(data['with_unverified_facts'])}\n"
    )
    top = data.get("top")
    if top is not None:
        share = 100.0 * top["with_entry"] / top["checked"] if top["checked"] else 0.0
        out.write(
            f"top {top['checked']} of {top['file']}: {top['with_entry']} have an entry ({share:.1f}%), "
            f"{len(top['without_entry'])} do not\n"
        )
        if top["without_entry"]:
            out.write(f"  first without an entry: {', '.join(top['without_entry'][:20])}\n")
    return 0


__all__ = ["add_arguments", "coverage_of", "read_ranked", "run", "summary"]
