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
run_tests() {
	node --no-experimental-strip-types --import tsx --test --test-concurrency=1 \
		--test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=./test/harness/file-times.mjs --test-reporter-destination=stdout \
		--test-global-setup=test/global-setup.mjs "$@"
}
if [ $# -gt 0 ]; then
	run_tests "$@"
	exit
fi
# Files run one at a time (2 cores; several real servers per file); each file's tests share one n8n.
# Beside the rest run the file that mostly waits (a mail server kept down for minutes on purpose) and files
# that start n8n their own way anyway (the lab command, the packed tarball, n8n restarts), one at a time on
# n8ns of their own: the waiting and the n8n start-ups cost no wall time. Their output follows the main run's.
side_lane=(
	test/e2e/email-trigger-outage.test.ts
	test/e2e/lab.test.ts
	test/e2e/trigger-restarts.test.ts
	test/e2e/tarball.test.ts
)
side_log=$(mktemp)
HOMELAB_TEST_NO_N8N=1 run_tests "${side_lane[@]}" >"$side_log" 2>&1 &
side_pid=$!
main_status=0
mapfile -t main_lane < <(find test -name '*.test.ts' | sort | grep -v -F -x "${side_lane[@]/#/-e}")
run_tests "${main_lane[@]}" || main_status=$?
side_status=0
wait "$side_pid" || side_status=$?
echo "# ---- tests run beside the main run: ${side_lane[*]}"
cat "$side_log"
rm -f "$side_log"
echo "# main run exit $main_status, side run exit $side_status"
[ "$main_status" = 0 ] && [ "$side_status" = 0 ]
