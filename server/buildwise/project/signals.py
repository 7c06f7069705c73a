"""What a project says about where it runs: the Pythons it tests and deploys on, and its platforms.

Read from the project's own files, never from the interpreter kb-lint runs on:
- Python versions: ``.python-version``, CI workflows (``python-version`` matrices, ``python:X``
  images, ``CIBW_BUILD``), tox ``envlist``, nox sessions, ``FROM python:X`` in Dockerfiles (and
  ``ARG PYTHON_VERSION=X``), and ``Programming Language :: Python :: 3.X`` classifiers.
- Platforms: Dockerfile bases (Alpine is musl; ``--platform=linux/arm64``), multi-platform image
  builds, CI ``runs-on`` / ``os`` matrices, and ``Operating System`` classifiers.

Every signal keeps where it was found, so a summary can say "3.13 (.github/workflows/ci.yml)".
Files are read as text (bounded), never executed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from buildwise.project.boundaries import is_project_dir, is_test_data
from buildwise.project.files import FileReader
from buildwise.project.sourcetree import SKIP_DIRS

MAX_FILES = 60
READ_LIMIT = 256 * 1024

_VERSION = re.compile(r"(?<![\w.])(?:python|py|cpython-|v)?(3)\.(\d{1,2})(?![\d])", re.I)
_PYPY = re.compile(r"pypy-?3\.\d+", re.I)
_PY_KEY = re.compile(r"^\s*-?\s*[\"']?(python[-_]?versions?|python)[\"']?\s*:\s*(.*)$", re.I)
_IMAGE = re.compile(r"\bpython:?(3\.\d{1,2})(?![\d])", re.I)
_CIBW = re.compile(r"\bcp3(\d{1,2})(?![\d])")
_CLASSIFIER = re.compile(r"Programming Language :: Python :: (3\.\d{1,2})(?![\d])")
_OS_CLASSIFIER = re.compile(r"Operating System :: (Microsoft :: Windows|MacOS|POSIX :: Linux)")
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=(?P<platform>\S+)\s+)?(?P<image>\S+)", re.I | re.M)
_ARG_PY = re.compile(r"^\s*ARG\s+PY(?:THON)?_?VERSION\s*=\s*[\"']?(3\.\d{1,2})", re.I | re.M)
_RUNNER = re.compile(r"\b(ubuntu|macos|windows)-([\w.]+(?:-[\w.]+)*)", re.I)
_BUILD_PLATFORMS = re.compile(r"\bplatforms?\s*[:=]\s*[\"']?([\w/,\s-]*linux/[\w/,\s-]+)", re.I)
_CONTAINER = re.compile(r"^(dockerfile|containerfile)(\..*)?$|.*\.(dockerfile|containerfile)$", re.I)
_CI_FILES = (".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml", "appveyor.yml", ".cirrus.yml")
_CI_DIRS = (".github/workflows", ".circleci", ".gitlab", ".azure-pipelines")


@dataclass
class Signals:
    """Python versions ("3.12") and platforms ("linux-x86_64") with the files that name them."""

    pythons: dict[str, list[str]] = field(default_factory=dict)
    platforms: dict[str, list[str]] = field(default_factory=dict)
    #: Dockerfiles/Containerfiles of the project (relative paths): it is deployed as an image.
    containerfiles: list[str] = field(default_factory=list)

    def python(self, version: str, where: str) -> None:
        places = self.pythons.setdefault(version, [])
        if where not in places:
            places.append(where)

    def platform(self, name: str, where: str) -> None:
        places = self.platforms.setdefault(name, [])
        if where not in places:
            places.append(where)

    def merge(self, other: Signals) -> None:
        for v, places in other.pythons.items():
            for p in places:
                self.python(v, p)
        for name, places in other.platforms.items():
            for p in places:
                self.platform(name, p)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _versions(text: str) -> list[str]:
    text = _PYPY.sub(" ", text)
    return [f"{m[1]}.{int(m[2])}" for m in _VERSION.finditer(text)]


def ci_pythons(text: str) -> list[str]:
    """Python versions a CI file runs: ``python-version`` values (inline, list items below the
    key, matrix ``include`` entries), ``python:3.X`` images and ``CIBW_BUILD`` selectors.

    >>> ci_pythons('python-version: ["3.10", "3.12"]')
    ['3.10', '3.12']
    >>> ci_pythons('python-version:\\n  - "3.11"\\n  - pypy-3.10\\nos: [ubuntu-latest]')
    ['3.11']
    """
    found: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = _PY_KEY.match(line)
        if m:
            value = m[2].split("#")[0].strip()
            found += _versions(value)
            if value == "":  # a block list below the key
                indent = _indent(line)
                while i < len(lines):
                    item = lines[i].strip()
                    if not item or item.startswith("#"):
                        i += 1
                    elif item.startswith("-") and _indent(lines[i]) >= indent and ":" not in item:
                        found += _versions(item.split("#")[0])
                        i += 1
                    else:
                        break
            elif value.startswith("[") and "]" not in value:  # a flow list over several lines
                while i < len(lines):
                    found += _versions(lines[i].split("#")[0])
                    i += 1
                    if "]" in lines[i - 1]:
                        break
            continue
        found += [image[1] for image in _IMAGE.finditer(line)]
        if "toxenv" in line.lower():
            found += [f"3.{int(n)}" for n in re.findall(r"\bpy3(\d{1,2})\b", line)]
        if "CIBW_BUILD" in line and "SKIP" not in line:
            found += [f"3.{int(n)}" for n in _CIBW.findall(line)]
    return list(dict.fromkeys(found))


def _expand_braces(text: str) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", text)
    if m is None:
        return [text]
    out: list[str] = []
    for choice in m[1].split(","):
        out += _expand_braces(text[: m.start()] + choice.strip() + text[m.end() :])
    return out


def _split_envs(text: str) -> list[str]:
    """Split an env list at commas and blanks outside braces."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and (ch in ",[]\"'" or ch.isspace()):
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in parts if p]


