#!/usr/bin/env bash
# Runs every test: typecheck, lint, unit tests, integration tests against the
# real lab, and Playwright end-to-end tests in Debian's Chromium. Installs what
# it needs, starts the lab, stops everything it started, and ends with the line
# "N passed, N failed" summed over every suite.
set -uo pipefail
export NEXT_TELEMETRY_DISABLED=1 # a self-hosted tool makes no calls home
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT="$ROOT/test-results"
rm -rf "$OUT" && mkdir -p "$OUT"
PASSED=0
FAILED=0

count() { # count <name> <passed> <failed>
  echo "[test] $1: $2 passed, $3 failed"
  PASSED=$((PASSED + $2))
  FAILED=$((FAILED + $3))
}
check() { # check <name> <command...>: one test that passes when the command does
  local name=$1; shift
  if "$@" >"$OUT/$name.log" 2>&1; then count "$name" 1 0; else tail -40 "$OUT/$name.log"; count "$name" 0 1; fi
}
json_counts() { # json_counts <vitest|playwright> <file> → "passed failed"
  node -e '
    const fs = require("fs"); const [kind, file] = process.argv.slice(1);
    if (!fs.existsSync(file)) { console.log("0 1"); process.exit(0); }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    if (kind === "vitest") console.log(`${r.numPassedTests} ${r.numFailedTests + (r.success === false && r.numFailedTests === 0 ? 1 : 0)}`);
    else console.log(`${r.stats.expected + r.stats.flaky} ${r.stats.unexpected + (r.errors?.length ?? 0)}`);
  ' "$1" "$2"
}

cleanup() {
  [[ -n "${KEEP_LAB:-}" ]] || bash scripts/lab/down.sh >"$OUT/lab-down.log" 2>&1 || echo "[test] lab down failed: see $OUT/lab-down.log"
}
trap cleanup EXIT

if ! bash scripts/install.sh --browser; then
  echo "[test] install failed"; echo "0 passed, 1 failed"; exit 1
fi

check typecheck npx tsc --noEmit
check lint npm run lint  # ESLint, Prettier check, knip

npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$OUT/unit.json"
read -r p f < <(json_counts vitest "$OUT/unit.json"); count unit "$p" "$f"

if bash scripts/lab/up.sh >"$OUT/lab-up.log" 2>&1; then
  npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$OUT/integration.json"
  read -r p f < <(json_counts vitest "$OUT/integration.json"); count integration "$p" "$f"

  if npx next build >"$OUT/build.log" 2>&1; then
    count build 1 0
    PLAYWRIGHT_JSON_OUTPUT_NAME="$OUT/e2e.json" npx playwright test --reporter=list,json
    read -r p f < <(json_counts playwright "$OUT/e2e.json"); count e2e "$p" "$f"
  else
    tail -40 "$OUT/build.log"; count build 0 1
  fi
else
  tail -40 "$OUT/lab-up.log"
  count lab-up 0 1
fi

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
