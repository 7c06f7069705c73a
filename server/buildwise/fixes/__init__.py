"""Fixes: edits that keep a file's formatting (``edits``), the OS-dependency fixes KB301 offers
(``os_deps``), and applying fixes the way ``kb-lint check --fix`` does (``apply``)."""
