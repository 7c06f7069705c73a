"""The text report as a person reads it: one short line per finding, help/note lines under it with
one distro's install command, colour only on a terminal (NO_COLOR / FORCE_COLOR), a closing summary
by cause, --output-format concise, --statistics, and a fixable count that --fix keeps."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from buildwise.output.text import Progress, use_colour
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "webapp"
FIRST_LINE = re.compile(r"^[\w./-]+:\d+:\d+: KB\d{3}( \[\*\])? \S")


@pytest.fixture(scope="module")
def webapp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example on its own (inside this repository, the repository's docs count too)."""
    project = tmp_path_factory.mktemp("example") / "webapp"
    shutil.copytree(EXAMPLE, project)
    return project


def kb_lint(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "buildwise", *args], cwd=cwd, capture_output=True, text=True,
        env={**base, **(env or {})}, timeout=120,
    )  # fmt: skip


def test_one_short_line_per_finding_with_help_for_one_distro(webapp: Path) -> None:
    done = kb_lint("check", ".", "--distro", "debian", cwd=webapp)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    first = [line for line in lines if FIRST_LINE.match(line)]
    assert len(first) >= 10
    assert max(len(line) for line in first) <= 140, max(first, key=len)
    assert "pyproject.toml:9:6: KB203 psycopg2 publishes no wheels for linux-x86_64, linux-aarch64, " \
        "macos-arm64: pip builds it from source there" in lines  # fmt: skip
    at = lines.index(next(line for line in first if "KB203 psycopg2" in line))
    assert lines[at + 1] == "  note: its source build needs a C compiler"
    assert lines[at + 2] == (
        "  help: install what the build needs first: "
        "apt-get install -y --no-install-recommends gcc libpq-dev python3-dev"
    )
    assert (
        "dnf install" not in done.stdout and "brew install" not in done.stdout
    )  # other distros: --distro all
    # KB301 on the same line does not repeat the install command the wheel rule just gave
    kb301 = lines.index(next(line for line in first if line.startswith("pyproject.toml:9:6: KB301")))
    assert not lines[kb301 + 1].startswith("  help:") and not lines[kb301 + 2].startswith("  help:")
    assert all(
        not line.startswith(" ") or re.match(r"^  (help|note): |^  -> ", line) for line in lines if line
    )


def test_distro_all_lists_every_distro(webapp: Path) -> None:
    done = kb_lint("check", ".", "--distro", "all", "--select", "KB203", cwd=webapp)
    assert (
        "  help: install what the build needs first: on fedora: dnf install -y gcc libpq-devel python3-devel"
        in (done.stdout.splitlines())
    )
    assert "on alpine: apk add --no-cache" in done.stdout


def test_closing_summary_groups_by_cause_with_one_install_command(webapp: Path) -> None:
    out = kb_lint("check", ".", "--distro", "debian", cwd=webapp).stdout.splitlines()
    builds = next(line for line in out if "build from source:" in line)
    assert builds == "4 dependencies build from source: numpy, psycopg2, python-ldap, mysqlclient"
    command = out[out.index(builds) + 1]
    assert command.startswith("  -> apt-get install -y --no-install-recommends ")
    for package in ("libpq-dev", "libldap-dev", "default-libmysqlclient-dev", "libopenblas-dev"):
        assert f" {package}" in command
    assert "1 build configuration problem (KB101)" in out
    assert out[-1].startswith("Found 12 problems: 2 errors, 9 warnings, 1 info")


def test_concise_keeps_only_the_first_lines(webapp: Path) -> None:
    out = kb_lint("check", ".", "--output-format", "concise", cwd=webapp).stdout.splitlines()
    assert all(FIRST_LINE.match(line) for line in out[:-1]), out
    assert out[-1].startswith("Found 12 problems")


def test_statistics_counts_per_rule(webapp: Path) -> None:
    out = kb_lint("check", ".", "--statistics", cwd=webapp).stdout.splitlines()
    assert out[0] == "5\tKB301\tundocumented-os-dependency [*]"
    assert "3\tKB203\tno-wheel-for-platform" in out
    assert out[-1] == "Found 12 problems."


def test_colour_only_on_a_terminal_and_as_the_environment_says(webapp: Path) -> None:
    plain = kb_lint("check", ".", cwd=webapp)
    assert "\033[" not in plain.stdout  # a pipe
    forced = kb_lint("check", ".", env={"FORCE_COLOR": "1"}, cwd=webapp)
    assert "\033[1;33mKB203\033[0m" in forced.stdout
    assert "\033[" not in kb_lint("check", ".", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}, cwd=webapp).stdout

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_colour(Tty(), {}) and not use_colour(Tty(), {"NO_COLOR": "1"})
    assert not use_colour(io.StringIO(), {}) and use_colour(io.StringIO(), {"FORCE_COLOR": "1"})
    assert not use_colour(io.StringIO(), {"FORCE_COLOR": "0"})


def test_fixable_count_is_what_fix_fixes(tmp_path: Path) -> None:
    project = tmp_path / "webapp"
    shutil.copytree(EXAMPLE, project)  # a copy of its own: --fix writes
    before = kb_lint("check", ".", cwd=project).stdout.splitlines()
    marked = sum(1 for line in before if FIRST_LINE.match(line) and " [*] " in line)
    found = re.search(r"\((\d+) fixable with --fix\)", before[-1])
    assert found is not None and int(found.group(1)) == marked == 6
    diff = kb_lint("check", ".", "--diff", cwd=project)
    assert diff.stdout.splitlines()[-1].startswith(f"Would fix {marked} problems (would apply ")
    fixed = kb_lint("check", ".", "--fix", cwd=project)
    assert f"Fixed {marked} problems (" in fixed.stderr
    assert fixed.stdout.splitlines()[-1].startswith("Found 6 problems")  # 12 - 6


def test_progress_line_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, delay=0)
    progress.last = -1.0
    progress(3, 10)
    progress.close()
    assert stream.getvalue() == "\r\033[Kkb-lint: checked 3/10 files\r\033[K"
    quiet = io.StringIO()
    short = Progress(quiet)  # a run shorter than the delay prints nothing
    short(1, 2)
    short.close()
    assert quiet.getvalue() == ""
