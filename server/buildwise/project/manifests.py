"""Dependency files other than pyproject.toml, requirements files and TOML lock files: which
names they have and which parser reads each one."""

from __future__ import annotations

from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from buildwise.parse.declared import DependencyFile
from buildwise.parse.toml_document import TomlDocument
from buildwise.project.files import MANIFEST_NAMES, FileReader
from buildwise.project.files import manifest_kind as manifest_kind


def parse_manifest(text: str, path: str, kind: str) -> DependencyFile:
    """Never raises: what a parser cannot read is a problem with its place."""
    if kind == "setup.cfg":
        from buildwise.parse.setupcfg import parse_setup_cfg

        return parse_setup_cfg(text, path)
    if kind == "setup.py":
        from buildwise.parse.setuppy import parse_setup_py

        return parse_setup_py(text, path)
    if kind == "Pipfile":
        from buildwise.parse.pipfile import parse_pipfile

        return parse_pipfile(text, path)[0]
    if kind == "Pipfile.lock":
        from buildwise.parse.pipfile import parse_pipfile_lock

        return parse_pipfile_lock(text, path)
    if kind == "tox.ini":
        from buildwise.parse.envfiles import parse_tox_ini

        return parse_tox_ini(text, path)
    if kind == "conda":
        from buildwise.parse.envfiles import parse_conda_env

        return parse_conda_env(text, path)
    from buildwise.parse.script import parse_script

    return parse_script(text, path)[0]


def _valid(text: str | None) -> str | None:
    if not text:
        return None
    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        return None
    return text


def declared_python(toml: TomlDocument | None, root: Path, reader: FileReader) -> tuple[str | None, str]:
    """The Python versions a project declares outside [project] requires-python, and where:
    Poetry's ``python`` dependency, then setup.cfg / setup.py ``python_requires``, Pipfile
    ``[requires]``, a conda environment's ``python`` (files in the project's root)."""
    if toml is not None:
        from buildwise.parse.poetry import poetry_dependencies

        found = _valid(poetry_dependencies(toml).requires_python)
        if found is not None:
            return found, "tool.poetry.dependencies.python"
    for name in ("setup.cfg", "setup.py", "Pipfile", "environment.yml", "environment.yaml"):
        path = root / name
        read = reader.read(path)
        if read.text is None:
            continue
        found = _valid(parse_manifest(read.text, str(path), MANIFEST_NAMES[name]).requires_python)
        if found is not None:
            return found, f"{name} {'python_requires' if name.startswith('setup') else 'python'}"
    return None, "requires-python"
