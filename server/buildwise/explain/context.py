"""What a log says about where it came from: installer, pip version, Python, platform, distro, and which
package (and version) each part of the log belongs to.

Fed one line at a time; everything kept is bounded (a name -> version table capped at
:data:`MAX_PACKAGES` entries, a few strings), so a log of any size fits.
"""

from __future__ import annotations

import re

from buildwise.explain.context_lines import (
    _ANY_DISTRO,
    _BUILDING,
    _COLLECTING,
    _DISTRO_HINTS,
    _DISTRO_WORDS,
    _FAILED_ARROW,
    _FAILED_MANY,
    _FAILED_ONE,
    _MESON_CPU,
    _MESON_PROJECT_VERSION,
    _OS_HINTS,
    _OS_WORDS,
    _PACKAGE_WORDS,
    _PIP_NOTICE,
    _PIP_OLD,
    _PIP_USING,
    _PLATFORM_BUILD_DIR,
    _PLATFORM_FROM_WHEEL,
    _PLATFORM_STRING,
    _PROCESSING_DIR,
    _PY_FROM_PATH,
    _SDIST,
    _SETUP_VERSION,
    _SUCCESS,
    _TEMP_DIR,
    _UV_BUILDING,
    _UV_MARK,
    _UV_USING,
)
from buildwise.explain.environment import normalize_platform, normalize_python
from buildwise.knowledge import normalize_name

MAX_PACKAGES = 2000


