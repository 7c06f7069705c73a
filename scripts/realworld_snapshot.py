#!/usr/bin/env python3
"""Build one corpus archive of tests/realworld from a repository's git directory (no work tree needed).

    scripts/realworld_snapshot.py OWNER/NAME GIT_DIR [--out tests/realworld/corpus]

What is stored (everything else is left out):

- declarative data files, verbatim: pyproject.toml, setup.cfg, requirements and constraints files (and
  whatever they reach with -r/-c), lock files, Pipfile, .python-version, tox.ini, conda environment
  files, Cargo.toml, bindep.txt, .readthedocs.yaml, .gitmodules, at any depth;
- prose and recipes (READMEs, docs, Dockerfiles, CI workflows, shell scripts, noxfile.py, meson.build,
  CMakeLists.txt, Makefiles) as a *line-preserving fact extract*: same path, same number of lines,
  every line blank except those that carry a build or deploy fact, which stay verbatim;
- C/C++/Cython/Fortran sources the same way, keeping only include/cimport lines (which headers);
- setup.py never: a synthetic setup.py holds the literal facts read from it with ``ast`` (no
  execution); computed values stay visibly non-literal (``_computed``).

The archive is ``<out>/<owner>__<name>.tar.xz`` (the tree under ``<owner>__<name>/``, and beside it
``<owner>__<name>.files.tsv``: how each file was stored); a JSON summary (commit, licence guess, which files
were stored verbatim and which extracted) is printed for the manifest.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import posixpath
import re
import subprocess
import sys
import tarfile
from pathlib import PurePosixPath

CAP = 3 * 1024 * 1024

SKIP_PARTS = frozenset(
    {
        ".git", "node_modules", "bower_components", ".venv", "venv", "virtualenv", "site-packages",
        "vendor", "_vendor", "vendored", "third_party", "third-party", "thirdparty", "3rdparty",
        ".tox", ".nox", "__pycache__",
    }
)

VERBATIM_NAMES = frozenset(
    {
        "pyproject.toml", "setup.cfg", "uv.lock", "poetry.lock", "pdm.lock", "Pipfile", "Pipfile.lock",
        ".python-version", "tox.ini", "Cargo.toml", "bindep.txt", ".readthedocs.yaml", ".readthedocs.yml",
        ".gitmodules", "pylock.toml",
    }
)

_PYLOCK = re.compile(r"^pylock\.[^/]+\.toml$")
_ENVFILE = re.compile(r"^(environment|env|conda)[\w.-]*\.ya?ml$", re.I)
_REQ_TXT = re.compile(r"(requirements|constraints)[\w.-]*\.(txt|in)$|[\w.-]*(requirements|constraints)\.(txt|in)$", re.I)
_PROSE_TOP = re.compile(
    r"^(readme|install|installing|build|building|contributing|hacking|develop|developing|development|compile|compiling|"
    r"requirements|dependencies|setup|getting[-_]started|quickstart)(\.(md|rst|txt|adoc|markdown))?$|^(readme|install)\..*$",
    re.I,
)
_CONTAINER = re.compile(r"^(dockerfile|containerfile)(\..*)?$|.*\.(dockerfile|containerfile)$", re.I)
_COMPOSE = re.compile(r"^(docker-)?compose[\w.-]*\.ya?ml$", re.I)
_CI_TOP = frozenset(
    {".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml", "appveyor.yml", ".appveyor.yml", ".cirrus.yml",
     "noxfile.py", "Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", "meson.build",
     "meson.options", "meson_options.txt", "CMakeLists.txt", "devcontainer.json", "bitbucket-pipelines.yml",
     ".pre-commit-config.yaml", "cibuildwheel.toml", "meta.yaml", "Brewfile", "Aptfile", "apt.txt",
     "packages.txt", "runtime.txt", "Procfile"}
)
_CI_DIRS = (".github/workflows/", ".circleci/", ".gitlab/", ".azure-pipelines/", ".devcontainer/")
_DOC_DIRS = frozenset({"docs", "doc", "documentation"})
_DOC_SUFFIXES = (".md", ".rst", ".txt", ".adoc", ".yml", ".yaml", ".sh", ".cfg", ".ini", ".toml")
_SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".pyx", ".pxd", ".pxi",
                    ".f", ".f90", ".f95", ".for", ".F", ".F90", ".cu", ".m", ".mm")
MAX_SOURCES = 3000

# A line carries a build/deploy fact when it matches this (broad on purpose: it must not prefer what
# kb-lint happens to detect today).
_FACT = re.compile(
    r"""
    \b(apt|apt-get|aptitude|apk|yum|dnf|microdnf|tdnf|zypper|pacman|brew|port|conda|mamba|micromamba|choco|
       chocolatey|winget|scoop|pip|pip3|pipx|uv|uvx|poetry|pdm|pipenv|hatch|tox|nox|rye|vcpkg|conan|emerge|
       nix|spack|pkg|pkgin|snap|flatpak|cibuildwheel|maturin|setuptools|twine|build|wheel|sdist|docker|podman)\b
    | ^\s*(FROM|RUN|ENV|ARG)\b | --platform | \bimage\s*: | \bcontainer\s*:
    | [\w.+]+-(dev|devel|headers|libs|tools)\b | \blib[\w+.-]{2,} | \w+\.(so|dll|dylib|lib|a|h|hpp|pc)\b
    | \b(gcc|g\+\+|clang|clang\+\+|llvm|msvc|cl\.exe|visual\s+studio|visual\s+c\+\+|vs20\d\d|build\s*tools|
       xcode|xcode-select|command\s+line\s+tools|mingw|msys2?|rustc|rustup|cargo|rust|pyo3|gfortran|fortran|
       ifort|cmake|ninja|meson|make|autoconf|automake|libtool|pkg-config|pkgconf|pkg_config|pg_config|
       mysql_config|mariadb_config|xml2-config|xslt-config|gdal-config|geos-config|h5cc|nc-config|swig|
       cython|pybind11|nanobind|numpy|scipy|f2py|cuda|nvcc|openmp|blas|lapack|openblas|mkl|boost|compiler|
       compile|compiled|compiling|toolchain|headers?|linker|ld|binutils|build-essential|devtoolset|
       manylinux|musllinux|universal2|arm64|aarch64|x86_64|x86-64|amd64|i686|ppc64le|s390x|armv7l?|win32|
       win_amd64|win_arm64|macosx?|osx|darwin|windows|linux|ubuntu|debian|fedora|alpine|centos|rhel|rocky|
       almalinux|opensuse|suse|arch|freebsd|homebrew|macports|pypy|graalpy|cpython|free-threaded|nogil)\b
    | \b(install|installs|installed|installing|installation|depend|depends|dependency|dependencies|require|
       requires|required|requirement|requirements|prerequisites?|system\s+packages?|development\s+packages?)\b
    | \bpython[\s:=_-]*v?(version)?[\s:=_-]*['"]?[23](\.\d+)? | \bpy3\d+\b | \bcp3\d+ | \b3\.(1\d|[5-9])\b
    | python-version | python_version | requires-python | python_requires | runs-on | \bos\s*: | \barch\s*:
    | \bplatform | \bmatrix\b | \bstrategy\b | \binclude\s*: | \bpython\s*: | \benv\s*:
    | CIBW_ | MACOSX_DEPLOYMENT_TARGET | PKG_CONFIG | LD_LIBRARY_PATH | CFLAGS | LDFLAGS | CPPFLAGS | CC= | CXX=
    | \b(find_package|find_library|find_path|find_program|pkg_check_modules|FetchContent\w*|ExternalProject\w*|
       add_subdirectory|project|cmake_minimum_required|dependency|subproject|add_languages|extension_module|
       py\.install_sources|python_add_library|pybind11_add_module|nanobind_add_module|target_link_libraries|
       option|languages|import)\s*\(
    | @nox\.session | nox\.session | session\.(install|run|run_install)
    """,
    re.X | re.I,
)
_SOURCE_FACT = re.compile(
    r"^\s*(#\s*include\b|cimport\b|from\s+\S+\s+cimport\b|include\s+['\"]|cdef\s+extern\s+from\b|"
    r"#\s*if.*\b(PY_VERSION_HEX|Py_LIMITED_API|Py_GIL_DISABLED)\b|use\s+\w+|INCLUDE\b)",
    re.I,
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_RST_UNDERLINE = re.compile(r"""^([=\-~^"'`*+#:.])\1{2,}\s*$""")


def git(git_dir: str, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True).stdout


def list_tree(git_dir: str) -> list[tuple[str, str, str, str]]:
    out = git(git_dir, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
    rows = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.decode().split()
        rows.append((mode, kind, sha, path.decode("utf-8", "surrogateescape")))
    return rows


def read_blobs(git_dir: str, shas: list[str]) -> dict[str, bytes]:
    proc = subprocess.run(
        ["git", "--git-dir", git_dir, "cat-file", "--batch"],
        input="".join(f"{s}\n" for s in shas).encode(),
        capture_output=True,
        check=True,
    )
    data = proc.stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(data):
        nl = data.index(b"\n", pos)
        header = data[pos:nl].decode().split()
        pos = nl + 1
        if len(header) < 3 or header[1] == "missing":
            continue
        size = int(header[2])
        blobs[header[0]] = data[pos : pos + size]
        pos += size + 1
    return blobs


_INCLUDE = re.compile(r"^\s*(?:-r|-c|--requirement|--constraint)[\s=]+(\S+)", re.M)


def _includes(data: bytes) -> list[str]:
    if len(data) > CAP:
        return []
    return [m.group(1) for m in _INCLUDE.finditer(data.decode("utf-8", "replace"))]


def skipped(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(p in SKIP_PARTS or p.endswith(".egg-info") for p in parts[:-1])


def classify(path: str) -> str | None:
    """'verbatim', 'prose', 'source', 'setup', 'pycode' or None (not stored)."""
    p = PurePosixPath(path)
    name = p.name
    parts_lower = [x.lower() for x in p.parts[:-1]]
    if name in VERBATIM_NAMES or _PYLOCK.match(name) or _ENVFILE.match(name):
        return "verbatim"
    if _REQ_TXT.search(name):
        return "verbatim"
    if name.lower().endswith((".txt", ".in")) and parts_lower and parts_lower[-1] in ("requirements", "reqs"):
        return "verbatim"
    if name.endswith(".in") and "." not in name[:-3]:  # pip-tools inputs and anything else kb-lint may read as one
        return "verbatim"
    if name == "setup.py":
        return "setup"
    if _PROSE_TOP.match(name) or _CONTAINER.match(name) or _COMPOSE.match(name) or name in _CI_TOP:
        return "prose"
    if any(path.startswith(d) or f"/{d}" in path for d in _CI_DIRS):
        return "prose"
    if name.endswith((".sh", ".bash", ".ps1", ".bat", ".cmd")):
        return "prose"
    if name.endswith(".cmake"):
        return "prose"
    if parts_lower and parts_lower[0] in ("ci", ".ci", "tools", "scripts") and name.endswith((".yml", ".yaml")):
        return "prose"
    if any(x in _DOC_DIRS for x in parts_lower) and name.endswith(_DOC_SUFFIXES):
        return "prose"
    if name.endswith(_SOURCE_SUFFIXES):
        return "source"
    return None


def continued_groups(lines: list[str]) -> list[list[int]]:
    groups: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        current.append(i)
        if not line.rstrip("\r\n").endswith("\\"):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def extract(text: str, path: str, kind: str) -> str:
    lines = text.split("\n")
    keep = [False] * len(lines)
    is_md = path.lower().endswith((".md", ".markdown")) or PurePosixPath(path).name.lower() == "readme"
    is_rst = path.lower().endswith((".rst", ".txt"))
    pattern = _SOURCE_FACT if kind == "source" else _FACT
    for group in continued_groups(lines):
        if any(pattern.search(lines[i]) for i in group):
            for i in group:
                keep[i] = True
    if kind == "prose":
        for i, line in enumerate(lines):
            if is_md and _MD_HEADING.match(line):
                keep[i] = True
            if is_rst and _RST_UNDERLINE.match(line) and i > 0 and lines[i - 1].strip():
                keep[i] = keep[i - 1] = True
                if i > 1 and _RST_UNDERLINE.match(lines[i - 2]):
                    keep[i - 2] = True
    return "\n".join(line if k else "" for line, k in zip(lines, keep))


# --- setup.py ---------------------------------------------------------------------------------

_KEYWORDS = (
    "name", "version", "python_requires", "install_requires", "setup_requires", "tests_require",
    "extras_require", "ext_modules", "cffi_modules", "rust_extensions", "use_scm_version", "cmdclass",
    "packages", "package_dir", "zip_safe", "distclass", "libraries", "cmake_args", "build_ext",
)
_MARKER_CALLS = frozenset(
    {
        "Extension", "cythonize", "get_include", "RustExtension", "RustBin", "CMakeExtension",
        "Pybind11Extension", "build_ext", "pkgconfig", "check_output", "find_library", "ParallelCompile",
        "intree_extensions", "naive_recompile", "get_config_var", "CCompiler", "new_compiler", "Library",
        "setup", "find_packages", "find_namespace_packages",
    }
)
_TOOLS = frozenset(
    {
        "cmake", "ninja", "make", "pkg-config", "pkgconf", "pg_config", "mysql_config", "mariadb_config",
        "xml2-config", "xslt-config", "gdal-config", "geos-config", "h5cc", "nc-config", "swig", "cargo",
        "rustc", "gcc", "g++", "clang", "gfortran", "nvcc", "curl-config", "krb5-config", "icu-config",
    }
)


def _literal(node: ast.AST) -> str:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return "_computed"
    return repr(value)


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


_MODULE_LITERALS: dict[str, ast.AST] = {}


def _render(node: ast.AST, depth: int = 0) -> str:
    """A literal, or a marker call with its literal arguments, or _computed.

    A name bound once at module level to a literal renders as that literal (what a static reader sees).
    """
    if isinstance(node, ast.Name) and node.id in _MODULE_LITERALS:
        node = _MODULE_LITERALS[node.id]
    lit = _literal(node)
    if lit != "_computed" or depth > 3:
        return lit
    name = _call_name(node)
    if name and name in _MARKER_CALLS and isinstance(node, ast.Call):
        args = [_render(a, depth + 1) for a in node.args]
        kwargs = [f"{k.arg}={_render(k.value, depth + 1)}" for k in node.keywords if k.arg]
        return f"{name}({', '.join(args + kwargs)})"
    if isinstance(node, (ast.List, ast.Tuple)):
        inner = ", ".join(_render(e, depth + 1) for e in node.elts)
        return f"[{inner}]"
    return "_computed"


def synthetic_setup(source: bytes, origin: str) -> str:
    head = f"# facts read statically from {origin} (no code executed; computed values are _computed)\n"
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        return head + f"# could not be parsed: {type(exc).__name__}\n"
    _MODULE_LITERALS.clear()
    counts: dict[str, int] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            counts[name] = counts.get(name, 0) + 1
            if _literal(stmt.value) != "_computed":
                _MODULE_LITERALS[name] = stmt.value
    for name, n in counts.items():
        if n > 1:
            _MODULE_LITERALS.pop(name, None)
    imports: list[str] = []
    calls: set[str] = set()
    tools: set[str] = set()
    setup_calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.extend(f"import {a.name}" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = ", ".join(a.name for a in node.names)
            imports.append(f"from {'.' * node.level}{node.module} import {names}")
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name in _MARKER_CALLS:
                calls.add(f"{ast.unparse(node.func)}()" if name != "setup" else "setup()")
            if name == "setup":
                setup_calls.append(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in _TOOLS:
            tools.add(node.value)
    out = [head.rstrip("\n")]
    out.extend(sorted(set(imports)))
    if calls:
        out.append("# calls seen: " + ", ".join(sorted(calls)))
    if tools:
        out.append(f"# tool names as strings: {sorted(tools)!r}")
    for call in setup_calls[:1]:
        out.append("setup(")
        for kw in call.keywords:
            if kw.arg is None:
                out.append(f"    **{_render(kw.value)},")
            elif kw.arg in _KEYWORDS:
                out.append(f"    {kw.arg}={_render(kw.value)},")
            else:
                out.append(f"    {kw.arg}=...,")
        out.append(")")
    if not setup_calls:
        out.append("# no setup() call found")
    return "\n".join(out) + "\n"


# --- licence ----------------------------------------------------------------------------------

_LICENCES = [
    ("Apache-2.0", re.compile(r"Apache License,?\s+Version 2\.0", re.I)),
    ("MPL-2.0", re.compile(r"Mozilla Public License,?\s+(version|v\.?)\s*2\.0", re.I)),
    ("AGPL-3.0", re.compile(r"GNU AFFERO GENERAL PUBLIC LICENSE", re.I)),
    ("LGPL", re.compile(r"GNU LESSER GENERAL PUBLIC LICENSE|GNU LIBRARY GENERAL PUBLIC", re.I)),
    ("GPL", re.compile(r"GNU GENERAL PUBLIC LICENSE", re.I)),
    ("MIT", re.compile(r"Permission is hereby granted, free of charge", re.I)),
    ("BSD-3-Clause", re.compile(r"Neither the name|names of its\s+contributors", re.I)),
    ("BSD-2-Clause", re.compile(r"Redistributions in binary form must reproduce", re.I)),
    ("ISC", re.compile(r"Permission to use, copy, modify, and/or distribute", re.I)),
    ("PSF-2.0", re.compile(r"PYTHON SOFTWARE FOUNDATION LICENSE", re.I)),
]


def guess_licence(files: dict[str, bytes]) -> str:
    found = []
    for path, data in sorted(files.items()):
        text = data[:20000].decode("utf-8", "replace")
        for spdx, pattern in _LICENCES:
            if pattern.search(text):
                found.append(f"{spdx} ({path})")
                break
    return "; ".join(found) or "unknown"


# --- main -------------------------------------------------------------------------------------


def build(owner_name: str, git_dir: str, out_dir: str) -> dict[str, object]:
    commit = git(git_dir, "rev-parse", "HEAD").decode().strip()
    rows = list_tree(git_dir)
    plan: dict[str, tuple[str, str]] = {}
    submodules: list[str] = []
    licence_files: dict[str, str] = {}
    skipped_dirs: set[str] = set()
    n_sources = 0
    for mode, kind, sha, path in rows:
        if kind == "commit":
            submodules.append(path)
            continue
        if kind != "blob" or mode == "120000":
            continue
        if "/" not in path and re.match(r"^(licen[cs]e|copying|notice)", path, re.I):
            licence_files[path] = sha
        if skipped(path):
            parts = PurePosixPath(path).parts
            for i, part in enumerate(parts[:-1]):
                if part in SKIP_PARTS or part.endswith(".egg-info"):
                    skipped_dirs.add("/".join(parts[: i + 1]))
                    break
            continue
        what = classify(path)
        if what == "source":
            n_sources += 1
            if n_sources > MAX_SOURCES:
                continue
        if what:
            plan[path] = (what, sha)
    by_path = {path: sha for mode, kind, sha, path in rows if kind == "blob" and mode != "120000"}
    blobs = read_blobs(git_dir, sorted({sha for _, sha in plan.values()} | set(licence_files.values())))
    # every file a requirements file reaches with -r/-c is stored verbatim too, whatever its name
    pending = [p for p, (w, _) in plan.items() if w == "verbatim"]
    while pending:
        path = pending.pop()
        data = blobs.get(plan[path][1], b"")
        for target in _includes(data):
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if rel in by_path and plan.get(rel, ("",))[0] != "verbatim":
                plan[rel] = ("verbatim", by_path[rel])
                blobs.update(read_blobs(git_dir, [by_path[rel]]))
                pending.append(rel)
    stored: dict[str, list[str]] = {"verbatim": [], "extract": [], "synthetic": [], "too_big": []}
    buf = io.BytesIO()
    owner, name = owner_name.split("/")
    top = f"{owner}__{name}"
    with tarfile.open(fileobj=buf, mode="w:xz", preset=9) as tar:
        def add(rel: str, data: bytes) -> None:
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))

        for path in sorted(plan):
            what, sha = plan[path]
            data = blobs.get(sha)
            if data is None:
                continue
            if len(data) > CAP:
                stored["too_big"].append(path)
                continue
            if what == "verbatim":
                add(path, data)
                stored["verbatim"].append(path)
            elif what == "setup":
                add(path, synthetic_setup(data, f"{owner_name}@{commit}:{path}").encode())
                stored["synthetic"].append(path)
            else:
                if b"\0" in data[:8000]:
                    continue
                text = data.decode("utf-8", "replace")
                add(path, extract(text, path, "source" if what == "source" else "prose").encode())
                stored["extract"].append(path)
        listing = "".join(
            f"{how}\t{path}\n" for how in ("verbatim", "extract", "synthetic", "too_big") for path in stored[how]
        )
        info = tarfile.TarInfo(f"{top}.files.tsv")
        info.size = len(listing.encode())
        info.mtime = 0
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(listing.encode()))
        for path in submodules:
            info = tarfile.TarInfo(f"{top}/{path}")
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            info.mtime = 0
            tar.addfile(info)
    archive = f"{out_dir}/{top}.tar.xz"
    with open(archive, "wb") as fh:
        fh.write(buf.getvalue())
    licence = guess_licence({p: blobs[s] for p, s in licence_files.items() if s in blobs})
    return {
        "repo": owner_name,
        "commit": commit,
        "licence_guess": licence,
        "archive_bytes": len(buf.getvalue()),
        "verbatim": len(stored["verbatim"]),
        "extract": len(stored["extract"]),
        "synthetic": stored["synthetic"],
        "too_big": stored["too_big"],
        "submodules": submodules,
        "skipped_dirs": sorted(skipped_dirs),
        "sources_capped": max(0, n_sources - MAX_SOURCES),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repo", help="OWNER/NAME")
    parser.add_argument("git_dir")
    parser.add_argument("--out", default="tests/realworld/corpus")
    args = parser.parse_args(argv)
    print(json.dumps(build(args.repo, args.git_dir, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
