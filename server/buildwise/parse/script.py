"""PEP 723 inline script metadata: the ``# /// script`` block of a Python file.

The block's TOML is parsed in place: every line of the file outside the block becomes empty and
each block line loses its ``# `` prefix (replaced by two spaces), so every position the TOML parser
reports is already the position in the script. The block's ``dependencies`` and
``requires-python`` are read as in pyproject.toml.
"""

from __future__ import annotations

import re

from buildwise.model import Span
from buildwise.parse.declared import Declared, DependencyFile, Problem
from buildwise.parse.toml import parse_toml
from buildwise.parse.toml_document import TomlDocument

# The reference regular expression of PEP 723 (its "Reference Implementation" section).
_BLOCK = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")


def script_block(text: str) -> tuple[int, int] | None:
    """First and last line (0-based, the ``# ///`` lines) of the ``script`` block, if any."""
    blocks = [m for m in _BLOCK.finditer(text) if m["type"] == "script"]
    if not blocks:
        return None
    m = blocks[0]
    return text.count("\n", 0, m.start()), text.count("\n", 0, m.end())


def has_script_block(text: str) -> bool:
    return "# /// script" in text and script_block(text) is not None


def parse_script(text: str, path: str) -> tuple[DependencyFile, TomlDocument | None]:
    out = DependencyFile(path, "script", text)
    block = script_block(text)
    if block is None:
        return out, None
    first, last = block
    lines = text.split("\n")
    toml_lines = [""] * len(lines)
    for n in range(first + 1, last):
        line = lines[n]
        toml_lines[n] = "  " + line[2:] if line.startswith("# ") else ""
    doc = parse_toml("\n".join(toml_lines), path)
    for error in doc.errors:
        out.problems.append(Problem(error.span, f"script metadata: {error.message}", "syntax"))
    rp = doc.get("requires-python")
    info = doc.key("requires-python")
    if isinstance(rp, str) and info is not None:
        from buildwise.parse.poetry import inner

        out.requires_python = rp
        out.requires_python_span = inner(info.value_span, doc)
    deps = doc.get("dependencies")
    deps_info = doc.key("dependencies")
    if deps is not None and (not isinstance(deps, list) or deps_info is None or deps_info.array is None):
        where = deps_info.value_span if deps_info is not None else Span.lines(first)
        out.problems.append(Problem(where, "script metadata: dependencies must be an array of strings"))
        return out, doc
    if deps_info is not None and deps_info.array is not None and isinstance(deps, list):
        for i, value in enumerate(deps):
            element = deps_info.array.element(i)
            if not isinstance(value, str):
                out.problems.append(
                    Problem(element.span, "script metadata: dependencies entries must be strings")
                )
                continue
            out.requirements.append(Declared(value, "script.dependencies", element.span, element.value_span))
    return out, doc
