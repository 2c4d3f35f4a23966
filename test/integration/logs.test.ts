/**
 * Live logs against real engines, through the route handlers: a line written
 * inside a container reaches the event stream within a second (stdout and
 * stderr told apart); a service's stream merges its containers; the engine
 * of a followed container stops and starts again: the stream says it was
 * lost, then resumes with the lines written meanwhile, none twice.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnEngine } from "./faultLab";
import { labDocker, system, useTempDataDir } from "./lab";
import { removeContainersNamed, until } from "./releaseLab";

useTempDataDir("logs");
const gamma = await startOwnEngine("logs-gamma");

const { addLabHosts, deploySucceeded, onHosts, person, serviceSpec, containersOfRelease } = await import("./fixtures");
const { createHost } = await import("@/server/hosts/createHost");
const { createService } = await import("@/server/services/saveService");
const { hostRowByName } = await import("@/server/hosts/hostRegistry");
const containerLogs = await import("@/app/api/hosts/[id]/containers/[container]/logs/route");
const serviceLogs = await import("@/app/api/services/[name]/logs/route");

const SERVICE = "it-logs";
const GAMMA_SERVICE = "it-logs-g";
const operator = person("logs-operator", "operator");
const viewer = person("logs-viewer", "viewer");

type Frame = { event: string; id?: string; data: Record<string, unknown>; at: number };

/** Opens an SSE route and collects its frames as they arrive. */
async function openStream(handler: unknown, url: string, params: Record<string, string>, token = operator.token, lastEventId?: string) {
  const abort = new AbortController();
  const req = new NextRequest(`http://localhost${url}`, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
    signal: abort.signal,
  });
  const res = await (handler as (r: NextRequest, c: unknown) => Promise<Response>)(req, { params: Promise.resolve(params) });
  const frames: Frame[] = [];
  let buffer = "";
  const reader = res.body && res.headers.get("content-type")?.startsWith("text/event-stream") ? res.body.getReader() : null;
  const reading = (async () => {
    if (!reader) return;
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((l) => !l.startsWith(":"))
              .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
          );
          if (fields.data) frames.push({ event: fields.event ?? "message", id: fields.id, data: JSON.parse(fields.data), at: Date.now() });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    res,
    frames,
    lines: () => frames.filter((f) => f.event === "line").map((f) => f.data as { text: string; stream: string; container: string }),
    close: async () => {
      abort.abort();
      await (reader ? reader.cancel() : res.body?.cancel())?.catch(() => undefined);
      await reading;
    },
  };
}

/** Writes a line to the container's stdout or stderr from inside it (as its main process would). */
async function writeInside(docker: ReturnType<typeof labDocker>, id: string, text: string, fd: 1 | 2 = 1) {
  const e = await docker
    .getContainer(id)
    .exec({ Cmd: ["sh", "-c", `echo '${text}' > /proc/1/fd/${fd}`], AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
  expect((await e.inspect()).ExitCode).toBe(0);
}

beforeAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`);
  addLabHosts("alpha", "beta");
  createHost(system, { name: "logs-gamma", url: gamma.url });
  createService(system, serviceSpec(SERVICE, { placement: onHosts("alpha", "beta"), haproxy: null }));
  createService(system, serviceSpec(GAMMA_SERVICE, { placement: onHosts("logs-gamma"), haproxy: null }));
  await deploySucceeded(SERVICE, "1.0.0");
  await deploySucceeded(GAMMA_SERVICE, "1.0.0");
}, 120_000);

afterAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`);
  await gamma.destroy().catch(() => undefined);
});

