#!/usr/bin/env bash
# Start the Switchyard lab (idempotent): two Docker engines, a registry, HAProxy,
# an sshd for Docker over SSH and the demo-web images, then write $LAB_DIR/lab.json
# for the app's seed script/tests.
#
#   bash scripts/lab/up.sh            LAB_DIR defaults to <repo>/.lab
#   LAB_ENGINES=12 bash scripts/lab/up.sh   also engine-03..engine-12 (scripts/lab/engines.sh);
#                                     the default 2 stops extra engines a previous run started
#
# Safe to re-run at any time: healthy daemons are reused, dead or wedged ones are
# restarted, stale pid files / sockets are cleaned, images are only rebuilt when
# their sources changed or the registry lost them.
#
#   alpha     dockerd, unix://$LAB_DIR/alpha/docker.sock
#   beta      dockerd, tcp://127.0.0.1:23760 (TLS, client cert required; certs in
#             $LAB_DIR/certs) and unix://$LAB_DIR/beta/docker.sock for scripts
#   registry  http://127.0.0.1:5000 (docker-registry, delete enabled)
#   haproxy   stats http://127.0.0.1:18404/, admin socket $LAB_DIR/haproxy/admin.sock,
#             fe_demo_web 127.0.0.1:18080 -> backend demo-web,
#             fe_demo_web_preview 127.0.0.1:18081 -> backend demo-web-preview
#             (both backends start with no servers: the dashboard adds them)
#   images    127.0.0.1:5000/demo-web:{1.0.0,1.1.0,2.0.0} (2.0.0 fails /health)
#   sshd      ssh://root@127.0.0.1:2222 -> alpha (scripts/lab/sshd.sh; key and host-key
#             fingerprint in lab.json "ssh")
#             127.0.0.1:5000/demo-nginx:1.0.0 (Debian nginx, read-only root: scripts/lab/nginx.sh)
#             127.0.0.1:5000/demo-redis:1.0.0 (Debian Redis, data in /data: scripts/lab/redis.sh)
#             127.0.0.1:5000/demo-flaky:1.0.0 (demo-nginx failing ~20 % of requests: scripts/lab/flaky.sh)
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/lab/nginx.sh
source "$(dirname "${BASH_SOURCE[0]}")/nginx.sh"
# shellcheck source=scripts/lab/redis.sh
source "$(dirname "${BASH_SOURCE[0]}")/redis.sh"
# shellcheck source=scripts/lab/flaky.sh
source "$(dirname "${BASH_SOURCE[0]}")/flaky.sh"

case "${1:-}" in
  -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument: $1 (usage: up.sh)" ;;
esac

[[ "$(id -u)" == 0 ]] || die "the lab needs root (dockerd, mounts)"
T_START="$(lab_now_ms)"

lab_lock
ensure_packages

