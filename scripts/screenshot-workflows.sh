#!/usr/bin/env bash
# Screenshots of every workflow in workflows/ as the n8n editor shows it (real n8n 2.x with this pack, real
# Chromium), written to docs/workflows/<name>.png. Pass workflow files to shoot only those.
#   Needs Debian's chromium (scripts/install-system-deps.sh installs it when run as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --loglevel=error
eval "$(bash scripts/ensure-runtime.sh --print-env)"
[ -n "${SCREENSHOT_SKIP_BUILD:-}" ] || npm run --silent build
export PATH="$HOMELAB_NODE24_BIN:$PATH"
exec node --import tsx scripts/screenshot-workflows.ts "$@"
