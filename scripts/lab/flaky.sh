#!/usr/bin/env bash
# The demo-flaky lab image: the demo-nginx image (Debian nginx FROM scratch)
# with lab/demo-flaky/start, which answers 500 to ~20 % of requests (200 on
# /health), for rollout gate tests and `npm run bench:canary`. Built on alpha,
# pushed to the lab registry, recorded in lab.json (images.demo-flaky).
# Sourced by up.sh after ensure_nginx_image; run on its own to add the image
# to a running lab:
#
#   LAB_DIR=/work/main/.lab bash scripts/lab/flaky.sh
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FLAKY_VERSION="1.0.0"
FLAKY_REF=""

ensure_flaky_image() {
  local nginx_ctx="$LAB_DIR/build/demo-nginx-1.0.0" ctx="$LAB_DIR/build/demo-flaky-$FLAKY_VERSION"
  [[ -f "$nginx_ctx/Dockerfile" ]] || die "build demo-nginx first (scripts/lab/nginx.sh): $nginx_ctx is missing"
  rm -rf "$ctx"
  cp -a "$nginx_ctx" "$ctx"
  cp "$LAB_REPO_ROOT/lab/demo-flaky/start" "$ctx/rootfs/bin/start"
  chmod 755 "$ctx/rootfs/bin/start"
  sed -i 's/org.opencontainers.image.title="demo-nginx"/org.opencontainers.image.title="demo-flaky"/' "$ctx/Dockerfile"
  lab_build_context_image "demo-flaky" "$FLAKY_VERSION" "$ctx"
  FLAKY_REF="$LAB_IMAGE_REF"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  [[ "$(id -u)" == 0 ]] || die "the lab needs root"
  lab_lock
  # shellcheck source=scripts/lab/nginx.sh
  source "$(dirname "${BASH_SOURCE[0]}")/nginx.sh"
  ensure_nginx_image
  ensure_flaky_image
  lab_record_image "demo-flaky" "$FLAKY_VERSION" "$FLAKY_REF"
  log "demo-flaky $FLAKY_VERSION: $FLAKY_REF (recorded in $LAB_JSON)"
fi
