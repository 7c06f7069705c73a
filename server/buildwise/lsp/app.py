"""The language server put together: server state (``server``) plus its handlers (``features``),
started on stdio."""

from __future__ import annotations

import logging

from buildwise.lsp import features
from buildwise.lsp.server import BuildwiseServer


def create_server() -> BuildwiseServer:
    server = BuildwiseServer()
    features.register(server)
    return server


def serve(log_level: str = "info") -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("buildwise").setLevel(log_level.upper())
    create_server().start_io()
