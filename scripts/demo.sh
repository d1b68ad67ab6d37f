#!/usr/bin/env bash
# `npm run demo`: the extension on the bundled samples (samples/: a subset of the published VLM4D results,
# and a small generated motion demo whose clips play). With a `code` command on PATH it opens VS Code with
# the extension loaded from this checkout; otherwise it starts code-server on 127.0.0.1 with the packaged
# extension installed and the samples open, and prints the address.
#   VLM4D_DEMO_PORT   port for code-server (default 8080)
#   VLM4D_DEMO_CODE_SERVER=1   use code-server even when `code` exists
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SAMPLES="$ROOT/samples"

[[ -d node_modules ]] || npm ci
npm run --silent build

if command -v code >/dev/null 2>&1 && [[ "${VLM4D_DEMO_CODE_SERVER:-}" != 1 ]]; then
  echo "Opening VS Code on $SAMPLES with the extension from $ROOT"
  exec code --extensionDevelopmentPath="$ROOT" "$SAMPLES"
fi

bash scripts/vscode-test/setup-code-server.sh >/dev/null
CACHE="${VLM4D_TEST_CACHE:-$HOME/.cache/vlm4d-test-vscode}"
NODE_BIN="$(sed -n 's/.*"nodeBin": "\(.*\)".*/\1/p' "$CACHE/installed.json")"
CS_ENTRY="$(sed -n 's/.*"codeServerEntry": "\(.*\)".*/\1/p' "$CACHE/installed.json")"

npm run --silent package >/dev/null
STATE="${VLM4D_DEMO_STATE:-$ROOT/.vscode-test/demo}"
mkdir -p "$STATE"
printf 'auth: none\ncert: false\n' >"$STATE/config.yaml"
mkdir -p "$STATE/user-data/User"
[[ -f "$STATE/user-data/User/settings.json" ]] || cat >"$STATE/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "git.openRepositoryInParentFolders": "never",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "telemetry.telemetryLevel": "off"
}
JSON
COMMON=(--config "$STATE/config.yaml" --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions")
"$NODE_BIN" "$CS_ENTRY" "${COMMON[@]}" --force --install-extension "$ROOT/dist/vlm4d-error-analysis.vsix" >/dev/null

PORT="${VLM4D_DEMO_PORT:-8080}"
echo
echo "  VLM4D Error Analysis on the bundled samples:  http://127.0.0.1:$PORT/?folder=$SAMPLES"
echo "  (code-server on 127.0.0.1 only; Ctrl+C stops it)"
echo
exec "$NODE_BIN" "$CS_ENTRY" "${COMMON[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$SAMPLES"
