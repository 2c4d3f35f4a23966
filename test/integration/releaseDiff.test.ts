/**
 * Issue 11, "Config as a release", against the real lab: deploy 1.0.0, edit an
 * env var, a secret and limits.pids, then "Deploy spec change" (POST deploy
 * with `{ specChange: true }`): a new release with the live image digest and
 * the edited spec, running with that spec; the release-log event of the deploy
 * carries the changes; the diff API answers the same; a second spec change
 * with nothing edited is refused with 409.
 *
 *   rd-worker (no routing, exec check) on alpha
 */
import fs from "node:fs";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { system, useTempDataDir } from "./lab";
import { inspectOrNull, removeContainersNamed } from "./releaseLab";

const dataDir = useTempDataDir("release-diff");

const { db } = await import("@/db/client");
const { addLabHosts, containersOfRelease, deploySucceeded, onHosts, person, serviceSpec } = await import("./fixtures");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { serviceOverview } = await import("@/server/services/serviceOverview");
const { listEvents } = await import("@/server/releaseLog/listEvents");
const diffRoute = await import("@/app/api/services/[name]/releases/diff/route");
const deployRoute = await import("@/app/api/services/[name]/deploy/route");

const SERVICE = "rd-worker";
const SECRET_BEFORE = `rd-secret-${process.pid}-one`;
const SECRET_AFTER = `rd-secret-${process.pid}-two`;
const viewer = person("rd-viewer", "viewer").token;
const operator = person("rd-operator", "operator").token;

const call = (url: string, bearer: string, method = "GET", body?: unknown) =>
  new NextRequest(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const ctx = { params: Promise.resolve({ name: SERVICE }) };
const json = async (res: Response) => ({
  status: res.status,
  body: (await res.json()) as { diff?: unknown; error?: { message: string }; operation?: { status: string } },
});

const rel = (n: number) => releaseByNumber(serviceByName(SERVICE).id, n);
const spec = (env: { LOG_LEVEL: string; secret: string }, pids: number) =>
  serviceSpec(SERVICE, {
    placement: onHosts("alpha"),
    healthCheck: { kind: "exec", command: ["/bin/busybox", "true"], intervalMs: 200, gateTimeoutS: 10 },
    haproxy: null,
    env: [
      { name: "LOG_LEVEL", value: env.LOG_LEVEL },
      { name: "API_TOKEN", value: env.secret, secret: true },
    ],
    limits: { pids },
  });

beforeAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`);
  addLabHosts("alpha");
  createService(system, spec({ LOG_LEVEL: "info", secret: SECRET_BEFORE }, 256));
});

afterAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`).catch((err) => console.error("[releaseDiff] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("Deploy spec change and the release diff (real lab)", () => {
  it("refuses a spec change while nothing is live", async () => {
    const res = await json(
      await deployRoute.POST(call(`/api/services/${SERVICE}/deploy?wait=true`, operator, "POST", { specChange: true }), ctx),
    );
    expect(res.status).toBe(409);
    expect(res.body.error?.message).toMatch(/no live release/);
  });

  it("deploys the live digest with the edited spec, logs the changes, and the diff API answers the same", async () => {
    await deploySucceeded(SERVICE, "1.0.0");
    expect(rel(1).status).toBe("live");
    expect((await serviceOverview(SERVICE)).specChangedSinceLive).toBe(false);

    updateService(system, SERVICE, spec({ LOG_LEVEL: "debug", secret: SECRET_AFTER }, 512));
    const overview = await serviceOverview(SERVICE);
    expect(overview.specChangedSinceLive).toBe(true);
    expect(overview.specChangesSinceLive?.changes.map((c) => c.path)).toEqual(["env.LOG_LEVEL", "env.API_TOKEN", "limits.pids"]);

    const res = await json(
      await deployRoute.POST(call(`/api/services/${SERVICE}/deploy?wait=true`, operator, "POST", { specChange: true }), ctx),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.operation?.status).toBe("succeeded");

    const [r1, r2] = [rel(1), rel(2)];
    expect(r2.imageDigest).toBe(r1.imageDigest);
    expect(r2.imageRef).toBe(r1.imageRef);
    expect(r2.status).toBe("candidate");
    const r2spec = JSON.parse(r2.spec) as { env: { name: string; value: string }[]; limits: { pids: number } };
    expect(r2spec.limits.pids).toBe(512);
    expect(r2spec.env.find((e) => e.name === "LOG_LEVEL")?.value).toBe("debug");

    // The new containers run with the edited spec.
    const [c] = containersOfRelease(SERVICE, 2);
    const inspect = await inspectOrNull(c!.engine, c!.dockerId!);
    expect(inspect?.HostConfig.PidsLimit).toBe(512);
    expect(inspect?.Config.Env).toContain("LOG_LEVEL=debug");

    const expected = [
      { path: "env.LOG_LEVEL", change: "changed", before: "info", after: "debug" },
      { path: "env.API_TOKEN", change: "changed", secret: true },
      { path: "limits.pids", change: "changed", before: 256, after: 512 },
    ];
    const deployEvent = listEvents({ service: SERVICE, action: "release.deploy", limit: 10 }, "viewer").find(
      (e) => e.releaseNumber === 2 && e.outcome === "info",
    );
    expect(deployEvent?.detail).toMatchObject({
      against: 1,
      imageDigest: { before: r1.imageDigest, after: r1.imageDigest },
      changes: expected,
    });
    expect(JSON.stringify(deployEvent?.detail)).not.toMatch(/rd-secret/);

    const diff = await json(await diffRoute.GET(call(`/api/services/${SERVICE}/releases/diff?from=1&to=2`, viewer), ctx));
    expect(diff.status).toBe(200);
    expect(diff.body.diff).toEqual({
      from: 1,
      to: 2,
      imageDigest: { before: r1.imageDigest, after: r1.imageDigest, changed: false },
      changes: expected,
    });
    expect(JSON.stringify(diff.body)).not.toMatch(/rd-secret/);
  });

  it("refuses a spec change when the spec is the same as the live release's", async () => {
    // Release 2 is only a candidate: the check is against the live release (1), so editing the spec back to release 1's leaves nothing to deploy.
    updateService(system, SERVICE, spec({ LOG_LEVEL: "info", secret: SECRET_BEFORE }, 256));
    expect((await serviceOverview(SERVICE)).specChangedSinceLive).toBe(false);
    const res = await json(
      await deployRoute.POST(call(`/api/services/${SERVICE}/deploy?wait=true`, operator, "POST", { specChange: true }), ctx),
    );
    expect(res.status).toBe(409);
    expect(res.body.error?.message).toMatch(/^nothing to deploy: the spec is the same as release 1/);
    expect(() => rel(3)).toThrow(/not found/);
  });

  it("the diff API names a missing release (404) and refuses a bad query (400)", async () => {
    const missing = await json(await diffRoute.GET(call(`/api/services/${SERVICE}/releases/diff?from=1&to=9`, viewer), ctx));
    expect(missing.status).toBe(404);
    expect(missing.body.error?.message).toBe(`Release 9 of ${SERVICE} not found`);
    const bad = await json(await diffRoute.GET(call(`/api/services/${SERVICE}/releases/diff?from=x&to=2`, viewer), ctx));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/from/);
  });
});
