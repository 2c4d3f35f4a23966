/** The console's guard after a failed drain: is the container's server still weighted in some backend (from the sampler)? */
import { describe, expect, it } from "vitest";
import type { ServerStats } from "@/server/haproxy/backendStats";
import { haproxySnapshot } from "@/server/live/haproxySampler";
import { backendStillRouting } from "@/server/quarantine/stillInTraffic";

const row = (server: string, status: string, weight: number): ServerStats => ({
  server,
  status,
  weight,
  reqTotal: 0,
  hrsp2xx: 0,
  hrsp5xx: 0,
  rate: 0,
  rtimeMs: 0,
  checkStatus: "L7OK",
  lastChangeS: 1,
  currentSessions: 0,
});

/** What the sampler would hold after one `show stat` (its state lives on globalThis, as in the server). */
function sampled(backends: Record<string, ServerStats[]>) {
  const state = (globalThis as unknown as { switchyardHaproxySampler: { snapshot: unknown } }).switchyardHaproxySampler;
  state.snapshot = { sample: { at: Date.now(), backends: new Map(Object.entries(backends)) }, error: null };
}

describe("backendStillRouting", () => {
  it("names the backend that still weights the server; maintenance, weight 0 or absent is out of traffic", () => {
    haproxySnapshot(); // creates the sampler state
    sampled({ web: [row("r1-alpha-1", "UP", 100), row("BACKEND", "UP", 100)], "web-preview": [] });
    expect(backendStillRouting("r1-alpha-1")).toBe("web");
    sampled({ web: [row("r1-alpha-1", "MAINT", 100)] });
    expect(backendStillRouting("r1-alpha-1")).toBeNull();
    sampled({ web: [row("r1-alpha-1", "DRAIN", 0)] });
    expect(backendStillRouting("r1-alpha-1")).toBeNull();
    sampled({ web: [row("r2-alpha-1", "UP", 100)] });
    expect(backendStillRouting("r1-alpha-1")).toBeNull();
  });
});
