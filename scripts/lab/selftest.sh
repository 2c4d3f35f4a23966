#!/usr/bin/env bash
# Smoke-test a running lab (run scripts/lab/up.sh first). Leaves nothing behind:
# the containers and HAProxy servers it creates are removed on exit.
#
#   bash scripts/lab/selftest.sh
#
# Checks: both engines (beta over TLS only with a client cert), pull by digest on
# beta, the demo-web endpoints of each version, read-only root fs and an empty
# `docker diff`, fast `docker stop`, and the HAProxy runtime-API sequence the
# dashboard uses (add server / enable health / state ready / weight / drain / del).
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -f "$LAB_JSON" ]] || die "no $LAB_JSON: run scripts/lab/up.sh first"
PASS=0 FAIL=0
ok()   { PASS=$((PASS + 1)); printf '  ok    %s\n' "$*"; }
bad()  { FAIL=$((FAIL + 1)); printf '  FAIL  %s\n' "$*"; }
check() { local desc="$1"; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else bad "$desc"; fi; }
eq()   { if [[ "$2" == "$3" ]]; then ok "$1"; else bad "$1 (expected '$3', got '$2')"; fi; }

jq_lab() { node -e 'const l=require(process.argv[1]);const v=process.argv[2].split(".").reduce((o,k)=>o==null?o:o[k],l);process.stdout.write(typeof v==="object"?JSON.stringify(v):String(v))' "$LAB_JSON" "$1"; }
img() { node -e 'const l=require(process.argv[1]);process.stdout.write(l.images["demo-web"][process.argv[2]])' "$LAB_JSON" "$1"; }
img_id() { node -e 'const l=require(process.argv[1]);process.stdout.write(l.imageInfo["demo-web"][process.argv[2]].imageId)' "$LAB_JSON" "$1"; }

RUN_ID="st$$"
CONTAINERS_ALPHA=() CONTAINERS_BETA=() HA_SERVERS=()
cleanup() {
  set +e
  local s
  for s in "${HA_SERVERS[@]}"; do
    haproxy_cmd "set server $s state maint" >/dev/null 2>&1
    haproxy_cmd "del server $s" >/dev/null 2>&1
  done
  ((${#CONTAINERS_ALPHA[@]})) && lab_docker alpha rm -f "${CONTAINERS_ALPHA[@]}" >/dev/null 2>&1
  ((${#CONTAINERS_BETA[@]})) && lab_docker beta rm -f "${CONTAINERS_BETA[@]}" >/dev/null 2>&1
}
trap cleanup EXIT

next_port=18190
free_port() {
  while port_in_use "$next_port"; do next_port=$((next_port + 1)); done
  printf '%s' "$next_port"; next_port=$((next_port + 1))
}

http_code() { lab_curl -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true; }
http_body() { lab_curl "$1" 2>/dev/null || true; }

wait_http_200() { wait_for "$1" 10 "" "" lab_curl -f -o /dev/null "$1" 2>/dev/null; }

srv_field() { # BACKEND SERVER FIELD_NAME -> value from `show stat`
  haproxy_cmd "show stat" | awk -F, -v b="$1" -v s="$2" -v f="$3" '
    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == b && $2 == s { print $(col[f]); exit }'
}

echo "== engines"
check "alpha answers on its unix socket" engine_ping_unix alpha
check "beta answers over TLS with the client certificate" beta_ping_tls
if lab_curl --max-time 3 --cacert "$LAB_CERTS/ca.pem" "https://127.0.0.1:$LAB_BETA_PORT/_ping" >/dev/null 2>&1; then
  bad "beta must refuse a client without certificate"
else ok "beta refuses a client without certificate"; fi
ida="$(lab_docker alpha info --format '{{.ID}}')"; idb="$(beta_docker_tls info --format '{{.ID}}')"
if [[ -n "$ida" && "$ida" != "$idb" ]]; then ok "alpha and beta report different engine IDs"; else bad "engine IDs alpha=$ida beta=$idb"; fi
eq "no docker bridge network on alpha" "$(lab_docker alpha network ls --filter driver=bridge -q | wc -l)" 0
eq "no docker bridge network on beta" "$(lab_docker beta network ls --filter driver=bridge -q | wc -l)" 0

echo "== images and containers"
declare -A PORT=()
run_demo() { # ENGINE VERSION NAME
  local engine="$1" ver="$2" name="$3" port ref
  port="$(free_port)"; PORT[$name]="$port"; ref="$(img "$ver")"
  local args=(run -d --name "$name" --network host --read-only -e "PORT=$port" -e "CONTAINER_NAME=$name" "$ref")
  if [[ "$engine" == beta ]]; then
    CONTAINERS_BETA+=("$name")
    beta_docker_tls pull -q "$ref" >/dev/null && ok "beta pulls $ref over TLS" || bad "beta pull $ref"
    beta_docker_tls "${args[@]}" >/dev/null
  else
    CONTAINERS_ALPHA+=("$name")
    lab_docker alpha "${args[@]}" >/dev/null
  fi
  wait_for "$name on port $port" 10 "" "" lab_curl -o /dev/null "http://127.0.0.1:$port/version" ||
    { bad "$name did not start"; return 0; }
  ok "$name ($ver on $engine) serves on 127.0.0.1:$port"
}
run_demo alpha 1.0.0 "$RUN_ID-a-100"
run_demo alpha 2.0.0 "$RUN_ID-a-200"
run_demo beta 1.1.0 "$RUN_ID-b-110"

for spec in "alpha 1.0.0 $RUN_ID-a-100 200" "alpha 2.0.0 $RUN_ID-a-200 404" "beta 1.1.0 $RUN_ID-b-110 200"; do
  read -r engine ver name health <<<"$spec"
  base="http://127.0.0.1:${PORT[$name]}"
  eq "$name GET /version" "$(http_body "$base/version")" "$ver"
  eq "$name GET /health status" "$(http_code "$base/health")" "$health"
  [[ "$health" == 200 ]] && eq "$name GET /health body" "$(http_body "$base/health")" "ok"
  page="$(http_body "$base/")"
  eq "$name GET / status" "$(http_code "$base/")" 200
  if [[ "$page" == *"data-version=\"$ver\""* && "$page" == *"data-container=\"$name\""* ]]; then
    ok "$name GET / shows version and container name"
  else bad "$name GET / page lacks version/name"; fi
  eq "$name docker diff is empty" "$(lab_docker "$engine" diff "$name" | wc -l)" 0
  eq "$name image label version" "$(lab_docker "$engine" inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$name")" "$ver"
  eq "$name image ID matches lab.json" "$(lab_docker "$engine" inspect -f '{{.Image}}' "$name")" "$(img_id "$ver")"
done

echo "== HAProxy runtime API"
be=demo-web fe="$(jq_lab 'haproxy.frontends.demo-web')"
check "runtime API lists backends" bash -c "source '$(dirname "${BASH_SOURCE[0]}")/lib.sh'; haproxy_cmd 'show backend' | grep -qx demo-web"
eq "frontend with no servers answers 503" "$(http_code "$fe/")" 503

s_good="$be/${RUN_ID}g" s_bad="$be/${RUN_ID}b" s_plain="$be/${RUN_ID}p"
HA_SERVERS+=("$s_good" "$s_bad" "$s_plain")
opts="check inter 300ms fall 2 rise 1 weight 0"
eq "add server (healthy 1.0.0)" "$(haproxy_cmd "add server $s_good 127.0.0.1:${PORT[$RUN_ID-a-100]} $opts" | tr -d '\n')" "New server registered."
haproxy_cmd "enable health $s_good" >/dev/null
haproxy_cmd "set server $s_good state ready" >/dev/null
wait_for "check L7OK on $s_good" 5 "" "" bash -c "source '$(dirname "${BASH_SOURCE[0]}")/lib.sh'; haproxy_cmd 'show stat' | grep -q '^$be,${RUN_ID}g,.*L7OK'" &&
  ok "health check of the runtime server passes (L7OK)" || bad "no L7OK for $s_good"
eq "runtime server uses the rise/fall given to add server" "$(srv_field "$be" "${RUN_ID}g" check_rise)/$(srv_field "$be" "${RUN_ID}g" check_fall)" "1/2"
haproxy_cmd "set server $s_good weight 100" >/dev/null
eq "frontend serves 1.0.0 through the runtime server" "$(http_body "$fe/version")" "1.0.0"
hdr="$(lab_curl -D - -o /dev/null "$fe/version" | tr -d '\r' | sed -n 's/^x-switchyard-server: //Ip')"
eq "X-Switchyard-Server names the server" "$hdr" "${RUN_ID}g"

haproxy_cmd "add server $s_bad 127.0.0.1:${PORT[$RUN_ID-a-200]} $opts" >/dev/null
haproxy_cmd "enable health $s_bad" >/dev/null
haproxy_cmd "set server $s_bad state ready" >/dev/null
haproxy_cmd "set server $s_bad weight 100" >/dev/null
wait_for "$s_bad DOWN" 5 "" "" bash -c "source '$(dirname "${BASH_SOURCE[0]}")/lib.sh'; haproxy_cmd 'show stat' | grep -q '^$be,${RUN_ID}b,.*,DOWN,'" &&
  ok "2.0.0 server is marked DOWN by the health check" || bad "2.0.0 server not DOWN"
all_ok=1
for _ in 1 2 3 4 5 6; do [[ "$(http_body "$fe/version")" == 1.0.0 ]] || all_ok=""; done
[[ -n "$all_ok" ]] && ok "traffic avoids the DOWN server" || bad "traffic reached the DOWN server"

# default-server of the backend is NOT applied to runtime servers (HAProxy 2.6).
haproxy_cmd "add server $s_plain 127.0.0.1:${PORT[$RUN_ID-a-100]} check weight 0" >/dev/null
haproxy_cmd "enable health $s_plain" >/dev/null   # rise/fall are only reported once checks run
eq "add server without timing gets built-in rise/fall, not default-server's" \
  "$(srv_field "$be" "${RUN_ID}p" check_rise)/$(srv_field "$be" "${RUN_ID}p" check_fall)" "2/3"

eq "del server refused unless in maintenance" "$(haproxy_cmd "del server $s_bad" | tr -d '\n')" "Only servers in maintenance mode can be deleted."
haproxy_cmd "set server $s_good state drain" >/dev/null
eq "drained server: status DRAIN" "$(srv_field "$be" "${RUN_ID}g" status)" "DRAIN"
for s in "$s_good" "$s_bad" "$s_plain"; do
  haproxy_cmd "set server $s state maint" >/dev/null
  eq "del server $s" "$(haproxy_cmd "del server $s" | tr -d '\n')" "Server deleted."
done
HA_SERVERS=()

echo "== stop"
t0="$(lab_now_ms)"
lab_docker alpha stop "$RUN_ID-a-100" >/dev/null
dt=$(( $(lab_now_ms) - t0 ))
if (( dt < 3000 )); then ok "docker stop takes ${dt} ms"; else bad "docker stop took ${dt} ms"; fi
eq "exit code after docker stop" "$(lab_docker alpha inspect -f '{{.State.ExitCode}}' "$RUN_ID-a-100")" 0

echo
echo "lab selftest: $PASS passed, $FAIL failed"
((FAIL == 0))
