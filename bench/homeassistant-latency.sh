#!/usr/bin/env bash
# Runs bench/homeassistant-latency.ts in a real n8n (Node 24 + pinned n8n, cached) after a build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --loglevel=error
eval "$(bash scripts/ensure-runtime.sh --print-env)"
npm run --silent build
export PATH="$HOMELAB_NODE24_BIN:$PATH"
exec node --no-experimental-strip-types --import tsx bench/homeassistant-latency.ts
