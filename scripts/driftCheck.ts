/**
 * Drift check for CI: exit 1 when Switchyard's last drift scan found a drifted
 * or unaccounted container, 0 when the fleet is clean, 2 when it cannot tell.
 *
 *   SWITCHYARD_URL=https://switchyard.example SWITCHYARD_TOKEN=syt_… npx tsx scripts/driftCheck.ts [--scan] [--json]
 *
 *   --scan   run a fresh scan first and wait for it (the token needs the operator role;
 *            without it the stored scan is judged, which a viewer token may read)
 *   --json   print the whole report as JSON instead of the summary
 *
 * It calls GET /api/drift?fail=true, which answers 409 (with the report) on drift.
 */
type Container = {
  name: string;
  verdict: string;
  service: string | null;
  release: number | null;
  note: string | null;
  counts: { image: number; config: number; changesEffective: number; changesIgnored: number };
};
type DriftReportBody = {
  error?: { code: string; message: string };
  scan: { id: number; status: string; finishedAt: number | null } | null;
  summary: { verdict: string; containers: number; counts: Record<string, number> };
  hosts: { host: string; verdict: string; scan: { error: string | null } | null; containers: Container[] }[];
};

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => a !== "--scan" && a !== "--json");

function fail(message: string): never {
  console.error(`drift check: ${message}`);
  process.exit(2);
}

async function call(base: string, token: string, method: string, path: string): Promise<{ status: number; body: DriftReportBody }> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
    body: method === "POST" ? "{}" : undefined,
    signal: AbortSignal.timeout(10 * 60_000),
  }).catch((err: Error) => fail(`${method} ${path}: ${err.message}`));
  const body = (await res.json().catch(() => null)) as DriftReportBody | null;
  if (!body) fail(`${method} ${path}: HTTP ${res.status} without a JSON body`);
  return { status: res.status, body };
}

function summary(r: DriftReportBody): string {
  const lines = [
    `scan #${r.scan?.id ?? "?"} (${r.scan?.status ?? "?"}${r.scan?.finishedAt ? `, ${new Date(r.scan.finishedAt).toISOString()}` : ""}): ${r.summary.verdict}, ${r.summary.containers} container(s)`,
  ];
  for (const h of r.hosts) {
    lines.push(`  ${h.host}: ${h.verdict}${h.scan?.error ? ` (${h.scan.error})` : ""}`);
    for (const c of h.containers.filter((x) => x.verdict === "drifted" || x.verdict === "unaccounted")) {
      const what =
        c.verdict === "unaccounted"
          ? (c.note ?? "no release accounts for it")
          : `image ${c.counts.image}, config ${c.counts.config}, files ${c.counts.changesEffective} (+${c.counts.changesIgnored} ignored)`;
      lines.push(`    ${c.verdict.padEnd(11)} ${c.name}${c.service ? ` [${c.service} r${c.release}]` : ""}: ${what}`);
    }
  }
  return lines.join("\n");
}

async function main() {
  if (unknown.length) fail(`unknown argument(s): ${unknown.join(" ")} (use --scan, --json)`);
  const base = process.env.SWITCHYARD_URL ?? fail("set SWITCHYARD_URL (e.g. https://switchyard.example)");
  const token = process.env.SWITCHYARD_TOKEN ?? fail("set SWITCHYARD_TOKEN (an API token, see /settings/tokens)");
  if (args.has("--scan")) {
    const s = await call(base, token, "POST", "/api/drift/scans?wait=true");
    if (s.status !== 200) fail(`scan: HTTP ${s.status}: ${s.body.error?.message ?? "?"}`);
  }
  const { status, body } = await call(base, token, "GET", "/api/drift?fail=true");
  if (status !== 200 && status !== 409) fail(`HTTP ${status}: ${body.error?.message ?? "?"}`);
  console.log(args.has("--json") ? JSON.stringify(body, null, 2) : summary(body));
  if (status === 409) {
    console.error(`drift check: ${body.error?.message ?? "drift found"}`);
    process.exit(1);
  }
}

void main();
