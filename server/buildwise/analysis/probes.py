"""Read-only probes of this machine for ``kb-lint doctor``: tools on PATH and their versions, a C
compiler's include search path, ``pkg-config`` modules, headers, and the OS package manager's view.

Every probe runs a command with a timeout and never installs or changes anything. A probe that cannot
run (the tool is absent, it timed out, it failed) says so in its result instead of guessing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Run:
    """One command's outcome. ``error`` is set when it could not run or did not finish."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: str = ""
    stderr: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.returncode == 0


@dataclass(frozen=True)
class Tool:
    name: str
    path: str | None
    version: str | None = None
    #: why the version could not be read (the tool exists but ``--version`` failed)
    problem: str | None = None

    @property
    def found(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        if self.path is None:
            return f"{self.name}: not on PATH"
        return f"{self.version or self.name} ({self.path})"


@dataclass
class Machine:
    """This machine as the probes see it: PATH and environment are injectable for tests."""

    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    timeout: float = DEFAULT_TIMEOUT
    platform: str = sys.platform
    _tools: dict[str, Tool] = field(default_factory=dict, repr=False)
    _include: dict[str, tuple[list[str], str | None]] = field(default_factory=dict, repr=False)
    _pkgconfig: dict[str, tuple[bool | None, str]] = field(default_factory=dict, repr=False)

    @property
    def path(self) -> str:
        return self.env.get("PATH", os.defpath)

    def which(self, name: str) -> str | None:
        return shutil.which(name, path=self.path)

    def run(self, argv: Sequence[str], timeout: float | None = None, stdin: str = "") -> Run:
        exe = argv[0] if os.path.isabs(argv[0]) else self.which(argv[0])
        if exe is None:
            return Run(tuple(argv), None, error=f"{argv[0]} not on PATH")
        limit = timeout or self.timeout
        try:
            done = subprocess.run(
                [exe, *argv[1:]],
                input=stdin,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=limit,
                env=dict(self.env),
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Run(tuple(argv), None, error=f"{argv[0]} did not answer within {limit:g}s")
        except OSError as exc:
            return Run(tuple(argv), None, error=f"{argv[0]} could not run: {exc.strerror or exc}")
        return Run(tuple(argv), done.returncode, done.stdout, done.stderr)

    # -- tools ------------------------------------------------------------------------------
    def tool(self, name: str, version_args: Sequence[str] = ("--version",)) -> Tool:
        """``name`` on PATH, with the first line its ``--version`` prints."""
        cached = self._tools.get(name)
        if cached is not None:
            return cached
        path = self.which(name)
        if path is None:
            found = Tool(name, None)
        else:
            run = self.run([path, *version_args])
            text = (run.stdout or run.stderr).strip().splitlines()
            if run.ok and text:
                found = Tool(name, path, text[0].strip())
            else:
                found = Tool(name, path, None, run.error or f"`{name} {' '.join(version_args)}` failed")
        self._tools[name] = found
        return found

    def first_tool(self, names: Sequence[str]) -> Tool | None:
        for name in dict.fromkeys(names):
            found = self.tool(name)
            if found.found:
                return found
        return None

    # -- compiler include path --------------------------------------------------------------
    def include_dirs(self, compiler: str) -> tuple[list[str], str | None]:
        """The directories ``compiler`` searches for ``#include <...>``, or (``[]``, why not).

        gcc and clang both print the list on stderr for ``-E -v``:
        ``#include <...> search starts here:`` ... ``End of search list.``
        """
        cached = self._include.get(compiler)
        if cached is not None:
            return cached
        run = self.run([compiler, "-E", "-v", "-x", "c", "-"], stdin="")
        if run.error is not None:
            result: tuple[list[str], str | None] = ([], run.error)
        else:
            dirs = parse_include_dirs(run.stderr)
            result = (dirs, None) if dirs else ([], f"{compiler} -E -v printed no include search list")
        extra = [
            d for key in ("CPATH", "C_INCLUDE_PATH") for d in self.env.get(key, "").split(os.pathsep) if d
        ]
        result = ([*result[0], *extra], result[1]) if result[0] or extra else result
        self._include[compiler] = result
        return result

    # -- pkg-config -------------------------------------------------------------------------
    def pkg_config(self, module: str) -> tuple[bool | None, str]:
        """(True: found, with its version; False: not found; None: pkg-config cannot run), detail."""
        cached = self._pkgconfig.get(module)
        if cached is not None:
            return cached
        tool = self.tool("pkg-config")
        if not tool.found:
            result: tuple[bool | None, str] = (None, "pkg-config not on PATH")
        else:
            run = self.run(["pkg-config", "--modversion", module])
            if run.error is not None:
                result = (None, run.error)
            elif run.returncode == 0:
                result = (True, f"pkg-config: {module} {run.stdout.strip()}".rstrip())
            else:
                result = (False, f"pkg-config: no {module}.pc")
        self._pkgconfig[module] = result
        return result

    def pkg_config_include_dirs(self, module: str) -> list[str]:
        run = self.run(["pkg-config", "--cflags-only-I", module])
        if not run.ok:
            return []
        return [part[2:] for part in run.stdout.split() if part.startswith("-I")]

    # -- the OS package manager -------------------------------------------------------------
    def installed_packages(self, ecosystem: str, names: Sequence[str]) -> tuple[dict[str, bool], str | None]:
        """Which of ``names`` the package manager says are installed, or ({}, why it cannot say)."""
        names = list(dict.fromkeys(names))
        if not names:
            return {}, None
        if ecosystem in ("debian", "ubuntu"):
            run = self.run(["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\n", *names])
            if run.error is not None:
                return {}, run.error
            installed = {
                line.split("\t")[0].split(":")[0]
                for line in run.stdout.splitlines()
                if "\t" in line and line.split("\t")[1].startswith("ii")
            }
            return {n: n in installed for n in names}, None
        commands = {
            "fedora": ["rpm", "-q", "--qf", "%{NAME}\n"],
            "alpine": ["apk", "info", "-e"],
            "arch": ["pacman", "-Q", "-q"],
            "homebrew": ["brew", "list", "--versions"],
        }
        argv = commands.get(ecosystem)
        if argv is None:
            return {}, f"no package manager query for {ecosystem}"
        run = self.run([*argv, *names], timeout=max(self.timeout, 30.0))
        if run.error is not None:
            return {}, run.error
        words = {line.split()[0] for line in run.stdout.splitlines() if line.strip()}
        return {n: n in words for n in names}, None

    # -- Windows: MSVC through vswhere ------------------------------------------------------
    def msvc(self) -> Tool | None:
        """Visual Studio's C/C++ compiler, located with ``vswhere`` (Windows only)."""
        if self.platform != "win32":
            return None
        base = self.env.get("ProgramFiles(x86)", r"C:\Program Files (x86)")
        vswhere = str(Path(base) / "Microsoft Visual Studio" / "Installer" / "vswhere.exe")
        if not os.path.exists(vswhere):
            found = self.which("vswhere")
            if found is None:
                return Tool("MSVC", None, problem="vswhere.exe not found (no Visual Studio installer)")
            vswhere = found
        run = self.run(
            [
                vswhere,
                "-latest",
                "-products",
                "*",
                "-requires",
                "Microsoft.VisualStudio.Component.VC.Tools.x86.x64",
                "-property",
                "installationPath",
            ]
        )
        if run.error is not None:
            return Tool("MSVC", None, problem=run.error)
        where = run.stdout.strip()
        if not where:
            return Tool("MSVC", None, problem="vswhere found no Visual Studio with the C++ build tools")
        return Tool("MSVC", where, "MSVC (Visual Studio C++ build tools)")


def detect_distro(os_release: Path = Path("/etc/os-release")) -> str:
    """The ecosystem of this Linux machine from /etc/os-release (ID, then ID_LIKE), else debian."""
    from buildwise.knowledge.model import ECOSYSTEM_ALIASES, ECOSYSTEMS

    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "debian"
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("\"'")
    for candidate in [values.get("ID", ""), *values.get("ID_LIKE", "").split()]:
        eco = ECOSYSTEM_ALIASES.get(candidate.lower(), candidate.lower())
        if eco in ECOSYSTEMS:
            return eco
    return "debian"


def machine_ecosystem(distro: str | None = None) -> str:
    """Whose package names fit this machine: ``distro`` when given, else Homebrew on macOS,
    Windows, or the Linux distribution /etc/os-release names."""
    from buildwise.knowledge import KnowledgeBase

    if distro:
        return KnowledgeBase.ecosystem_for(distro)
    if sys.platform == "darwin":
        return "homebrew"
    if sys.platform == "win32":
        return "windows"
    return detect_distro()


_INCLUDE_START = re.compile(r"^#include <\.\.\.> search starts here:\s*$")


def parse_include_dirs(stderr: str) -> list[str]:
    dirs: list[str] = []
    inside = False
    for line in stderr.splitlines():
        if _INCLUDE_START.match(line):
            inside = True
            continue
        if inside:
            if line.startswith("End of search list"):
                break
            entry = line.strip().removesuffix("(framework directory)").strip()
            if entry:
                dirs.append(os.path.normpath(entry))
    return dirs


def find_header(header: str, dirs: Sequence[str]) -> str | None:
    for directory in dirs:
        candidate = os.path.join(directory, header)
        if os.path.isfile(candidate):
            return candidate
    return None


_VERSION_RE = re.compile(r"(\d+\.\d+(?:\.\d+)?)")


def version_in(text: str | None) -> str | None:
    """The first dotted version in a ``--version`` line (``rustc 1.83.0 (90b35a623 2024-11-26)``)."""
    if not text:
        return None
    m = _VERSION_RE.search(text)
    return m.group(1) if m else None
