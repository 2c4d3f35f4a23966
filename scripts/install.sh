#!/usr/bin/env bash
# Installs what the dashboard and its tests need on a fresh Debian 12 machine (as root):
# Debian packages (Chromium for browser tests; the lab installs its own) and npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
if [[ "${1:-}" == "--browser" ]] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if ((${#need[@]})); then
  echo "[install] apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# npm ci only when package-lock.json changed since the last install.
stamp=node_modules/.switchyard-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$hash" ]]; then
  echo "[install] npm install from package-lock.json (better-sqlite3 compiles from source: about a minute)"
  # Not `npm ci`: this machine's registry has no packages for other platforms, so
  # the lock cannot list every optional platform package and `npm ci` refuses it.
  # `npm install` installs the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
  echo "$hash" > "$stamp"
fi
