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

redis_registry_digest() { # -> sha256:... (empty if absent)
  lab_curl --max-time 5 -fsI \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$LAB_REGISTRY/v2/demo-redis/manifests/$REDIS_VERSION" 2>/dev/null |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *//p' | head -1 || true
}

ensure_redis_image() {
  local src="$LAB_REPO_ROOT/lab/demo-redis" repo="demo-redis" ver="$REDIS_VERSION"
  local ctx="$LAB_DIR/build/$repo-$ver" state="$LAB_DIR/images/$repo-$ver.env" blog="$LAB_DIR/build/build.log"
  local server=/usr/bin/redis-server cli=/usr/bin/redis-cli bin lib hash s_hash="" s_digest="" s_id="" reg_digest digest id
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
  cp -L "$server" "$ctx/base/usr/bin/redis-server"
  cp -L "$cli" "$ctx/base/usr/bin/redis-cli"
  # Every library the binaries load, at the path the loader looks for it.
  for bin in "$server" "$cli"; do
    while read -r lib; do
      mkdir -p "$ctx/base$(dirname "$lib")"
      cp -L "$lib" "$ctx/base$lib"
    done < <(ldd "$bin" | sed -n 's#.*=> \(/[^ ]*\) .*#\1#p; s#^[[:space:]]*\(/[^ ]*\) (.*#\1#p')
  done
  find "$ctx" -type d -exec chmod 755 {} +
  find "$ctx" -type f -exec chmod 644 {} +
  chmod 755 "$ctx/base/bin/busybox" "$ctx/base/usr/bin/redis-server" "$ctx/base/usr/bin/redis-cli" "$ctx/rootfs/bin/start" "$ctx/rootfs/bin/healthy"
  find "$ctx/base" -name 'ld-linux*' -exec chmod 755 {} +
  find "$ctx" -exec touch -h -d @946684800 {} +
  hash="$( (cd "$ctx" && tar --sort=name --owner=0 --group=0 --numeric-owner -cf - .) | sha256sum | cut -c1-64)"

  if [[ -f "$state" ]]; then
    s_hash="$(sed -n 's/^HASH=//p' "$state")"
    s_digest="$(sed -n 's/^DIGEST=//p' "$state")"
    s_id="$(sed -n 's/^IMAGE_ID=//p' "$state")"
  fi
  reg_digest="$(redis_registry_digest)"
  if [[ -n "$s_digest" && "$s_hash" == "$hash" && "$reg_digest" == "$s_digest" ]]; then
    REDIS_REF="$LAB_REGISTRY/$repo@$s_digest"; REDIS_IMAGE_ID="$s_id"
    return 0
  fi
  log "image $repo:$ver: building on alpha and pushing to $LAB_REGISTRY"
  printf '\n===== %s build %s:%s =====\n' "$(date -Is)" "$repo" "$ver" >>"$blog"
  lab_docker alpha build -q --label "dev.switchyard.lab.context-sha256=$hash" -t "$LAB_REGISTRY/$repo:$ver" "$ctx" >>"$blog" 2>&1 ||
    { show_log_tail "$blog"; die "docker build of $repo:$ver failed (log: $blog)"; }
  lab_docker alpha push "$LAB_REGISTRY/$repo:$ver" >>"$blog" 2>&1 ||
    { show_log_tail "$blog"; die "docker push of $repo:$ver failed (log: $blog)"; }
  digest="$(lab_docker alpha image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$LAB_REGISTRY/$repo:$ver" |
    sed -n "s#^$LAB_REGISTRY/$repo@##p" | head -1)"
  id="$(lab_docker alpha image inspect --format '{{.Id}}' "$LAB_REGISTRY/$repo:$ver")"
  reg_digest="$(redis_registry_digest)"
  [[ "$digest" == sha256:* && "$digest" == "$reg_digest" ]] ||
    die "image $repo:$ver: pushed digest '$digest' does not match the registry's '$reg_digest'"
  printf 'HASH=%s\nDIGEST=%s\nIMAGE_ID=%s\n' "$hash" "$digest" "$id" >"$state"
  REDIS_REF="$LAB_REGISTRY/$repo@$digest"; REDIS_IMAGE_ID="$id"
  log "image $repo:$ver: $REDIS_REF"
}

# Adds images.demo-redis to an existing lab.json (a lab started before redis.sh).
redis_record_in_lab_json() {
  [[ -f "$LAB_JSON" ]] || die "$LAB_JSON is missing: start the lab first (scripts/lab/up.sh)"
  node -e '
    const fs = require("fs");
    const [file, ver, ref] = process.argv.slice(1);
    const lab = JSON.parse(fs.readFileSync(file, "utf8"));
    lab.images = { ...lab.images, "demo-redis": { [ver]: ref } };
    fs.writeFileSync(file + ".tmp", JSON.stringify(lab, null, 2) + "\n");
    fs.renameSync(file + ".tmp", file);
  ' "$LAB_JSON" "$REDIS_VERSION" "$REDIS_REF"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  [[ "$(id -u)" == 0 ]] || die "the lab needs root"
  lab_lock
  ensure_redis_image
  redis_record_in_lab_json
  log "demo-redis $REDIS_VERSION: $REDIS_REF (recorded in $LAB_JSON)"
fi
