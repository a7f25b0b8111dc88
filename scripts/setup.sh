#!/usr/bin/env bash
# Everything a fresh machine lacks for tcpwire's tests, demo and interop suite:
# Debian's packet tools (the oracles and the live tests) and the npm packages.
# Idempotent; needs root for apt-get (it is skipped when every package is there).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(tshark tcpdump python3-scapy python3-dpkt hping3 iproute2 ethtool iptables curl chromium)
if [ "${TCPWIRE_SKIP_APT:-}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund
