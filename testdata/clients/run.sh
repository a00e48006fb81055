#!/usr/bin/env bash
# Runs the real-client suites against a freshly built rational-mcp:
#   sdk.test.mjs          TypeScript SDK v1 and v2 over stdio and HTTP
#   stdio.test.mjs        raw stdio framing and exit
#   inspector.test.mjs    MCP Inspector CLI in both protocol eras
#   conformance.test.mjs  official conformance suite with its baseline
#   approval-page.test.mjs  the guard's approval page in headless Chromium
#
# Usage: testdata/clients/run.sh [TEST_FILE...]   (default: all five)
#
# Installs the npm packages first (install.sh, idempotent), and Chromium from
# Debian when approval-page.test.mjs runs (install-chromium.sh, idempotent,
# needs root when /usr/bin/chromium is missing), builds the binary
# into a temporary folder unless RATIONAL_MCP_BIN names one, and ends with the
# line "N passed, N failed". Exits non-zero on any failure. Every server
# listens on 127.0.0.1 with an OS-picked port; the tests stop them, and the
# exit trap kills any that a crashed test left running.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/rational-mcp-clients.XXXXXX")"
pid_file="$work/server-pids"
: >"$pid_file"

# Kills the servers listed in the pid file that are still running this
# binary (a pid reused by another program is left alone), then removes the
# temporary folder.
cleanup() {
  local pid exe binary
  binary="$(readlink -f "${RATIONAL_MCP_BIN:-/nonexistent}" || true)"
  while read -r pid; do
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    if [ -n "$exe" ] && [ "$exe" = "$binary" ]; then
      echo "run.sh: killing leftover server pid $pid" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$pid_file"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Reports a failed setup step in the summary format and exits.
setup_failed() {
  echo "run.sh: $1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

node_bin="$(bash "$here/install.sh" | tail -n 1)" || setup_failed "installing the npm packages failed (see the output of install.sh above)"

if [ -z "${RATIONAL_MCP_BIN:-}" ]; then
  echo "run.sh: building rational-mcp" >&2
  (cd "$repo" && go build -o "$work/rational-mcp" ./cmd/rational-mcp) || setup_failed "go build ./cmd/rational-mcp failed"
  RATIONAL_MCP_BIN="$work/rational-mcp"
fi
export RATIONAL_MCP_BIN
export RATIONAL_MCP_PID_FILE="$pid_file"

# The Inspector suite runs with a private HOME; these keep `go run` on the
# caches of this machine.
GOPATH="$(cd "$repo" && go env GOPATH)"
GOMODCACHE="$(cd "$repo" && go env GOMODCACHE)"
GOCACHE="$(cd "$repo" && go env GOCACHE)"
export GOPATH GOMODCACHE GOCACHE

if [ "$#" -gt 0 ]; then
  test_files=("$@")
else
  test_files=(sdk.test.mjs stdio.test.mjs inspector.test.mjs conformance.test.mjs approval-page.test.mjs)
fi

for test_file in "${test_files[@]}"; do
  if [ "$(basename "$test_file")" = approval-page.test.mjs ]; then
    bash "$here/install-chromium.sh" || setup_failed "installing Chromium failed (see the output of install-chromium.sh above)"
  fi
done

cd "$here"
tap="$work/results.tap"
status=0
"$node_bin" --test \
  --test-concurrency=1 \
  --test-timeout=300000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "${test_files[@]}" || status=$?

# The TAP summary counts each test once; cancelled tests (timeouts) fail too.
count() {
  local value
  value="$(sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$tap" 2>/dev/null | tail -n 1 || true)"
  echo "${value:-0}"
}
passed="$(count pass)"
failed="$(( $(count fail) + $(count cancelled) ))"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "run.sh: the node test runner exited with status $status before reporting a failed test" >&2
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
