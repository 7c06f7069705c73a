"""setup.cfg's dependency settings, as setuptools reads them (setuptools/config/setupcfg.py).

``[options] install_requires``, ``setup_requires`` (build requirements), ``python_requires``, and
``[options.extras_require]``. A list value has one requirement per line; a one-line value is split
at ``;`` (so a marker on a one-line value breaks it, which is reported). ``file: a.txt, b.txt``
reads requirements from files, which are then checked as requirements files.
"""

from __future__ import annotations

import re

from buildwise.parse.declared import Declared, DependencyFile, Problem
from buildwise.parse.ini import IniDocument, IniEntry, ValueLine, drop_comment, parse_ini

_MARKER_START = re.compile(
    r"(python_(full_)?version|sys_platform|platform_\w+|os_name|implementation_\w+|extra)\s*(==|!=|<|>|~|in\b|not\b)"
)
_LISTS = {
    "install_requires": ("options.install_requires", False),
    "setup_requires": ("options.setup_requires", True),
}


def _key(entry_key: str) -> str:
    return entry_key.strip().lower().replace("-", "_")


def _requirement_lines(entry: IniEntry, out: DependencyFile) -> list[ValueLine]:
    if len(entry.lines) == 1 and entry.lines[0].text.startswith("file:"):
        head = entry.lines[0]
        for name in head.text[len("file:") :].split(","):
            if name.strip():
                out.includes.append(name.strip())
        return []
    lines = [drop_comment(v) for v in entry.lines]
    lines = [v for v in lines if v.text and not v.text.startswith("#")]
    if len(entry.lines) == 1 and lines and ";" in lines[0].text:
        # setuptools reads a one-line list as "a; b": each piece a requirement of its own.
        only = lines[0]
        pieces = []
        offset = 0
        for piece in only.text.split(";"):
            stripped = piece.strip()
            column = only.column + offset + len(piece) - len(piece.lstrip())
            offset += len(piece) + 1
            if not stripped:
                continue
            if _MARKER_START.match(stripped):
                out.problems.append(
                    Problem(
                        ValueLine(stripped, only.line, column).span,
                        f"setuptools splits a one-line {entry.key} at ';', so {stripped!r} is read as "
                        "a requirement of its own, not as the marker of the one before: put each "
                        "requirement on its own indented line",
                    )
                )
                continue
            pieces.append(ValueLine(stripped, only.line, column))
        return pieces
    return lines


def _add(entry: IniEntry, group: str, build: bool, out: DependencyFile) -> None:
    for line in _requirement_lines(entry, out):
        out.requirements.append(Declared(line.text, group, line.span, line.span, build=build))


def read_setup_cfg(doc: IniDocument, out: DependencyFile) -> None:
    options = doc.sections.get("options")
    if options is not None:
        for entry in options.entries.values():
            key = _key(entry.key)
            if key in _LISTS:
                group, build = _LISTS[key]
                _add(entry, group, build, out)
            elif key == "python_requires" and entry.lines:
                out.requires_python = entry.lines[0].text
                out.requires_python_span = entry.lines[0].span
    extras = doc.sections.get("options.extras_require")
    if extras is not None:
        for entry in extras.entries.values():
            _add(entry, f"options.extras_require.{entry.key}", False, out)


def parse_setup_cfg(text: str, path: str = "setup.cfg") -> DependencyFile:
    out = DependencyFile(path, "setup.cfg", text)
    doc = parse_ini(text)
    for span, message in doc.errors:
        out.problems.append(Problem(span, f"setup.cfg: {message}", "syntax"))
    read_setup_cfg(doc, out)
    return out
