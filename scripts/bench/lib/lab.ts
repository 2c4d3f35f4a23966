/** The lab as the benchmark sees it: lab.json, the engines' demo-web containers, clean-up by name. */
import fs from "node:fs";
import path from "node:path";
import { alive, run } from "./proc";
import { haproxy, serversState } from "./haproxy";

export type Lab = {
  labDir: string;
  hosts: { name: string; url: string }[];
  registry: string;
  haproxy: { adminSocket: string; frontends: Record<string, string> };
  images: Record<string, Record<string, string>>;
  pids: Record<string, number>;
};

export function readLab(labDir: string): Lab | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(labDir, "lab.json"), "utf8")) as Lab;
  } catch {
    return null;
  }
}

/** Up = lab.json is there and every daemon it lists is alive (so up.sh will not start anything). */
export function labIsUp(labDir: string): boolean {
  const lab = readLab(labDir);
  return Boolean(lab && Object.values(lab.pids ?? {}).length && Object.values(lab.pids).every((pid) => alive(pid)));
}

export type EngineContainer = { host: string; name: string; id: string; created: string; state: string };

/** Containers on the lab engines whose name is a Switchyard container name of `service` (`<service>-r<n>-…`). */
export async function serviceContainers(root: string, hosts: string[], service: string): Promise<EngineContainer[]> {
  const pattern = new RegExp(`^${service.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-r\\d+-`);
  const out: EngineContainer[] = [];
  for (const host of hosts) {
    const text = await run(
      "bash",
      [
        path.join(root, "scripts/lab/docker.sh"),
        host,
        "ps",
        "-a",
        "--filter",
        `name=${service}-r`,
        "--format",
        "{{.Names}}\t{{.ID}}\t{{.CreatedAt}}\t{{.State}}",
      ],
      { quiet: true },
    );
    for (const line of text.split("\n")) {
      const [name, id, created, state] = line.split("\t");
      if (name && id && pattern.test(name)) out.push({ host, name, id, created: created ?? "", state: state ?? "" });
    }
  }
  return out;
}

export async function removeContainers(root: string, list: { host: string; name: string }[]): Promise<string[]> {
  const failures: string[] = [];
  for (const c of list) {
    await run("bash", [path.join(root, "scripts/lab/docker.sh"), c.host, "rm", "-f", c.name], { quiet: true }).catch((err: Error) =>
      failures.push(`${c.host}/${c.name}: ${err.message}`),
    );
  }
  return failures;
}

/** Takes servers out of a backend the way the runtime API allows: maint, shutdown sessions, del. */
export async function removeServers(socket: string, backend: string, names: string[]): Promise<string[]> {
  const failures: string[] = [];
  const present = new Set((await serversState(socket, backend)).map((s) => s.name));
  for (const name of names) {
    if (!present.has(name)) continue;
    const ref = `${backend}/${name}`;
    await haproxy(socket, `set server ${ref} state maint`);
    await haproxy(socket, `shutdown sessions server ${ref}`);
    const reply = await haproxy(socket, `del server ${ref}`);
    if (reply !== "Server deleted.") failures.push(`del server ${ref}: ${reply}`);
  }
  return failures;
}
