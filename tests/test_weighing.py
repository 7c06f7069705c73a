"""What a finding weighs: a source build the project already provides for, a development-only
dependency, and a package reached only through the lock are at most an info; lock files are read
as what they are (wheels filtered to their requires-python, percent-encoded file names, locks for
other platforms); documentation counts wherever projects write it, in any distro spelling."""

from __future__ import annotations

from pathlib import Path

from buildwise.engine import Workspace
from buildwise.parse.locks import parse_lock, wheel_filename
from buildwise.project.repodocs import normalize
from tests.conftest import write_tree

SERVICE = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "svc"
version = "1"
requires-python = ">=3.12"
dependencies = ["mysqlclient>=2.2"]

[tool.kb-lint]
platforms = ["linux-x86_64"]
python = ["3.12"]
"""

DOCKERFILE = """\
FROM python:3.12-slim AS build
# build-essential is required to build mysqlclient; libmariadb-dev provides its client library
RUN apt-get update && \\
    apt-get install -y build-essential libmariadb-dev pkg-config
RUN pip wheel --wheel-dir /wheels -r /tmp/requirements.txt
"""


def _by_code(findings, code):  # type: ignore[no-untyped-def]
    return [f for f in findings if f.code == code]


def test_a_source_build_the_dockerfile_provides_for_is_an_info(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(tmp_path, {"pyproject.toml": SERVICE})
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    assert [f.severity.label for f in _by_code(findings, "KB203")] == ["warning"]
    assert _by_code(findings, "KB301")  # nothing documents libmysqlclient or pkg-config yet

    write_tree(tmp_path, {"docker/Dockerfile": DOCKERFILE})  # healthchecks keeps it in docker/
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    kb203 = _by_code(findings, "KB203")
    assert [f.severity.label for f in kb203] == ["info"]
    assert "already installs what the build needs" in kb203[0].message
    assert _by_code(findings, "KB301") == []  # libmariadb-dev is a libmysqlclient


def test_development_requirements_weigh_less(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pyproject = SERVICE.replace('dependencies = ["mysqlclient>=2.2"]', "dependencies = []")
    write_tree(tmp_path, {"pyproject.toml": pyproject, "docs-requirements.txt": "mysqlclient>=2.2\n"})
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    assert {f.code: f.severity.label for f in findings if f.code in ("KB203", "KB301")} == {
        "KB203": "info",
        "KB301": "info",
    }
    assert "a development dependency" in _by_code(findings, "KB203")[0].message


def test_distro_spellings_are_the_same_package() -> None:
    assert normalize("libldap2-dev") == normalize("libldap-dev")
    assert normalize("libssl3t64") == normalize("libssl3")
    assert normalize("default-libmysqlclient-dev") == "libmysqlclient-dev"
    assert normalize("zlib1g-dev") == "zlib1g-dev"
    assert normalize("libcurl4-openssl-dev") == "libcurl4-openssl-dev"


def test_percent_encoded_wheel_names_are_decoded() -> None:
    url = "https://download.pytorch.org/whl/cpu/torch-2.13.0%2Bcpu-cp312-cp312-manylinux_2_28_x86_64.whl"
    assert wheel_filename(url) == "torch-2.13.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl"


UV_LOCK = """\
version = 1
requires-python = ">=3.13, <3.14"

[[package]]
name = "app"
version = "1.0"
source = { virtual = "." }
dependencies = [{ name = "msgpack" }, { name = "flask" }]

[[package]]
name = "flask"
version = "3.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "multidict" }]
wheels = [{ url = "https://files.pythonhosted.org/packages/flask-3.0.0-py3-none-any.whl" }]

[[package]]
name = "msgpack"
version = "1.0.8"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/msgpack-1.0.8.tar.gz" }

[[package]]
name = "multidict"
version = "6.0.5"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/multidict-6.0.5.tar.gz" }
"""

APP = """\
[project]
name = "app"
version = "1.0"
requires-python = ">=3.13, <3.14"
dependencies = ["msgpack", "flask"]

[tool.uv]
package = false

[tool.kb-lint]
platforms = ["linux-x86_64"]
"""


def test_a_lock_without_wheels_for_its_python_is_not_sdist_only(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """uv records only the wheels its requires-python can use: msgpack 1.0.8 has wheels, none for
    3.13. That is "no wheel for CPython 3.13" (KB201), not "publishes no wheels" (KB205); reported
    once, on pyproject.toml; the transitive multidict on the lock, as an info."""
    write_tree(tmp_path, {"pyproject.toml": APP, "uv.lock": UV_LOCK})
    findings, _ = Workspace(kb).lint_paths([tmp_path])
    assert _by_code(findings, "KB205") == []
    kb201 = {
        (Path(f.path).name, f.data.get("package"), f.severity.label) for f in _by_code(findings, "KB201")
    }
    assert kb201 == {("pyproject.toml", "msgpack", "warning"), ("uv.lock", "multidict", "info")}


PYLOCK = """\
lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.13"

[[packages]]
name = "cffi"
version = "2.0.0"
wheels = [{ url = "https://files.example/cffi-2.0.0-cp313-cp313-manylinux_2_17_x86_64.whl" }]
"""

PYODIDE_LOCK = """\
lock-version = "1.0"
created-by = "pip"

[[packages]]
name = "hypothesis"
version = "6.165.3"

[[packages.wheels]]
name = "hypothesis-6.165.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
url = "https://files.pythonhosted.org/packages/hypothesis-6.165.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
"""


def test_a_lock_is_checked_for_the_pythons_and_platforms_it_was_made_for(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "lib"\nversion = "1"\nrequires-python = ">=3.11"\n\n'
            '[tool.kb-lint]\npython = ["3.11", "3.12", "3.13"]\nplatforms = ["linux-x86_64"]\n',
            "tools/people/pylock.toml": PYLOCK,
            "pyodide/pylock.314.toml": PYODIDE_LOCK,
        },
    )
    assert parse_lock(PYLOCK, "pylock.toml").requires_python == ">=3.13"
    findings, checked = Workspace(kb).lint_paths([tmp_path])
    assert {Path(p).name for p in checked} >= {"pylock.toml", "pylock.314.toml"}
    on_locks = [f for f in findings if "pylock" in Path(f.path).name]
    assert on_locks == []  # cffi has its 3.13 wheel; the Pyodide lock is for WebAssembly


def test_ci_tooling_locks_are_not_the_project(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A GitHub action's pylock.toml pins the tools a workflow runs, not what the project ships."""
    write_tree(tmp_path, {"pyproject.toml": APP, ".github/actions/people/pylock.toml": PYLOCK})
    ws = Workspace(kb)
    _findings, checked = ws.lint_paths([tmp_path])
    assert not any(".github" in p for p in checked)
    assert [Path(p).name for p in ws.skipped] == [".github"]
