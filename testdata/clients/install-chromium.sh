#!/usr/bin/env bash
# Installs Chromium from the Debian archive for approval-page.test.mjs,
# which drives it through playwright-core. Playwright never downloads a
# browser here; the test launches /usr/bin/chromium.
#
# Idempotent: does nothing when /usr/bin/chromium exists. Installing needs
# root (CI runs as root) and apt-get with access to the Debian archive.
set -euo pipefail

chromium=/usr/bin/chromium

if [ -x "$chromium" ]; then
  echo "install-chromium: $chromium is installed" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $chromium is missing and apt-get is not available; install Chromium so that $chromium exists and retry" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: $chromium is missing and installing it needs root; run: sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi

echo "install-chromium: apt-get install chromium" >&2
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2

if [ ! -x "$chromium" ]; then
  echo "install-chromium: apt-get installed chromium but $chromium does not exist; check the package's file list (dpkg -L chromium)" >&2
  exit 1
fi
echo "install-chromium: installed $("$chromium" --version 2>/dev/null || echo chromium)" >&2
