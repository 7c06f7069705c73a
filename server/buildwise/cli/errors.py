"""The one error every subcommand raises for a mistake in how kb-lint was called."""

from __future__ import annotations


class UsageError(Exception):
    """A mistake in how kb-lint was called: one line on stderr, exit code 2."""
