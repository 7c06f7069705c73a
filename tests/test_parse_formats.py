"""Parsers for the dependency formats besides pyproject [project] and requirements files: what each
reads, where it says each thing is, and that bad input is a problem with a place, never an exception."""

from __future__ import annotations

import pytest

from buildwise.model import Position, Span
from buildwise.parse.envfiles import parse_conda_env, parse_tox_ini
from buildwise.parse.jsonpos import parse_json
from buildwise.parse.locks import parse_lock
from buildwise.parse.pipfile import parse_pipfile, parse_pipfile_lock
from buildwise.parse.poetry import ConstraintError, poetry_constraint, poetry_dependencies, poetry_floor
from buildwise.parse.script import parse_script
from buildwise.parse.setupcfg import parse_setup_cfg
from buildwise.parse.setuppy import parse_setup_py
from buildwise.parse.toml import parse_toml


def _text_at(text: str, span: Span) -> str:
    lines = text.split("\n")
    assert span.start.line == span.end.line
    return lines[span.start.line][span.start.column : span.end.column]


# --- Poetry ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("constraint", "pep440"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0.0", ">=0.0,<0.1"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.4", "~=1.4"),
        ("1.2.*", "==1.2.*"),
        ("1.2.3", "==1.2.3"),
        ("*", ""),
        (">= 1.2, < 2", ">=1.2,<2"),
        (">=1.2 <2", ">=1.2,<2"),
        ("^1.0 || ^2.0", ""),  # alternatives: no PEP 440 spelling, read as any version
    ],
)
def test_poetry_constraints_follow_poetry_core(constraint: str, pep440: str) -> None:
    assert poetry_constraint(constraint) == pep440


@pytest.mark.parametrize("bad", ["^abc", ">>1", "1.0 || ^x"])
def test_bad_poetry_constraints_raise(bad: str) -> None:
    with pytest.raises(ConstraintError):
        poetry_constraint(bad)


POETRY = """\
[tool.poetry]
name = "demo"

[tool.poetry.dependencies]
python = "^3.9"
numpy = "^1.21"
psycopg2 = { version = "~2.9", optional = true, extras = ["binary"] }
pandas = [
    { version = "^1.5", python = "<3.12" },
    { version = "^2.1", python = ">=3.12", markers = "sys_platform == 'linux'" },
]
mylib = { git = "https://example.org/mylib.git" }
broken = "^abc"

[tool.poetry.group.dev.dependencies]
pytest = "*"

[tool.poetry.dev-dependencies]
black = "23.1.0"
"""


def test_poetry_tables_become_pep508_with_the_places_as_written() -> None:
    found = poetry_dependencies(parse_toml(POETRY))
    by_req = {d.requirement: d for d in found.requirements}
    assert list(by_req) == [
        "numpy>=1.21,<2.0",
        "psycopg2[binary]>=2.9,<2.10",
        'pandas>=1.5,<2.0; python_version < "3.12"',
        "pandas>=2.1,<3.0; (python_version >= \"3.12\") and (sys_platform == 'linux')",
        "black==23.1.0",
        "pytest",
    ]
    numpy = by_req["numpy>=1.21,<2.0"]
    assert _text_at(POETRY, numpy.name_span) == "numpy"  # type: ignore[arg-type]
    assert _text_at(POETRY, numpy.specifier_span) == "^1.21"  # type: ignore[arg-type]
    assert numpy.group == "tool.poetry.dependencies" and numpy.syntax == "poetry"
    second_pandas = found.requirements[3]
    assert _text_at(POETRY, second_pandas.specifier_span) == "^2.1"  # type: ignore[arg-type]
    assert second_pandas.span.start.line == 9  # its own element of the array
    assert found.requirements[4].group == "tool.poetry.dev-dependencies"
    assert found.requirements[5].group == "tool.poetry.group.dev.dependencies"
    # python is the project's targets, not a dependency; git entries come from no index
    assert found.requires_python == ">=3.9,<4.0"
    assert _text_at(POETRY, found.requires_python_span) == "^3.9"  # type: ignore[arg-type]
    [problem] = found.problems
    assert _text_at(POETRY, problem.span) == "^abc" and "broken" in problem.message


def test_poetry2_project_table_wins() -> None:
    text = """\
[project]
name = "x"
requires-python = ">=3.11"
dependencies = ["numpy>=2"]

[tool.poetry.dependencies]
numpy = { source = "internal" }
rich = "^13"
python = "^3.9"
"""
    found = poetry_dependencies(parse_toml(text))
    assert [d.requirement for d in found.requirements] == ["rich>=13,<14"]
    assert found.requires_python is None


