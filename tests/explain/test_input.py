"""Bad input and usage errors: a clear one-line message and exit status 2, never a traceback."""

from __future__ import annotations

import codecs
import gzip
import io
import json
from pathlib import Path

import pytest

from buildwise.cli import main

LOGS = Path(__file__).parent / "logs"
PSYCOPG2 = LOGS / "real-psycopg2-no-pg-config.log"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["explain", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = _run([str(tmp_path / "nope.log")], capsys)
    assert code == 2
    assert err.strip() == f"kb-lint: error: {tmp_path / 'nope.log'}: no such file"
    assert "Traceback" not in out + err


def test_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run([str(tmp_path)], capsys)
    assert code == 2
    assert "is a directory" in err


def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    code, _, err = _run([str(empty)], capsys)
    assert code == 2
    assert "is empty" in err


def test_binary_garbage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blob = tmp_path / "core.log"
    blob.write_bytes(bytes(range(256)) * 64)
    code, out, err = _run([str(blob)], capsys)
    assert code == 2
    assert "not a text log" in err
    assert "Traceback" not in out + err


def test_corrupt_gzip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "ci.log.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00 this is not really gzip")
    code, _, err = _run([str(bad)], capsys)
    assert code == 2
    assert err.startswith("kb-lint: error: cannot read")


def test_gzip_log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    packed = tmp_path / "build.log.gz"
    packed.write_bytes(gzip.compress(PSYCOPG2.read_bytes()))
    code, out, _ = _run([str(packed), "--format", "json", "--distro", "debian"], capsys)
    assert code == 0
    assert json.loads(out)["evidence"]["line"] == 20


def test_non_utf8_log_is_read_and_said(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # A Windows console log in cp1252: "é" is 0xE9, not valid UTF-8.
    text = PSYCOPG2.read_bytes().replace(b"running egg_info", b"running egg_info (caf\xe9)")
    log = tmp_path / "cp1252.log"
    log.write_bytes(text)
    code, out, _ = _run([str(log), "--format", "json", "--distro", "debian"], capsys)
    result = json.loads(out)
    assert code == 0
    assert result["cause_kind"] == "missing_library_config_tool"
    assert any("not valid UTF-8" in note for note in result["notes"])


def test_powershell_utf16_log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # PowerShell 5's `pip install x > log.txt` writes UTF-16 LE with a BOM and CRLF line ends.
    text = PSYCOPG2.read_text(encoding="utf-8").replace("\n", "\r\n")
    log = tmp_path / "ps.log"
    log.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    code, out, _ = _run([str(log), "--format", "json", "--distro", "debian"], capsys)
    result = json.loads(out)
    assert code == 0
    assert result["evidence"] == {"line": 20, "text": "Error: pg_config executable not found."}
    assert result["package"] == "psycopg2"


def test_ansi_colours_and_carriage_returns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = PSYCOPG2.read_text(encoding="utf-8").splitlines()
    lines[19] = "\x1b[31m" + lines[19] + "\x1b[0m"  # uv and pip colour errors on a terminal
    lines[2] = "  Downloading psycopg2-2.9.9.tar.gz (0 kB)\r" + lines[2]  # a redrawn progress line
    log = tmp_path / "colour.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = _run([str(log), "--format", "json", "--distro", "debian"], capsys)
    result = json.loads(out)
    assert code == 0
    assert result["evidence"]["text"] == "Error: pg_config executable not found."
    assert result["version"] == "2.9.9"


def test_one_huge_line_without_newlines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = tmp_path / "oneline.log"
    log.write_bytes(b"x" * 3_000_000 + b"\nfatal error: lber.h: No such file or directory\n")
    code, out, _ = _run([str(log), "--format", "json", "--distro", "debian"], capsys)
    result = json.loads(out)
    assert code == 0
    assert result["cause_kind"] == "missing_system_headers"
    assert result["evidence"]["text"] == "fatal error: lber.h: No such file or directory"


def test_empty_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _, err = _run(["-"], capsys)
    assert code == 2
    assert "<stdin> is empty" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--python", "banana"], "is not a Python version"),
        (["--distro", "plan9"], "unknown --distro"),
        (["--format", "yaml"], "invalid choice"),
    ],
)
def test_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run([str(PSYCOPG2), *args], capsys)
    assert code == 2
    assert message in err


def test_unknown_cause_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = tmp_path / "odd.log"
    log.write_text(
        "Collecting weird==1.0\n  Downloading weird-1.0.tar.gz (1 kB)\n"
        "  src/weird.c:3:1: error: expected ';' before '}' token\n"
        "ERROR: Failed building wheel for weird\n",
        encoding="utf-8",
    )
    code, out, _ = _run([str(log), "--format", "json"], capsys)
    result = json.loads(out)
    assert code == 1
    assert result["cause_kind"] == "unknown"
    assert result["package"] == "weird"
    assert result["evidence"] == {"line": 3, "text": "src/weird.c:3:1: error: expected ';' before '}' token"}


def test_no_log_and_a_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`kb-lint explain` typed alone must not sit waiting for input on the terminal."""

    class _Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", _Terminal(io.BytesIO(b"")))
    code, _, err = _run([], capsys)
    assert code == 2
    assert "no log given" in err