def tox_pythons(text: str) -> list[str]:
    """Pythons of a tox ``envlist`` / ``env_list`` (brace expansion, ``py312``, ``py3.12``, ``3.12``)
    and ``basepython`` lines.

    >>> tox_pythons("[tox]\\nenvlist = py3{10,11}-django{42,50}, lint")
    ['3.10', '3.11']
    """
    found: list[str] = []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        key, sep, value = line.partition("=")
        name = key.strip().lower()
        if sep and name in ("envlist", "env_list"):
            chunk = [value]
            for nxt in lines[n + 1 :]:  # continuation lines are indented
                if nxt[:1] in (" ", "\t") and "=" not in nxt:
                    chunk.append(nxt)
                else:
                    break
            for part in _split_envs(" ".join(chunk)):
                for env in _expand_braces(part):
                    for factor in env.split("-"):
                        fm = re.fullmatch(r"py3\.?(\d{1,2})|(?:py)?3\.(\d{1,2})", factor.strip())
                        if fm:
                            found.append(f"3.{int(fm[1] or fm[2])}")
        elif sep and name == "basepython":
            found += _versions(value)
    return list(dict.fromkeys(found))


def nox_pythons(text: str) -> list[str]:
    """Quoted "3.X" strings on lines that speak of Python (``@nox.session(python=[...])``,
    ``PYTHON_VERSIONS = [...]``, including the lines of a list that such a line opens)."""
    found: list[str] = []
    open_list = False
    for line in text.splitlines():
        code = line.split("#")[0]
        if "python" in code.lower() or open_list:
            found += re.findall(r"[\"'](3\.\d{1,2})[\"']", code)
            if "[" in code and "]" not in code:
                open_list = True
            elif "]" in code:
                open_list = False
    return list(dict.fromkeys(f"3.{int(v.split('.')[1])}" for v in found))


def dockerfile_signals(text: str, where: str, signals: Signals) -> None:
    """``FROM [--platform=P] image``: the Python of ``python:3.X`` images (or of
    ``ARG PYTHON_VERSION``), Linux, musl for Alpine bases, the architecture of ``--platform``."""
    arg_py = _ARG_PY.findall(text)
    for m in _FROM.finditer(text):
        image = m["image"].lower()
        py = _IMAGE.search(image)
        if py:
            signals.python(py[1], where)
        elif "python" in image and "${" in image and arg_py:
            signals.python(arg_py[0], where)
        libc = "linux-musl" if "alpine" in image else "linux"
        platform = (m["platform"] or "").lower()
        arch = "aarch64" if "arm64" in platform or "aarch64" in platform else "x86_64"
        signals.platform(f"{libc}-{arch}", where)


