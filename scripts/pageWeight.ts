/**
 * The gzipped JavaScript a page route loads, read from a production build:
 * the root main files every page runs (build-manifest.json `rootMainFiles`)
 * plus every chunk the route's client reference manifest names for the client
 * components of its layouts and page. Each file is gzipped (level 9) and summed.
 *
 *   NEXT_DIST_DIR=.next-e2e npx tsx scripts/pageWeight.ts ["/(dash)/services/[name]/page"] [--max-kb 200]
 *
 * Exits 1 when the total is above --max-kb. Needs a webpack build (`next build --webpack`).
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";

const args = process.argv.slice(2);
const maxAt = args.indexOf("--max-kb");
const maxKb = maxAt === -1 ? null : Number(args[maxAt + 1]);
const route = args.find((a, i) => !a.startsWith("--") && i !== maxAt + 1) ?? "/(dash)/services/[name]/page";
const dist = path.resolve(process.env.NEXT_DIST_DIR ?? ".next");

const buildManifest = JSON.parse(fs.readFileSync(path.join(dist, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
const manifestFile = path.join(dist, "server/app", `${route}_client-reference-manifest.js`);
if (!fs.existsSync(manifestFile)) {
  console.error(`${manifestFile}: not found (build first, and give the route as in the app folder, e.g. "/(dash)/services/[name]/page")`);
  process.exit(2);
}
// The manifest is a script that assigns globalThis.__RSC_MANIFEST[route]; run it in a sandbox.
const sandbox = { globalThis: {} as { __RSC_MANIFEST?: Record<string, { clientModules: Record<string, { chunks: string[] }> }> } };
vm.runInNewContext(fs.readFileSync(manifestFile, "utf8"), sandbox);
const manifest = Object.values(sandbox.globalThis.__RSC_MANIFEST ?? {})[0];
if (!manifest) throw new Error(`${manifestFile}: no __RSC_MANIFEST entry`);

// The manifest also names the entry chunks of other routes' pages: keep only the route's own page and
// its ancestors' layouts/boundaries. Shared numbered chunks are all counted (an upper bound).
const routeDir = path.posix.dirname(route).replace(/^\//, "");
function belongs(file: string): boolean {
  const m = /^static\/chunks\/app\/(?:(.*)\/)?(page|layout|not-found|error|loading|template)-[^/]+\.js$/.exec(file);
  if (!m) return true;
  const dir = m[1] ?? "";
  if (m[2] === "page") return dir === routeDir;
  return dir === "" || routeDir === dir || routeDir.startsWith(`${dir}/`);
}
// `chunks` alternates chunk ids and file names.
const files = new Set(buildManifest.rootMainFiles);
for (const m of Object.values(manifest.clientModules))
  for (const c of m.chunks) if (c.endsWith(".js")) files.add(decodeURIComponent(c.replace(/^\/?_next\//, "")));
for (const f of files) if (!belongs(f)) files.delete(f);

const rows = [...files].map((f) => {
  const bytes = fs.readFileSync(path.join(dist, f));
  return { file: f, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
});
rows.sort((a, b) => b.gzip - a.gzip);
for (const r of rows) console.log(`${(r.gzip / 1024).toFixed(1).padStart(7)} kB  ${r.file}`);
const total = rows.reduce((a, r) => a + r.gzip, 0) / 1024;
const raw = rows.reduce((a, r) => a + r.raw, 0) / 1024;
console.log(`${route}: ${rows.length} JS files, ${total.toFixed(1)} kB gzipped (${raw.toFixed(0)} kB raw)`);
if (maxKb !== null && total > maxKb) {
  console.error(`over the budget of ${maxKb} kB`);
  process.exit(1);
}
