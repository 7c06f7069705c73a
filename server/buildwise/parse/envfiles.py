"""Files that install packages into test or conda environments: tox.ini ``deps`` and a conda
environment file's ``pip:`` list. Cheap line readers that keep every requirement's place.

tox.ini: ``deps`` of ``[testenv]`` and ``[testenv:<name>]``, one pip requirement per line; a
factor prefix (``py311: numpy``) is dropped; lines with substitutions (``{[testenv]deps}``,
``{env:X}``), options (``-r``, ``-c``, ``-e``) and paths are not requirements and are skipped.

environment.yml: the top-level ``dependencies:`` list; its ``- pip:`` sub-list holds pip
requirements. The conda ``python`` entry (``python=3.11``) gives the Python it targets.
"""

from __future__ import annotations

import re

from buildwise.model import Position, Span
from buildwise.parse.declared import Declared, DependencyFile, Problem
from buildwise.parse.ini import drop_comment, parse_ini

_FACTORS = re.compile(r"^(?P<factors>!?[A-Za-z0-9_.-]+(?:\s*,\s*!?[A-Za-z0-9_.-]+)*)\s*:\s+")


def _skippable(text: str) -> bool:
    return not text or text.startswith(("-", ".", "/", "~")) or "{" in text or "://" in text.split(" @ ")[0]


def parse_tox_ini(text: str, path: str = "tox.ini") -> DependencyFile:
    out = DependencyFile(path, "tox.ini", text)
    doc = parse_ini(text)
    for span, message in doc.errors:
        out.problems.append(Problem(span, f"tox.ini: {message}", "syntax"))
    for name, section in doc.sections.items():
        if name != "testenv" and not name.startswith("testenv:"):
            continue
        entry = section.entries.get("deps")
        if entry is None:
            continue
        for raw in entry.lines:
            line = drop_comment(raw)
            text_ = line.text
            column = line.column
            m = _FACTORS.match(text_)
            if m is not None and not text_[: m.end()].rstrip().endswith("::"):
                column += m.end()
                text_ = text_[m.end() :]
            if _skippable(text_):
                continue
            span = Span(Position(line.line, column), Position(line.line, column + len(text_)))
            out.requirements.append(Declared(text_, f"{name}.deps", span, span))
    return out


_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+(?P<value>.*?)\s*$")
_CONDA_PYTHON = re.compile(
    r"^python(?:\s*(?P<op>==|=|>=|<=|>|<|!=|~=)?\s*(?P<version>[0-9][0-9.*]*))?(?:\s|$|,)"
)


def _unquote(value: str, column: int) -> tuple[str, int]:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1], column + 1
    return value, column


def _conda_python(value: str) -> str | None:
    """conda's ``python=3.11`` means 3.11.*; ``python>=3.10,<3.13`` is already PEP 440."""
    m = _CONDA_PYTHON.match(value)
    if m is None or not m["version"]:
        return None
    op, version = m["op"] or "=", m["version"]
    if op == "=":
        return f"=={version.rstrip('.*')}.*" if not version.endswith("*") else f"=={version}"
    rest = value[m.end() :].strip() if value[m.end() - 1 : m.end()] == "," else ""
    return f"{op}{version}" + (f",{rest}" if rest else "")


def parse_conda_env(text: str, path: str = "environment.yml") -> DependencyFile:
    out = DependencyFile(path, "conda", text)
    in_deps = False
    pip_indent: int | None = None
    item_indent: int | None = None
    for n, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        top = _TOP_KEY.match(line)
        if top is not None:
            in_deps = top["key"] == "dependencies"
            pip_indent = None
            continue
        if not in_deps:
            continue
        m = _ITEM.match(line)
        if m is None:
            continue
        indent = len(m["indent"])
        value = m["value"].partition(" #")[0].rstrip()
        column = m.start("value")
        if pip_indent is not None and indent > pip_indent:
            requirement, column = _unquote(value, column)
            if _skippable(requirement):
                continue
            span = Span(Position(n, column), Position(n, column + len(requirement)))
            out.requirements.append(Declared(requirement, "dependencies.pip", span, span))
            continue
        pip_indent = None
        if item_indent is None:
            item_indent = indent
        if value.rstrip() in ("pip:", "'pip':", '"pip":'):
            pip_indent = indent
            continue
        conda, _ = _unquote(value, column)
        python = _conda_python(conda)
        if python is not None:
            out.requires_python = python
            out.requires_python_span = Span(Position(n, column), Position(n, column + len(value)))
    return out
