#!/usr/bin/env bash
# The demo-redis lab image: Debian's redis-server and redis-cli binaries plus the
# shared libraries `ldd` lists, FROM scratch with busybox-static (sources:
# lab/demo-redis), following scripts/lab/nginx.sh. Built on alpha, pushed to the
# lab registry, recorded in lab.json (images.demo-redis). Sourced by up.sh
# (ensure_redis_image); run on its own to add the image to a running lab:
#
#   LAB_DIR=/work/main/.lab bash scripts/lab/redis.sh
#
# Idempotent and fast: rebuilt only when the sources (or the redis packages)
# change or the registry lost the image.
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_VERSION="1.0.0"
REDIS_REF=""
REDIS_IMAGE_ID=""

ensure_redis_image() {
  local src="$LAB_REPO_ROOT/lab/demo-redis" repo="demo-redis" ver="$REDIS_VERSION"
  local ctx="$LAB_DIR/build/$repo-$ver" blog="$LAB_DIR/build/build.log"
  local server=/usr/bin/redis-server cli=/usr/bin/redis-cli
  [[ -f "$src/Dockerfile" ]] || die "missing image sources in $src"
  mkdir -p "$LAB_DIR/build" "$LAB_DIR/images"
  if [[ ! -x "$server" || ! -x "$cli" ]]; then
    log "installing Debian's redis-server and redis-tools (their binaries go into the demo-redis image)"
    # policy-rc.d (see ensure_packages) keeps the package from starting a system redis.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server redis-tools >>"$blog" 2>&1 ||
      { show_log_tail "$blog"; die "apt-get install redis-server redis-tools failed"; }
  fi
  rm -rf "$ctx"; mkdir -p "$ctx/base/bin" "$ctx/base/usr/bin" "$ctx/data"
  cp -R "$src/Dockerfile" "$src/rootfs" "$ctx/"
  cp /bin/busybox "$ctx/base/bin/busybox"
  ln -s busybox "$ctx/base/bin/sh"
  lab_copy_with_libs "$ctx" "$server" /usr/bin/redis-server
  lab_copy_with_libs "$ctx" "$cli" /usr/bin/redis-cli
  find "$ctx" -type d -exec chmod 755 {} +
  find "$ctx" -type f -exec chmod 644 {} +
  chmod 755 "$ctx/base/bin/busybox" "$ctx/base/usr/bin/redis-server" "$ctx/base/usr/bin/redis-cli" "$ctx/rootfs/bin/start" "$ctx/rootfs/bin/healthy"
  find "$ctx/base" -name 'ld-linux*' -exec chmod 755 {} +
  lab_build_context_image "$repo" "$ver" "$ctx"
  REDIS_REF="$LAB_IMAGE_REF"; REDIS_IMAGE_ID="$LAB_IMAGE_ID"
}

# Adds images.demo-redis to an existing lab.json.
redis_record_in_lab_json() { lab_record_image "demo-redis" "$REDIS_VERSION" "$REDIS_REF"; }

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  [[ "$(id -u)" == 0 ]] || die "the lab needs root"
  lab_lock
  ensure_redis_image
  redis_record_in_lab_json
  log "demo-redis $REDIS_VERSION: $REDIS_REF (recorded in $LAB_JSON)"
fi