def ci_platforms(text: str, where: str, signals: Signals) -> None:
    """Runners (``ubuntu-24.04``, ``ubuntu-24.04-arm``, ``macos-13`` is Intel, later macOS is
    arm64, ``windows-11-arm``) and multi-platform image builds (``platforms: linux/amd64,linux/arm64``)."""
    for m in _RUNNER.finditer(text):
        family, rest = m[1].lower(), m[2].lower()
        arm = rest.endswith(("-arm", "-arm64")) or "-arm-" in rest
        if family == "ubuntu":
            signals.platform("linux-aarch64" if arm else "linux-x86_64", where)
        elif family == "windows":
            signals.platform("windows-arm64" if arm else "windows-amd64", where)
        else:
            version = rest.split("-")[0]
            intel = (version.isdigit() and int(version) <= 13) or rest.endswith(("-large", "-intel"))
            signals.platform("macos-x86_64" if intel else "macos-arm64", where)
    for m in _BUILD_PLATFORMS.finditer(text):
        for item in re.split(r"[,\s]+", m[1]):
            if item.startswith(("linux/arm64", "linux/aarch64")):
                signals.platform("linux-aarch64", where)
            elif item.startswith("linux/amd64"):
                signals.platform("linux-x86_64", where)


def classifier_signals(text: str, where: str, signals: Signals) -> None:
    for version in _CLASSIFIER.findall(text):
        signals.python(version, where)
    for os_name in _OS_CLASSIFIER.findall(text):
        if os_name.startswith("Microsoft"):
            signals.platform("windows-amd64", where)
        elif os_name == "MacOS":
            signals.platform("macos-arm64", where)
        else:
            signals.platform("linux-x86_64", where)


def _ci_files(root: Path) -> list[Path]:
    found = [root / name for name in _CI_FILES if (root / name).is_file()]
    for sub in _CI_DIRS:
        base = root / sub
        if base.is_dir():
            for dirpath, _dirs, filenames in os.walk(base):
                found += [Path(dirpath) / n for n in sorted(filenames) if n.endswith((".yml", ".yaml"))]
    return found


def containerfiles(root: Path) -> list[Path]:
    """Dockerfiles/Containerfiles anywhere in the project (docker/, .devcontainer/ ...), not in
    nested projects or test data."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        parts = () if rel == "." else tuple(rel.replace(os.sep, "/").split("/"))
        if parts and (is_project_dir(filenames) or is_test_data(parts)):
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            d for d in dirnames if (d not in SKIP_DIRS and not d.startswith(".")) or d == ".devcontainer"
        )
        found += [Path(dirpath) / n for n in sorted(filenames) if _CONTAINER.match(n)]
        if len(found) >= MAX_FILES:
            break
    return found[:MAX_FILES]


def scan_signals(root: Path, reader: FileReader, extra_texts: Iterable[tuple[str, str]] = ()) -> Signals:
    """Every signal under ``root``. ``extra_texts``: (where, text) of files already read by the
    caller (pyproject.toml, for its classifiers and ``[tool.tox]``/``[tool.cibuildwheel]``)."""
    signals = Signals()

    def read(path: Path) -> str:
        return (reader.read(path).text or "")[:READ_LIMIT]

    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)

    pv = root / ".python-version"
    if reader.exists(pv):
        for line in read(pv).splitlines():
            m = re.match(r"\s*(?:cpython-)?(3)\.(\d{1,2})", line)
            if m:
                signals.python(f"3.{int(m[2])}", ".python-version")
    for path in _ci_files(root):
        text = read(path)
        for v in ci_pythons(text):
            signals.python(v, rel(path))
        ci_platforms(text, rel(path), signals)
    tox = root / "tox.ini"
    if reader.exists(tox):
        for v in tox_pythons(read(tox)):
            signals.python(v, "tox.ini")
    nox = root / "noxfile.py"
    if reader.exists(nox):
        for v in nox_pythons(read(nox)):
            signals.python(v, "noxfile.py")
    for path in containerfiles(root):
        signals.containerfiles.append(rel(path))
        dockerfile_signals(read(path), rel(path), signals)
    for name in ("setup.cfg", "setup.py"):
        if reader.exists(root / name):
            classifier_signals(read(root / name), name, signals)
    for where, text in extra_texts:
        classifier_signals(text, where, signals)
        for v in tox_pythons(text):
            signals.python(v, where)
        if "cibuildwheel" in text:
            for line in text.splitlines():
                if line.strip().startswith("build") and "=" in line:
                    for n in _CIBW.findall(line):
                        signals.python(f"3.{int(n)}", where)
    return signals
