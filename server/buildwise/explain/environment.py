"""Where a log came from when it does not say: this interpreter, this machine, this distro.

Also turns the spellings people and logs use for platforms (``win_amd64``, ``macosx-11.0-arm64``,
``linux-x86_64``) into the knowledge base's platform names (``windows-amd64``, ``macos-arm64``...).
"""

from __future__ import annotations

import platform as _platform
import re
import sys
from pathlib import Path

from buildwise.knowledge import ECOSYSTEMS, KnowledgeBase

_ARCH_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "x86-64": "x86_64",
    "x86_64": "x86_64",
    "arm64": "arm64",
    "aarch64": "aarch64",
    "universal2": "arm64",
    "win32": "x86",
    "i686": "i686",
}


def this_python() -> str:
    """``3.11`` for the running interpreter (``3.13t`` on a free-threaded build)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    gil_disabled = getattr(sys, "_is_gil_enabled", None)
    if gil_disabled is not None and not gil_disabled():
        version += "t"
    return version


def this_platform() -> str:
    """This machine as a knowledge-base platform name (``linux-x86_64``, ``macos-arm64``...)."""
    machine = _platform.machine().lower()
    if sys.platform == "win32":
        return normalize_platform(f"windows-{machine}")
    if sys.platform == "darwin":
        return normalize_platform(f"macos-{machine}")
    libc, _ = _platform.libc_ver()
    prefix = "linux" if libc == "glibc" or not Path("/etc/alpine-release").exists() else "linux-musl"
    return normalize_platform(f"{prefix}-{machine}")


def normalize_platform(text: str) -> str:
    """``win_amd64`` -> ``windows-amd64``; ``macosx-10.9-x86_64`` -> ``macos-x86_64``;
    ``manylinux_2_17_aarch64`` -> ``linux-aarch64``; ``musllinux_1_2_x86_64`` -> ``linux-musl-x86_64``.
    Unknown spellings come back lower-cased and otherwise unchanged (``linux-armv7l``)."""
    value = text.strip().lower()
    m = re.match(
        r"^(?P<os>windows|win32|win|macosx|macos|darwin|osx|musllinux|manylinux\d*|linux-musl|linux)"
        r"(?:[-_][\d.]+)*(?:[-_](?P<arch>[a-z0-9_]+))?$",
        value.replace("-", "_").replace("linux_musl", "linux-musl"),
    )
    if not m:
        return value
    os_name, arch = m["os"], _ARCH_ALIASES.get(m["arch"] or "", m["arch"] or "")
    if os_name == "win32" and not arch:
        return "windows-x86"
    if os_name in ("windows", "win32", "win"):
        return "windows-arm64" if arch in ("arm64", "aarch64") else "windows-amd64"
    if os_name in ("macosx", "macos", "darwin", "osx"):
        return "macos-x86_64" if arch == "x86_64" else "macos-arm64"
    arch = "aarch64" if arch == "arm64" else (arch or "x86_64")
    return f"linux-musl-{arch}" if os_name in ("musllinux", "linux-musl") else f"linux-{arch}"


def normalize_python(text: str) -> str | None:
    """``3.12``, ``3.12.1``, ``312``, ``cp312``, ``python3.13t`` -> ``3.12`` / ``3.13t``; ``2.7`` and
    ``cp27`` -> ``2.7`` (explain reads old logs); None if ``text`` is not a CPython version."""
    value = text.strip().lower().removeprefix("python").removeprefix("cpython").removeprefix("cp").strip("-")
    m = re.fullmatch(r"2\.?([4-7])(?:\.\d+)?(?:[abrc]+\d*)?", value)
    if m:
        return f"2.{m[1]}"
    m = re.fullmatch(r"3\.(\d{1,2})(?:\.\d+)?(?:[abrc]+\d*)?(t?)", value)
    if m:
        return f"3.{int(m[1])}{m[2]}"
    m = re.fullmatch(r"3(\d{1,2})(t?)", value)
    if m:
        return f"3.{int(m[1])}{m[2]}"
    return None


def os_release_ecosystem(path: Path = Path("/etc/os-release")) -> str | None:
    """The knowledge-base ecosystem for this Linux distro (os-release ID, then ID_LIKE), if known."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip("'\"")
    for candidate in [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]:
        if not candidate:
            continue
        eco = KnowledgeBase.ecosystem_for(candidate)
        if eco in ECOSYSTEMS:
            return eco
    return None


def this_ecosystem() -> str:
    """Which distro's package names to show first on this machine (debian when unknown)."""
    if sys.platform == "darwin":
        return "homebrew"
    return os_release_ecosystem() or "debian"


def resolve_ecosystem(distro: str | None) -> str | None:
    """The ecosystem for a ``--distro`` value (``ubuntu``, ``rhel``, ``brew``...); None if unknown."""
    if not distro:
        return None
    if distro.lower() in ("windows", "win"):
        return "windows"  # no package manager: the identifiers' Windows notes (vcpkg, winget...)
    eco = KnowledgeBase.ecosystem_for(distro)
    return eco if eco in ECOSYSTEMS else None
