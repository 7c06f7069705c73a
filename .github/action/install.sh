#!/usr/bin/env bash
# action.yml, step 1: install buildwise (kb-lint) from the action's own checkout into a fresh virtual
# environment (PEP 668 systems refuse installs into the system Python). Writes `kb-lint=<path>` to
# $GITHUB_OUTPUT.
set -euo pipefail
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/kb-lint-venv"
"${INPUT_PYTHON:-python3}" -m venv "$venv"
if [ -x "$venv/bin/python" ]; then bin="$venv/bin"; else bin="$venv/Scripts"; fi
"$bin/python" -m pip install --disable-pip-version-check --quiet "${GITHUB_ACTION_PATH:?}"
exe="$bin/kb-lint"
[ -x "$exe" ] || exe="$bin/kb-lint.exe"
"$exe" --version
echo "kb-lint=$exe" >> "${GITHUB_OUTPUT:?}"
