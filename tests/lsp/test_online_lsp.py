"""Online mode in the editor: offline diagnostics first, then the index answer in the background."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.index_server import files, serve_index

LINUX = "manylinux_2_17_x86_64"
PROJECTS = {
    "fastlib": files("fastlib", "1.0", [f"cp311-cp311-{LINUX}"])
    + files("fastlib", "2.0", [f"cp312-cp312-{LINUX}"]),
}


@pytest.fixture(scope="module")
def index():
    with serve_index(PROJECTS) as served:
        yield served


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "buildwise.lsp"]))
async def client(lsp_client: LanguageClient, index, tmp_path_factory: pytest.TempPathFactory):
    url, _state = index
    root = tmp_path_factory.mktemp("online")
    (root / "pyproject.toml").write_text(f'[tool.kb-lint]\nindex-url = "{url}"\n')
    lsp_client.root = root  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            initialization_options={
                "buildwise": {"online": True, "python": ["3.12"], "platforms": ["linux-x86_64"]}
            },
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_background_lookup_then_exact_diagnostic(client: LanguageClient, index) -> None:
    root = client.root  # type: ignore[attr-defined]
    path = root / "requirements.txt"
    text = "fastlib==1.0\n"
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="pip-requirements", version=1, text=text
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []  # nothing known offline about fastlib
    for _ in range(10):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if client.diagnostics[uri]:
            break
    codes = [d.code for d in client.diagnostics[uri]]
    assert codes == ["KB202"]
    assert "per the package index" in client.diagnostics[uri][0].message
    reports = [r for rs in client.progress_reports.values() for r in rs]
    assert any(
        getattr(r, "kind", "") == "begin" and "Looking up 1 packages" in (r.message or "") for r in reports
    )
    _url, state = index
    assert any(p == "/simple/fastlib/" for p, _ in state.requests)
