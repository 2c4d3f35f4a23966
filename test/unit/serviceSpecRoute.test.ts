/**
 * The service routes answer a spec the form cannot produce (a command as one
 * shell string, a relative volume target, a tmpfs over a volume) with 400 and
 * a message that names the field, and store nothing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { serviceSpec, startApi, type Credentials } from "./support/apiHarness";

const api = await startApi("spec-route");
const fx = await api.seed();
const admin: Credentials = { kind: "session", cookie: fx.sessions.admin };

afterAll(() => api.close());

const put = (extra: Record<string, unknown>) =>
  api.call("PUT", "/api/services/{name}", { params: { name: fx.service }, body: { ...serviceSpec(fx.service), ...extra }, auth: admin });

describe("PUT /api/services/{name} with the runtime fields", () => {
  it("refuses a command given as one string with 400 naming command", async () => {
    const res = await put({ command: "nginx -g 'daemon off;'" });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error?.code).toBe("VALIDATION");
    expect(res.json.error?.message).toMatch(/command must be a list of strings/);
    expect(res.json.error?.message).toContain("→ at command");
  });

  it("refuses it on create too, and nothing is created", async () => {
    const res = await api.call("POST", "/api/services", { body: { ...serviceSpec("cmd-string"), command: "nginx -g x" }, auth: admin });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error?.message).toContain("→ at command");
    const get = await api.call("GET", "/api/services/{name}", { params: { name: "cmd-string" }, auth: admin });
    expect(get.status).toBe(404);
  });

  it("names the entry of a relative volume target and of a tmpfs over a volume", async () => {
    const relative = await put({ volumes: [{ name: "data", target: "var/lib/app" }] });
    expect(relative.status).toBe(400);
    expect(relative.json.error?.message).toContain("→ at volumes[0].target");
    const over = await put({ volumes: [{ name: "data", target: "/data" }], tmpfs: [{ target: "/data/cache" }] });
    expect(over.status).toBe(400);
    expect(over.json.error?.message).toMatch(/tmpfs \/data\/cache may not be on, under or over volume "data"/);
  });

  it("stores a command list and gives it back", async () => {
    const res = await put({
      command: ["-g", "daemon off;"],
      volumes: [{ name: "data", target: "/data" }],
      tmpfs: [{ target: "/tmp", sizeMb: 16 }],
    });
    expect(res.status, res.text).toBe(200);
    const get = await api.call("GET", "/api/services/{name}", { params: { name: fx.service }, auth: admin });
    const spec = (get.json.service as { spec: Record<string, unknown> }).spec;
    expect(spec.command).toEqual(["-g", "daemon off;"]);
    expect(spec.tmpfs).toEqual([{ target: "/tmp", sizeMb: 16 }]);
  });
});
