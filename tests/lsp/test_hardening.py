"""The language server under hostile input: nothing outside the workspace is read, bad input is
a diagnostic with a position, errors carry no traceback, and size limits match the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.test_hostile_input import NESTINGS

SECRET = "root:x:0:0:TOPSECRET:/root:/bin/bash\n"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "buildwise.lsp"]))
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "ws"
    (root / ".git").mkdir(parents=True)
    (base / "outside").mkdir()
    (base / "outside" / "secret.txt").write_text(SECRET)
    lsp_client.root = root  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        pass

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_and_wait(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)
        )
    )
    for _ in range(50):
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    raise AssertionError(f"no diagnostics for {path.name}")


@pytest.mark.asyncio
async def test_includes_and_links_out_of_the_workspace_are_not_read(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    secret = root.parent / "outside" / "secret.txt"
    cases = {
        "requirements.txt": "-r ../outside/secret.txt\n",
        "constraints.txt": f"-c {secret}\n",
    }
    for name, text in cases.items():
        (root / name).write_text(text)
        diagnostics = await open_and_wait(client, root / name, text)
        assert [d.code for d in diagnostics] == ["KB003"], diagnostics
        assert "outside the project" in diagnostics[0].message and "not opened" in diagnostics[0].message
        assert diagnostics[0].range.start == types.Position(line=0, character=3)
        assert "TOPSECRET" not in diagnostics[0].message
    link = root / "dev-requirements.txt"
    link.symlink_to(secret)
    # An editor opens the link with the target's text; the server still reads nothing through it.
    diagnostics = await open_and_wait(client, link, SECRET)
    assert len(diagnostics) == 1 and "is a link to" in diagnostics[0].message
    assert "TOPSECRET" not in diagnostics[0].message


@pytest.mark.asyncio
async def test_requests_for_documents_never_opened_get_empty_answers(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    on_disk = root / "requirements.txt"
    on_disk.write_text("psycopg2==2.9.9\nnot valid!\n")
    document = types.TextDocumentIdentifier(uri=on_disk.as_uri())
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=types.Position(line=0, character=2))
    )
    assert hover is None
    diagnostic = types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 8)),
        message="x",
        code="KB203",
        source="buildwise",
        data={"version": 1, "index": 0},
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document,
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions is not None and len(actions) == 0


def test_error_responses_carry_no_traceback() -> None:
    from buildwise.lsp.app import create_server

    server = create_server()
    sent: list[object] = []
    server.protocol._send_data = sent.append  # type: ignore[method-assign]
    try:
        raise KeyError("boom")
    except KeyError:
        from pygls.exceptions import JsonRpcInternalError

        error = JsonRpcInternalError.of(sys.exc_info()).to_response_error()
    assert error.data is not None and "traceback" in error.data  # what pygls would send
    server.protocol._send_response(7, error=error)
    (response,) = sent
    assert response.error.data is None  # type: ignore[attr-defined]
    assert response.error.message == "KeyError: 'boom'"  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_bad_input_is_a_diagnostic_with_a_position(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    for n, (kind, body) in enumerate(sorted(NESTINGS.items())):
        folder = root / f"deep{n}"
        folder.mkdir()
        text = '[build-system]\nrequires = ["setuptools"]\n[tool.x]\n' + body + "\n"
        diagnostics = await open_and_wait(client, folder / "pyproject.toml", text)
        deep = [d for d in diagnostics if "levels" in d.message]
        assert len(deep) == 1 and deep[0].range.start.line >= 3, (kind, diagnostics)
    lock = root / "lock" / "uv.lock"
    lock.parent.mkdir()
    diagnostics = await open_and_wait(client, lock, '[[package]]\nname = "a"\nwheels = [{ url = 5 }]\n')
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("KB005", 2)]


@pytest.mark.asyncio
async def test_size_limit_and_diagnostics_cap(client: LanguageClient) -> None:
    from buildwise.lsp.server import MAX_DIAGNOSTICS
    from buildwise.parse.text import MAX_FILE_BYTES

    root: Path = client.root  # type: ignore[attr-defined]
    huge = "psycopg2==2.9.9\n" * (MAX_FILE_BYTES // 16 + 1)
    diagnostics = await open_and_wait(client, root / "requirements.txt", huge)
    assert len(diagnostics) == 1 and "are not checked" in diagnostics[0].message
    many = "".join(f"bad{n} !\n" for n in range(MAX_DIAGNOSTICS * 2))
    diagnostics = await open_and_wait(client, root / "requirements-many.txt", many)
    assert len(diagnostics) == MAX_DIAGNOSTICS + 1
    assert f"{MAX_DIAGNOSTICS:,} more findings" in diagnostics[-1].message
