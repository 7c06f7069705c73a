"""Where one project ends: nested projects and test-data trees.

A repository often holds several projects (examples/, demos, benchmarks, monorepo members) and test
fixtures that are projects themselves, some deliberately broken. Each directory with its own
``pyproject.toml`` or ``setup.py`` is its own project: the enclosing project's source-tree and
documentation scans stop there, and its findings never borrow the enclosing project's facts.

Test data is not the project. A directory is test data when it is named like test data
(``testdata``, ``test_data``, ``fixtures``), when it is a data folder below a test folder
(``tests/cases``, ``tests/data``, ``test/fixtures``), or when it is a project of its own below a test
folder (``tests/e2e/project``). ``kb-lint check`` skips test data found while walking a directory
(``--verbose`` lists what it skipped; ``include-test-data = true`` or ``--include-test-data`` checks
it); a path given explicitly is always checked.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Files that make a directory a project of its own.
PROJECT_MARKERS = ("pyproject.toml", "setup.py")
#: Folders whose contents are test scaffolding.
TEST_DIRS = frozenset({"tests", "test", "testing"})
#: Below a test folder, these hold data (inputs, expected outputs, sample projects), not tests.
DATA_DIRS = frozenset(
    {
        "cases",
        "data",
        "fixtures",
        "testdata",
        "test_data",
        "test-data",
        "samples",
        "resources",
        "golden",
        "snapshots",
        "corpus",
        "projects",
        "examples",
    }
)
#: Test data wherever it sits.
ALWAYS_DATA = frozenset({"testdata", "test_data", "test-data", "fixtures", "__fixtures__"})


#: Folders of CI tooling: the lock and requirements files there pin the tools a workflow runs (a
#: GitHub action's pylock.toml), not what the project builds or deploys.
TOOLING_DIRS = frozenset({".github"})


def is_tooling(parts: tuple[str, ...]) -> bool:
    return bool(parts) and parts[0] in TOOLING_DIRS


def is_project_dir(filenames: Iterable[str]) -> bool:
    """Whether a directory with these file names is a project of its own."""
    return any(name in PROJECT_MARKERS for name in filenames)


def is_test_data(parts: tuple[str, ...], is_project: bool = False) -> bool:
    """Whether the directory at ``parts`` (relative to the checked root) is test data.

    >>> is_test_data(("tests", "cases", "KB001"))
    True
    >>> is_test_data(("tests",))
    False
    >>> is_test_data(("tests", "e2e", "project"), is_project=True)
    True
    """
    lower = [p.lower() for p in parts]
    if any(p in ALWAYS_DATA for p in lower):
        return True
    for i, part in enumerate(lower):
        if part in TEST_DIRS:
            rest = lower[i + 1 :]
            if any(r in DATA_DIRS for r in rest):
                return True
            if rest and is_project:
                return True
    return False
