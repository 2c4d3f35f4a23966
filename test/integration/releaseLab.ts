/**
 * Helpers for the release integration tests (releaseFlow, recovery): polling
 * with deadlines, HTTP against the lab's HAProxy frontends, request loops that
 * record every failure, and clean-up of the containers a test service left.
 * No server imports here but the side-effect-free server/errors: it is loaded
 * before the temp data dir is set.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { errorMessage } from "@/server/errors";
import { labDocker } from "./lab";

export const ENGINES = ["alpha", "beta"] as const;
export type Engine = (typeof ENGINES)[number];

/** Re-exported: the release and fault tests take their helpers from here. */
export { sleep };

/** Polls `probe` until it returns something other than undefined; throws with the last error after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline)
      throw new Error(`${what}: not reached after ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ""}`);
    await sleep(everyMs);
  }
}

export type Reply = { status: number; body: string; server: string };

/** One GET; `server` is HAProxy's X-Switchyard-Server header ("" when absent). */
export function get(url: string, agent: http.Agent | false = false, timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: body.trim(), server: String(res.headers["x-switchyard-server"] ?? "") }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** `n` sequential GET <frontend>/version: the versions and servers that answered (every answer must be a 200). */
export async function sample(frontend: string, n = 10): Promise<{ versions: Set<string>; servers: Set<string>; replies: Reply[] }> {
  const replies: Reply[] = [];
  for (let i = 0; i < n; i++) replies.push(await get(`${frontend}/version`));
  const bad = replies.filter((r) => r.status !== 200);
  if (bad.length) throw new Error(`${frontend}: ${bad.length}/${n} answers were not 200: ${JSON.stringify(bad.slice(0, 3))}`);
  return { versions: new Set(replies.map((r) => r.body)), servers: new Set(replies.map((r) => r.server)), replies };
}

/**
 * Asserts what a frontend serves: every answer is a 200 with one of
 * `versions`, from one of `servers` when given, and every one of `servers`
 * answers. HAProxy's roundrobin may take a few hundred requests to bring a
 * server whose weight went from 0 to 100 into rotation (documented under
 * `balance roundrobin`), so this asks until each expected server answered
 * (at least `min` requests, at most `max` or `timeoutMs`). On a mismatch the
 * message carries the answers and `context()` (e.g. HAProxy's view).
 * Returns how many requests it took.
 */
export async function expectServing(
  frontend: string,
  want: { versions: string[]; servers?: string[] },
  context: () => Promise<string>,
  { min = 8, max = 5000, timeoutMs = 20_000 } = {},
): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<string, number>();
  const odd: Reply[] = [];
  let n = 0;
  try {
    while (n < max && Date.now() < deadline) {
      const r = await get(`${frontend}/version`, agent);
      n++;
      seen.set(r.server, (seen.get(r.server) ?? 0) + 1);
      if (r.status !== 200 || !want.versions.includes(r.body) || (want.servers && !want.servers.includes(r.server))) odd.push(r);
      if (odd.length) break;
      if (n >= min && (!want.servers || want.servers.every((s) => seen.has(s)))) return n;
    }
  } finally {
    agent.destroy();
  }
  const ctx = await context().catch((err: unknown) => `(context unavailable: ${String(err)})`);
  const summary = `${frontend}: ${n} requests, answers by server ${JSON.stringify(Object.fromEntries(seen))}, unexpected ${JSON.stringify(odd)}\n${ctx}`;
  expect({ unexpected: odd, servers: [...seen.keys()].sort() }, summary).toEqual({
    unexpected: [],
    servers: [...(want.servers ?? seen.keys())].sort(),
  });
  return n;
}

export type LoopSample = { startedAt: number; endedAt: number; status?: number; body?: string; server?: string; error?: string };

/**
 * Several clients (one keep-alive, the others a new connection per request)
 * requesting GET /version back to back until stop(); every outcome is kept.
 */
export function requestLoops(frontend: string, clients = 3) {
  const samples: LoopSample[] = [];
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let running = true;
  const loops = Array.from({ length: clients }, (_, i) =>
    (async () => {
      while (running) {
        const startedAt = Date.now();
        try {
          const r = await get(`${frontend}/version`, i === 0 ? keepAlive : false);
          samples.push({ startedAt, endedAt: Date.now(), status: r.status, body: r.body, server: r.server });
        } catch (err) {
          samples.push({ startedAt, endedAt: Date.now(), error: errorMessage(err) });
        }
      }
    })(),
  );
  return {
    samples,
    async stop(): Promise<LoopSample[]> {
      running = false;
      await Promise.all(loops);
      keepAlive.destroy();
      return samples;
    },
  };
}

export const failuresOf = (samples: LoopSample[]) => samples.filter((s) => s.error !== undefined || s.status !== 200);

/** Force-removes every container on both lab engines whose name starts with `prefix`; returns the names removed. */
export async function removeContainersNamed(prefix: string): Promise<string[]> {
  const removed: string[] = [];
  for (const engine of ENGINES) {
    const docker = labDocker(engine);
    const list = await docker.listContainers({ all: true, filters: { name: [prefix] } });
    for (const c of list) {
      const name = (c.Names[0] ?? "").replace(/^\//, "");
      if (!name.startsWith(prefix)) continue;
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
      removed.push(`${engine}:${name}`);
    }
  }
  return removed;
}

/** The container on a lab engine, or null when the engine does not have it (404). */
export async function inspectOrNull(engine: Engine, idOrName: string) {
  try {
    return await labDocker(engine).getContainer(idOrName).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}

/** Follows a dockerode progress stream (pull, push) to its end; rejects on an error line. */
export function followProgress(engine: Engine, stream: NodeJS.ReadableStream): Promise<void> {
  const docker = labDocker(engine);
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
      const failed = output?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed?.error));
      else resolve();
    }),
  );
}

/** The digest a registry tag resolves to right now (HEAD on the manifest, as the engines see it). */
export async function registryDigest(registry: string, repository: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      Accept: [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
      ].join(", "),
    },
  });
  return res.ok ? res.headers.get("docker-content-digest") : null;
}

/** Points `<repository>:<tag>` in the registry at the image `source` (tag on the engine, push, untag locally). */
export async function pushTag(engine: Engine, source: string, repository: string, tag: string): Promise<void> {
  const docker = labDocker(engine);
  await docker.getImage(source).tag({ repo: repository, tag });
  const target = `${repository}:${tag}`;
  try {
    const registry = repository.split("/")[0]!;
    const stream = (await docker.getImage(target).push({ authconfig: { serveraddress: registry } })) as NodeJS.ReadableStream;
    await followProgress(engine, stream);
  } finally {
    await docker
      .getImage(target)
      .remove()
      .catch(() => undefined); // only untags: `source` keeps the image
  }
}

/**
 * Removes a tag from the lab registry (distribution 2.8 has no API for that:
 * deleting by digest would delete the manifest other tags share). The tag is a
 * directory in the registry's filesystem storage, read on every lookup.
 */
export function deleteRegistryTag(labDir: string, repository: string, tag: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(tag) || !/^[a-z0-9._/-]+$/.test(repository)) throw new Error(`refusing odd tag ${repository}:${tag}`);
  const dir = path.join(labDir, "registry", "data", "docker", "registry", "v2", "repositories", repository, "_manifests", "tags", tag);
  fs.rmSync(dir, { recursive: true, force: true });
}
