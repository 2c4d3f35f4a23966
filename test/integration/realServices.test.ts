/**
 * A real service on the real lab (issue 11): Debian's nginx (lab image
 * demo-nginx) on alpha (unix socket) and beta (TCP+TLS) with a read-only root,
 * a tmpfs /tmp, a named volume at /data (noexec), a command override, a user
 * label and a memory limit. A file written into the volume survives a new
 * release, retire, service delete and a new service of the same name; a
 * program copied into the volume cannot be executed; the command override is
 * in the container's inspect and in drift's expected config; the volume admin
 * routes list and delete it. Uses the lab HAProxy's it-web backends.
 */
import fs from "node:fs";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, labDocker, system, useTempDataDir } from "./lab";
import { get, type Engine } from "./releaseLab";

const dataDir = useTempDataDir("real-services");

const { db } = await import("@/db/client");
const { events } = await import("@/db/schema");
const { addLabHosts, clearService, deploySucceeded, deployToEnd, person, serviceSpec, onHosts } = await import("./fixtures");
const { createService } = await import("@/server/services/saveService");
const { deleteService } = await import("@/server/services/deleteService");
const { serviceByName, specOf } = await import("@/server/services/serviceRows");
const { retireStandby } = await import("@/server/releases/retireStandby");
const { releaseWithStatus, setReleaseStatus, activeContainersOf } = await import("@/server/releases/releaseRows");
const { removeReleaseContainers } = await import("@/server/releases/removeReleaseContainers");
const { containerCreateOptions } = await import("@/server/releases/containerConfig");
const { startScan } = await import("@/server/drift/runScan");
const { containerDetail } = await import("@/server/drift/containerDetail");
const volumesRoute = await import("@/app/api/services/[name]/volumes/route");
const volumeRoute = await import("@/app/api/services/[name]/volumes/[volume]/route");

const L = lab();
const SERVICE = "real-nginx";
const SOCKET = L.haproxy.adminSocket;
const BACKENDS = ["it-web", "it-web-preview"];
const NGINX = L.images["demo-nginx"]?.["1.0.0"];
const ENGINES: Engine[] = ["alpha", "beta"];
const COMMAND = ["-g", "daemon off; worker_rlimit_nofile 1024;"];
const KEEP = `kept-${process.pid}`;
const admin = person("real-admin", "admin").token;
const operator = person("real-operator", "operator").token;

const spec = (overrides = {}) =>
  serviceSpec(SERVICE, {
    image: `${L.registry}/demo-nginx`,
    placement: onHosts("alpha", "beta"),
    haproxy: { backend: "it-web" },
    autoSwitch: true,
    volumes: [{ name: "data", target: "/data" }],
    tmpfs: [{ target: "/tmp", sizeMb: 16 }],
    command: COMMAND,
    labels: { "team.owner": "ops" },
    limits: { pids: 64, memoryMb: 64 },
    stopGraceS: 3,
    ...overrides,
  });

function call(url: string, method: string, bearer = admin) {
  return new NextRequest(`http://localhost${url}`, { method, headers: { authorization: `Bearer ${bearer}` } });
}
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const json = async (res: Response) => ({
  status: res.status,
  body: (await res.json()) as Record<string, unknown> & { error?: { message: string } },
});

