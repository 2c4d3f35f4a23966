#!/usr/bin/env bash
# Scale the lab to N Docker engines (alpha and beta, then engine-03 ... engine-N).
#
#   LAB_ENGINES=12 bash scripts/lab/engines.sh   start engine-03..engine-12 (reused when
#                                                already up), copy the demo-web images
#                                                to each from the lab registry, record
#                                                them in lab.json "hosts"
#   LAB_ENGINES=2 bash scripts/lab/engines.sh    stop every extra engine (their data
#                                                roots stay on disk for the next run)
#                                                and drop them from lab.json
#
# up.sh runs this at its end with the same LAB_ENGINES (default 2). Each extra engine
# is started like alpha: its own unix socket $LAB_DIR/engine-NN/docker.sock, data root
# $LAB_DIR/engine-NN/data, exec root under $LAB_RUN_DIR, --bridge=none, no iptables.
# Images come from the lab registry (127.0.0.1:5000) only. Needs a running lab.
set -euo pipefail
# shellcheck source=scripts/lab/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
  -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument: $1 (usage: LAB_ENGINES=N engines.sh)" ;;
esac
[[ "$(id -u)" == 0 ]] || die "the lab needs root"
[[ "$LAB_ENGINE_COUNT" =~ ^[0-9]+$ ]] && ((LAB_ENGINE_COUNT >= 2 && LAB_ENGINE_COUNT <= 40)) ||
  die "LAB_ENGINES must be a number from 2 to 40 (got '$LAB_ENGINE_COUNT')"
[[ -f "$LAB_JSON" ]] || die "$LAB_JSON is missing: start the lab first (scripts/lab/up.sh)"

[[ -n "${LAB_LOCK_HELD:-}" ]] || lab_lock
wanted=()
for ((i = 3; i <= LAB_ENGINE_COUNT; i++)); do wanted+=("$(extra_engine_name "$i")"); done

# 1. Extra engines beyond N: stop them (containers are stopped with them and kept on disk).
for name in $(extra_engines_present); do
  n="${name#engine-}"; n=$((10#$n))
  if ((n > LAB_ENGINE_COUNT)) && [[ -n "$(engine_pid "$name")" ]]; then
    engine_stop "$name"
    log "dockerd $name is stopped"
  fi
done

# 2. Engines 3..N: start (two at a time: a cold dockerd costs a CPU for a few seconds)
#    and give each the lab images from the registry.
images=()
while IFS= read -r ref; do [[ -n "$ref" ]] && images+=("$ref"); done < <(
  node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const tags of Object.values(l.images ?? {})) for (const ref of Object.values(tags)) console.log(ref);' "$LAB_JSON"
)
start_one() {
  local name="$1" ref
  engine_start "$name"
  for ref in "${images[@]}"; do
    if ! lab_docker "$name" image inspect "$ref" >/dev/null 2>&1; then
      lab_docker "$name" pull -q "$ref" >/dev/null || die "dockerd $name: could not pull $ref from the lab registry"
    fi
  done
}
pids=()
for name in "${wanted[@]}"; do
  (start_one "$name") & pids+=($!)
  if ((${#pids[@]} >= 2)); then
    wait "${pids[0]}" || die "an extra engine failed to start"
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || die "an extra engine failed to start"; done

# 3. lab.json: alpha and beta as up.sh wrote them, then the running extra engines.
extra_json="$(for name in "${wanted[@]}"; do printf '%s\n' "$name=unix://$(engine_sock "$name")=$(engine_pid "$name")"; done)"
node -e '
  const fs = require("fs");
  const [file, list] = process.argv.slice(1);
  const lab = JSON.parse(fs.readFileSync(file, "utf8"));
  const extra = list.split("\n").filter(Boolean).map((l) => l.split("="));
  lab.hosts = [
    ...lab.hosts.filter((h) => !/^engine-\d\d$/.test(h.name)),
    ...extra.map(([name, url]) => ({ name, url })),
  ];
  lab.pids = Object.fromEntries(Object.entries(lab.pids ?? {}).filter(([k]) => !/^engine-\d\d$/.test(k)));
  for (const [name, , pid] of extra) lab.pids[name] = Number(pid);
  fs.writeFileSync(file + ".tmp", JSON.stringify(lab, null, 2) + "\n");
  fs.renameSync(file + ".tmp", file);
' "$LAB_JSON" "$extra_json"
log "lab engines: $((2 + ${#wanted[@]})) (alpha, beta${wanted[*]:+, ${wanted[*]}})"
