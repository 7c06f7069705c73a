"""``python -m buildwise.lsp``: start the language server on stdio."""

from buildwise.lsp.app import serve

serve()
