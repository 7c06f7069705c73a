"""``kb-lint doctor --import``: after an install, do the installed native packages load?

Lists the distributions of the target interpreter that ship extension modules, then imports each
one's extension modules in its own subprocess (with a timeout) and reports the ones that fail, with
the shared library that could not be loaded and, from the knowledge base, the OS package that
provides it. This imports installed packages (their code runs); it never imports the project.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from typing import Any

from buildwise.knowledge import KnowledgeBase

_LIST_SCRIPT = r"""
import importlib.machinery, importlib.metadata, json
suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
out, seen = [], set()
for dist in importlib.metadata.distributions():
    name = dist.metadata["Name"] or ""
    if name.lower() in seen:
        continue
    seen.add(name.lower())
    mods = []
    for f in dist.files or ():
        text = str(f).replace("\\", "/")
        if text.endswith(suffixes) and not text.startswith(".."):
            stem = text.rsplit("/", 1)[-1].split(".", 1)[0]
            parts = text.split("/")[:-1] + [stem]
            if all(p.isidentifier() for p in parts):
                mods.append(".".join(parts))
    if mods:
        out.append({"name": name, "version": dist.version, "modules": sorted(set(mods))})
print(json.dumps(out))
"""

_IMPORT_SCRIPT = r"""
import importlib, json, sys
errors = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        kind = type(exc).__name__
        errors.append({"module": name, "kind": kind, "error": "%s: %s" % (kind, exc)})
print(json.dumps(errors))
"""

#: How loaders name a library they cannot find (glibc/musl, macOS dyld).
_LIBRARY_RES = (
    re.compile(r"(lib[\w+.-]+?\.so(?:\.[\d.]+)?): cannot open shared object file"),
    re.compile(r"Error loading shared library (lib[\w+.-]+?\.so(?:\.[\d.]+)?)"),
    re.compile(r"Library not loaded: \S*?/?(lib[\w+.-]+?\.dylib)"),
)
MAX_MODULES = 40
#: What a native module that cannot be loaded raises (ModuleNotFoundError is a naming question).
_LOAD_ERRORS = ("ImportError", "OSError")


@dataclass
class ImportFailure:
    distribution: str
    version: str
    module: str
    error: str
    library: str | None = None
    identifiers: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution,
            "version": self.version,
            "module": self.module,
            "error": self.error,
            "library": self.library,
            "identifiers": self.identifiers,
            "packages": self.packages,
        }


@dataclass
class ImportReport:
    checked: list[str]
    failures: list[ImportFailure]
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "failures": [f.to_json() for f in self.failures],
            "problems": self.problems,
            "ok": not self.failures,
        }


def missing_library(error: str) -> str | None:
    for pattern in _LIBRARY_RES:
        m = pattern.search(error)
        if m:
            return m.group(1)
    return None


def library_stem(filename: str) -> str:
    """``libpq.so.5`` -> ``pq``; ``libssl.3.dylib`` -> ``ssl``."""
    stem = filename[3:] if filename.startswith("lib") else filename
    return re.split(r"\.so|\.dylib|\.\d", stem, maxsplit=1)[0]


def _run(python: str, script: str, args: list[str], timeout: float) -> tuple[Any, str | None]:
    try:
        done = subprocess.run(
            [python, "-I", "-c", script, *args],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"did not finish within {timeout:g}s"
    except OSError as exc:
        return None, f"could not run {python}: {exc.strerror or exc}"
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1]), None
    except (ValueError, IndexError):
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return None, last


def check_imports(kb: KnowledgeBase, python: str, ecosystem: str, timeout: float = 60.0) -> ImportReport:
    listed, problem = _run(python, _LIST_SCRIPT, [], timeout)
    if problem is not None or not isinstance(listed, list):
        return ImportReport([], [], [f"cannot list installed packages: {problem}"])
    report = ImportReport([], [])
    for dist in listed:
        name, version, modules = str(dist["name"]), str(dist["version"]), list(dist["modules"])
        report.checked.append(name)
        errors, problem = _run(python, _IMPORT_SCRIPT, modules[:MAX_MODULES], timeout)
        if problem is not None:
            report.failures.append(ImportFailure(name, version, modules[0], problem))
            continue
        for err in errors or ():
            if err.get("kind") not in _LOAD_ERRORS:
                continue  # not a failure to load (a module that only its package may import, ...)
            failure = ImportFailure(name, version, str(err["module"]), str(err["error"]))
            failure.library = missing_library(failure.error)
            if failure.library is not None:
                failure.identifiers = kb.identifiers_for("library", library_stem(failure.library))
                for ident in failure.identifiers:
                    info = kb.identifier(ident)
                    names = info.names(ecosystem) if info is not None else None
                    if names is not None:
                        provided = names.run or names.install
                        failure.packages += [p for p in provided if p not in failure.packages]
            report.failures.append(failure)
            break  # the first failing module says it; its siblings fail the same way
    return report
