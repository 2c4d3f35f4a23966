#!/usr/bin/env bash
# The server Playwright tests run against: a fresh database under test-results/,
# seeded with the lab's hosts and the demo service, then the built app.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1 # a self-hosted tool makes no calls home
cd "$(dirname "$0")/.."
: "${SWITCHYARD_DATA_DIR:?}"
case "$SWITCHYARD_DATA_DIR" in "$PWD"/test-results/*) ;; *) echo "refusing to wipe $SWITCHYARD_DATA_DIR: e2e data must live under test-results/" >&2; exit 1 ;; esac
rm -rf "$SWITCHYARD_DATA_DIR"
SEED_DEMO_SERVICE=0 node --conditions=react-server --import tsx scripts/seedLab.ts
exec npx next start -H 127.0.0.1 -p "$1"
