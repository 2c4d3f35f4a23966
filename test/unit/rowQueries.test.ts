/** The *Rows functions the quarantine, recovery and release-container verbs use, against a throwaway database (no Docker, no lab). */
import { afterAll, describe, expect, it } from "vitest";
import { startApi } from "./support/apiHarness";

const api = await startApi("rows", { haproxy: false });
const fx = await api.seed();
const { db, schema } = api;
const releaseRows = await import("@/server/releases/releaseRows");
const quarantineRows = await import("@/server/quarantine/quarantineRows");
const operationLog = await import("@/server/operations/operationLog");
const { recordEvent } = await import("@/server/releaseLog/recordEvent");
const { listEvents } = await import("@/server/releaseLog/listEvents");
const { AppError, ifFound, notFound } = await import("@/server/errors");
const { serviceByName } = await import("@/server/services/serviceRows");

afterAll(() => api.close());

const service = serviceByName(fx.service);
const release = db()
  .insert(schema.releases)
  .values({
    serviceId: service.id,
    number: 7,
    imageRef: "registry.test:5000/team/web:1",
    spec: service.spec,
    status: "live",
    createdBy: "root",
    createdAt: new Date(),
  })
  .returning()
  .get();
const container = (name: string, createdAt = new Date()) =>
  releaseRows.insertReleaseContainer({
    releaseId: release.id,
    hostId: fx.deadHostId,
    slot: "blue",
    name,
    port: 30000,
    serverName: name,
    createdAt,
  });
const quarantineValues = (c: { id: number; name: string }, at: Date, operationId: number | null = null) => ({
  releaseContainerId: c.id,
  hostId: fx.deadHostId,
  hostName: "dead",
  dockerId: `docker-${c.name}`,
  originalName: c.name,
  quarantinedName: c.name,
  serviceName: fx.service,
  releaseNumber: release.number,
  operationId,
  reason: "test",
  quarantinedBy: "root",
  quarantinedAt: at,
  deadline: new Date(at.getTime() + 3600_000),
  status: "active" as const,
});

describe("release container rows", () => {
  it("records a container, its Docker id and its removal; active containers on a host come with release and service", () => {
    const c = container("web-7-dead-1");
    releaseRows.setContainerDockerId(c.id, "abc123");
    expect(releaseRows.activeContainersOnHost(fx.deadHostId).find((r) => r.container.id === c.id)).toMatchObject({
      container: { dockerId: "abc123" },
      release: { id: release.id, number: 7 },
      service: { name: fx.service },
    });
    expect(releaseRows.serviceAndNumberOfRelease(release.id)).toEqual({ service: fx.service, number: 7 });
    expect(releaseRows.serviceAndNumberOfRelease(999_999)).toBeUndefined();
    releaseRows.markContainerRemoved(db(), c.id);
    expect(releaseRows.activeContainersOnHost(fx.deadHostId).some((r) => r.container.id === c.id)).toBe(false);
  });
});

