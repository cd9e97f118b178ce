#!/usr/bin/env bash
# Set up and start the lab on this machine: real n8n 2.x with this pack loaded and every workflow in
# workflows/ imported, plus the backend on its embedded SQLite store. Ctrl-C stops both.
#   LAB_DIR           where n8n's user folder, the backend database and the token live
#                     (default ~/.local/share/n8n-nodes-homelab/lab; kept between runs)
#   LAB_PORT          n8n editor port (default 5678)
#   LAB_BACKEND_PORT  backend port (default 8787)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --loglevel=error
eval "$(bash scripts/ensure-runtime.sh --print-env)"
[ -n "${LAB_SKIP_BUILD:-}" ] || npm run --silent build   # the test suite has built already
export PATH="$HOMELAB_NODE24_BIN:$PATH"
exec node --import tsx scripts/lab.ts