async function liveContainer(engine: Engine) {
  const list = await labDocker(engine).listContainers({ filters: { label: [`io.switchyard.service=${SERVICE}`] } });
  const c = list.sort((a, b) => b.Created - a.Created)[0];
  if (!c) throw new Error(`no ${SERVICE} container on ${engine}`);
  return { id: c.Id, name: c.Names[0]!.replace(/^\//, "") };
}

/** Runs `cmd` in the container as its own user; exit code and output. */
async function exec(engine: Engine, id: string, cmd: string[]) {
  const e = await labDocker(engine).getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on("data", (d: Buffer) => chunks.push(d));
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  // The multiplexed stream has 8-byte frame headers: good enough for a substring check.
  return { code: (await e.inspect()).ExitCode, out: Buffer.concat(chunks).toString("latin1") };
}

/** Every Docker volume of a service on an engine, by name. */
async function volumesOn(engine: Engine, service = SERVICE): Promise<string[]> {
  const res = (await labDocker(engine).listVolumes({ filters: JSON.stringify({ label: [`switchyard.service=${service}`] }) })) as {
    Volumes?: { Name: string }[] | null;
  };
  return (res.Volumes ?? []).map((v) => v.Name).sort();
}

/** Takes the service's running releases down (there is no verb for it yet), so it can be deleted. */
async function takeDown() {
  const service = serviceByName(SERVICE);
  for (const status of ["live", "standby", "candidate"] as const) {
    const r = releaseWithStatus(service.id, status);
    if (!r) continue;
    expect(await removeReleaseContainers([r.id])).toEqual([]);
    setReleaseStatus(r.id, "retired", { retiredAt: new Date() });
  }
}

async function removeVolumes() {
  for (const engine of ENGINES) {
    const docker = labDocker(engine);
    // The noexec overlay first (it covers the data volume's directory).
    for (const name of (await volumesOn(engine)).sort((a, b) => b.length - a.length))
      await docker
        .getVolume(name)
        .remove()
        .catch(() => undefined);
  }
}

beforeAll(async () => {
  expect(NGINX, "lab.json has no images.demo-nginx: run LAB_DIR=… bash scripts/lab/nginx.sh").toBeTruthy();
  await clearService(SERVICE, SOCKET, BACKENDS);
  await removeVolumes();
  addLabHosts("alpha", "beta");
  createService(system, spec());
});

afterAll(async () => {
  await clearService(SERVICE, SOCKET, BACKENDS).catch((err) => console.error("[real-services] clean-up failed:", err));
  await removeVolumes().catch(() => undefined);
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("a real nginx with read-only root, tmpfs and a volume", () => {
  it("first deploy creates the volumes on both hosts and nginx serves on a read-only root", async () => {
    const op = await deploySucceeded(SERVICE, "1.0.0");
    expect(op.steps.find((s) => s.name.startsWith("volumes data"))?.detail).toMatch(
      /created real-nginx-data on alpha.*real-nginx-data on beta|created .*beta.*alpha/,
    );
    for (const engine of ENGINES) {
      expect(await volumesOn(engine)).toEqual(["real-nginx-data", "real-nginx-data.noexec", "real-nginx-data.work"]);
      const c = await liveContainer(engine);
      const info = await labDocker(engine).getContainer(c.id).inspect();
      expect(info.HostConfig.ReadonlyRootfs).toBe(true);
      expect((info.HostConfig as { Tmpfs?: Record<string, string> }).Tmpfs).toEqual({ "/tmp": "rw,noexec,nosuid,nodev,size=16m" });
      expect(info.Mounts).toEqual([
        expect.objectContaining({ Type: "volume", Name: "real-nginx-data.noexec", Destination: "/data", RW: true }),
      ]);
      // The command override, as the engine holds it and as drift expects it.
      expect(info.Config.Cmd).toEqual(COMMAND);
      expect(info.Config.Entrypoint).toEqual(["/bin/start"]);
      expect(info.Config.Labels["team.owner"]).toBe("ops");
      expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
      const rel = releaseWithStatus(serviceByName(SERVICE).id, "live")!;
      const row = activeContainersOf([rel.id]).find((r) => r.container.name === c.name)!.container;
      expect(containerCreateOptions(specOf(rel), rel, rel.imageDigest!, row.slot, row.name, row.port).Cmd).toEqual(COMMAND);
      const reply = await get(`http://127.0.0.1:${row.port}/health`);
      expect(reply).toMatchObject({ status: 200, body: "ok" });
      // Writable: the volume and the tmpfs; not the root.
      expect((await exec(engine, c.id, ["sh", "-c", `echo ${KEEP} > /data/keep.txt && cat /data/keep.txt`])).out).toContain(KEEP);
      expect((await exec(engine, c.id, ["sh", "-c", "echo x > /etc/x"])).code).not.toBe(0);
    }
  });

  it("noexec: a program or script copied into the volume cannot be executed", async () => {
    for (const engine of ENGINES) {
      const c = await liveContainer(engine);
      const copied = await exec(engine, c.id, ["sh", "-c", "cp /bin/busybox /data/bb && chmod 755 /data/bb && /data/bb echo EXECUTED"]);
      expect(copied.code, copied.out).toBe(126);
      expect(copied.out).toMatch(/Permission denied/);
      expect(copied.out).not.toMatch(/EXECUTED/);
      const script = await exec(engine, c.id, [
        "sh",
        "-c",
        "printf '#!/bin/sh\\necho SCRIPT-RAN\\n' > /data/run.sh && chmod 755 /data/run.sh && /data/run.sh",
      ]);
      expect(script.code, script.out).toBe(126);
      expect(script.out).not.toMatch(/SCRIPT-RAN/);
      // Reading still works (what a data volume is for).
      expect((await exec(engine, c.id, ["sh", "-c", "cat /data/keep.txt"])).out).toContain(KEEP);
    }
  });

  it("drift: a clean scan (volume and tmpfs writes are not filesystem drift); a hand change shows", async () => {
    const scan = async () => {
      const { done } = startScan("manual", system);
      await done;
    };
    await scan();
    for (const engine of ENGINES) {
      const c = await liveContainer(engine);
      const detail = containerDetail(engine, c.name);
      expect(
        detail.findings.filter((f) => !f.info),
        JSON.stringify(detail.findings),
      ).toEqual([]);
      expect(detail.changes.total, JSON.stringify(detail.changes)).toBe(0);
      expect(detail.container.verdict).toBe("clean");
    }
    const alpha = await liveContainer("alpha");
    await labDocker("alpha")
      .getContainer(alpha.id)
      .update({ Memory: 96 * 1024 * 1024, MemorySwap: -1 });
    await scan();
    const after = containerDetail("alpha", alpha.name);
    expect(after.container.verdict).toBe("drifted");
    expect(after.findings.map((f) => f.key)).toContain("config:limits:memory");
    expect(containerDetail("beta", (await liveContainer("beta")).name).container.verdict).toBe("clean");
  });

  it("the volume survives a new release, retire, service delete, and serves a new service of the same name", async () => {
    const op = await deploySucceeded(SERVICE, "1.0.0");
    expect(op.steps.find((s) => s.name.startsWith("volumes data"))?.detail).toBe("all present");
    for (const engine of ENGINES)
      expect((await exec(engine, (await liveContainer(engine)).id, ["sh", "-c", "cat /data/keep.txt"])).out).toContain(KEEP);
    await retireStandby(system, SERVICE);
    await takeDown();
    deleteService(system, SERVICE);
    for (const engine of ENGINES)
      expect(await volumesOn(engine)).toEqual(["real-nginx-data", "real-nginx-data.noexec", "real-nginx-data.work"]);
    // Listed after the service is gone (found by label), with a size.
    const listed = await json(await volumesRoute.GET(call(`/api/services/${SERVICE}/volumes`, "GET", operator), ctx({ name: SERVICE })));
    expect(listed.status).toBe(200);
    const vols = listed.body.volumes as {
      host: string;
      volume: string;
      dockerVolume: string;
      sizeBytes: number | null;
      usedBy: string[];
      mountpoint: string;
    }[];
    expect(vols.map((v) => `${v.host}:${v.volume}:${v.dockerVolume}`)).toEqual(["alpha:data:real-nginx-data", "beta:data:real-nginx-data"]);
    expect(vols.every((v) => v.usedBy.length === 0 && v.mountpoint.endsWith("/volumes/real-nginx-data/_data"))).toBe(true);
    expect(vols.every((v) => v.sizeBytes === null || v.sizeBytes > 0)).toBe(true);

    createService(system, spec());
    await deploySucceeded(SERVICE, "1.0.0");
    for (const engine of ENGINES) {
      const c = await liveContainer(engine);
      expect((await exec(engine, c.id, ["sh", "-c", "cat /data/keep.txt"])).out).toContain(KEEP);
    }
  });

  it("the volume admin action: refused while mounted and below admin; deletes one host's volume with a release-log event", async () => {
    const del = (bearer: string, host = "alpha") =>
      volumeRoute.DELETE(
        call(`/api/services/${SERVICE}/volumes/data?host=${host}`, "DELETE", bearer),
        ctx({ name: SERVICE, volume: "data" }),
      );
    expect((await del(operator)).status).toBe(403);
    const busy = await json(await del(admin));
    expect(busy.status).toBe(409);
    expect(busy.body.error?.message).toMatch(/in use by real-nginx-r\d+-alpha-1/);
    await takeDown();
    const ok = await json(await del(admin));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await volumesOn("alpha")).toEqual([]);
    expect(await volumesOn("beta")).toEqual(["real-nginx-data", "real-nginx-data.noexec", "real-nginx-data.work"]);
    expect((await json(await del(admin))).status).toBe(404);
    const logged = db()
      .select()
      .from(events)
      .all()
      .filter((e) => e.action === "volume.delete");
    expect(logged).toEqual([expect.objectContaining({ outcome: "ok", serviceName: SERVICE, hostName: "alpha", actor: "real-admin" })]);
  });

  it("a failed first deploy reports the volumes it created (kept, not silently left)", async () => {
    const name = "real-nginx-fail";
    await removeVolumes();
    createService(system, {
      ...spec(),
      name,
      placement: onHosts("alpha"),
      // A backend HAProxy does not have: the gate fails before routing, and the abort's routing call fails harmlessly.
      haproxy: { backend: "real-nginx-fail", previewBackend: "real-nginx-fail-preview" },
      // Without a tmpfs on /tmp, nginx cannot write its config on the read-only root: the health gate fails.
      tmpfs: [],
      volumes: [{ name: "state", target: "/data" }],
      healthCheck: { path: "/health", expectStatus: 200, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 3 },
    });
    try {
      const op = await deployToEnd(name, "deploy", { image: "1.0.0" });
      expect(op.status).toBe("failed");
      expect(op.error ?? "").toMatch(
        /volumes created by this deploy are kept: real-nginx-fail-state on alpha, real-nginx-fail-state.work on alpha, real-nginx-fail-state.noexec on alpha/,
      );
      const failed = db()
        .select()
        .from(events)
        .all()
        .filter((e) => e.serviceName === name && e.outcome === "failed");
      expect(failed.at(-1)?.message).toMatch(/volumes created by this deploy are kept/);
      expect(await volumesOn("alpha", name)).toEqual([
        "real-nginx-fail-state",
        "real-nginx-fail-state.noexec",
        "real-nginx-fail-state.work",
      ]);
    } finally {
      await clearService(name, SOCKET, []);
      const docker = labDocker("alpha");
      for (const v of ["real-nginx-fail-state.noexec", "real-nginx-fail-state.work", "real-nginx-fail-state"])
        await docker
          .getVolume(v)
          .remove()
          .catch(() => undefined);
    }
  });
});
