/** The real lab as the browser tests see it. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
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
