#!/usr/bin/env bash
# One command: installs what is missing, starts the lab (two Docker engines, a
# registry, HAProxy, demo images), builds and starts Switchyard on it, deploys
# demo-web 1.0.0, and prints the URL and the admin login. Ctrl-C stops it all.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1 # a self-hosted tool makes no calls home
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/install.sh
bash scripts/lab/up.sh

export SWITCHYARD_DATA_DIR="${SWITCHYARD_DATA_DIR:-$ROOT/data}"
export SWITCHYARD_ADMIN_USER="${SWITCHYARD_ADMIN_USER:-admin}"
export SWITCHYARD_ADMIN_PASSWORD="${SWITCHYARD_ADMIN_PASSWORD:-switchyard-demo}"
export SWITCHYARD_HAPROXY_SOCKET="${SWITCHYARD_HAPROXY_SOCKET:-$ROOT/.lab/haproxy/admin.sock}"
# Managed routing: the lab HAProxy (master-worker) loads haproxy.cfg and every *.cfg in managed.d; the demo writes demo.cfg.
export SWITCHYARD_HAPROXY_CONFIG="${SWITCHYARD_HAPROXY_CONFIG:-$ROOT/.lab/haproxy/haproxy.cfg,$ROOT/.lab/haproxy/managed.d}"
export SWITCHYARD_HAPROXY_MANAGED_FILE="${SWITCHYARD_HAPROXY_MANAGED_FILE:-$ROOT/.lab/haproxy/managed.d/demo.cfg}"
export SWITCHYARD_HAPROXY_MASTER_SOCKET="${SWITCHYARD_HAPROXY_MASTER_SOCKET:-$ROOT/.lab/haproxy/master.sock}"
LISTEN="${SWITCHYARD_LISTEN:-127.0.0.1}"
PORT="${SWITCHYARD_PORT:-3000}"
URL="http://$LISTEN:$PORT"

node --conditions=react-server --import tsx scripts/seedLab.ts
if [[ ! -f .next/BUILD_ID || -n "$(find app components server db -newer .next/BUILD_ID -type f -print -quit)" ]]; then
  npx next build
fi

npx next start -H "$LISTEN" -p "$PORT" &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  if [[ "${KEEP_LAB:-0}" != 1 ]]; then bash scripts/lab/down.sh; fi
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 60); do curl -fs --noproxy '*' -o /dev/null "$URL/login" && break; sleep 0.5; done

# Something to look at: demo-web 1.0.0 live, unless a release is already live.
jar=$(mktemp)
curl -fs --noproxy '*' -c "$jar" -H "origin: $URL" -H 'content-type: application/json' \
  -d "{\"username\":\"$SWITCHYARD_ADMIN_USER\",\"password\":\"$SWITCHYARD_ADMIN_PASSWORD\"}" "$URL/api/auth/login" >/dev/null
if ! curl -fs --noproxy '*' -b "$jar" "$URL/api/services/demo-web" | grep -q '"live":{'; then
  echo "[demo] deploying demo-web 1.0.0 …"
  curl -s --noproxy '*' -b "$jar" -H "origin: $URL" -H 'content-type: application/json' \
    -d '{"image":"1.0.0"}' "$URL/api/services/demo-web/deploy?wait=true" >/dev/null || true
fi
rm -f "$jar"

cat <<MSG

  Switchyard is running:   $URL
  Log in as:               $SWITCHYARD_ADMIN_USER / $SWITCHYARD_ADMIN_PASSWORD
  demo-web through HAProxy: http://127.0.0.1:18080/  (preview: http://127.0.0.1:18081/)
  Try: Services → demo-web → Deploy version 1.1.0 → Switch traffic → Rollback.
  Ctrl-C stops the dashboard and the lab (KEEP_LAB=1 keeps the lab running).

MSG
wait "$SERVER"