def test_poetry_floor_keeps_poetry_syntax() -> None:
    assert poetry_floor("^1.21", "1.26.0", ">=1.26.0,<2.0") == "^1.26.0"
    assert poetry_floor("~2.9", "2.9.10", ">=2.9.10,<2.10") == "~2.9.10"
    assert poetry_floor("0.29.0", "0.30.0", "==0.30.0") == "==0.30.0"


# --- lock files -----------------------------------------------------------------------------

POETRY_LOCK = """\
[[package]]
name = "asyncpg"
version = "0.29.0"
optional = false
python-versions = ">=3.8.0"
files = [
    {file = "asyncpg-0.29.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:00"},
    {file = "asyncpg-0.29.0.tar.gz", hash = "sha256:01"},
]

[package.dependencies]
async-timeout = {version = ">=4.0.3", markers = "python_version < \\"3.12.0\\""}

[[package]]
name = "mylib"
version = "1.0"
python-versions = "*"
files = []

[package.source]
type = "git"
url = "https://example.org/mylib.git"

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
"""


def test_poetry_lock_files_and_sources() -> None:
    lock = parse_lock(POETRY_LOCK, "/p/poetry.lock")
    assert lock.kind == "poetry"
    asyncpg, mylib = lock.packages
    assert asyncpg.wheels == ["asyncpg-0.29.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]
    assert asyncpg.has_sdist and asyncpg.version == "0.29.0"
    assert asyncpg.marker == 'python_full_version >= "3.8.0"'
    assert asyncpg.dependencies[0].marker == 'python_version < "3.12.0"'
    assert asyncpg.span is not None and asyncpg.span.start == Position(1, 7)
    assert mylib.source == "git"
    assert lock.requires_python == ">=3.11,<4.0"


def test_poetry_lock_1x_keeps_files_in_metadata() -> None:
    text = """\
[[package]]
name = "PyYAML"
version = "6.0.1"
python-versions = ">=3.6"

[metadata]
lock-version = "1.1"
python-versions = "^3.8"

[metadata.files]
pyyaml = [
    {file = "PyYAML-6.0.1-cp311-cp311-win_amd64.whl", hash = "sha256:00"},
    {file = "PyYAML-6.0.1.tar.gz", hash = "sha256:01"},
]
"""
    [pkg] = parse_lock(text, "poetry.lock").packages
    assert pkg.wheels == ["PyYAML-6.0.1-cp311-cp311-win_amd64.whl"] and pkg.has_sdist


def test_pdm_lock_files_urls_and_markers() -> None:
    text = """\
[metadata]
groups = ["default"]
lock_version = "4.5.0"

[[package]]
name = "chardet"
version = "3.0.4"
requires_python = ">=3.7"
marker = "os_name == \\"nt\\""
dependencies = ["idna>=2; python_version < \\"3.9\\""]
files = [
    {url = "https://example.org/packages/chardet-3.0.4-py2.py3-none-any.whl", hash = "sha256:00"},
    {file = "chardet-3.0.4.tar.gz", hash = "sha256:01"},
]
"""
    lock = parse_lock(text, "pdm.lock")
    [pkg] = lock.packages
    assert lock.kind == "pdm"
    assert pkg.wheels == ["chardet-3.0.4-py2.py3-none-any.whl"] and pkg.has_sdist
    assert pkg.marker == '(python_version >= "3.7") and (os_name == "nt")'
    assert pkg.dependencies[0].name == "idna"


# --- setup.cfg ------------------------------------------------------------------------------

SETUP_CFG = """\
[metadata]
name = demo

[options]
python_requires = >=3.9
install_requires =
    numpy>=1.21  # fast math
    # a comment between entries
    lxml; sys_platform != "win32"
setup_requires = cython; wheel
tests_require = pytest

[options.extras_require]
pg = psycopg2>=2.8
bad = requests; python_version < "3.8"
"""


def test_setup_cfg_lists_with_places() -> None:
    cfg = parse_setup_cfg(SETUP_CFG)
    got = [(d.requirement, d.group, d.build) for d in cfg.requirements]
    assert got == [
        ("numpy>=1.21", "options.install_requires", False),
        ('lxml; sys_platform != "win32"', "options.install_requires", False),
        ("cython", "options.setup_requires", True),
        ("wheel", "options.setup_requires", True),
        ("psycopg2>=2.8", "options.extras_require.pg", False),
        ("requests", "options.extras_require.bad", False),
    ]
    for d in cfg.requirements:
        assert _text_at(SETUP_CFG, d.verbatim) == d.requirement  # type: ignore[arg-type]
    assert cfg.requires_python == ">=3.9"
    # a one-line value is split at ';' by setuptools: the marker becomes a "requirement"
    [problem] = cfg.problems
    assert _text_at(SETUP_CFG, problem.span) == 'python_version < "3.8"'
    assert "splits a one-line bad" in problem.message


def test_setup_cfg_file_directive_and_bad_lines() -> None:
    cfg = parse_setup_cfg(
        "stray = 1\n[options]\ninstall_requires = file: requirements.in, extra.txt\nnot a pair\n"
    )
    assert cfg.includes == ["requirements.in", "extra.txt"]
    assert [(p.kind, p.span.start.line) for p in cfg.problems] == [("syntax", 0), ("syntax", 3)]


# --- setup.py -------------------------------------------------------------------------------

# Written for these tests in the patterns real setup.py files use (module-level constants, a helper
# that reads a requirements file, extras built from literals); not copied from any project.
SETUP_PY = """\
import os
from setuptools import setup, find_packages

REQUIRES = ["numpy>=1.21", 'lxml']
EXTRAS = {"pg": ["psycopg2>=2.8"]}
CHANGED = ["a"]
CHANGED.append("b")


def read_requirements(name):
    with open(os.path.join(os.path.dirname(__file__), name)) as fh:
        return fh.read().splitlines()


setup(
    name="démo",
    install_requires=REQUIRES + ["pyyaml==6.0.1", f"x{1}"],
    extras_require={**EXTRAS, "dev": read_requirements("requirements-dev.txt")},
    setup_requires=CHANGED,
    python_requires=">=3.8",
)
"""


def test_setup_py_literals_are_read_and_computed_values_are_hints() -> None:
    out = parse_setup_py(SETUP_PY)
    got = [(d.requirement, d.group, d.build) for d in out.requirements]
    assert got == [
        ("numpy>=1.21", "setup.install_requires", False),
        ("lxml", "setup.install_requires", False),
        ("pyyaml==6.0.1", "setup.install_requires", False),
        ("psycopg2>=2.8", "setup.extras_require.pg", False),
    ]
    assert _text_at(SETUP_PY, out.requirements[1].verbatim) == "lxml"  # type: ignore[arg-type]
    assert out.requires_python == ">=3.8"
    kinds = [(p.kind, _text_at(SETUP_PY, p.span)) for p in out.problems]
    assert ("dynamic", 'f"x{1}"') in kinds
    [dev] = [p for p in out.problems if "extras_require['dev']" in p.message]
    assert "requirements-dev.txt" in dev.message
    assert ("dynamic", "CHANGED") in kinds


def test_setup_py_hint_names_the_file_a_helper_reads() -> None:
    text = SETUP_PY.replace('REQUIRES + ["pyyaml==6.0.1", f"x{1}"]', 'read_requirements("requirements.txt")')
    out = parse_setup_py(text)
    [hint] = [p for p in out.problems if "install_requires" in p.message]
    assert "requirements.txt" in hint.message and "kb-lint does not run setup.py" in hint.message


def test_setup_py_syntax_error_is_a_problem() -> None:
    out = parse_setup_py("setup(\n  install_requires=[\n")
    [problem] = out.problems
    assert problem.kind == "syntax" and problem.message.startswith("setup.py:")


# --- Pipfile --------------------------------------------------------------------------------

PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"
name = "pypi"

[packages]
requests = "*"
django = ">=3.2"
numpy = {version = "1.26.4", markers = "python_version >= '3.9'"}
stdeb = {version = "*", sys_platform = "== 'linux'"}
mine = {path = ".", editable = true}

[dev-packages]
myst-parser = {extras = ["linkify"], version = "*"}

[requires]
python_version = "3.11"
"""


def test_pipfile_tables() -> None:
    out, _doc = parse_pipfile(PIPFILE)
    got = [(d.requirement, d.group) for d in out.requirements]
    assert got == [
        ("requests", "packages"),
        ("django>=3.2", "packages"),
        ("numpy==1.26.4; python_version >= '3.9'", "packages"),
        ("stdeb; sys_platform == 'linux'", "packages"),
        ("myst-parser[linkify]", "dev-packages"),
    ]
    numpy = out.requirements[2]
    assert _text_at(PIPFILE, numpy.name_span) == "numpy"  # type: ignore[arg-type]
    assert _text_at(PIPFILE, numpy.specifier_span) == "1.26.4"  # type: ignore[arg-type]
    assert out.requires_python == "==3.11.*"


def test_pipfile_lock_pins_and_bad_json() -> None:
    text = """{
    "_meta": {"requires": {"python_version": "3.12"}},
    "default": {
        "pyyaml": {"hashes": ["sha256:00"], "markers": "'dev' in dependency_groups", "version": "==6.0.1"},
        "mine": {"editable": true, "path": "."}
    }
}
"""
    out = parse_pipfile_lock(text)
    [pin] = out.requirements
    assert pin.syntax == "locked" and pin.requirement.startswith("pyyaml==6.0.1")
    assert _text_at(text, pin.specifier_span) == "==6.0.1"  # type: ignore[arg-type]
    assert _text_at(text, pin.name_span) == "pyyaml"  # type: ignore[arg-type]
    assert out.requires_python == "==3.12.*"
    broken = parse_pipfile_lock('{\n  "default": {\n    "x": {,}\n')
    [problem] = broken.problems
    assert problem.kind == "syntax" and problem.span.start.line == 2


def test_json_places() -> None:
    doc = parse_json('{"a": {"b": [1, "x"], "c": "d"}}')
    assert doc.key_span("a", "c") == Span.of(0, 22, 0, 25)
    assert doc.value_span("a", "b") == Span.of(0, 12, 0, 20)


# --- scripts, tox, conda --------------------------------------------------------------------

SCRIPT = """\
#!/usr/bin/env python3
# /// script
# requires-python = ">=3.11"
# dependencies = [
#   "requests<3",
#   "rich",
# ]
# ///
import requests
"""


def test_script_block_keeps_file_positions() -> None:
    out, _doc = parse_script(SCRIPT, "tool.py")
    assert [d.requirement for d in out.requirements] == ["requests<3", "rich"]
    assert _text_at(SCRIPT, out.requirements[0].verbatim) == "requests<3"  # type: ignore[arg-type]
    assert out.requires_python == ">=3.11"
    broken, _ = parse_script(SCRIPT.replace('"rich",', '"rich'), "tool.py")
    assert [p.kind for p in broken.problems] == ["syntax"]
    assert parse_script("print(1)\n", "x.py")[0].requirements == []


TOX = """\
[tox]
envlist = py311

[testenv]
deps =
    pytest>=8  # runner
    py311: numpy==1.26.4
    -r requirements.txt
    {[base]deps}
    -e .
commands = pytest
"""


def test_tox_deps() -> None:
    out = parse_tox_ini(TOX)
    assert [d.requirement for d in out.requirements] == ["pytest>=8", "numpy==1.26.4"]
    assert _text_at(TOX, out.requirements[1].verbatim) == "numpy==1.26.4"  # type: ignore[arg-type]


CONDA = """\
name: demo
dependencies:
  - python=3.11
  - numpy
  - pip
  - pip:
    - "psycopg2==2.9.3"  # quoted
    - -r requirements.txt
    - rich
"""


def test_conda_pip_section() -> None:
    out = parse_conda_env(CONDA)
    assert [d.requirement for d in out.requirements] == ["psycopg2==2.9.3", "rich"]
    assert _text_at(CONDA, out.requirements[0].verbatim) == "psycopg2==2.9.3"  # type: ignore[arg-type]
    assert out.requires_python == "==3.11.*"


@pytest.mark.parametrize(
    "parse",
    [parse_setup_cfg, parse_setup_py, parse_tox_ini, parse_conda_env, parse_pipfile_lock],
)
@pytest.mark.parametrize("text", ["", "\x00\xff", "[", "{", "setup(**x)", "- pip:\n  - ", "a = \n  b"])
def test_parsers_never_raise(parse: object, text: str) -> None:
    parse(text)  # type: ignore[operator]


def test_pdm_dev_dependencies_and_hatch_environments() -> None:
    from buildwise.project.facts import pyproject_dependencies

    text = """\
[project]
name = "x"
dependencies = ["rich"]

[tool.pdm.dev-dependencies]
test = ["pytest>=8", "-e file:///${PROJECT_ROOT}/plugins/local"]

[tool.hatch.envs.default]
dependencies = ["coverage[toml]>=7", "{root:uri}/vendor/lib"]

[tool.hatch.envs.docs]
extra-dependencies = ["mkdocs"]
"""
    deps = pyproject_dependencies(parse_toml(text))
    assert [(d.parsed.text, d.group) for d in deps] == [
        ("rich", "project.dependencies"),
        ("pytest>=8", "tool.pdm.dev-dependencies.test"),
        ("coverage[toml]>=7", "tool.hatch.envs.default.dependencies"),
        ("mkdocs", "tool.hatch.envs.docs.extra-dependencies"),
    ]
    assert _text_at(text, deps[1].text_span) == "pytest>=8"  # type: ignore[arg-type]
