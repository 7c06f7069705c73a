"""Golden logs: every tests/explain/logs/NAME.log has NAME.expect.json saying what a user must see.

Each case runs through the engine (``explain_lines``, streamed from the file) and through the CLI
(``kb-lint explain FILE --format json``); both must show the expected cause, package, version, Python,
evidence line, build error, and fixes naming the right packages and alternatives.

Expectation keys (all optional except cause_kind):
    args                 extra CLI arguments (``--python 3.10``); ``--distro debian`` is added unless
                         given or unless the case expects a "distro" chosen from the log itself
    cause_kind, package, version, python, platform, distro
    evidence             {"line": N, "contains": "text"}
    build_error          the underlying build error's cause kind (or null)
    missing              {"kind": ..., "name": ...}
    system_packages      {ecosystem: [names that must be listed]}
    fix_commands         substrings each of which some fix command must contain
    first_fix            substring of the first fix step's command or title (the best fix)
    alternatives         requirements that must be offered, in this order
    exit                 the CLI's exit status (default: 0, or 1 for unknown)
Adding a case needs no Python: drop the log and its .expect.json next to it.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

from buildwise.cli import main
from buildwise.explain import explain_lines
from buildwise.explain.reader import LineReader

LOGS = Path(__file__).parent / "logs"
CASES = sorted([*LOGS.glob("*.log"), *LOGS.glob("*.log.gz")])


def _stem(log: Path) -> str:
    return log.name.removesuffix(".gz").removesuffix(".log")


def _expect(log: Path) -> dict[str, Any]:
    expect_file = log.with_name(_stem(log) + ".expect.json")
    assert expect_file.exists(), f"{log.name} has no {expect_file.name}"
    data: dict[str, Any] = json.loads(expect_file.read_text(encoding="utf-8"))
    return data


def _args(expect: dict[str, Any]) -> list[str]:
    args = list(expect.get("args", []))
    if "--distro" not in args and "distro" not in expect:
        args += ["--distro", "debian"]  # this machine's /etc/os-release must not matter
    return args


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def check(result: dict[str, Any], expect: dict[str, Any]) -> None:
    """Compare a JSON explanation with an expectation; messages say what the user would miss."""
    assert result["cause_kind"] == expect["cause_kind"], result["explanation"]
    for key in ("package", "version", "python", "platform", "distro"):
        if key in expect:
            assert result[key] == expect[key], f"{key}: {result[key]!r} != {expect[key]!r}"
    if "evidence" in expect:
        want = expect["evidence"]
        assert result["evidence"] is not None, "no evidence line shown"
        assert result["evidence"]["line"] == want["line"], result["evidence"]
        assert want["contains"] in result["evidence"]["text"], result["evidence"]
    if "build_error" in expect:
        got = result["build_error"]["cause_kind"] if result["build_error"] else None
        assert got == expect["build_error"]
    if "missing" in expect:
        assert result["missing"] == expect["missing"]
    for eco, names in expect.get("system_packages", {}).items():
        listed = result["system_packages"].get(eco, [])
        for name in names:
            assert name in listed, f"{eco}: {name} not in {listed}"
    commands = [cmd for step in result["fix"] for cmd in step["commands"]]
    for text in expect.get("fix_commands", []):
        assert any(text in cmd for cmd in commands), f"no fix command contains {text!r}: {commands}"
    if "first_fix" in expect:
        first = result["fix"][0]
        shown = " ".join([first["title"], *first["commands"]])
        assert expect["first_fix"] in shown, f"best fix is {shown!r}"
    if "alternatives" in expect:
        offered = [alt["requirement"] for alt in result["alternatives"]]
        assert offered[: len(expect["alternatives"])] == expect["alternatives"]


@pytest.mark.parametrize("log", CASES, ids=[_stem(p) for p in CASES])
def test_engine(log: Path, kb: Any) -> None:
    expect = _expect(log)
    args = _args(expect)
    with gzip.open(log, "rb") if log.suffix == ".gz" else log.open("rb") as stream:
        explanation = explain_lines(
            LineReader(stream, log.name),  # type: ignore[arg-type]
            python=_option(args, "--python"),
            platform=_option(args, "--platform"),
            distro=_option(args, "--distro"),
            kb=kb,
        )
    check(explanation.to_json(), expect)
    # The editor shows Markdown: it must carry the evidence line and the first fix.
    markdown = explanation.to_markdown()
    if explanation.evidence is not None:
        assert explanation.evidence.text in markdown
    if explanation.fix and explanation.fix[0].commands:
        assert explanation.fix[0].commands[0] in markdown


@pytest.mark.parametrize("log", CASES, ids=[_stem(p) for p in CASES])
def test_cli(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = _expect(log)
    code = main(["explain", str(log), "--format", "json", *_args(expect)])
    out = capsys.readouterr().out
    result = json.loads(out)
    check(result, expect)
    assert code == expect.get("exit", 1 if expect["cause_kind"] == "unknown" else 0)


@pytest.mark.parametrize("log", CASES[:3], ids=[_stem(p) for p in CASES[:3]])
def test_text_output_names_cause_and_line(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = _expect(log)
    main(["explain", str(log), *_args(expect)])
    out = capsys.readouterr().out
    assert f"[{expect['cause_kind']}]" in out.splitlines()[0]
    if "evidence" in expect:
        assert f"log line {expect['evidence']['line']}:" in out


def test_every_cause_kind_has_a_fixture() -> None:
    """The fixtures cover every cause a person can be told (unknown included)."""
    from buildwise.explain import CAUSE_KINDS

    covered = {_expect(log)["cause_kind"] for log in CASES}
    covered |= {_expect(log).get("build_error") for log in CASES}
    missing = set(CAUSE_KINDS) - covered
    assert not missing, f"no fixture for: {sorted(missing)}"


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    log = LOGS / "real-psycopg2-no-pg-config.log"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(log.read_bytes())))
    assert main(["explain", "-", "--format", "json", "--distro", "fedora"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["cause_kind"] == "missing_library_config_tool"
    assert result["distro"] == "fedora"
    assert any(
        "dnf install" in cmd and "libpq-devel" in cmd for step in result["fix"] for cmd in step["commands"]
    )
