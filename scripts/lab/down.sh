#!/usr/bin/env bash
# Stop everything the Switchyard lab started (idempotent).
#
#   bash scripts/lab/down.sh            stop; keep $LAB_DIR (images, volumes, certs)
#   bash scripts/lab/down.sh --purge    stop, then delete $LAB_DIR entirely
#
# Order: remove every container on both engines (so no container process outlives
# its engine), stop both dockerds and the containerd each one spawned, then the
# registry, HAProxy and the lab sshd. Processes are found by their pid files (or, if a pid file
# was lost, by a command line that contains this lab's private paths) and stopped by
# pid: SIGTERM, then SIGKILL after a timeout. Nothing else is ever signalled.
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=""
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: down.sh [--purge])" ;;
  esac
done

if [[ ! -d "$LAB_DIR" ]]; then
  log "nothing to stop: $LAB_DIR does not exist"
  [[ -d "$LAB_RUN_DIR" ]] && { unmount_under "$LAB_RUN_DIR"; rm -rf "$LAB_RUN_DIR"; }
  exit 0
fi
[[ "$(id -u)" == 0 ]] || die "the lab needs root"
T_START="$(lab_now_ms)"
lab_lock

# 1. Containers. An engine that is down but still has container shims (it was
#    SIGKILLed or frozen) is started again first, so it can remove them cleanly.
for name in "${LAB_ENGINES[@]}" $(extra_engines_present); do
  pid="$(engine_pid "$name")"
  if [[ -n "$pid" ]]; then
    kill -CONT "$pid" 2>/dev/null || true
  elif [[ -n "$(engine_shim_pids "$name")" ]]; then
    log "dockerd $name is down but its containers still run: starting it to remove them"
    (engine_start "$name") || warn "could not start dockerd $name to clean its containers"
  fi
  if engine_healthy "$name" ||
     { [[ -n "$(engine_pid "$name")" ]] && wait_for "dockerd $name" 10 "" "" engine_healthy "$name" 2>/dev/null; }; then
    engine_remove_all_containers "$name" || warn "could not remove all containers of $name"
  fi
done

# 2. Engines (dockerd, then its containerd, then any stray shim).
for name in "${LAB_ENGINES[@]}" $(extra_engines_present); do
  engine_stop "$name"
done

# 3. Registry.
pid="$(registry_pid)"
if [[ -n "$pid" ]]; then
  log "registry: stopping pid $pid"
  stop_pid "$pid" registry 10 || die "could not stop registry pid $pid"
fi
rm -f "$LAB_REGISTRY_DIR/registry.pid"

# 4. HAProxy.
pid="$(haproxy_pid)"
if [[ -n "$pid" ]]; then
  log "haproxy: stopping pid $pid"
  stop_pid "$pid" haproxy 10 || die "could not stop haproxy pid $pid"
fi
rm -f "$LAB_HAPROXY_PIDFILE" "$LAB_HAPROXY_SOCK"

# 4b. sshd (Docker over SSH), by its pid file.
LAB_LOCK_HELD=1 bash "$(dirname "${BASH_SOURCE[0]}")/sshd.sh" down

# 5. Leftover mounts (a SIGKILLed dockerd leaves overlay mounts) and runtime dirs.
unmount_under "$LAB_RUN_DIR"
unmount_under "$LAB_DIR"
rm -rf "$LAB_RUN_DIR"
[[ -f "$LAB_JSON" ]] && rm -f "$LAB_JSON"

if [[ -n "$PURGE" ]]; then
  log "purging $LAB_DIR"
  rm -rf "$LAB_DIR"
fi
log "lab is down ($(( $(lab_now_ms) - T_START )) ms)"
