"""``python -m buildwise.lsp``: start the language server on stdio."""

from buildwise.lsp.server import serve

serve()
