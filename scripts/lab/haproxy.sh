#!/usr/bin/env bash
# Send one command to the lab HAProxy's runtime API (admin socket) and print the answer.
#
#   bash scripts/lab/haproxy.sh "show servers state demo-web"
#   bash scripts/lab/haproxy.sh "show stat"
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
(($# == 1)) || { sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
haproxy_cmd "$1"
