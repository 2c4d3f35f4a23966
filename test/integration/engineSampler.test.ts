import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { startOwnEngine } from "./faultLab";
import { hostInput, lab, labDocker, system, useTempDataDir } from "./lab";
import { until } from "./releaseLab";

useTempDataDir("engine-sampler");
process.env.SWITCHYARD_HOST_TIMEOUT_MS = "2000";
const gamma = await startOwnEngine("gamma");

const { createHost } = await import("@/server/hosts/createHost");
const { hostRowByName } = await import("@/server/hosts/hostRegistry");
const { fleetOverview } = await import("@/server/fleet/fleetOverview");
const { engineSnapshot, engineSamplerCalls, onEngineChange, startEngineSamplers, stopEngineSamplers } =
  await import("@/server/live/engineSampler");

const NAME = `it-sampler-${process.pid}`;
/** The sampler's inventory period (engineSampler.ts): an engine that stops answering is stale within it. */
const PROBE_INTERVAL_MS = 20_000;
const image = lab().images["demo-web"]!["1.0.0"]!;
const changes: { hostId: number; kind: string; containerId?: string; at: number }[] = [];

async function pull(d: Docker, ref: string): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    d.pull(ref, (err: Error | null, stream: NodeJS.ReadableStream) =>
      err ? reject(err) : d.modem.followProgress(stream, (e) => (e ? reject(e) : resolve())),
    ),
  );
}

/** A container that just sleeps (busybox from the demo image), no network. */
async function sleeper(d: Docker, name: string): Promise<Docker.Container> {
  await d
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
  return d.createContainer({
    name,
    Image: image,
    Entrypoint: ["/bin/busybox"],
    Cmd: ["sleep", "600"],
    HostConfig: { NetworkMode: "none" },
  });
}

const stateOf = (host: string, name: string) => engineSnapshot(hostRowByName(host).id)?.containers.find((c) => c.name === name)?.state;

let alpha: Docker;
let unsubscribe = () => {};

beforeAll(async () => {
  alpha = labDocker("alpha");
  await pull(gamma.docker, image);
  createHost(system, hostInput("alpha"));
  createHost(system, { name: "gamma", url: gamma.url });
  unsubscribe = onEngineChange((c) => changes.push({ ...c, at: Date.now() }));
  startEngineSamplers(1000);
  await until(
    "both engines sampled",
    async () => (["alpha", "gamma"].every((h) => engineSnapshot(hostRowByName(h).id)?.at) ? true : undefined),
    15_000,
    50,
  );
});

afterAll(async () => {
  unsubscribe();
  stopEngineSamplers();
  if (!gamma.running()) await gamma.start().catch(() => undefined);
  await alpha
    .getContainer(`${NAME}-a`)
    .remove({ force: true })
    .catch(() => undefined);
  await gamma.destroy();
});

describe("engine sampler", () => {
  it("shows a container started and killed with the Docker API at once, from the events stream", async () => {
    const c = await sleeper(gamma.docker, `${NAME}-g`);
    await until("created shows", async () => (stateOf("gamma", `${NAME}-g`) === "created" ? true : undefined), 2000, 20);
    const started = Date.now();
    await c.start();
    await until("running shows", async () => (stateOf("gamma", `${NAME}-g`) === "running" ? true : undefined), 2000, 20);
    console.info(`[engineSampler] start visible after ${Date.now() - started} ms`);
    const killed = Date.now();
    await c.kill();
    await until("exited shows", async () => (stateOf("gamma", `${NAME}-g`) === "exited" ? true : undefined), 2000, 20);
    console.info(`[engineSampler] kill visible after ${Date.now() - killed} ms`);
    expect(changes.some((ch) => ch.kind === "event" && ch.containerId === c.id)).toBe(true);
    await c.start();
    await until("running again", async () => (stateOf("gamma", `${NAME}-g`) === "running" ? true : undefined), 2000, 20);
  });

  it("an engine stopped mid-stream is stale within one probe interval, keeps its last snapshot, and the other engine keeps updating", async () => {
    const gammaId = hostRowByName("gamma").id;
    const before = engineSnapshot(gammaId)!;
    expect(before.stale).toBeNull();
    const stopping = Date.now();
    try {
      await gamma.stop(); // dockerd first stops its containers (up to 10 s), then exits
      const exited = Date.now();
      await until("gamma stale", async () => (engineSnapshot(gammaId)?.stale ? true : undefined), PROBE_INTERVAL_MS, 50);
      const staleAfter = Date.now() - stopping;
      console.info(`[engineSampler] gamma stale ${staleAfter} ms after the stop began, ${Date.now() - exited} ms after dockerd exited`);
      const stale = engineSnapshot(gammaId)!;
      expect(stale.stale!.error).toMatch(/socket not found|connection refused|ENOENT|closed/);
      expect(stale.at).toBeGreaterThanOrEqual(before.at!);
      expect(stale.containers.some((c) => c.name === `${NAME}-g`)).toBe(true);
      expect(changes.some((ch) => ch.hostId === gammaId && ch.kind === "stale")).toBe(true);

      // The fleet page says so, with the reason and when it was last seen; the host row records the error.
      const fleet = await fleetOverview();
      const g = fleet.find((h) => h.name === "gamma")!;
      expect(g.status).toMatchObject({ reachable: false, error: stale.stale!.error });
      expect(g).toMatchObject({ lastSeenAt: stale.at, staleSince: stale.stale!.since });
      expect(fleet.find((h) => h.name === "alpha")!.status.reachable).toBe(true);
      expect(hostRowByName("gamma").lastError).toBe(stale.stale!.error);

      // alpha keeps updating while gamma is down.
      const a = await sleeper(alpha, `${NAME}-a`);
      await a.start();
      await until("alpha container running", async () => (stateOf("alpha", `${NAME}-a`) === "running" ? true : undefined), 2000, 20);
      await a.kill();
      await until("alpha container exited", async () => (stateOf("alpha", `${NAME}-a`) === "exited" ? true : undefined), 2000, 20);
      expect(engineSnapshot(hostRowByName("alpha").id)!.stale).toBeNull();
      // gamma stays stale (the sampler retries with backoff; each retry fails).
      expect(engineSnapshot(gammaId)!.stale).not.toBeNull();
    } finally {
      if (!gamma.running()) await gamma.start();
    }
    const restarted = Date.now();
    await until("gamma recovered", async () => (engineSnapshot(gammaId)?.stale === null ? true : undefined), 30_000, 50);
    console.info(`[engineSampler] gamma recovered ${Date.now() - restarted} ms after its restart`);
    expect(changes.some((ch) => ch.hostId === gammaId && ch.kind === "recovered" && ch.at >= restarted)).toBe(true);
    expect(hostRowByName("gamma").lastError).toBeNull();
    // The container the engine stopped with it is there, as the engine says now (no restart policy: exited).
    expect(stateOf("gamma", `${NAME}-g`)).toBe("exited");
    // And the stream works again: an event shows at once.
    await gamma.docker.getContainer(`${NAME}-g`).start();
    await until("gamma event after recovery", async () => (stateOf("gamma", `${NAME}-g`) === "running" ? true : undefined), 2000, 20);
  });

  it("readers do not call the engines", async () => {
    const before = engineSamplerCalls();
    for (let i = 0; i < 20; i++) await fleetOverview();
    expect(engineSamplerCalls() - before).toBeLessThan(3); // at most an inventory tick that fell in between
  });
});
