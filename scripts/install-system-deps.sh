#!/usr/bin/env bash
# Debian packages the tests need: Chromium and Thai fonts for the browser tests, docker-compose
# to validate docker-compose.yml. Installs only what is missing; never downloads a browser build.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "tlwg\|Garuda\|Loma" || need+=(fonts-thai-tlwg)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install with your package manager: ${need[*]} (browser and compose tests will be skipped)" >&2
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
