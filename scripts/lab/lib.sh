# shellcheck shell=bash
# Shared helpers for the Switchyard lab scripts (up.sh, down.sh, engine.sh, ...).
# Source it, don't run it. The caller sets `set -euo pipefail`.
#
# The lab = two real Docker engines (alpha: unix socket, beta: TCP+TLS), a registry,
# an HAProxy with a runtime admin socket, and three demo-web images. Everything
# listens on loopback only. Every daemon is started by these scripts, its pid is
# recorded in a pid file under $LAB_DIR, and it is stopped by that pid only.
#
# Network rule: every dockerd gets --bridge=none --iptables=false --ip6tables=false
# (Docker's default bridge is never created); containers run with host networking.

# ---------------------------------------------------------------------------
# Paths and ports
# ---------------------------------------------------------------------------
LAB_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
LAB_DIR="${LAB_DIR:-$LAB_REPO_ROOT/.lab}"
case "$LAB_DIR" in /*) ;; *) LAB_DIR="$PWD/$LAB_DIR" ;; esac
LAB_DIR="${LAB_DIR%/}"
export LAB_DIR

# Docker exec-roots hold containerd's unix sockets: keep them short (sun_path is 108
# bytes) and per-lab (hash of LAB_DIR), outside the repo.
LAB_RUN_DIR="${LAB_RUN_DIR:-/run/switchyard-lab-$(printf '%s' "$LAB_DIR" | sha256sum | cut -c1-8)}"

# How many engines the lab runs: LAB_ENGINES=N (default 2: alpha and beta). Engines 3..N
# are extra unix-socket engines named engine-03, engine-04, ... (scripts/lab/engines.sh),
# each with its own data root and exec root like alpha's. Read before the array below
# takes the name.
LAB_ENGINE_COUNT="${LAB_ENGINE_COUNT:-${LAB_ENGINES:-2}}"
export LAB_ENGINE_COUNT
unset LAB_ENGINES
# shellcheck disable=SC2034  # used by the scripts that source this file
LAB_ENGINES=(alpha beta)
LAB_BETA_PORT="${LAB_BETA_PORT:-23760}"
LAB_REGISTRY_PORT="${LAB_REGISTRY_PORT:-5000}"
LAB_REGISTRY="127.0.0.1:${LAB_REGISTRY_PORT}"
LAB_HAPROXY_STATS_PORT="${LAB_HAPROXY_STATS_PORT:-18404}"
LAB_FE_DEMO_WEB_PORT="${LAB_FE_DEMO_WEB_PORT:-18080}"
LAB_FE_DEMO_WEB_PREVIEW_PORT="${LAB_FE_DEMO_WEB_PREVIEW_PORT:-18081}"
LAB_FE_IT_WEB_PORT="${LAB_FE_IT_WEB_PORT:-18090}"   # it-web; its preview is +1
LAB_FE_E2E_WEB_PORT="${LAB_FE_E2E_WEB_PORT:-18092}" # e2e-web; its preview is +1
LAB_FE_DRIFT_WEB_PORT="${LAB_FE_DRIFT_WEB_PORT:-18094}" # drift-web; its preview is +1
LAB_FE_QUAR_WEB_PORT="${LAB_FE_QUAR_WEB_PORT:-18096}"   # quar-web; its preview is +1
LAB_SSH_PORT="${LAB_SSH_PORT:-2222}"                    # sshd (scripts/lab/sshd.sh): Docker over SSH to alpha

LAB_CERTS="$LAB_DIR/certs"
LAB_REGISTRY_DIR="$LAB_DIR/registry"
LAB_HAPROXY_DIR="$LAB_DIR/haproxy"
LAB_HAPROXY_CFG="$LAB_HAPROXY_DIR/haproxy.cfg"
LAB_HAPROXY_PIDFILE="$LAB_HAPROXY_DIR/haproxy.pid"
LAB_HAPROXY_SOCK="$LAB_HAPROXY_DIR/admin.sock"
# Master-worker mode (haproxy -W -S): `reload` on this socket starts a new worker on the same listeners.
LAB_HAPROXY_MASTER_SOCK="$LAB_HAPROXY_DIR/master.sock"
# Managed routing: HAProxy loads every *.cfg here after haproxy.cfg; each Switchyard instance (demo, tests) writes its own file.
LAB_HAPROXY_MANAGED_DIR="$LAB_HAPROXY_DIR/managed.d"
# shellcheck disable=SC2034
LAB_SSH_DIR="$LAB_DIR/ssh"
# shellcheck disable=SC2034
LAB_JSON="$LAB_DIR/lab.json"

# Use the docker.io client (/usr/bin/docker, same version as the engines) when it is
# there; any docker CLI works (API version is negotiated).
if [[ -z "${LAB_DOCKER_BIN:-}" ]]; then
  if [[ -x /usr/bin/docker ]]; then LAB_DOCKER_BIN=/usr/bin/docker
  else LAB_DOCKER_BIN="$(command -v docker || echo docker)"; fi
fi

engine_dir()       { printf '%s/%s' "$LAB_DIR" "$1"; }
engine_sock()      { printf '%s/%s/docker.sock' "$LAB_DIR" "$1"; }
engine_pidfile()   { printf '%s/%s/dockerd.pid' "$LAB_DIR" "$1"; }
engine_log()       { printf '%s/%s/dockerd.log' "$LAB_DIR" "$1"; }
engine_data_root() { printf '%s/%s/data' "$LAB_DIR" "$1"; }
engine_exec_root() { printf '%s/%s' "$LAB_RUN_DIR" "$1"; }
engine_containerd_pidfile() { printf '%s/containerd/containerd.pid' "$(engine_exec_root "$1")"; }

engine_check_name() {
  case "${1:-}" in alpha|beta|engine-[0-9][0-9]) ;; *) die "unknown engine '${1:-}' (expected alpha, beta or engine-NN)" ;; esac
}

# The name of extra engine number N (3..99): engine-03 ...
extra_engine_name() { printf 'engine-%02d' "$1"; }

# Extra engines that have a directory under $LAB_DIR (running or not), sorted.
extra_engines_present() {
  local d
  for d in "$LAB_DIR"/engine-[0-9][0-9]; do [[ -d "$d" ]] && basename "$d"; done | sort
}

# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------
log()  { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { printf '[lab %s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[lab %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# Print the last lines of a log file to stderr (for failure messages).
show_log_tail() {
  local file="$1" n="${2:-40}"
  if [[ -s "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$file" >&2
    tail -n "$n" "$file" >&2 || true
    printf -- '-----\n' >&2
  fi
}

lab_now_ms() { date +%s%3N; }

# ---------------------------------------------------------------------------
# Locking: one lab script at a time per LAB_DIR.
# ---------------------------------------------------------------------------
lab_lock() {
  mkdir -p "$LAB_DIR"
  exec 9>"$LAB_DIR/.lock"
  if ! flock -n 9; then
    log "waiting for another lab script holding $LAB_DIR/.lock ..."
    flock -w 600 9 || die "could not take $LAB_DIR/.lock within 600s"
  fi
}

# ---------------------------------------------------------------------------
# Polling
# ---------------------------------------------------------------------------
# wait_for DESCRIPTION TIMEOUT_S LOGFILE PID CMD...
#   Polls CMD until it succeeds. Fails (returns 1) with a clear message and the tail
#   of LOGFILE when TIMEOUT_S passes, or as soon as PID (if not empty) has exited.
wait_for() {
  local desc="$1" timeout="$2" logfile="$3" pid="$4"; shift 4
  local deadline=$(( $(lab_now_ms) + timeout * 1000 ))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
      printf '[lab] ERROR: %s: process %s exited before it became ready\n' "$desc" "$pid" >&2
      [[ -n "$logfile" ]] && show_log_tail "$logfile"
      return 1
    fi
    if (( $(lab_now_ms) >= deadline )); then
      printf '[lab] ERROR: timed out after %ss waiting for %s\n' "$timeout" "$desc" >&2
      [[ -n "$logfile" ]] && show_log_tail "$logfile"
      return 1
    fi
    sleep 0.1
  done
}

# ---------------------------------------------------------------------------
# Processes (never by name: by pid, and a pid is only "ours" when its command line
# contains a path that belongs to this lab).
# ---------------------------------------------------------------------------
# pid_alive PID: running (a zombie or a missing process is not alive).
pid_alive() {
  local pid="$1" stat=""
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z && "${stat:0:1}" != X ]]
}

pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# pid_is_ours PID NEEDLE: alive, and its command line contains NEEDLE.
pid_is_ours() {
  local pid="$1" needle="$2"
  pid_alive "$pid" || return 1
  [[ "$(pid_cmdline "$pid")" == *"$needle"* ]]
}

# read_pidfile FILE: print the pid stored in FILE (nothing if absent/garbage).
read_pidfile() {
  local f="$1" p=""
  if [[ -r "$f" ]]; then { read -r p <"$f"; } 2>/dev/null || true; fi
  [[ "$p" =~ ^[0-9]+$ ]] && printf '%s' "$p"
  return 0
}

# find_our_pids COMM NEEDLE: pids whose /proc/PID/comm is COMM (15-char kernel
# truncation applies) and whose command line contains NEEDLE (a lab-private path).
# Used to adopt or clean up lab processes whose pid file was lost.
find_our_pids() {
  local comm="$1" needle="$2" d pid c
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    c=""
    { read -r c <"$d/comm"; } 2>/dev/null || continue   # builtin read: no fork per process
    [[ "$c" == "${comm:0:15}" ]] || continue
    pid_is_ours "$pid" "$needle" && printf '%s\n' "$pid"
  done
  return 0
}

# stop_pid PID NAME [TIMEOUT_S]: SIGCONT (in case it was frozen), SIGTERM, wait up
# to TIMEOUT_S, then SIGKILL and wait again. Returns 0 once the process is gone.
stop_pid() {
  local pid="$1" name="$2" timeout="${3:-20}" deadline
  pid_alive "$pid" || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(lab_now_ms) + timeout * 1000 ))
  while pid_alive "$pid"; do
    if (( $(lab_now_ms) >= deadline )); then
      warn "$name (pid $pid) did not exit ${timeout}s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$(( $(lab_now_ms) + 10000 ))
      while pid_alive "$pid"; do
        (( $(lab_now_ms) < deadline )) || { warn "$name (pid $pid) survived SIGKILL"; return 1; }
        sleep 0.1
      done
      return 0
    fi
    sleep 0.1
  done
  return 0
}

# wait_pid_exit PID TIMEOUT_S: wait until PID is gone (or a zombie).
wait_pid_exit() {
  local pid="$1" deadline=$(( $(lab_now_ms) + $2 * 1000 ))
  while pid_alive "$pid"; do
    (( $(lab_now_ms) < deadline )) || return 1
    sleep 0.1
  done
}

# port_in_use PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_owner_desc() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -1
  fi
}

# ---------------------------------------------------------------------------
# HTTP and the HAProxy runtime API
# ---------------------------------------------------------------------------
lab_curl() { curl --noproxy '*' -sS --max-time "${LAB_CURL_TIMEOUT:-5}" "$@"; }

# haproxy_cmd COMMAND: send one runtime-API command to the admin socket, print the
# answer. One command per connection (non-interactive mode: HAProxy answers, then
# closes). Uses socat when installed, else Debian's python3 (starts in 30 ms), else
# node (~150 ms), else any python3.
haproxy_cmd() {
  local cmd="$1" sock="${LAB_HAPROXY_SOCK}" py=""
  [[ -S "$sock" ]] || { echo "haproxy admin socket $sock not found" >&2; return 1; }
  if [[ -x /usr/bin/python3 ]]; then py=/usr/bin/python3
  elif ! command -v node >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then py=python3; fi
  if command -v socat >/dev/null 2>&1; then
    printf '%s\n' "$cmd" | socat -t 5 - "UNIX-CONNECT:$sock"
  elif [[ -n "$py" ]]; then
    "$py" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); out = b""
while True:
    b = s.recv(65536)
    if not b: break
    out += b
sys.stdout.write(out.decode())
' "$sock" "$cmd"
  elif command -v node >/dev/null 2>&1; then
    node -e '
      const s = require("net").createConnection(process.argv[1]);
      const t = setTimeout(() => { console.error("haproxy admin socket: timeout"); process.exit(2); }, 5000);
      let out = "";
      s.on("connect", () => s.write(process.argv[2] + "\n"));
      s.on("data", (d) => { out += d; });
      s.on("error", (e) => { console.error("haproxy admin socket: " + e.message); process.exit(1); });
      s.on("close", () => { clearTimeout(t); process.stdout.write(out); });
    ' "$sock" "$cmd"
  else
    echo "need socat, node or python3 to talk to the HAProxy admin socket" >&2
    return 1
  fi
}

# haproxy_master_cmd COMMAND: send one command to HAProxy's master CLI and print the
# answer. The master may keep the connection open after answering: read until it
# is quiet for 0.3 s (or closes).
haproxy_master_cmd() {
  local cmd="$1" sock="${LAB_HAPROXY_MASTER_SOCK}"
  [[ -S "$sock" ]] || { echo "haproxy master socket $sock not found" >&2; return 1; }
  if command -v python3 >/dev/null 2>&1; then
    python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); out = b""
try:
    while True:
        b = s.recv(65536)
        if not b: break
        out += b; s.settimeout(0.3)
except socket.timeout:
    pass
sys.stdout.write(out.decode())
' "$sock" "$cmd"
  else
    node -e '
      const s = require("net").createConnection(process.argv[1]);
      let out = "", idle;
      const done = () => { s.destroy(); process.stdout.write(out); process.exit(0); };
      const t = setTimeout(done, 3000);
      s.on("connect", () => s.write(process.argv[2] + "\n"));
      s.on("data", (d) => { out += d; clearTimeout(idle); idle = setTimeout(done, 300); });
      s.on("error", (e) => { console.error("haproxy master socket: " + e.message); process.exit(1); });
      s.on("close", () => { clearTimeout(t); done(); });
    ' "$sock" "$cmd"
  fi
}

# haproxy_is_master_worker PID: the lab HAProxy runs in master-worker mode (-W).
haproxy_is_master_worker() {
  [[ " $(pid_cmdline "$1") " == *" -W "* ]]
}

# ---------------------------------------------------------------------------
# Packages (CI runs on a fresh Debian 12 machine)
# ---------------------------------------------------------------------------
ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v containerd >/dev/null 2>&1 || missing+=(containerd)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  # The images need the *static* busybox (the `busybox` package's one is dynamic).
  if [[ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=(busybox-static)
  fi
  if [[ ! -x /usr/bin/docker ]] && ! command -v docker >/dev/null 2>&1; then
    missing+=(docker.io)
  fi
  ((${#missing[@]} == 0)) && return 0
  # de-duplicate
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  [[ "$(id -u)" == 0 ]] || die "missing packages (${missing[*]}) and not root: install them first"
  log "installing missing packages: ${missing[*]}"
  # Never let the packages start their own daemons (a system dockerd would create
  # the default bridge): policy-rc.d exit 101 = "action forbidden".
  local made_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >&2 || rc=$?
  [[ -n "$made_policy" ]] && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (rc=$rc)"
}

# ---------------------------------------------------------------------------
# Docker engines
# ---------------------------------------------------------------------------
# lab_docker ENGINE ARGS...: docker CLI against a lab engine (unix socket), with a
# lab-private client config (no credential helpers from ~/.docker).
lab_docker() {
  local name="$1"; shift
  DOCKER_CONFIG="$LAB_DIR/docker-config" DOCKER_BUILDKIT=0 \
    "$LAB_DOCKER_BIN" -H "unix://$(engine_sock "$name")" "$@"
}

# beta_docker_tls ARGS...: docker CLI against beta the way remote hosts are reached.
beta_docker_tls() {
  DOCKER_CONFIG="$LAB_DIR/docker-config" "$LAB_DOCKER_BIN" --tlsverify \
    --tlscacert "$LAB_CERTS/ca.pem" --tlscert "$LAB_CERTS/cert.pem" --tlskey "$LAB_CERTS/key.pem" \
    -H "tcp://127.0.0.1:$LAB_BETA_PORT" "$@"
}

engine_ping_unix() {
  [[ -S "$(engine_sock "$1")" ]] || return 1
  [[ "$(lab_curl --max-time 3 --unix-socket "$(engine_sock "$1")" http://engine/_ping 2>/dev/null)" == OK ]]
}

beta_ping_tls() {
  [[ "$(lab_curl --max-time 3 --cacert "$LAB_CERTS/ca.pem" --cert "$LAB_CERTS/cert.pem" \
        --key "$LAB_CERTS/key.pem" "https://127.0.0.1:$LAB_BETA_PORT/_ping" 2>/dev/null)" == OK ]]
}

engine_healthy() {
  engine_ping_unix "$1" || return 1
  if [[ "$1" == beta ]]; then beta_ping_tls || return 1; fi
  return 0
}

# Marker that makes a dockerd command line "ours".
engine_needle() { printf -- '--data-root %s' "$(engine_data_root "$1")"; }

# engine_pid NAME: pid of this lab's dockerd NAME (pid file, else /proc scan), if running.
engine_pid() {
  local name="$1" pid
  pid="$(read_pidfile "$(engine_pidfile "$name")")"
  if [[ -n "$pid" ]] && pid_is_ours "$pid" "$(engine_needle "$name")"; then
    printf '%s' "$pid"; return 0
  fi
  find_our_pids dockerd "$(engine_needle "$name")" | head -1
}

engine_containerd_pid() {
  local name="$1" pid
  pid="$(read_pidfile "$(engine_containerd_pidfile "$name")")"
  if [[ -n "$pid" ]] && pid_is_ours "$pid" "$(engine_exec_root "$name")/containerd"; then
    printf '%s' "$pid"; return 0
  fi
  find_our_pids containerd "$(engine_exec_root "$name")/containerd/" | head -1
}

# Shims of containers of engine NAME (they outlive containerd/dockerd if those die).
engine_shim_pids() {
  find_our_pids containerd-shim-runc-v2 "-address $(engine_exec_root "$1")/containerd/containerd.sock"
}

# Choose the storage driver: keep what the data root already uses, else overlay2 if
# an overlay mount works on this filesystem, else vfs. LAB_STORAGE_DRIVER overrides.
engine_storage_driver() {
  local name="$1" data
  data="$(engine_data_root "$name")"
  if [[ -n "${LAB_STORAGE_DRIVER:-}" ]]; then printf '%s' "$LAB_STORAGE_DRIVER"; return; fi
  if [[ -d "$data/overlay2" ]]; then printf overlay2; return; fi
  if [[ -d "$data/vfs" ]]; then printf vfs; return; fi
  local probe rc=1
  probe="$(mktemp -d "$(engine_dir "$name")/.overlay-probe.XXXXXX")"
  mkdir -p "$probe"/{l,u,w,m}
  if mount -t overlay overlay -o "lowerdir=$probe/l,upperdir=$probe/u,workdir=$probe/w" "$probe/m" 2>/dev/null; then
    umount "$probe/m" 2>/dev/null || umount -l "$probe/m" 2>/dev/null || true
    rc=0
  fi
  rm -rf "$probe"
  if ((rc == 0)); then printf overlay2; else printf vfs; fi
}

# engine_start NAME: make sure dockerd NAME runs and answers; reuse a healthy one.
engine_start() {
  local name="$1" pid dir sock log t0
  dir="$(engine_dir "$name")"; sock="$(engine_sock "$name")"; log="$(engine_log "$name")"
  mkdir -p "$dir" "$(engine_data_root "$name")" "$(engine_exec_root "$name")"
  t0="$(lab_now_ms)"

  pid="$(engine_pid "$name")"
  if [[ -n "$pid" ]]; then
    kill -CONT "$pid" 2>/dev/null || true   # in case `engine.sh freeze` left it stopped
    if wait_for "dockerd $name (pid $pid, already running)" 15 "" "$pid" engine_healthy "$name" 2>/dev/null; then
      printf '%s\n' "$pid" >"$(engine_pidfile "$name")"
      log "dockerd $name: reusing running pid $pid"
      return 0
    fi
    warn "dockerd $name (pid $pid) is running but does not answer; restarting it"
    stop_pid "$pid" "dockerd $name" 30 || die "could not stop dockerd $name (pid $pid)"
  fi

  if [[ "$name" == beta ]] && port_in_use "$LAB_BETA_PORT"; then
    die "port 127.0.0.1:$LAB_BETA_PORT (dockerd beta) is used by another process: $(port_owner_desc "$LAB_BETA_PORT")"
  fi

  # Stale leftovers of a previous run: pid file (dockerd refuses to start when the
  # pid in it is alive, e.g. reused by another process) and the socket.
  rm -f "$(engine_pidfile "$name")" "$sock"
  # dockerd starts its containerd with PDEATHSIG=SIGKILL, so a SIGKILLed dockerd
  # takes its containerd down too. If that containerd is still a zombie (PID 1 may
  # reap late or never), dockerd would see its pid as alive, try to reuse it and
  # time out: remove the pid file unless that containerd really runs.
  local cpid_file cpid
  cpid_file="$(engine_containerd_pidfile "$name")"
  cpid="$(read_pidfile "$cpid_file")"
  if [[ -n "$cpid" ]] && ! pid_is_ours "$cpid" "$(engine_exec_root "$name")/containerd"; then
    rm -f "$cpid_file"
  fi

  local driver
  driver="$(engine_storage_driver "$name")"
  # Own daemon.json (not /etc/docker/daemon.json). "deprecated-key-path" moves the
  # engine's trust key out of the shared /etc/docker/key.json: dockerd 20.10 derives
  # the engine ID (`docker info` .ID) from it, so without this alpha and beta would
  # report the same ID.
  printf '{\n  "deprecated-key-path": %s\n}\n' "$(json_str "$dir/key.json")" >"$dir/daemon.json"

  local args=(
    --config-file "$dir/daemon.json"
    --host "unix://$sock"
    --data-root "$(engine_data_root "$name")"
    --exec-root "$(engine_exec_root "$name")"
    --pidfile "$(engine_pidfile "$name")"
    --storage-driver "$driver"
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false
    --log-level info
  )
  if [[ "$name" == beta ]]; then
    args+=(
      --host "tcp://127.0.0.1:$LAB_BETA_PORT"
      --tlsverify
      --tlscacert "$LAB_CERTS/ca.pem"
      --tlscert "$LAB_CERTS/server-cert.pem"
      --tlskey "$LAB_CERTS/server-key.pem"
    )
  fi

  log "dockerd $name: starting (storage driver $driver)"
  printf '\n===== %s starting dockerd %s =====\n' "$(date -Is)" "$name" >>"$log"
  # setsid: own session, so it survives the calling shell; no proxy: loopback only.
  env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY -u all_proxy \
    setsid dockerd "${args[@]}" >>"$log" 2>&1 </dev/null 9>&- &
  pid=$!
  wait_for "dockerd $name to answer on $sock" 60 "$log" "$pid" engine_healthy "$name" ||
    die "dockerd $name did not start (log: $log)"
  log "dockerd $name: ready in $(( $(lab_now_ms) - t0 )) ms (pid $(read_pidfile "$(engine_pidfile "$name")"))"
}

# engine_stop NAME: stop dockerd NAME (which stops its running containers), then the
# containerd it spawned, then any shim left behind. Containers and images stay on disk.
engine_stop() {
  local name="$1" pid cpid spid
  pid="$(engine_pid "$name")"
  cpid="$(engine_containerd_pid "$name")"
  if [[ -n "$pid" ]]; then
    log "dockerd $name: stopping pid $pid"
    stop_pid "$pid" "dockerd $name" 40 || die "could not stop dockerd $name (pid $pid)"
  fi
  # dockerd stops the containerd it supervises on a clean shutdown; not after SIGKILL.
  if [[ -n "$cpid" ]] && pid_alive "$cpid"; then
    log "containerd of $name: stopping pid $cpid"
    stop_pid "$cpid" "containerd ($name)" 15 || true
  fi
  for spid in $(engine_shim_pids "$name"); do
    warn "stopping leftover containerd shim of $name (pid $spid)"
    stop_pid "$spid" "containerd-shim ($name)" 10 || true
  done
  rm -f "$(engine_pidfile "$name")" "$(engine_sock "$name")"
}

# engine_remove_all_containers NAME: docker rm -f every container (engine must be up).
engine_remove_all_containers() {
  local name="$1" ids
  ids="$(lab_docker "$name" ps -aq 2>/dev/null || true)"
  if [[ -n "$ids" ]]; then
    log "dockerd $name: removing $(wc -w <<<"$ids") container(s)"
    # shellcheck disable=SC2086
    lab_docker "$name" rm -f $ids >/dev/null
  fi
}

# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------
registry_pid() {
  local pid
  pid="$(read_pidfile "$LAB_REGISTRY_DIR/registry.pid")"
  if [[ -n "$pid" ]] && pid_is_ours "$pid" "$LAB_REGISTRY_DIR/config.yml"; then
    printf '%s' "$pid"; return 0
  fi
  find_our_pids docker-registry "$LAB_REGISTRY_DIR/config.yml" | head -1
}

registry_healthy() {
  lab_curl --max-time 3 -o /dev/null -f "http://$LAB_REGISTRY/v2/" 2>/dev/null
}

# ---------------------------------------------------------------------------
# HAProxy
# ---------------------------------------------------------------------------
haproxy_pid() {
  local pid
  pid="$(read_pidfile "$LAB_HAPROXY_PIDFILE")"
  if [[ -n "$pid" ]] && pid_is_ours "$pid" "$LAB_HAPROXY_CFG"; then
    printf '%s' "$pid"; return 0
  fi
  find_our_pids haproxy "$LAB_HAPROXY_CFG" | head -1
}

haproxy_healthy() {
  haproxy_cmd "show info" 2>/dev/null | grep -q '^Name: HAProxy' &&
    lab_curl --max-time 3 -o /dev/null -f "http://127.0.0.1:$LAB_HAPROXY_STATS_PORT/" 2>/dev/null
}

# ---------------------------------------------------------------------------
# Mounts: dockerd (overlay2) may leave mounts behind when it is SIGKILLed.
# ---------------------------------------------------------------------------
# unmount_under DIR: unmount every mount point below DIR, deepest first.
unmount_under() {
  local dir="$1" mp
  [[ -n "$dir" && "$dir" != / ]] || return 0
  # field 5 of mountinfo is the mount point (octal escapes for spaces; lab paths have none)
  awk -v d="$dir" 'index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while read -r mp; do
      umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || warn "could not unmount $mp"
    done
}

# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------
json_str() {
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/\\n}"; s="${s//$'\t'/\\t}"; s="${s//$'\r'/\\r}"
  printf '"%s"' "$s"
}
json_num_or_null() { if [[ "$1" =~ ^[0-9]+$ ]]; then printf '%s' "$1"; else printf null; fi; }

# ---------------------------------------------------------------------------
# Images built from Debian binaries (nginx.sh, redis.sh)
# ---------------------------------------------------------------------------
# The digest of repo:tag in the lab registry (empty if absent).
registry_manifest_digest() { # <repo> <tag> -> sha256:... (empty if absent)
  lab_curl --max-time 5 -fsI \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$LAB_REGISTRY/v2/$1/manifests/$2" 2>/dev/null |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *//p' | head -1 || true
}

