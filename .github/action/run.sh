#!/usr/bin/env bash
# action.yml, step 2: run `kb-lint check` with a SARIF report and (optionally) pull-request
# annotations. Never fails itself: it writes `exit-code` and `sarif-file` to $GITHUB_OUTPUT so the
# SARIF upload runs first and a later step fails the job.
set -uo pipefail
read -r -a paths <<< "${INPUT_PATH:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
sarif="${INPUT_SARIF_FILE:-kb-lint.sarif}"
args=(check "${paths[@]}" --output "sarif=$sarif")
if [ "${INPUT_ANNOTATE:-true}" = "true" ]; then args+=(--output github); fi
if [ -n "${INPUT_FAIL_ON:-}" ]; then args+=(--fail-on "$INPUT_FAIL_ON"); fi
args+=("${extra[@]}")
echo "kb-lint ${args[*]}"
"${KB_LINT:?}" "${args[@]}"
code=$?
echo "exit-code=$code" >> "${GITHUB_OUTPUT:?}"
if [ -f "$sarif" ]; then echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"; fi
exit 0
