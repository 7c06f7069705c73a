"""Opt-in index look-up against a real HTTP index on 127.0.0.1 (never beyond the machine)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from buildwise.cli import main
from tests.conftest import write_tree
from tests.index_server import files, serve_index

LINUX = "manylinux_2_17_x86_64.manylinux2014_x86_64"
PROJECTS = {
    "fastlib": files("fastlib", "1.0", [f"cp311-cp311-{LINUX}"])
    + files("fastlib", "2.0", [f"cp311-cp311-{LINUX}", f"cp312-cp312-{LINUX}", "cp312-cp312-win_amd64"]),
    "linuxonly": files("linuxonly", "3.1", [f"cp312-cp312-{LINUX}"]),
    "purelib": files("purelib", "0.5", ["py3-none-any"]),
}


def check(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[dict[str, object]]]:
    monkeypatch.chdir(cwd)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    code = main(
        [
            "check",
            ".",
            "--format",
            "json",
            "--python",
            "3.12",
            "--platform",
            "linux-x86_64,windows-amd64",
            *args,
        ]
    )
    return code, json.loads(out.getvalue())


def test_exact_answers_from_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"requirements.txt": "fastlib==1.0\nlinuxonly>=3\npurelib\nnot-on-this-index\n"})
    with serve_index(PROJECTS) as (url, state):
        code, found = check(tmp_path, "--online", "--index-url", url, monkeypatch=monkeypatch)
    assert code == 1
    by = {(f["code"], f["message"].split()[0]) for f in found}
    assert ("KB202", "fastlib==1.0") in by
    assert ("KB203", "linuxonly") in by
    assert not any("purelib" in f["message"] for f in found)
    kb202 = next(f for f in found if f["code"] == "KB202")
    assert "[per the package index]" in kb202["message"]
    assert kb202["fixes"][0]["title"].startswith("Require fastlib==2.0")
    kb203 = next(f for f in found if f["code"] == "KB203")
    assert "windows-amd64" in kb203["message"] and "linux-x86_64" not in kb203["message"].split(":")[0]
    assert {p for p, _ in state.requests} >= {"/simple/fastlib/", "/simple/linuxonly/", "/simple/purelib/"}


def test_etag_revalidation_and_offline_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"requirements.txt": "fastlib==1.0\n"})
    with serve_index(PROJECTS) as (url, state):
        _, first = check(tmp_path, "--online", "--index-url", url, monkeypatch=monkeypatch)
        _, second = check(tmp_path, "--online", "--index-url", url, monkeypatch=monkeypatch)
        revalidations = [etag for path, etag in state.requests if path == "/simple/fastlib/"]
    assert revalidations[0] is None and revalidations[1] is not None  # If-None-Match on the second run
    assert first == second
    # The server is gone: --offline and an unreachable --online both answer from the cache.
    _, offline = check(tmp_path, "--offline", "--index-url", url, monkeypatch=monkeypatch)
    _, unreachable = check(tmp_path, "--online", "--index-url", url, monkeypatch=monkeypatch)
    assert offline == first == unreachable


def test_default_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"requirements.txt": "fastlib==1.0\n"})
    with serve_index(PROJECTS) as (url, state):
        code, found = check(tmp_path, "--index-url", url, monkeypatch=monkeypatch)
        assert state.requests == []  # no --online: the network is never touched
    assert code == 0 and found == []


def test_config_turns_it_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve_index(PROJECTS) as (url, state):
        write_tree(
            tmp_path,
            {
                "pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["linuxonly"]\n'
                f'\n[tool.kb-lint]\nonline = true\nindex-url = "{url}"\n',
            },
        )
        code, found = check(tmp_path, "--ignore", "KB101", monkeypatch=monkeypatch)
        assert state.requests
    assert code == 1
    assert [f["code"] for f in found] == ["KB203"]


def test_unknown_dependencies_are_listed_with_what_the_index_showed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, {"requirements.txt": "linuxonly>=3\npurelib\nnot-on-this-index\nnumpy>=2\n"})
    monkeypatch.chdir(tmp_path)
    common = ["check", ".", "--python", "3.12", "--platform", "linux-x86_64,windows-amd64", "--verbose"]
    with serve_index(PROJECTS) as (url, _):
        main([*common, "--format", "summary", "--online", "--index-url", url])
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    unknown = {u["name"]: u["index"] for u in summary["unknown_dependencies"]}
    assert unknown == {
        "linuxonly": "no wheel for windows-amd64 (CPython 3.12)",
        "not-on-this-index": None,
        "purelib": "wheels for every target",
    }
    assert summary["by_code"].get("KB203") == 1
    assert "3 dependencies not in the knowledge base (their wheels were checked on the index)" in captured.err
    # Offline the same dependencies are still named, and the report says they were not checked.
    main([*common, "--format", "summary"])
    captured = capsys.readouterr()
    assert {u["name"] for u in json.loads(captured.out)["unknown_dependencies"]} == set(unknown)
    assert "(not checked; --online checks their wheels)" in captured.err
