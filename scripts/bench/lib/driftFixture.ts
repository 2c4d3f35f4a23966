/**
 * What the drift benchmark builds on the lab: an image FROM scratch with
 * busybox and thousands of generated files (built on alpha, pushed to the lab
 * registry, pulled by digest on beta), containers from it with NetworkMode
 * "none", drift made with `docker exec`, and the clean-up of all of it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";

export const ENGINES = ["alpha", "beta"] as const;
export type Engine = (typeof ENGINES)[number];
export type LabInfo = {
  labDir: string;
  registry: string;
  hosts: { name: string; url: string; tls?: { ca: string; cert: string; key: string } }[];
};

export function labEngine(lab: LabInfo, name: Engine): Docker {
  const h = lab.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`lab.json has no host ${name}`);
  if (h.url.startsWith("unix://")) return new Docker({ socketPath: h.url.slice(7) });
  const u = new URL(h.url);
  const read = (f: string) => fs.readFileSync(f, "utf8");
  return new Docker({
    protocol: "https",
    host: u.hostname,
    port: Number(u.port),
    ca: read(h.tls!.ca),
    cert: read(h.tls!.cert),
    key: read(h.tls!.key),
  });
}

function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed?.error));
      else resolve();
    }),
  );
}

/** A build context: /bin/busybox and `files` small files in /data/dNN/fNNNN (100 per directory). */
function writeContext(dir: string, files: number): void {
  fs.mkdirSync(path.join(dir, "data"), { recursive: true });
  fs.copyFileSync("/bin/busybox", path.join(dir, "busybox"));
  fs.chmodSync(path.join(dir, "busybox"), 0o755);
  for (let i = 0; i < files; i++) {
    const d = path.join(dir, "data", `d${String(Math.floor(i / 100)).padStart(2, "0")}`);
    if (i % 100 === 0) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, `f${String(i).padStart(4, "0")}`), `file ${i}\n`);
  }
  fs.writeFileSync(
    path.join(dir, "Dockerfile"),
    [
      "FROM scratch",
      "COPY busybox /bin/busybox",
      "COPY data/ /data/",
      'LABEL org.opencontainers.image.title="switchyard drift benchmark"',
      'CMD ["/bin/busybox", "sleep", "86400"]',
      "",
    ].join("\n"),
  );
}

/** Builds on alpha, pushes to the lab registry, pulls by digest on beta; returns the pinned reference and image ID. */
export async function benchImage(engines: Record<Engine, Docker>, registry: string, repo: string, tag: string, files: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-drift-bench-"));
  try {
    writeContext(dir, files);
    const tar = spawn("tar", ["-C", dir, "-cf", "-", "."], { stdio: ["ignore", "pipe", "inherit"] });
    const ref = `${registry}/${repo}:${tag}`;
    await follow(engines.alpha, await engines.alpha.buildImage(tar.stdout, { t: ref }));
    await follow(
      engines.alpha,
      (await engines.alpha.getImage(ref).push({ authconfig: { serveraddress: registry } })) as NodeJS.ReadableStream,
    );
    const info = await engines.alpha.getImage(ref).inspect();
    const pinned = info.RepoDigests.find((d) => d.startsWith(`${registry}/${repo}@`));
    if (!pinned) throw new Error(`${ref} has no repo digest after the push`);
    await follow(engines.beta, await engines.beta.pull(pinned));
    return { ref, pinned, imageId: info.Id };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `sh -c script` in a container as root and waits for it; throws on a non-zero exit. */
export async function execIn(docker: Docker, id: string, script: string): Promise<void> {
  const e = await docker
    .getContainer(id)
    .exec({ Cmd: ["/bin/busybox", "sh", "-c", script], User: "0", AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
  const { ExitCode } = await e.inspect();
  if (ExitCode !== 0) throw new Error(`exec in ${id.slice(0, 12)} exited ${ExitCode}`);
}

/** Drift as an operator would leave it: a file changed, one added, one deleted, a new directory with state. */
export const DRIFT_SCRIPT =
  "echo changed > /data/d00/f0000 && echo new > /data/added.txt && rm /data/d01/f0100 && mkdir -p /var/lib/app && echo x > /var/lib/app/state";

/** `fn` over `items`, `limit` at a time. */
export async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Removes the benchmark's containers (by name prefix) on both engines; returns how many. */
export async function removeBenchContainers(engines: Record<Engine, Docker>, prefix: string): Promise<number> {
  let removed = 0;
  for (const engine of ENGINES) {
    const list = await engines[engine].listContainers({ all: true, filters: { name: [prefix] } });
    await inParallel(
      list.filter((c) => (c.Names[0] ?? "").replace(/^\//, "").startsWith(prefix)),
      8,
      async (c) => {
        await engines[engine].getContainer(c.Id).remove({ force: true });
        removed++;
      },
    );
  }
  return removed;
}

/**
 * Removes the image from both engines and its tag from the lab registry (the
 * registry's API cannot delete a tag; the tag is a directory in its storage).
 */
export async function removeBenchImage(
  engines: Record<Engine, Docker>,
  labDir: string,
  repo: string,
  tag: string,
  refs: string[],
): Promise<void> {
  for (const engine of ENGINES) {
    for (const ref of refs)
      await engines[engine]
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(tag) || !/^[a-z0-9._-]+$/.test(repo)) throw new Error(`refusing odd tag ${repo}:${tag}`);
  fs.rmSync(path.join(labDir, "registry", "data", "docker", "registry", "v2", "repositories", repo, "_manifests", "tags", tag), {
    recursive: true,
    force: true,
  });
}
