#!/usr/bin/env bash
# Runs one benchmark (or all under bench/) on Node 24 against real n8n: bash scripts/bench.sh [bench/x.ts ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --loglevel=error
eval "$(bash scripts/ensure-runtime.sh --print-env)"
npm run --silent build
export PATH="$HOMELAB_NODE24_BIN:$PATH"
if [ $# -eq 0 ]; then set -- bench/*.ts; fi
for bench in "$@"; do echo "== $bench"; node --import tsx "$bench"; done
