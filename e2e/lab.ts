/** The real lab as the browser tests see it. */
import { expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { lab, labDocker } from "../test/integration/lab";

// One reader of .lab/lab.json for integration and browser tests.
export { lab, labDocker };

export function engine(action: "stop" | "start", name: "alpha" | "beta"): void {
  execFileSync("bash", ["scripts/lab/engine.sh", action, name], { stdio: "inherit" });
}

/** Requests a frontend in a loop until stopped; counts what it got. */
export function trafficProbe(url: string) {
  const seen: Record<string, number> = {};
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        const body = await res.text();
        if (res.status !== 200) failures.push(`${res.status} ${body.slice(0, 80)}`);
        else seen[body] = (seen[body] ?? 0) + 1;
      } catch (err) {
        failures.push(String(err));
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  return {
    seen,
    failures,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

export async function frontendVersion(url: string): Promise<string> {
  const res = await fetch(url);
  return `${res.status === 200 ? "" : res.status + " "}${await res.text()}`;
}

export function shot(name: string): string {
  fs.mkdirSync("test-results/screenshots", { recursive: true });
  return `test-results/screenshots/${name}.png`;
}

/** One command on the lab HAProxy's runtime API (one command per connection). */
export function haproxyCommand(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const s = net.createConnection(lab().haproxy.adminSocket, () => s.end(`${command}\n`));
    s.on("data", (c) => (out += c.toString()));
    s.on("end", () => resolve(out.trim()));
    s.on("error", reject);
  });
}

/** Empties a service's live and preview backends (the e2e server that added the servers is gone afterwards). */
export async function emptyBackends(service: string): Promise<void> {
  for (const backend of [service, `${service}-preview`]) {
    const names = (await haproxyCommand(`show servers state ${backend}`))
      .split("\n")
      .filter((l) => /^\d+ /.test(l))
      .map((l) => l.split(" ")[3]!);
    for (const name of names) {
      await haproxyCommand(`set server ${backend}/${name} state maint`);
      await haproxyCommand(`del server ${backend}/${name}`);
    }
  }
}

/** Leftovers of an earlier run: the service's containers on both engines (plus any named in `extra`), and the servers in its backends. */
export async function clearServiceLeftovers(service: string, extra: string[] = []): Promise<void> {
  for (const engineName of ["alpha", "beta"] as const) {
    const docker = labDocker(engineName);
    for (const c of await docker.listContainers({ all: true })) {
      const name = (c.Names[0] ?? "").replace(/^\//, "");
      if (name.startsWith(`${service}-r`) || extra.includes(name))
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
    }
  }
  await emptyBackends(service);
}

/**
 * A `?wait` deploy (or redeploy) answers 200 whatever the outcome: it succeeded only if its operation did.
 * Checked here so a failed health gate is reported where it happened, not as a later, unrelated failure.
 */
export async function expectOperationSucceeded(res: { status(): number; text(): Promise<string> }): Promise<void> {
  const text = await res.text();
  expect(res.status(), text).toBe(200);
  const { operation } = JSON.parse(text) as { operation: { status: string; error: string | null } };
  expect(operation.status, operation.error ?? text).toBe("succeeded");
}
