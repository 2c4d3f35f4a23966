/** The *Rows functions the release, routing, service and quarantine verbs moved their queries into, against a throwaway database (no Docker, no lab). */
import { afterAll, describe, expect, it } from "vitest";
import { serviceSpec, startApi } from "./support/apiHarness";

const api = await startApi("verb-rows", { haproxy: false });
const fx = await api.seed();
const { db } = api;
const releaseRows = await import("@/server/releases/releaseRows");
const quarantineRows = await import("@/server/quarantine/quarantineRows");
const operationLog = await import("@/server/operations/operationLog");
const serviceRows = await import("@/server/services/serviceRows");

afterAll(() => api.close());

const service = serviceRows.serviceByName(fx.service);
const release = (number: number, status: "live" | "standby" | "candidate" | "retired" | "failed" | "deploying") =>
  releaseRows.insertReleaseRow(db(), {
    serviceId: service.id,
    number,
    imageRef: "registry.test:5000/team/web:1",
    spec: service.spec,
    status,
    createdBy: "root",
    createdAt: new Date(),
  });
const container = (releaseId: number, name: string) =>
  releaseRows.insertReleaseContainer({
    releaseId,
    hostId: fx.deadHostId,
    slot: "blue",
    name,
    port: 30000,
    serverName: name,
    createdAt: new Date(),
  });

describe("release rows", () => {
  it("inserts a release; finds releases by status (of a service or of all) and the retired/failed ones with containers left", () => {
    const live = release(1, "live");
    const retired = release(2, "retired");
    const failed = release(3, "failed");
    release(4, "deploying");
    expect(releaseRows.releaseById(live.id)?.number).toBe(1);
    expect(
      releaseRows
        .releasesWithStatuses(["live", "deploying"], service.id)
        .map((r) => r.number)
        .sort(),
    ).toEqual([1, 4]);
    expect(releaseRows.releasesWithStatuses(["live"]).map((r) => r.id)).toContain(live.id);
    expect(releaseRows.releasesWithStatuses(["candidate"], service.id)).toEqual([]);

    container(retired.id, "web-2-left");
    const quarantined = container(failed.id, "web-3-quarantined");
    const removed = container(failed.id, "web-3-removed");
    releaseRows.markContainerQuarantined(db(), quarantined.id, new Date());
    releaseRows.markContainerRemoved(db(), removed.id);
    container(live.id, "web-1-live");
    expect(releaseRows.releasesWithLeftoverContainers(service.id)).toEqual([retired.id]);
    // Back in traffic: the quarantine did not happen, so the failed release has a container left again.
    releaseRows.markContainerQuarantined(db(), quarantined.id, null);
    expect(releaseRows.releasesWithLeftoverContainers(service.id).sort()).toEqual([retired.id, failed.id].sort());
  });

  it("status and reads inside a transaction roll back with it", () => {
    const candidate = release(10, "candidate");
    expect(() =>
      db().transaction((tx) => {
        releaseRows.setReleaseStatus(candidate.id, "live", { liveSince: new Date() }, tx);
        expect(releaseRows.releaseWithStatus(service.id, "live", tx)?.id).toBe(candidate.id);
        throw new Error("cut off");
      }),
    ).toThrow("cut off");
    expect(releaseRows.releaseById(candidate.id)?.status).toBe("candidate");
  });
});

describe("operation rows", () => {
  it("the running operation of a service, none once finished", () => {
    expect(operationLog.runningOperationOf(service.id)).toBeUndefined();
    const op = operationLog.beginOperation(service.id, service.name, "deploy", null, {});
    expect(operationLog.runningOperationOf(service.id)?.id).toBe(op.id);
    expect(() => operationLog.assertNoRunningOperation(service.id, service.name)).toThrow(`deploy #${op.id}`);
    operationLog.finishOperation(op.id, "succeeded");
    expect(operationLog.runningOperationOf(service.id)).toBeUndefined();
  });
});

describe("service rows", () => {
  it("inserts, updates the spec of and deletes a service row", () => {
    const spec = serviceRows.specOf({ spec: JSON.stringify(serviceSpec("rows-svc")) });
    const now = new Date();
    serviceRows.insertServiceRow(db(), { name: "rows-svc", spec: JSON.stringify(spec), createdAt: now, updatedAt: now });
    const row = serviceRows.serviceByName("rows-svc");
    serviceRows.updateServiceSpec(db(), row.id, { ...spec, autoSwitch: !spec.autoSwitch });
    expect(serviceRows.specOf(serviceRows.serviceByName("rows-svc")).autoSwitch).toBe(!spec.autoSwitch);
    serviceRows.deleteServiceRow(db(), row.id);
    expect(serviceRows.serviceRowIn(db(), "rows-svc")).toBeUndefined();
  });
});

describe("quarantine rows", () => {
  it("cancels the deadline of an active quarantine once; not again, not when it is no longer active", () => {
    const r = release(20, "live");
    const c = container(r.id, "web-20-q");
    const at = new Date();
    const q = quarantineRows.insertQuarantine(db(), {
      releaseContainerId: c.id,
      hostId: fx.deadHostId,
      hostName: "dead",
      dockerId: "docker-web-20-q",
      originalName: c.name,
      quarantinedName: c.name,
      serviceName: fx.service,
      releaseNumber: r.number,
      operationId: null,
      reason: "test",
      quarantinedBy: "root",
      quarantinedAt: at,
      deadline: new Date(at.getTime() + 3600_000),
      nextAttemptAt: new Date(at.getTime() + 60_000),
      status: "active",
    });
    const cancelled = quarantineRows.cancelActiveDeadline(q.id, { cancelReason: "keep", cancelledBy: "root", cancelledAt: at });
    expect(cancelled).toMatchObject({ deadline: null, nextAttemptAt: null, cancelReason: "keep", cancelledBy: "root" });
    expect(quarantineRows.cancelActiveDeadline(q.id, { cancelReason: "again", cancelledBy: "root", cancelledAt: at })).toBeUndefined();
    quarantineRows.updateQuarantine(q.id, { deadline: new Date(), status: "destroying" });
    expect(quarantineRows.cancelActiveDeadline(q.id, { cancelReason: "late", cancelledBy: "root", cancelledAt: at })).toBeUndefined();
  });
});