class LogContext:
    """Facts about the log as a whole, collected line by line."""

    def __init__(self) -> None:
        self.installer: str | None = None
        self.pip_version: str | None = None
        self.python: str | None = None
        self._python_rank = 99
        self.platform: str | None = None
        self._platform_rank = 99
        self.distro: str | None = None
        self.versions: dict[str, str] = {}
        self.display: dict[str, str] = {}
        self.current: str | None = None
        self.failed: list[str] = []
        #: Packages built from a local directory (``Processing ./proj``): no index, no releases.
        self.local: set[str] = set()
        self.local_paths: dict[str, str] = {}
        self.succeeded = False
        self._windows = self._mac = self._musl = False
        self._after_arrow_header = False
        self._meson_cpu: str | None = None
        self._homebrew_arm = False
        #: Indentation of the first top-level "Collecting" line; deeper ones are pip installing
        #: build dependencies inside the build (``pip -v``) and must not change ``current``.
        self._base_indent: int | None = None

    # -- per line ------------------------------------------------------------------------------------
    def feed(self, line: str) -> None:
        if "Using " in line or "pip version" in line or "release of pip" in line or line.startswith("pip "):
            self._interpreter(line)
        if self._python_rank > 2 or self._platform_rank > 1:
            self._paths(line)
        if _PACKAGE_WORDS.search(line) or self._after_arrow_header:
            self._packages(line)
        if self.distro is None and any(map(line.__contains__, _DISTRO_WORDS)):
            m = _ANY_DISTRO.search(line)
            if m:
                self.distro = next(distro for regex, distro in _DISTRO_HINTS if regex.search(m[0]))
        self._os_hints(line)

    def _os_hints(self, line: str) -> None:
        m = _OS_HINTS.search(line) if any(map(line.__contains__, _OS_WORDS)) else None
        if m:
            self._windows = self._windows or m["windows"] is not None
            if m["mac"] is not None and not self._mac:
                self._mac = True
                self._homebrew_arm = "/opt/homebrew/" in line
            self._musl = self._musl or m["musl"] is not None

    def feed_noise(self, line: str) -> None:
        """A line that can only tell where the build ran (a compiler command line's paths)."""
        if self._python_rank > 2 or self._platform_rank > 1:
            self._paths(line)
        self._os_hints(line)

    def _set_python(self, value: str | None, rank: int) -> None:
        py = normalize_python(value) if value else None
        if py and rank < self._python_rank:
            self.python, self._python_rank = py, rank

    def _set_platform(self, value: str, rank: int) -> None:
        if rank < self._platform_rank:
            self.platform, self._platform_rank = normalize_platform(value), rank

    def _interpreter(self, line: str) -> None:
        m = _PIP_USING.search(line)
        if m:
            self.installer = self.installer or "pip"
            self.pip_version = self.pip_version or m["pip"]
            # pip < 21 printed "(python 3.1)" on CPython 3.10+ (it cut the version to 3 characters).
            if m["py"] != "3.1":
                self._set_python(m["py"], 0)
            return
        m = _PIP_OLD.search(line) or _PIP_NOTICE.search(line)
        if m:
            self.installer = self.installer or "pip"
            self.pip_version = self.pip_version or m["pip"]
            return
        m = _UV_USING.search(line)
        if m:
            self.installer = "uv"
            self._set_python(m["py"] + (m["t"] or ""), 0)
            if re.match(r"[A-Z]:\\", m["path"].strip()):
                self._windows = True

    def _paths(self, line: str) -> None:
        for regex, rank in _PY_FROM_PATH:
            if rank >= self._python_rank:
                break
            m = regex.search(line)
            if m:
                groups = m.groupdict()
                self._set_python(groups.get("dot") or groups.get("cp"), rank)
                break
        m = _PLATFORM_BUILD_DIR.search(line)
        if m:
            self._set_platform(m["plat"] or m["plat2"], 1)
            return
        if self._platform_rank <= 2:
            return
        m = _PLATFORM_FROM_WHEEL.search(line) if ".whl" in line else None
        if m and not m["plat"].startswith("any"):
            self._set_platform(m["plat"], 2)
            return
        m = _PLATFORM_STRING.search(line) if "platform: " in line else None
        if m:
            os_name = {"Linux": "linux", "Darwin": "macos", "Windows": "windows"}[m["os"]]
            self._set_platform(f"{os_name}-{m['arch']}", 2)
        elif self._platform_rank > 2:
            cpu = _MESON_CPU.search(line)
            if cpu:
                self._meson_cpu = cpu["cpu"]

    def _remember(self, name: str, version: str | None) -> str:
        key = normalize_name(name)
        if key not in self.display and len(self.display) < MAX_PACKAGES:
            self.display[key] = name
        if version and len(self.versions) < MAX_PACKAGES:
            self.versions[key] = version
        return key

    def _top_level(self, line: str, offset: int = 0) -> bool:
        indent = len(line) - len(line.lstrip()) - offset
        if self._base_indent is None:
            self._base_indent = indent
        return indent <= self._base_indent

    def _packages(self, line: str) -> None:
        m = _COLLECTING.search(line)
        if m:
            if self._top_level(line):
                self.current = self._remember(m["name"], m["ver"])
                self.installer = self.installer or "pip"
            return
        m = _SDIST.search(line)
        if m:
            if self._base_indent is None or self._top_level(line, offset=2):
                self.current = self._remember(m["name"], m["ver"])
            return
        m = _PROCESSING_DIR.search(line)
        if m:
            name = re.split(r"[/\\]", m["path"].rstrip("/\\"))[-1]
            if self._top_level(line) and name:
                self.current = self._remember(name, None)
                if len(self.local) < MAX_PACKAGES:
                    self.local.add(self.current)
                    self.local_paths[self.current] = m["path"]
            return
        m = _UV_BUILDING.search(line)
        if m:
            self.current = self._remember(m["name"], m["ver"])
            self.installer = "uv"
            return
        for literal, regex in _FAILED_ONE:
            m = regex.search(line) if literal in line else None
            if m:
                groups = m.groupdict()
                self._failed(m["name"], groups.get("ver"))
                if "`" in line:
                    self.installer = "uv"
                return
        if self._after_arrow_header:
            self._after_arrow_header = False
            m = _FAILED_ARROW.search(line)
            if m:
                for name in m["names"].replace(",", " ").split():
                    self._failed(name, None)
                return
        if "Failed to build installable wheels" in line:
            self._after_arrow_header = True
        for regex in _FAILED_MANY:
            m = regex.search(line)
            if m:
                for name in m["names"].replace(",", " ").split():
                    self._failed(name, None)
                return
        m = _BUILDING.search(line)
        if m:
            self.current = self._remember(m["name"], None)
            return
        m = _SETUP_VERSION.search(line) if " version " in line else None
        if m and self.current == normalize_name(m["name"]) and self.current not in self.versions:
            if not self.current_local:
                self.versions[self.current] = m["ver"]
            return
        m = _MESON_PROJECT_VERSION.search(line)
        if m and self.current and self.current not in self.versions and not self.current_local:
            self.versions[self.current] = m["ver"]  # meson-python prints the version it builds
            return
        m = _TEMP_DIR.search(line)
        if m and self.current is None:
            self.current = self._remember(m["name"], None)
        if _SUCCESS.search(line):
            self.succeeded = True
        if self.installer is None and _UV_MARK.search(line):
            self.installer = "uv"

    def _failed(self, name: str, version: str | None) -> None:
        name = name.strip("'\"`")
        if "/" in name or "\\" in name:  # pip names a local project by its URL: file:///src/proj
            path = name
            name = re.split(r"[/\\]", name.rstrip("/\\"))[-1]
            self.local.add(normalize_name(name))
            self.local_paths.setdefault(normalize_name(name), path)
        key = self._remember(name, version or None)
        self.current = key
        if key not in self.failed and len(self.failed) < 100:
            self.failed.append(key)

    # -- results -----------------------------------------------------------------------------------
    def final_platform(self) -> str | None:
        """The platform the log shows, refined by OS hints when only the CPU is known."""
        if self.platform is not None:
            plat = self.platform
            if self._musl and plat.startswith("linux-") and not plat.startswith("linux-musl"):
                plat = plat.replace("linux-", "linux-musl-", 1)
            return plat
        if self._windows:
            return "windows-amd64"
        if self._mac:
            cpu = (self._meson_cpu or "").lower()
            if cpu:
                return "macos-arm64" if cpu in ("aarch64", "arm64") else "macos-x86_64"
            return "macos-arm64" if self._homebrew_arm else "macos"  # a Mac, CPU unknown
        if self._meson_cpu:
            return normalize_platform(f"{'linux-musl' if self._musl else 'linux'}-{self._meson_cpu}")
        return None

    @property
    def current_local(self) -> bool:
        return self.current in self.local

    def version_of(self, key: str | None) -> str | None:
        return self.versions.get(key) if key else None

    def display_name(self, key: str | None) -> str | None:
        return self.display.get(key, key) if key else None


__all__ = ["LogContext"]
