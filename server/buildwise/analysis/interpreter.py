"""The target interpreter as pip sees it: its tags (``packaging.tags.sys_tags()``), marker
environment, version and header directory, read by running that interpreter in a subprocess.

The interpreter runs isolated (``-I -S``: no site-packages, no ``.pth`` files, no environment
variables), with only the directory holding kb-lint's own ``packaging`` put on its path, so a target
without ``packaging`` installed still answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from packaging.tags import Tag, parse_tag
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

_SCRIPT = r"""
import json, os, platform, sys, sysconfig
sys.path.insert(0, PACKAGING_HOME)
from packaging import markers, tags
paths = sysconfig.get_paths()
include = paths.get("include") or ""
print(json.dumps({
    "executable": sys.executable,
    "version": "%d.%d" % sys.version_info[:2],
    "full_version": platform.python_version(),
    "implementation": sys.implementation.name,
    "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "tags": [str(t) for t in tags.sys_tags()],
    "include": include,
    "python_h": os.path.isfile(os.path.join(include, "Python.h")),
    "platform": sysconfig.get_platform(),
    "machine": platform.machine(),
    "markers": markers.default_environment(),
    "site": [p for p in (paths.get("purelib"), paths.get("platlib")) if p],
}))
"""


class InterpreterError(Exception):
    """The target interpreter could not be run or did not answer."""


@dataclass(frozen=True)
class Interpreter:
    executable: str
    version: str
    full_version: str
    implementation: str
    free_threaded: bool
    tags: tuple[str, ...]
    include: str
    python_h: bool
    sysconfig_platform: str
    machine: str
    markers: dict[str, str] = field(default_factory=dict)
    site: tuple[str, ...] = ()

    @property
    def tag_set(self) -> frozenset[Tag]:
        return _tag_set(self.tags)

    @property
    def target_python(self) -> str:
        """The knowledge base's name for it: ``3.13`` or ``3.13t``."""
        return self.version + ("t" if self.free_threaded else "")

    @property
    def kb_platform(self) -> str | None:
        """The knowledge base's platform name for this interpreter, None when it has none."""
        plat, machine = self.sysconfig_platform.lower(), self.machine.lower()
        arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
        if plat.startswith("linux"):
            musl = any("musllinux" in t for t in self.tags[:50])
            if arch in ("x86_64", "aarch64"):
                return f"linux-musl-{arch}" if musl else f"linux-{arch}"
            return None
        if plat.startswith("macosx"):
            return {"x86_64": "macos-x86_64", "aarch64": "macos-arm64"}.get(arch)
        if plat.startswith("win"):
            return {"x86_64": "windows-amd64", "aarch64": "windows-arm64"}.get(arch)
        return None

    def accepts(self, wheel_filename: str) -> bool:
        try:
            tags = parse_wheel_filename(wheel_filename)[3]
        except InvalidWheelFilename:
            return False
        return bool(set(tags) & self.tag_set)

    def describe(self) -> str:
        name = {"cpython": "CPython", "pypy": "PyPy"}.get(self.implementation, self.implementation)
        ft = " free-threaded" if self.free_threaded else ""
        best = self.tags[0] if self.tags else "no tags"
        return f"{self.executable} ({name} {self.full_version}{ft}; best wheel tag {best})"

    def to_json(self) -> dict[str, Any]:
        return {
            "executable": self.executable,
            "version": self.full_version,
            "implementation": self.implementation,
            "free_threaded": self.free_threaded,
            "platform": self.kb_platform,
            "sysconfig_platform": self.sysconfig_platform,
            "tags": list(self.tags[:10]),
            "tag_count": len(self.tags),
            "include": self.include,
            "python_h": self.python_h,
        }


def _tag_set(tags: tuple[str, ...]) -> frozenset[Tag]:
    out: set[Tag] = set()
    for text in tags:
        out |= parse_tag(text)
    return frozenset(out)


def default_python(env: dict[str, str] | None = None) -> str:
    """The interpreter pip would install into: the active virtualenv's, else the one running kb-lint."""
    env = dict(os.environ) if env is None else env
    venv = env.get("VIRTUAL_ENV")
    if venv:
        for candidate in (os.path.join(venv, "bin", "python"), os.path.join(venv, "Scripts", "python.exe")):
            if os.path.exists(candidate):
                return candidate
    return sys.executable


def probe_interpreter(python: str, timeout: float = 20.0) -> Interpreter:
    """Run ``python`` to read its tags; raises InterpreterError with one line when it cannot."""
    import packaging

    home = os.path.dirname(os.path.dirname(os.path.abspath(packaging.__file__)))
    script = f"PACKAGING_HOME = {home!r}\n{_SCRIPT}"
    try:
        done = subprocess.run(
            [python, "-I", "-S", "-c", script],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise InterpreterError(f"no such interpreter: {python}") from None
    except subprocess.TimeoutExpired:
        raise InterpreterError(f"{python} did not answer within {timeout:g}s") from None
    except OSError as exc:
        raise InterpreterError(f"cannot run {python}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InterpreterError(f"{python} could not report its wheel tags: {last}")
    try:
        raw = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise InterpreterError(f"{python} printed something that is not its tag report") from None
    return Interpreter(
        executable=str(raw["executable"]),
        version=str(raw["version"]),
        full_version=str(raw["full_version"]),
        implementation=str(raw["implementation"]),
        free_threaded=bool(raw["free_threaded"]),
        tags=tuple(raw["tags"]),
        include=str(raw["include"]),
        python_h=bool(raw["python_h"]),
        sysconfig_platform=str(raw["platform"]),
        machine=str(raw["machine"]),
        markers={str(k): str(v) for k, v in raw["markers"].items()},
        site=tuple(raw["site"]),
    )
