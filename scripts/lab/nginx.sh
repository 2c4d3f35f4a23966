#!/usr/bin/env bash
# The demo-nginx lab image: Debian's nginx binary plus the shared libraries `ldd`
# lists, FROM scratch with busybox-static (sources: lab/demo-nginx). Built on
# alpha, pushed to the lab registry, recorded in lab.json (images.demo-nginx).
# Sourced by up.sh (ensure_nginx_image); run on its own to add the image to a
# lab started by older scripts:
#
#   LAB_DIR=/work/main/.lab bash scripts/lab/nginx.sh
#
# Idempotent and fast: rebuilt only when the sources (or the nginx package) change
# or the registry lost the image.
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NGINX_VERSION="1.0.0"
NGINX_REF=""
NGINX_IMAGE_ID=""

ensure_nginx_image() {
  local src="$LAB_REPO_ROOT/lab/demo-nginx" repo="demo-nginx" ver="$NGINX_VERSION"
  local ctx="$LAB_DIR/build/$repo-$ver" blog="$LAB_DIR/build/build.log"
  local nginx=/usr/sbin/nginx
  [[ -f "$src/Dockerfile" ]] || die "missing image sources in $src"
  mkdir -p "$LAB_DIR/build" "$LAB_DIR/images"
  if [[ ! -x "$nginx" ]]; then
    log "installing Debian's nginx (its binary goes into the demo-nginx image)"
    # policy-rc.d (see ensure_packages) keeps the package from starting a system nginx.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx >>"$blog" 2>&1 ||
      { show_log_tail "$blog"; die "apt-get install nginx failed"; }
  fi
  rm -rf "$ctx"; mkdir -p "$ctx/base/bin" "$ctx/base/usr/sbin" "$ctx/data"
  cp -R "$src/Dockerfile" "$src/rootfs" "$ctx/"
  cp /bin/busybox "$ctx/base/bin/busybox"
  ln -s busybox "$ctx/base/bin/sh"
  lab_copy_with_libs "$ctx" "$nginx" /usr/sbin/nginx
  find "$ctx" -type d -exec chmod 755 {} +
  find "$ctx" -type f -exec chmod 644 {} +
  chmod 755 "$ctx/base/bin/busybox" "$ctx/base/usr/sbin/nginx" "$ctx/rootfs/bin/start"
  find "$ctx/base" -name 'ld-linux*' -exec chmod 755 {} +
  lab_build_context_image "$repo" "$ver" "$ctx"
  NGINX_REF="$LAB_IMAGE_REF"; NGINX_IMAGE_ID="$LAB_IMAGE_ID"
}

# Adds images.demo-nginx to an existing lab.json.
nginx_record_in_lab_json() { lab_record_image "demo-nginx" "$NGINX_VERSION" "$NGINX_REF"; }

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  [[ "$(id -u)" == 0 ]] || die "the lab needs root"
  lab_lock
  ensure_nginx_image
  nginx_record_in_lab_json
  log "demo-nginx $NGINX_VERSION: $NGINX_REF (recorded in $LAB_JSON)"
fi
