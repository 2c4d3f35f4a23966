import { describe, expect, it } from "vitest";
import type Docker from "dockerode";
import {
  applyContainerEvent,
  containerFromList,
  engineInfoWithCounts,
  healthFromStatus,
  inventorySignature,
  sortedContainers,
  type EngineContainer,
} from "@/server/live/engineSnapshot";

const listed = (over: Partial<Docker.ContainerInfo> = {}): Docker.ContainerInfo =>
  ({
    Id: "a".repeat(64),
    Names: ["/web-1"],
    Image: "127.0.0.1:5000/demo-web:1.0.0",
    ImageID: "sha256:" + "1".repeat(64),
    Command: "httpd",
    Created: 1_700_000_000,
    Ports: [{ IP: "127.0.0.1", PrivatePort: 8080, PublicPort: 18080, Type: "tcp" }],
    Labels: { "io.switchyard.service": "web" },
    State: "running",
    Status: "Up 5 minutes (healthy)",
    HostConfig: { NetworkMode: "host" },
    NetworkSettings: { Networks: {} },
    Mounts: [],
    ...over,
  }) as Docker.ContainerInfo;

const byId = (...cs: EngineContainer[]) => new Map(cs.map((c) => [c.id, c]));
const web = containerFromList(listed());

describe("engine snapshot", () => {
  it("keeps what the pages need from a list entry", () => {
    expect(web).toMatchObject({
      name: "web-1",
      names: ["web-1"],
      state: "running",
      health: "healthy",
      created: 1_700_000_000_000,
      labels: { "io.switchyard.service": "web" },
      ports: [{ ip: "127.0.0.1", privatePort: 8080, publicPort: 18080, type: "tcp" }],
    });
    expect(healthFromStatus("Up 2 seconds (health: starting)")).toBe("starting");
    expect(healthFromStatus("Exited (0) 3 seconds ago")).toBeNull();
  });

  it("a die event marks the container exited at once, with its exit code, and asks for a re-read", () => {
    const r = applyContainerEvent(byId(web), { Type: "container", Action: "die", Actor: { ID: web.id, Attributes: { exitCode: "137" } } });
    expect(r.changed).toBe(true);
    expect(r.refresh).toBe(true);
    expect(r.containers.get(web.id)).toMatchObject({ state: "exited", status: "Exited (137) Less than a second ago", health: null });
  });

  it("does not mutate the snapshot it is given", () => {
    const before = byId(web);
    applyContainerEvent(before, { Type: "container", Action: "die", Actor: { ID: web.id, Attributes: {} } });
    expect(before.get(web.id)?.state).toBe("running");
  });

  it("health_status, rename, start and destroy", () => {
    let cs = byId({ ...web, state: "exited", health: null });
    cs = applyContainerEvent(cs, { Type: "container", Action: "start", Actor: { ID: web.id } }).containers;
    expect(cs.get(web.id)?.state).toBe("running");
    cs = applyContainerEvent(cs, { Type: "container", Action: "health_status: unhealthy", Actor: { ID: web.id } }).containers;
    expect(cs.get(web.id)?.health).toBe("unhealthy");
    cs = applyContainerEvent(cs, {
      Type: "container",
      Action: "rename",
      Actor: { ID: web.id, Attributes: { name: "web-1-quarantined", oldName: "/web-1" } },
    }).containers;
    expect(cs.get(web.id)?.name).toBe("web-1-quarantined");
    const gone = applyContainerEvent(cs, { Type: "container", Action: "destroy", Actor: { ID: web.id } });
    expect(gone).toMatchObject({ changed: true, refresh: false });
    expect(gone.containers.size).toBe(0);
  });

  it("a create event adds the container with the image, name and labels the event carries", () => {
    const r = applyContainerEvent(new Map(), {
      Type: "container",
      Action: "create",
      Actor: { ID: "b".repeat(64), Attributes: { image: "demo:1", name: "new-1", team: "ops" } },
    });
    expect(r.containers.get("b".repeat(64))).toMatchObject({ name: "new-1", image: "demo:1", state: "created", labels: { team: "ops" } });
  });

  it("ignores exec events and other object types; kill asks for a re-read without changing anything", () => {
    const cs = byId(web);
    expect(applyContainerEvent(cs, { Type: "container", Action: "exec_start: sh", Actor: { ID: web.id } })).toMatchObject({
      changed: false,
      refresh: false,
    });
    expect(applyContainerEvent(cs, { Type: "image", Action: "delete", Actor: { ID: web.id } })).toMatchObject({
      changed: false,
      refresh: false,
    });
    expect(
      applyContainerEvent(cs, { Type: "container", Action: "kill", Actor: { ID: web.id, Attributes: { signal: "9" } } }),
    ).toMatchObject({
      changed: false,
      refresh: true,
    });
    expect(applyContainerEvent(cs, { Type: "container", Action: "destroy", Actor: { ID: "unknown" } }).changed).toBe(false);
  });

  it("counts containers by state and sorts by name", () => {
    const cs = [
      { ...web, id: "3", name: "c", state: "exited" },
      { ...web, id: "1", name: "a" },
      { ...web, id: "2", name: "b", state: "paused" },
    ];
    expect(sortedContainers(byId(...cs)).map((c) => c.name)).toEqual(["a", "b", "c"]);
    const facts = {
      engineVersion: "20.10",
      apiVersion: "1.41",
      os: "x",
      osType: "linux",
      architecture: "x86_64",
      kernel: "6",
      storageDriver: "overlay2",
      cgroupDriver: "systemd",
      images: 3,
    };
    expect(engineInfoWithCounts(facts, cs).containers).toEqual({ total: 3, running: 1, paused: 1, stopped: 1 });
  });
});

describe("inventorySignature", () => {
  const sig = (Status: string, over: Partial<Docker.ContainerInfo> = {}) =>
    inventorySignature([containerFromList(listed({ Status, ...over }))]);

  it("ignores the container's age, which Docker's status text changes at every inventory", () => {
    expect(sig("Up 12 seconds")).toBe(sig("Up 32 seconds"));
    expect(sig("Up Less than a second")).toBe(sig("Up About a minute"));
    expect(sig("Up 5 minutes (healthy)")).toBe(sig("Up 3 days (healthy)"));
    expect(sig("Exited (0) 3 seconds ago")).toBe(sig("Exited (0) About an hour ago"));
  });

  it("still sees a change of state, health, exit code or anything else", () => {
    expect(sig("Up 5 minutes (healthy)")).not.toBe(sig("Up 5 minutes (unhealthy)"));
    expect(sig("Exited (0) 3 seconds ago")).not.toBe(sig("Exited (137) 3 seconds ago"));
    expect(sig("Up 5 minutes (Paused)")).not.toBe(sig("Up 5 minutes"));
    expect(sig("Up 5 minutes", { State: "running" })).not.toBe(sig("Up 5 minutes", { State: "restarting" }));
    expect(sig("Up 5 minutes")).not.toBe(sig("Up 5 minutes", { Names: ["/web-2"] }));
  });
});
