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

nginx_registry_digest() { # -> sha256:... (empty if absent)
  lab_curl --max-time 5 -fsI \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$LAB_REGISTRY/v2/demo-nginx/manifests/$NGINX_VERSION" 2>/dev/null |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *//p' | head -1 || true
}

ensure_nginx_image() {
  local src="$LAB_REPO_ROOT/lab/demo-nginx" repo="demo-nginx" ver="$NGINX_VERSION"
  local ctx="$LAB_DIR/build/$repo-$ver" state="$LAB_DIR/images/$repo-$ver.env" blog="$LAB_DIR/build/build.log"
  local nginx=/usr/sbin/nginx lib hash s_hash="" s_digest="" s_id="" reg_digest digest id
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
  cp "$nginx" "$ctx/base/usr/sbin/nginx"
  # Every library the binary loads, at the path the loader looks for it.
  while read -r lib; do
    mkdir -p "$ctx/base$(dirname "$lib")"
    cp -L "$lib" "$ctx/base$lib"
  done < <(ldd "$nginx" | sed -n 's#.*=> \(/[^ ]*\) .*#\1#p; s#^[[:space:]]*\(/[^ ]*\) (.*#\1#p')
  find "$ctx" -type d -exec chmod 755 {} +
  find "$ctx" -type f -exec chmod 644 {} +
  chmod 755 "$ctx/base/bin/busybox" "$ctx/base/usr/sbin/nginx" "$ctx/rootfs/bin/start"
  find "$ctx/base" -name 'ld-linux*' -exec chmod 755 {} +
  find "$ctx" -exec touch -h -d @946684800 {} +
  hash="$( (cd "$ctx" && tar --sort=name --owner=0 --group=0 --numeric-owner -cf - .) | sha256sum | cut -c1-64)"

  if [[ -f "$state" ]]; then
    s_hash="$(sed -n 's/^HASH=//p' "$state")"
    s_digest="$(sed -n 's/^DIGEST=//p' "$state")"
    s_id="$(sed -n 's/^IMAGE_ID=//p' "$state")"
  fi
  reg_digest="$(nginx_registry_digest)"
  if [[ -n "$s_digest" && "$s_hash" == "$hash" && "$reg_digest" == "$s_digest" ]]; then
    NGINX_REF="$LAB_REGISTRY/$repo@$s_digest"; NGINX_IMAGE_ID="$s_id"
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
  reg_digest="$(nginx_registry_digest)"
  [[ "$digest" == sha256:* && "$digest" == "$reg_digest" ]] ||
    die "image $repo:$ver: pushed digest '$digest' does not match the registry's '$reg_digest'"
  printf 'HASH=%s\nDIGEST=%s\nIMAGE_ID=%s\n' "$hash" "$digest" "$id" >"$state"
  NGINX_REF="$LAB_REGISTRY/$repo@$digest"; NGINX_IMAGE_ID="$id"
  log "image $repo:$ver: $NGINX_REF"
}

# Adds images.demo-nginx to an existing lab.json (a lab started by older scripts).
nginx_record_in_lab_json() {
  [[ -f "$LAB_JSON" ]] || die "$LAB_JSON is missing: start the lab first (scripts/lab/up.sh)"
  node -e '
    const fs = require("fs");
    const [file, ver, ref] = process.argv.slice(1);
    const lab = JSON.parse(fs.readFileSync(file, "utf8"));
    lab.images = { ...lab.images, "demo-nginx": { [ver]: ref } };
    fs.writeFileSync(file + ".tmp", JSON.stringify(lab, null, 2) + "\n");
    fs.renameSync(file + ".tmp", file);
  ' "$LAB_JSON" "$NGINX_VERSION" "$NGINX_REF"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  [[ "$(id -u)" == 0 ]] || die "the lab needs root"
  lab_lock
  ensure_nginx_image
  nginx_record_in_lab_json
  log "demo-nginx $NGINX_VERSION: $NGINX_REF (recorded in $LAB_JSON)"
fi
