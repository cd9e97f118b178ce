#!/usr/bin/env bash
# The whole test suite on a fresh machine: system packages for the real servers (when root), npm deps,
# Node 24 + pinned n8n (cached), a build, then every test under test/ on Node 24's test runner.
# Pass test files to run only those: bash scripts/test.sh test/unit/homelab-probe.test.ts
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "$(id -u)" = 0 ]; then bash scripts/install-system-deps.sh; fi
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --loglevel=error
eval "$(bash scripts/ensure-runtime.sh --print-env)"
npm run --silent build
export PATH="$HOMELAB_NODE24_BIN:$PATH"
if [ $# -eq 0 ]; then set -- 'test/**/*.test.ts'; fi
# Files run one at a time (2 cores; several real servers per file); each file's tests share one n8n.
exec node --no-experimental-strip-types --import tsx --test --test-concurrency=1 --test-reporter=spec \
  --test-global-setup=test/global-setup.mjs "$@"