# Builds a prepared build context on alpha and pushes it to the lab registry,
# unless the state file says the registry already holds this exact context.
# Sets LAB_IMAGE_REF (registry/repo@digest) and LAB_IMAGE_ID. Extra arguments
# go to `docker build` (e.g. --build-arg VERSION=1.0.0).
lab_build_context_image() { # <repo> <tag> <context dir> [docker build args...]
  local repo=$1 ver=$2 ctx=$3
  shift 3
  mkdir -p "$LAB_DIR/build" "$LAB_DIR/images"
  local state="$LAB_DIR/images/$repo-$ver.env" blog="$LAB_DIR/build/build.log"
  local hash s_hash="" s_digest="" s_id="" reg_digest digest id
  find "$ctx" -exec touch -h -d @946684800 {} +
  hash="$( (cd "$ctx" && tar --sort=name --owner=0 --group=0 --numeric-owner -cf - .) | sha256sum | cut -c1-64)"
  if [[ -f "$state" ]]; then
    s_hash="$(sed -n 's/^HASH=//p' "$state")"
    s_digest="$(sed -n 's/^DIGEST=//p' "$state")"
    s_id="$(sed -n 's/^IMAGE_ID=//p' "$state")"
  fi
  reg_digest="$(registry_manifest_digest "$repo" "$ver")"
  if [[ -n "$s_digest" && "$s_hash" == "$hash" && "$reg_digest" == "$s_digest" ]]; then
    LAB_IMAGE_REF="$LAB_REGISTRY/$repo@$s_digest"; LAB_IMAGE_ID="$s_id"
    return 0
  fi
  log "image $repo:$ver: building on alpha and pushing to $LAB_REGISTRY"
  printf '\n===== %s build %s:%s =====\n' "$(date -Is)" "$repo" "$ver" >>"$blog"
  lab_docker alpha build -q "$@" --label "dev.switchyard.lab.context-sha256=$hash" -t "$LAB_REGISTRY/$repo:$ver" "$ctx" >>"$blog" 2>&1 ||
    { show_log_tail "$blog"; die "docker build of $repo:$ver failed (log: $blog)"; }
  lab_docker alpha push "$LAB_REGISTRY/$repo:$ver" >>"$blog" 2>&1 ||
    { show_log_tail "$blog"; die "docker push of $repo:$ver failed (log: $blog)"; }
  digest="$(lab_docker alpha image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$LAB_REGISTRY/$repo:$ver" |
    sed -n "s#^$LAB_REGISTRY/$repo@##p" | head -1)"
  id="$(lab_docker alpha image inspect --format '{{.Id}}' "$LAB_REGISTRY/$repo:$ver")"
  reg_digest="$(registry_manifest_digest "$repo" "$ver")"
  [[ "$digest" == sha256:* && "$digest" == "$reg_digest" ]] ||
    die "image $repo:$ver: pushed digest '$digest' does not match the registry's '$reg_digest'"
  printf 'HASH=%s\nDIGEST=%s\nIMAGE_ID=%s\n' "$hash" "$digest" "$id" >"$state"
  LAB_IMAGE_REF="$LAB_REGISTRY/$repo@$digest"; LAB_IMAGE_ID="$id"
  log "image $repo:$ver: $LAB_IMAGE_REF"
}