describe("a container's log", () => {
  it("a line written inside the container is in the stream within 1 s, stdout and stderr apart", async () => {
    const [c] = containersOfRelease(SERVICE, 1).filter((x) => x.engine === "alpha");
    const alpha = hostRowByName("alpha");
    const s = await openStream(containerLogs.GET, `/api/hosts/${alpha.id}/containers/${c!.name}/logs?tail=5`, {
      id: String(alpha.id),
      container: c!.name,
    });
    try {
      expect(s.res.status).toBe(200);
      expect(s.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      await until("connected", () => s.frames.find((f) => f.event === "status" && f.data.state === "connected"), 5000);
      const marker = `it-logs-${process.pid}-${Date.now()}`;
      const written = Date.now();
      await writeInside(labDocker("alpha"), c!.dockerId!, `${marker} out`);
      await writeInside(labDocker("alpha"), c!.dockerId!, `${marker} err`, 2);
      const out = await until("the stdout line", () => s.frames.find((f) => f.event === "line" && f.data.text === `${marker} out`), 5000);
      const err = await until("the stderr line", () => s.frames.find((f) => f.event === "line" && f.data.text === `${marker} err`), 5000);
      expect(out.at - written, "from the write to the stream").toBeLessThan(1000);
      expect(out.data.stream).toBe("stdout");
      expect(err.data.stream).toBe("stderr");
      expect(out.id, "each line's id is its engine timestamp").toMatch(/^\d{4}-\d{2}-\d{2}T/);

      // Reconnecting with Last-Event-ID: only what came after it.
      const resumed = await openStream(
        containerLogs.GET,
        `/api/hosts/${alpha.id}/containers/${c!.name}/logs?tail=100`,
        { id: String(alpha.id), container: c!.name },
        operator.token,
        out.id,
      );
      try {
        await until("the resumed stream's stderr line", () => resumed.lines().find((l) => l.text === `${marker} err`), 5000);
        expect(resumed.lines().some((l) => l.text === `${marker} out`)).toBe(false);
      } finally {
        await resumed.close();
      }
    } finally {
      await s.close();
    }
  });

  it("answers 404 for an unknown container, 403 for a viewer, 400 for a bad query, and a text download", async () => {
    const alpha = hostRowByName("alpha");
    const params = { id: String(alpha.id), container: "no-such-container" };
    const missing = await openStream(containerLogs.GET, `/api/hosts/${alpha.id}/containers/no-such-container/logs`, params);
    expect(missing.res.status).toBe(404);
    const [c] = containersOfRelease(SERVICE, 1);
    const p = { id: String(hostRowByName(c!.engine).id), container: c!.name };
    expect((await openStream(containerLogs.GET, "/x/logs", p, viewer.token)).res.status).toBe(403);
    expect((await openStream(containerLogs.GET, "/x/logs?tail=-1", p)).res.status).toBe(400);
    const req = new NextRequest(`http://localhost/x/logs?format=text&tail=50`, { headers: { authorization: `Bearer ${operator.token}` } });
    const text = await containerLogs.GET(req, { params: Promise.resolve(p) });
    expect(text.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.log"/);
    expect(await text.text()).toContain("listening on");
  });
});

describe("a service's logs", () => {
  it("merge its containers on both hosts, each line marked with its container", async () => {
    const s = await openStream(serviceLogs.GET, `/api/services/${SERVICE}/logs?tail=10`, { name: SERVICE });
    try {
      const names = containersOfRelease(SERVICE, 1).map((c) => c.name);
      await until(
        "a line from each container",
        () => (names.every((n) => s.lines().some((l) => l.container === n)) ? true : undefined),
        5000,
      );
    } finally {
      await s.close();
    }
  });

  it("resume each container where the reader was, so a line delivered late is not skipped", async () => {
    const [a, b] = ["alpha", "beta"].map((engine) => containersOfRelease(SERVICE, 1).find((c) => c.engine === engine)!);
    const s = await openStream(serviceLogs.GET, `/api/services/${SERVICE}/logs?tail=0`, { name: SERVICE });
    const marker = `cursor-${Date.now()}`;
    try {
      await until("both connected", () => (s.frames.filter((f) => f.data.state === "connected").length === 2 ? true : undefined), 5000);
      await writeInside(labDocker("beta"), b!.dockerId!, `${marker} b1`);
      await writeInside(labDocker("beta"), b!.dockerId!, `${marker} b2`);
      await writeInside(labDocker("alpha"), a!.dockerId!, `${marker} a1`);
      const frameOf = (text: string) => until(text, () => s.frames.find((f) => f.event === "line" && f.data.text === text), 5000);
      const [b1, a1] = [await frameOf(`${marker} b1`), await frameOf(`${marker} a1`)];
      const tsOf = (f: Frame) => String(f.data.ts);
      // Every line's id names each container's last line sent so far.
      const [ka, kb] = [a!.dockerId!.slice(0, 12), b!.dockerId!.slice(0, 12)];
      expect(a1.id).toContain(`${ka}=${tsOf(a1)}`);
      expect(a1.id).toContain(`${kb}=`);

      // A reader that had seen b1 and a1 but not b2 (it was on its way when the connection dropped) — a
      // single newest timestamp (a1's) would skip b2, which beta wrote before a1.
      const cursor = `${ka}=${tsOf(a1)},${kb}=${tsOf(b1)}`;
      const resumed = await openStream(
        serviceLogs.GET,
        `/api/services/${SERVICE}/logs?tail=100`,
        { name: SERVICE },
        operator.token,
        cursor,
      );
      try {
        await until("b2 in the resumed stream", () => resumed.lines().find((l) => l.text === `${marker} b2`), 5000);
        await writeInside(labDocker("alpha"), a!.dockerId!, `${marker} a2`);
        await until("a2 in the resumed stream", () => resumed.lines().find((l) => l.text === `${marker} a2`), 5000);
        const texts = resumed.lines().map((l) => l.text);
        expect(texts.filter((t) => t.startsWith(marker))).toEqual([`${marker} b2`, `${marker} a2`]);
      } finally {
        await resumed.close();
      }
    } finally {
      await s.close();
    }
  });
});

describe("a host that drops mid-stream", () => {
  it("is reported lost with the reason, then the stream resumes with what was written meanwhile, no line twice", async () => {
    const [c] = containersOfRelease(GAMMA_SERVICE, 1);
    const host = hostRowByName("logs-gamma");
    const s = await openStream(containerLogs.GET, `/api/hosts/${host.id}/containers/${c!.name}/logs?tail=0`, {
      id: String(host.id),
      container: c!.name,
    });
    try {
      await until("connected", () => s.frames.find((f) => f.event === "status" && f.data.state === "connected"), 5000);
      const docker = gamma.docker;
      await writeInside(docker, c!.dockerId!, "before the drop");
      await until("the line before", () => s.lines().find((l) => l.text === "before the drop"), 5000);
      await gamma.stop();
      const lost = await until("lost", () => s.frames.find((f) => f.event === "status" && f.data.state === "lost"), 15_000);
      expect(String(lost.data.message)).toMatch(/^logs-gamma unreachable: /);
      await gamma.start();
      await until("resumed", () => s.frames.find((f) => f.event === "status" && f.data.state === "resumed"), 30_000);
      await until(
        "the container running again",
        async () => ((await docker.getContainer(c!.dockerId!).inspect()).State.Running ? true : undefined),
        20_000,
      );
      await writeInside(docker, c!.dockerId!, "after the drop");
      await until("the line after", () => s.lines().find((l) => l.text === "after the drop"), 5000);
      expect(s.lines().filter((l) => l.text === "before the drop")).toHaveLength(1);
    } finally {
      await s.close();
    }
  }, 90_000);
});
