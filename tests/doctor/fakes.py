"""Fake PATH directories for doctor tests: shell scripts that replay real tools' recorded outputs
(tests/doctor/recorded/, see its README), with the machine's directories moved under a temporary
"container root" so a test decides which headers exist."""

from __future__ import annotations

import os
import shlex
import stat
from dataclasses import dataclass, field
from pathlib import Path

RECORDED = Path(__file__).parent / "recorded"

_EMIT = 'emit() { while IFS= read -r line || [ -n "$line" ]; do printf \'%s\\n\' "$line"; done < "$1"; }'


def recorded(name: str, root: Path | None = None) -> str:
    text = (RECORDED / name).read_text()
    return text.replace("/usr/", f"{root}/usr/") if root is not None else text


@dataclass
class Case:
    args: str
    stdout: str = ""
    stderr: str = ""
    code: int = 0
    #: match any arguments that start with ``args``
    prefix: bool = False


@dataclass
class Container:
    """A fake machine: ``bin`` holds the tools, ``root`` the file system they report."""

    base: Path
    tools: dict[str, list[Case]] = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        return self.base / "bin"

    @property
    def root(self) -> Path:
        return self.base / "root"

    def add(self, tool: str, *cases: Case) -> None:
        self.tools.setdefault(tool, []).extend(cases)

    def header(self, relative: str) -> None:
        path = self.root / "usr" / "include" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* fake header */\n")

    def write(self) -> dict[str, str]:
        """Write the scripts; returns an environment whose PATH is only this fake bin directory."""
        self.bin.mkdir(parents=True, exist_ok=True)
        data = self.base / "data"
        data.mkdir(exist_ok=True)
        for tool, cases in self.tools.items():
            lines = ["#!/bin/sh", _EMIT, 'case "$*" in']
            for n, case in enumerate(cases):
                out = data / f"{tool}.{n}.out"
                err = data / f"{tool}.{n}.err"
                out.write_text(case.stdout)
                err.write_text(case.stderr)
                pattern = shlex.quote(case.args) + ("*" if case.prefix else "")
                lines.append(
                    f"{pattern}) emit {shlex.quote(str(out))}; "
                    f"emit {shlex.quote(str(err))} >&2; exit {case.code} ;;"
                )
            lines.append("*) printf 'fake tool: unexpected arguments: %s\\n' \"$*\" >&2; exit 99 ;;")
            lines.append("esac")
            script = self.bin / tool
            script.write_text("\n".join(lines) + "\n")
            script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return {"PATH": str(self.bin), "HOME": str(self.base), "LANG": os.environ.get("LANG", "C")}


def with_gcc(c: Container) -> None:
    for name in ("gcc", "cc"):
        c.add(
            name,
            Case("--version", recorded("gcc--version.stdout")),
            Case("-E -v -x c -", stderr=recorded("gcc-E-v.stderr", c.root)),
        )


def with_pkg_config(c: Container, libpq: bool) -> None:
    cases = [Case("--version", recorded("pkg-config--version.stdout"))]
    if libpq:
        cases += [
            Case("--modversion libpq", recorded("pkg-config--modversion-libpq.stdout")),
            Case("--cflags-only-I libpq", recorded("pkg-config--cflags-only-I-libpq.stdout", c.root)),
        ]
    else:
        missing = recorded("pkg-config--modversion-ldap.stderr").replace("ldap", "libpq")
        cases.append(Case("--modversion libpq", stderr=missing, code=1))
    c.add("pkg-config", *cases)


def with_dpkg(c: Container, installed: dict[str, bool]) -> None:
    """dpkg-query -W answers in the recorded format for these packages (any arguments)."""
    lines = "".join(f"{name}\t{'ii' if on else 'un'} \n" for name, on in installed.items())
    c.add("dpkg-query", Case("-W ", lines, prefix=True))