# Copies a dynamically linked binary into <ctx>/base<dest> with every library
# `ldd` lists, at the path the loader looks for it; the loader stays executable.
lab_copy_with_libs() { # <ctx> <binary> <dest path inside the image>
  local ctx=$1 bin=$2 dest=$3 lib
  mkdir -p "$ctx/base$(dirname "$dest")"
  cp -L "$bin" "$ctx/base$dest"
  while read -r lib; do
    mkdir -p "$ctx/base$(dirname "$lib")"
    cp -L "$lib" "$ctx/base$lib"
  done < <(ldd "$bin" | sed -n 's#.*=> \(/[^ ]*\) .*#\1#p; s#^[[:space:]]*\(/[^ ]*\) (.*#\1#p')
}

# Adds images.<repo> = { <tag>: <ref> } to an existing lab.json (a lab started before the image's script).
lab_record_image() { # <repo> <tag> <ref>
  [[ -f "$LAB_JSON" ]] || die "$LAB_JSON is missing: start the lab first (scripts/lab/up.sh)"
  node -e '
    const fs = require("fs");
    const [file, repo, ver, ref] = process.argv.slice(1);
    const lab = JSON.parse(fs.readFileSync(file, "utf8"));
    lab.images = { ...lab.images, [repo]: { [ver]: ref } };
    fs.writeFileSync(file + ".tmp", JSON.stringify(lab, null, 2) + "\n");
    fs.renameSync(file + ".tmp", file);
  ' "$LAB_JSON" "$1" "$2" "$3"
}
