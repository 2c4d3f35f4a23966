#!/usr/bin/env bash
# Stop or start one lab Docker engine (tests use it to make a host unreachable).
#
#   bash scripts/lab/engine.sh stop    alpha|beta   dockerd exits; its containers are
#                                                   stopped but kept (state, images,
#                                                   volumes stay on disk)
#   bash scripts/lab/engine.sh start   alpha|beta   start it again, wait until it answers
#                                                   (containers with a restart policy
#                                                   always/unless-stopped come back)
#   bash scripts/lab/engine.sh restart alpha|beta
#   bash scripts/lab/engine.sh status  alpha|beta   prints up|down|frozen, exit 0 if up
#   bash scripts/lab/engine.sh freeze  alpha|beta   SIGSTOP dockerd: the API hangs (requests
#                                                   time out) while containers keep serving
#   bash scripts/lab/engine.sh thaw    alpha|beta   SIGCONT
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
(($# == 2)) || { usage >&2; exit 2; }
action="$1" name="$2"
engine_check_name "$name"
[[ "$(id -u)" == 0 ]] || die "the lab needs root"

engine_state() {
  local pid st
  pid="$(engine_pid "$name")"
  [[ -n "$pid" ]] || { echo down; return; }
  st="$(cat "/proc/$pid/stat" 2>/dev/null)"; st="${st##*) }"
  if [[ "${st:0:1}" == T ]]; then echo frozen; return; fi
  if engine_healthy "$name"; then echo up; else echo down; fi
}

case "$action" in
  stop)
    lab_lock
    engine_stop "$name"
    log "dockerd $name is stopped"
    ;;
  start)
    lab_lock
    [[ -f "$LAB_CERTS/ca.pem" ]] || die "no lab at $LAB_DIR: run scripts/lab/up.sh first"
    engine_start "$name"
    ;;
  restart)
    lab_lock
    engine_stop "$name"
    engine_start "$name"
    ;;
  status)
    state="$(engine_state)"
    echo "$state"
    [[ "$state" == up ]]
    ;;
  freeze)
    pid="$(engine_pid "$name")"
    [[ -n "$pid" ]] || die "dockerd $name is not running"
    kill -STOP "$pid"
    log "dockerd $name (pid $pid) frozen: its API does not answer until 'engine.sh thaw $name'"
    ;;
  thaw)
    pid="$(engine_pid "$name")"
    [[ -n "$pid" ]] || die "dockerd $name is not running"
    kill -CONT "$pid"
    wait_for "dockerd $name after thaw" 20 "$(engine_log "$name")" "$pid" engine_healthy "$name" ||
      die "dockerd $name does not answer after thaw"
    log "dockerd $name (pid $pid) thawed"
    ;;
  *) usage >&2; exit 2 ;;
esac
