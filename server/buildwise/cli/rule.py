"""``kb-lint rule [CODE] [--format text|json]``: a rule's documentation, or the list of rules."""

from __future__ import annotations

import argparse
import json
from typing import Any

from buildwise.cli.errors import UsageError
from buildwise.rules import all_rules, rule, rule_json, rule_markdown


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("rule", help="print a rule's documentation")
    parser.add_argument("code", nargs="?", help="rule code, e.g. KB201 (omit to list all rules)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace, out: Any) -> int:
    return rule_doc_command(args.code, args.format, out)


def rule_doc_command(code: str | None, fmt: str, out: Any) -> int:
    """``kb-lint rule [CODE]``."""
    if code is None:
        rules = all_rules()
        if fmt == "json":
            json.dump([rule_json(r) for r in rules], out, indent=2)
            out.write("\n")
        else:
            for r in rules:
                out.write(f"{r.code}  {r.name:<32} {r.summary}\n")
        return 0
    found = rule(code)
    if found is None:
        raise UsageError(f"unknown rule {code!r}; `kb-lint rule` lists them")
    if fmt == "json":
        json.dump(rule_json(found), out, indent=2)
        out.write("\n")
    else:
        out.write(rule_markdown(found))
    return 0
