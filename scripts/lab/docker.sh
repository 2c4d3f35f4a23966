#!/usr/bin/env bash
# Run the docker CLI against a lab engine.
#
#   bash scripts/lab/docker.sh alpha ps -a
#   bash scripts/lab/docker.sh beta images          (beta's local unix socket)
#   bash scripts/lab/docker.sh beta-tls info        (beta over TCP+TLS, as the dashboard)
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
(($# >= 1)) || { sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
target="$1"; shift
case "$target" in
  alpha|beta) lab_docker "$target" "$@" ;;
  beta-tls) beta_docker_tls "$@" ;;
  *) die "unknown engine '$target' (alpha, beta or beta-tls)" ;;
esac