mkdir -p "$LAB_DIR" "$LAB_RUN_DIR" "$LAB_DIR/docker-config" "$LAB_DIR/images" "$LAB_DIR/build"
# Keep the lab out of git without touching the repo's .gitignore.
[[ -f "$LAB_DIR/.gitignore" ]] || printf '*\n' >"$LAB_DIR/.gitignore"
if (( ${#LAB_DIR} > 80 )); then
  die "LAB_DIR is too long (${#LAB_DIR} chars): unix socket paths under it must stay below 108 bytes"
fi

# ---------------------------------------------------------------------------
# TLS material for beta (CA, server cert for 127.0.0.1/localhost, client cert;
# ECDSA P-256 keys: instant to generate, supported by Go (dockerd), Node and curl).
# Kept while valid; regenerated (and beta restarted) when missing, broken or expiring.
# ---------------------------------------------------------------------------
certs_valid() {
  local f
  for f in ca.pem ca-key.pem server-cert.pem server-key.pem cert.pem key.pem; do
    [[ -s "$LAB_CERTS/$f" ]] || return 1
  done
  openssl verify -CAfile "$LAB_CERTS/ca.pem" "$LAB_CERTS/server-cert.pem" "$LAB_CERTS/cert.pem" >/dev/null 2>&1 || return 1
  for f in ca.pem server-cert.pem cert.pem; do
    openssl x509 -noout -checkend 604800 -in "$LAB_CERTS/$f" >/dev/null 2>&1 || return 1
  done
  openssl x509 -noout -ext subjectAltName -in "$LAB_CERTS/server-cert.pem" 2>/dev/null | grep -q 'IP Address:127.0.0.1' || return 1
  # each key must match its certificate
  [[ "$(openssl x509 -noout -pubkey -in "$LAB_CERTS/server-cert.pem" 2>/dev/null)" == \
     "$(openssl pkey -pubout -in "$LAB_CERTS/server-key.pem" 2>/dev/null)" ]] || return 1
  [[ "$(openssl x509 -noout -pubkey -in "$LAB_CERTS/cert.pem" 2>/dev/null)" == \
     "$(openssl pkey -pubout -in "$LAB_CERTS/key.pem" 2>/dev/null)" ]] || return 1
}

CERTS_CHANGED=""
ensure_certs() {
  certs_valid && return 0
  log "certs: generating CA, server and client certificates in $LAB_CERTS"
  local tmp
  tmp="$(mktemp -d "$LAB_DIR/.certs.XXXXXX")"
  (
    set -e
    cd "$tmp"
    umask 077
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -days 3650 \
      -keyout ca-key.pem -out ca.pem -subj "/CN=Switchyard lab CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout server-key.pem -out server.csr \
      -subj "/CN=localhost" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext
    openssl x509 -req -sha256 -days 3650 -in server.csr -CA ca.pem -CAkey ca-key.pem \
      -set_serial "0x$(openssl rand -hex 16)" -extfile server.ext -out server-cert.pem 2>/dev/null
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout key.pem -out client.csr \
      -subj "/CN=switchyard-dashboard" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=clientAuth" >client.ext
    openssl x509 -req -sha256 -days 3650 -in client.csr -CA ca.pem -CAkey ca-key.pem \
      -set_serial "0x$(openssl rand -hex 16)" -extfile client.ext -out cert.pem 2>/dev/null
    rm -f ./*.csr ./*.ext ./*.srl
    chmod 644 ca.pem server-cert.pem cert.pem
    chmod 600 ca-key.pem server-key.pem key.pem
  ) || { rm -rf "$tmp"; die "certificate generation failed"; }
  rm -rf "$LAB_CERTS"
  mv "$tmp" "$LAB_CERTS"
  chmod 755 "$LAB_CERTS"
  certs_valid || die "generated certificates do not verify"
  CERTS_CHANGED=1
}

# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------
registry_start() {
  local cfg="$LAB_REGISTRY_DIR/config.yml" log="$LAB_REGISTRY_DIR/registry.log" new pid changed=""
  mkdir -p "$LAB_REGISTRY_DIR/data"
  new="$(cat <<EOF
# Generated by scripts/lab/up.sh
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $LAB_REGISTRY_DIR/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $LAB_REGISTRY
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: false
EOF
)"
  if [[ ! -f "$cfg" ]] || [[ "$(cat "$cfg")" != "$new" ]]; then
    printf '%s\n' "$new" >"$cfg"; changed=1
  fi

  pid="$(registry_pid)"
  if [[ -n "$pid" ]]; then
    kill -CONT "$pid" 2>/dev/null || true
    if [[ -z "$changed" ]] && wait_for "registry (pid $pid)" 5 "" "$pid" registry_healthy 2>/dev/null; then
      printf '%s\n' "$pid" >"$LAB_REGISTRY_DIR/registry.pid"
      log "registry: reusing running pid $pid"
      return 0
    fi
    log "registry: restarting pid $pid ($([[ -n "$changed" ]] && echo 'config changed' || echo 'not answering'))"
    stop_pid "$pid" registry 10 || die "could not stop registry pid $pid"
  fi
  rm -f "$LAB_REGISTRY_DIR/registry.pid"
  if port_in_use "$LAB_REGISTRY_PORT"; then
    die "port $LAB_REGISTRY is used by another process (not started by this lab): $(port_owner_desc "$LAB_REGISTRY_PORT")"
  fi
  printf '\n===== %s starting registry =====\n' "$(date -Is)" >>"$log"
  env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY -u all_proxy \
    setsid docker-registry serve "$cfg" >>"$log" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$LAB_REGISTRY_DIR/registry.pid"
  wait_for "registry on http://$LAB_REGISTRY/v2/" 30 "$log" "$pid" registry_healthy ||
    die "registry did not start (log: $log)"
  log "registry: started pid $pid"
}

# ---------------------------------------------------------------------------
# HAProxy
# ---------------------------------------------------------------------------
haproxy_config() {
  cat <<EOF
# Generated by scripts/lab/up.sh -- do not edit (it is rewritten on every run).
#
# Both backends start with NO servers: the dashboard adds/removes them at runtime
# through the admin socket, and must re-apply its routing after an HAProxy restart
# (runtime changes live in memory only).
#
# Runtime API findings (HAProxy 2.6.12, verified by scripts/lab/selftest.sh):
#  * "add server" does NOT apply this backend's "default-server" line (documented:
#    "no settings will be reused from an hypothetical 'default-server' statement").
#    A server added with only "check" gets inter 2s / fall 3 / rise 2 (the built-in
#    defaults). Pass the check timing explicitly:
#      add server demo-web/<name> 127.0.0.1:<port> check inter 300ms fall 2 rise 1 weight 0
#    The backend's "option httpchk GET /health" and "http-check expect status 200"
#    DO apply to such a server's checks.
#  * A server added at runtime starts in maintenance with its health checks
#    disabled; then:  enable health demo-web/<name>
#                     set server demo-web/<name> state ready
#                     set server demo-web/<name> weight 100
#    and to retire: set server demo-web/<name> state drain / state maint,
#                   del server demo-web/<name> (only once in maint).
global
    stats socket $LAB_HAPROXY_SOCK mode 600 level admin expose-fd listeners
    stats timeout 30s
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 5s
    option redispatch
    retries 3
    option dontlognull

listen stats
    bind 127.0.0.1:$LAB_HAPROXY_STATS_PORT
    stats enable
    stats uri /
    stats refresh 2s
    stats show-legends

frontend fe_demo_web
    bind 127.0.0.1:$LAB_FE_DEMO_WEB_PORT
    # which runtime server answered (handy for tests and benchmarks)
    http-response set-header X-Switchyard-Server %s
    default_backend demo-web

frontend fe_demo_web_preview
    bind 127.0.0.1:$LAB_FE_DEMO_WEB_PREVIEW_PORT
    http-response set-header X-Switchyard-Server %s
    default_backend demo-web-preview

backend demo-web
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    default-server inter 300ms fall 2 rise 1

backend demo-web-preview
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    default-server inter 300ms fall 2 rise 1
EOF
  # Separate backends for the tests (it-web, e2e-web, drift-web, quar-web), so
  # that tests never fight the demo, or each other, over a backend.
  local name port
  for name in it-web e2e-web drift-web quar-web; do
    case $name in
      it-web) port=$LAB_FE_IT_WEB_PORT ;;
      e2e-web) port=$LAB_FE_E2E_WEB_PORT ;;
      drift-web) port=$LAB_FE_DRIFT_WEB_PORT ;;
      quar-web) port=$LAB_FE_QUAR_WEB_PORT ;;
    esac
    cat <<EOF

frontend fe_${name//-/_}
    bind 127.0.0.1:$port
    http-response set-header X-Switchyard-Server %s
    default_backend $name

frontend fe_${name//-/_}_preview
    bind 127.0.0.1:$((port + 1))
    http-response set-header X-Switchyard-Server %s
    default_backend $name-preview

backend $name
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200

backend $name-preview
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
EOF
  done
}

haproxy_start() {
  local cfg="$LAB_HAPROXY_CFG" log="$LAB_HAPROXY_DIR/haproxy.log" new pid changed="" out reloads
  mkdir -p "$LAB_HAPROXY_DIR" "$LAB_HAPROXY_MANAGED_DIR"
  # The demo's managed include file (empty until the demo creates a managed service).
  [[ -f "$LAB_HAPROXY_MANAGED_DIR/demo.cfg" ]] || : >"$LAB_HAPROXY_MANAGED_DIR/demo.cfg"
  new="$(haproxy_config)"
  if [[ ! -f "$cfg" ]] || [[ "$(cat "$cfg")" != "$new" ]]; then
    printf '%s\n' "$new" >"$cfg.new"
    if ! out="$(haproxy -c -q -f "$cfg.new" -f "$LAB_HAPROXY_MANAGED_DIR" 2>&1)"; then
      printf '%s\n' "$out" >&2; die "generated HAProxy config is invalid ($cfg.new)"
    fi
    mv "$cfg.new" "$cfg"; changed=1
  fi

  pid="$(haproxy_pid)"
  if [[ -n "$pid" ]]; then
    kill -CONT "$pid" 2>/dev/null || true
    if ! haproxy_is_master_worker "$pid"; then
      # Once: an HAProxy started by an older up.sh (no master CLI) is replaced by a master-worker one.
      warn "haproxy (pid $pid) is not in master-worker mode; restarting it with -W -S (runtime servers are dropped; reconcile re-applies them)"
    elif wait_for "haproxy (pid $pid)" 5 "" "$pid" haproxy_healthy 2>/dev/null; then
      if [[ -z "$changed" ]]; then
        printf '%s\n' "$pid" >"$LAB_HAPROXY_PIDFILE"
        log "haproxy: reusing running pid $pid"
        return 0
      fi
      # Hitless reload through the master CLI: a new worker takes the listeners.
      log "haproxy: config changed, reloading master pid $pid (runtime-only servers are dropped)"
      printf '\n===== %s reloading haproxy =====\n' "$(date -Is)" >>"$log"
      reloads="$(haproxy_master_cmd "show proc" | awk '$2 == "master" {print $3 "/" $5}')"
      haproxy_master_cmd reload >/dev/null 2>&1 || true
      if wait_for "haproxy reload" 15 "$log" "$pid" haproxy_reloaded "$reloads"; then
        wait_for "haproxy admin socket" 10 "$log" "$pid" haproxy_healthy || die "haproxy reload failed (log: $log)"
        log "haproxy: reloaded, master pid $pid"
        return 0
      fi
      warn "haproxy reload failed; restarting it"
    else
      warn "haproxy (pid $pid) does not answer; restarting it"
    fi
    stop_pid "$pid" haproxy 10 || die "could not stop haproxy pid $pid"
  fi
  rm -f "$LAB_HAPROXY_PIDFILE" "$LAB_HAPROXY_SOCK"
  local port
  for port in "$LAB_HAPROXY_STATS_PORT" "$LAB_FE_DEMO_WEB_PORT" "$LAB_FE_DEMO_WEB_PREVIEW_PORT"; do
    if port_in_use "$port"; then
      die "port 127.0.0.1:$port (haproxy) is used by another process: $(port_owner_desc "$port")"
    fi
  done
  printf '\n===== %s starting haproxy =====\n' "$(date -Is)" >>"$log"
  rm -f "$LAB_HAPROXY_MASTER_SOCK"
  haproxy -W -D -S "$LAB_HAPROXY_MASTER_SOCK,mode,600" -f "$cfg" -f "$LAB_HAPROXY_MANAGED_DIR" -p "$LAB_HAPROXY_PIDFILE" >>"$log" 2>&1 </dev/null 9>&- ||
    { show_log_tail "$log"; die "haproxy failed to start (log: $log)"; }
  # The daemonized master writes its pid a moment after the launcher returns.
  wait_for "haproxy pid file" 5 "$log" "" test -s "$LAB_HAPROXY_PIDFILE" || true
  pid="$(read_pidfile "$LAB_HAPROXY_PIDFILE")"
  wait_for "haproxy admin socket and stats page" 10 "$log" "$pid" haproxy_healthy ||
    die "haproxy did not become ready (log: $log)"
  log "haproxy: started pid $pid"
}

# haproxy_reloaded BEFORE: the master counted one more reload than BEFORE ("reloads/failed]"), and none failed.
haproxy_reloaded() {
  local now
  now="$(haproxy_master_cmd "show proc" 2>/dev/null | awk '$2 == "master" {print $3 "/" $5}')" || return 1
  [[ -n "$now" && "${now%%/*}" -gt "${1%%/*}" ]] || return 1
  [[ "${now#*/}" == "${1#*/}" ]]  # a failed reload: the old worker still serves; the caller restarts it
}

haproxy_verify_runtime_api() {
  local out
  out="$(haproxy_cmd "show backend")" || die "HAProxy runtime API does not answer on $LAB_HAPROXY_SOCK"
  if ! grep -qx 'demo-web' <<<"$out" || ! grep -qx 'demo-web-preview' <<<"$out"; then
    printf '%s\n' "$out" >&2; die "HAProxy runtime API: backends demo-web / demo-web-preview missing"
  fi
}

# ---------------------------------------------------------------------------
# demo-web images: build on alpha, push to the registry, record the digests.
# ---------------------------------------------------------------------------
declare -A IMAGE_REF=() IMAGE_ID=() IMAGE_HEALTH=()
IMAGE_VERSIONS=()

ensure_images() {
  local src="$LAB_REPO_ROOT/lab/demo-web" busybox="/bin/busybox" repo="demo-web"
  [[ -f "$src/Dockerfile" && -f "$src/versions" ]] || die "missing image sources in $src"
  if [[ ! -x "$busybox" ]] || ! LC_ALL=C grep -q 'statically linked' < <(file -L "$busybox" 2>/dev/null || echo "statically linked"); then
    die "$busybox is not the static busybox (install busybox-static)"
  fi
  local ver health ctx
  while read -r ver health _; do
    [[ -z "$ver" || "$ver" == \#* ]] && continue
    [[ "$health" == healthy || "$health" == unhealthy ]] || die "$src/versions: bad health '$health' for $ver"
    IMAGE_VERSIONS+=("$ver"); IMAGE_HEALTH[$ver]="$health"

    # Per-version build context (fixed mtimes, so identical sources = identical hash).
    ctx="$LAB_DIR/build/$repo-$ver"
    rm -rf "$ctx"; mkdir -p "$ctx"
    cp -R "$src/Dockerfile" "$src/rootfs" "$ctx/"
    mkdir -p "$ctx/base/bin"
    cp "$busybox" "$ctx/base/bin/busybox"
    ln -s busybox "$ctx/base/bin/sh"
    printf '%s' "$ver" >"$ctx/rootfs/www/version"
    [[ "$health" == unhealthy ]] && rm -f "$ctx/rootfs/www/health"
    find "$ctx" -type d -exec chmod 755 {} +
    find "$ctx" -type f -exec chmod 644 {} +
    chmod 755 "$ctx/base/bin/busybox" "$ctx/rootfs/bin/start" "$ctx/rootfs/www/cgi-bin/index.cgi"
    lab_build_context_image "$repo" "$ver" "$ctx" --build-arg "VERSION=$ver"
    IMAGE_REF[$ver]="$LAB_IMAGE_REF"; IMAGE_ID[$ver]="$LAB_IMAGE_ID"
  done <"$src/versions"
  ((${#IMAGE_VERSIONS[@]} > 0)) || die "$src/versions lists no versions"
}

# ---------------------------------------------------------------------------
# lab.json
# ---------------------------------------------------------------------------
write_lab_json() {
  local tmp="$LAB_JSON.tmp" i ver n=${#IMAGE_VERSIONS[@]}
  {
    printf '{\n'
    printf '  "labDir": %s,\n' "$(json_str "$LAB_DIR")"
    printf '  "generatedAt": %s,\n' "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "hosts": [\n'
    printf '    {"name": "alpha", "url": %s},\n' "$(json_str "unix://$(engine_sock alpha)")"
    printf '    {"name": "beta", "url": %s, "tls": {"ca": %s, "cert": %s, "key": %s}}\n' \
      "$(json_str "tcp://127.0.0.1:$LAB_BETA_PORT")" "$(json_str "$LAB_CERTS/ca.pem")" \
      "$(json_str "$LAB_CERTS/cert.pem")" "$(json_str "$LAB_CERTS/key.pem")"
    printf '  ],\n'
    printf '  "registry": %s,\n' "$(json_str "$LAB_REGISTRY")"
    printf '  "haproxy": {\n'
    printf '    "adminSocket": %s,\n' "$(json_str "$LAB_HAPROXY_SOCK")"
    printf '    "statsUrl": %s,\n' "$(json_str "http://127.0.0.1:$LAB_HAPROXY_STATS_PORT/")"
    printf '    "masterSocket": %s,\n' "$(json_str "$LAB_HAPROXY_MASTER_SOCK")"
    printf '    "config": %s,\n' "$(json_str "$LAB_HAPROXY_CFG,$LAB_HAPROXY_MANAGED_DIR")"
    printf '    "managedDir": %s,\n' "$(json_str "$LAB_HAPROXY_MANAGED_DIR")"
    printf '    "frontends": {"demo-web": %s, "demo-web-preview": %s, "it-web": %s, "it-web-preview": %s, "e2e-web": %s, "e2e-web-preview": %s, "drift-web": %s, "drift-web-preview": %s, "quar-web": %s, "quar-web-preview": %s}\n' \
      "$(json_str "http://127.0.0.1:$LAB_FE_DEMO_WEB_PORT")" "$(json_str "http://127.0.0.1:$LAB_FE_DEMO_WEB_PREVIEW_PORT")" \
      "$(json_str "http://127.0.0.1:$LAB_FE_IT_WEB_PORT")" "$(json_str "http://127.0.0.1:$((LAB_FE_IT_WEB_PORT + 1))")" \
      "$(json_str "http://127.0.0.1:$LAB_FE_E2E_WEB_PORT")" "$(json_str "http://127.0.0.1:$((LAB_FE_E2E_WEB_PORT + 1))")" \
      "$(json_str "http://127.0.0.1:$LAB_FE_DRIFT_WEB_PORT")" "$(json_str "http://127.0.0.1:$((LAB_FE_DRIFT_WEB_PORT + 1))")" \
      "$(json_str "http://127.0.0.1:$LAB_FE_QUAR_WEB_PORT")" "$(json_str "http://127.0.0.1:$((LAB_FE_QUAR_WEB_PORT + 1))")"
    printf '  },\n'
    printf '  "images": {\n    "demo-web": {\n'
    for ((i = 0; i < n; i++)); do
      ver="${IMAGE_VERSIONS[$i]}"
      printf '      %s: %s%s\n' "$(json_str "$ver")" "$(json_str "${IMAGE_REF[$ver]}")" "$( ((i < n - 1)) && echo , )"
    done
    printf '    },\n    "demo-nginx": {%s: %s},\n' "$(json_str "$NGINX_VERSION")" "$(json_str "$NGINX_REF")"
    printf '    "demo-redis": {%s: %s},\n' "$(json_str "$REDIS_VERSION")" "$(json_str "$REDIS_REF")"
    printf '    "demo-flaky": {%s: %s}\n' "$(json_str "$FLAKY_VERSION")" "$(json_str "$FLAKY_REF")"
    printf '  },\n'
    # extra detail per image: tag, image ID (config digest, the same on every engine)
    # and whether GET /health is meant to answer 200.
    printf '  "imageInfo": {\n    "demo-web": {\n'
    for ((i = 0; i < n; i++)); do
      ver="${IMAGE_VERSIONS[$i]}"
      printf '      %s: {"tag": %s, "ref": %s, "imageId": %s, "healthy": %s}%s\n' "$(json_str "$ver")" \
        "$(json_str "$LAB_REGISTRY/demo-web:$ver")" "$(json_str "${IMAGE_REF[$ver]}")" \
        "$(json_str "${IMAGE_ID[$ver]}")" "$([[ "${IMAGE_HEALTH[$ver]}" == healthy ]] && echo true || echo false)" \
        "$( ((i < n - 1)) && echo , )"
    done
    printf '    }\n  },\n'
    printf '  "pids": {"alpha": %s, "alphaContainerd": %s, "beta": %s, "betaContainerd": %s, "registry": %s, "haproxy": %s}\n' \
      "$(json_num_or_null "$(engine_pid alpha)")" "$(json_num_or_null "$(engine_containerd_pid alpha)")" \
      "$(json_num_or_null "$(engine_pid beta)")" "$(json_num_or_null "$(engine_containerd_pid beta)")" \
      "$(json_num_or_null "$(registry_pid)")" "$(json_num_or_null "$(haproxy_pid)")"
    printf '}\n'
  } >"$tmp"
  if [[ -x /usr/bin/python3 ]]; then
    /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp" || die "generated $tmp is not valid JSON"
  elif command -v node >/dev/null 2>&1; then
    node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$tmp" ||
      die "generated $tmp is not valid JSON"
  fi
  mv "$tmp" "$LAB_JSON"
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
ensure_certs
if [[ -n "$CERTS_CHANGED" && -n "$(engine_pid beta)" ]]; then
  log "certs changed: restarting dockerd beta"
  engine_stop beta
fi

# The two engines start in parallel (each takes a few seconds cold).
(engine_start alpha) & pa=$!
(engine_start beta) & pb=$!
rc=0
wait "$pa" || rc=1
wait "$pb" || rc=1
((rc == 0)) || die "a docker engine failed to start"

registry_start
haproxy_start
haproxy_verify_runtime_api
ensure_images
ensure_nginx_image
ensure_redis_image
ensure_flaky_image
write_lab_json
# After lab.json: sshd.sh merges its "ssh" entry into it.
LAB_LOCK_HELD=1 bash "$(dirname "${BASH_SOURCE[0]}")/sshd.sh" up
# LAB_ENGINES=N (default 2): start engine-03..engine-N, or stop extras above N.
LAB_LOCK_HELD=1 bash "$(dirname "${BASH_SOURCE[0]}")/engines.sh"

T_TOTAL=$(( $(lab_now_ms) - T_START ))
{
  echo "Switchyard lab is up (${T_TOTAL} ms)  LAB_DIR=$LAB_DIR"
  printf '  %-9s %-46s pid %s\n' alpha "unix://$(engine_sock alpha)" "$(engine_pid alpha)"
  printf '  %-9s %-46s pid %s\n' beta "tcp://127.0.0.1:$LAB_BETA_PORT (TLS)" "$(engine_pid beta)"
  printf '  %-9s %s\n' "" "client certs: $LAB_CERTS/{ca,cert,key}.pem"
  printf '  %-9s %-46s pid %s\n' registry "http://$LAB_REGISTRY" "$(registry_pid)"
  printf '  %-9s %-46s pid %s\n' haproxy "stats http://127.0.0.1:$LAB_HAPROXY_STATS_PORT/" "$(haproxy_pid)"
  printf '  %-9s %s\n' "" "admin socket $LAB_HAPROXY_SOCK"
  printf '  %-9s %s\n' "" "demo-web http://127.0.0.1:$LAB_FE_DEMO_WEB_PORT  demo-web-preview http://127.0.0.1:$LAB_FE_DEMO_WEB_PREVIEW_PORT"
  printf '  %-9s %-46s pid %s\n' sshd "ssh://root@127.0.0.1:$LAB_SSH_PORT (-> alpha)" "$(read_pidfile "$LAB_SSH_DIR/sshd.pid")"
  for ver in "${IMAGE_VERSIONS[@]}"; do
    printf '  %-9s %s%s\n' "$ver" "${IMAGE_REF[$ver]}" "$([[ "${IMAGE_HEALTH[$ver]}" == unhealthy ]] && echo '  (fails /health)')"
  done
  echo "  lab.json  $LAB_JSON"
}
