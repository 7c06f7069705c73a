"""A long editing session: thousands of incremental edits through a real client. The server's
memory levels off after warm-up (within 10%), and the diagnostics it ends with are exactly what
a fresh ``kb-lint check`` reports for the same text."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

EDITS = 3000
WARM_UP = 600

BASE = ["psycopg2==2.9.9", "numpy==1.24.4", "lxml>=4", "not valid!", "requests", "pyyaml==6.0.1"]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "buildwise.lsp"]))
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("soak")
    (root / ".git").mkdir()
    lsp_client.root = root  # type: ignore[attr-defined]
    versions: dict[str, int | None] = {}
    lsp_client.versions = versions  # type: ignore[attr-defined]

    features = lsp_client.protocol.fm.features
    builtin = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def published(*args: object) -> None:  # also note the version each push is for
        params = args[-1]
        assert isinstance(params, types.PublishDiagnosticsParams)
        versions[params.uri] = params.version
        builtin(*args)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = published

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        pass

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="soak")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def _edit(n: int, lines: list[str]) -> tuple[types.Range, str]:
    """Edit number ``n``: change a pin, add a line with a new name, or delete the added one."""
    kind = n % 3
    if kind == 0:  # a new version on a pinned line: a text never seen before
        row = n % len(BASE)
        new = f"psycopg2=={2 + n % 7}.{n % 10}.{n}" if row == 0 else f"pkg{row}=={n}.0"
        rng = types.Range(start=types.Position(row, 0), end=types.Position(row, len(lines[row])))
        lines[row] = new
        return rng, new
    if kind == 1:  # append a line
        at = len(lines)
        lines.append(f"extra-{n}[x]>={n} ; python_version < '3.{n % 20}'")
        return types.Range(start=types.Position(at, 0), end=types.Position(at, 0)), lines[-1] + "\n"
    at = len(lines) - 1  # delete the line just added
    lines.pop()
    return types.Range(start=types.Position(at, 0), end=types.Position(at + 1, 0)), ""


async def _caught_up(client: LanguageClient, uri: str, version: int) -> None:
    """Until the server has published diagnostics for ``version`` (it folds a burst into one)."""
    versions: dict[str, int | None] = client.versions  # type: ignore[attr-defined]
    deadline = asyncio.get_running_loop().time() + 30
    while (versions.get(uri) or 0) < version:
        assert asyncio.get_running_loop().time() < deadline, f"no diagnostics for version {version}"
        # A waiter may wake before the handler has noted the version: poll, do not block.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 0.2)


@pytest.mark.asyncio
async def test_long_session_memory_levels_off_and_diagnostics_match_the_cli(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    path = root / "requirements.txt"
    uri = path.as_uri()
    lines = list(BASE)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="pip-requirements", version=1, text="\n".join(lines) + "\n"
            )
        )
    )
    await _caught_up(client, uri, 1)
    pid = client._server.pid  # type: ignore[attr-defined]
    warm = 0
    for n in range(EDITS):
        rng, text = _edit(n, lines)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=n + 2),
                content_changes=[types.TextDocumentContentChangePartial(range=rng, text=text)],
            )
        )
        if n % 4 == 3 or n == EDITS - 1:  # a typing burst of four edits, then the server catches up
            await _caught_up(client, uri, n + 2)
        if n == WARM_UP:
            warm = _rss_kb(pid)
    final = _rss_kb(pid)
    assert final <= warm * 1.10, f"RSS grew from {warm} kB after warm-up to {final} kB"

    text = "\n".join(lines) + "\n"
    path.write_text(text)
    cli = subprocess.run(
        [sys.executable, "-m", "buildwise", "check", "--format", "json", "--fail-on", "never", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    expected = sorted(
        (f["code"], f["line"], f["column"], f["message"])
        for f in json.loads(cli.stdout)
        if f["file"].endswith("requirements.txt")
    )
    got = sorted(  # the editor shows a finding's notes under its message; JSON has them apart
        (str(d.code), d.range.start.line + 1, d.range.start.character + 1, d.message.split("\nnote: ")[0])
        for d in client.diagnostics[uri]
    )
    assert got == expected