describe("quarantine rows", () => {
  it("a quarantine is marked in one transaction: a failure inside it leaves no row and no mark", () => {
    const c = container("web-7-dead-2");
    const now = new Date();
    expect(() =>
      db().transaction((tx) => {
        const row = quarantineRows.insertQuarantine(tx, quarantineValues(c, now));
        releaseRows.markContainerQuarantined(tx, c.id, now);
        quarantineRows.setQuarantinedName(tx, row.id, "renamed");
        throw new Error("cut off");
      }),
    ).toThrow("cut off");
    expect(quarantineRows.quarantineIdOfContainer(c.id)).toBeUndefined();
    expect(releaseRows.activeContainersOnHost(fx.deadHostId).find((r) => r.container.id === c.id)?.container.quarantinedAt).toBeNull();
  });

  it("finds a quarantine by operation, by container, and on its host by Docker id, original or quarantined name", () => {
    const c = container("web-7-dead-3");
    const now = new Date();
    const op = operationLog.beginOperation(service.id, service.name, "quarantine", null, {});
    const q = db().transaction((tx) => {
      const row = quarantineRows.insertQuarantine(tx, quarantineValues(c, now, op.id));
      releaseRows.markContainerQuarantined(tx, c.id, now);
      return quarantineRows.setQuarantinedName(tx, row.id, `${c.name}-quarantined`);
    });
    expect(q.quarantinedName).toBe(`${c.name}-quarantined`);
    expect(quarantineRows.quarantineByOperation(op.id)?.id).toBe(q.id);
    expect(quarantineRows.quarantineByOperation(999_999)).toBeUndefined();
    expect(quarantineRows.quarantineIdOfContainer(c.id)).toBe(q.id);
    for (const ref of [`docker-${c.name}`, c.name, `${c.name}-quarantined`])
      expect(quarantineRows.quarantineOnHostByRef(fx.deadHostId, ref)?.id).toBe(q.id);
    expect(quarantineRows.quarantineOnHostByRef(fx.deadHostId + 1, c.name)).toBeUndefined();
    expect(operationLog.serviceOfOperation(op)?.name).toBe(fx.service);
    expect(operationLog.serviceOfOperation({ ...op, serviceId: null })).toBeUndefined();
    expect(operationLog.operationStatuses([op.id, 999_999])).toEqual([{ id: op.id, status: "running" }]);
    expect(operationLog.operationStatuses([])).toEqual([]);
    operationLog.finishOperation(op.id, "succeeded");
  });

  it("unfinished replacements: active containers of the same release and host created after the quarantine, not the quarantined one", () => {
    const at = new Date(Date.now() + 60_000);
    const quarantined = container("web-7-dead-4", at);
    container("web-7-dead-5", new Date(at.getTime() - 1000)); // created before the quarantine: not a replacement
    const replacement = container("web-7-dead-6", new Date(at.getTime() + 1000));
    const removed = container("web-7-dead-7", new Date(at.getTime() + 2000));
    releaseRows.markContainerRemoved(db(), removed.id);
    const q = quarantineRows.insertQuarantine(db(), quarantineValues(quarantined, at));
    expect(releaseRows.unfinishedReplacements(q).map((r) => r.id)).toEqual([replacement.id]);
    expect(releaseRows.unfinishedReplacements({ ...q, releaseNumber: 8 })).toEqual([]);
  });

  it("extensions of several quarantines, oldest first; none for no quarantine", () => {
    const q1 = quarantineRows.insertQuarantine(db(), quarantineValues(container("web-7-dead-8"), new Date()));
    const q2 = quarantineRows.insertQuarantine(db(), quarantineValues(container("web-7-dead-9"), new Date()));
    for (const quarantineId of [q2.id, q1.id, q2.id])
      quarantineRows.insertExtension(db(), { quarantineId, by: "root", at: new Date(), addedS: 60, newDeadline: new Date() });
    expect(quarantineRows.extensionsOfQuarantines([q1.id, q2.id]).map((e) => e.quarantineId)).toEqual([q2.id, q1.id, q2.id]);
    expect(quarantineRows.extensionsOfQuarantines([])).toEqual([]);
  });
});

describe("release log rows", () => {
  it("records events and lists them newest first by service, actor, action pattern and id", () => {
    recordEvent({ actor: "rows-test", action: "rows.one", outcome: "ok", serviceName: "rows-svc", detail: { n: 1 } });
    recordEvent({ actor: "rows-test", action: "rows.two", outcome: "failed", serviceName: "rows-svc" });
    const both = listEvents({ service: "rows-svc", limit: 10 }, "admin");
    expect(both.map((e) => e.action)).toEqual(["rows.two", "rows.one"]);
    expect(both[1]!.detail).toEqual({ n: 1 });
    expect(listEvents({ actor: "rows-test", action: "rows.o*", limit: 10 }, "admin").map((e) => e.action)).toEqual(["rows.one"]);
    expect(listEvents({ service: "rows-svc", before: both[0]!.id, limit: 10 }, "admin").map((e) => e.action)).toEqual(["rows.one"]);
    expect(listEvents({ service: "rows-svc", limit: 1 }, "admin")).toHaveLength(1);
  });
});

describe("ifFound", () => {
  it("turns NOT_FOUND into undefined and rethrows anything else", () => {
    expect(ifFound(() => releaseRows.releaseByNumber(service.id, 7))?.id).toBe(release.id);
    expect(ifFound(() => releaseRows.releaseByNumber(service.id, 99))).toBeUndefined();
    expect(ifFound(() => serviceByName("no-such-service"))).toBeUndefined();
    expect(() =>
      ifFound(() => {
        throw new AppError("CONFLICT", "busy");
      }),
    ).toThrow("busy");
    expect(() =>
      ifFound(() => {
        throw new Error("disk");
      }),
    ).toThrow("disk");
    expect(
      ifFound(() => {
        throw notFound("x");
      }),
    ).toBeUndefined();
  });
});
