/**
 * Registers the lab's engines as hosts and the demo service in the dashboard's
 * database (idempotent). Run with: node --conditions=react-server --import tsx scripts/seedLab.ts
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts, services } from "@/db/schema";
import { createHost } from "@/server/hosts/createHost";
import { updateHost } from "@/server/hosts/updateHost";
import { ServiceSpec } from "@/server/services/serviceSpecInput";

type LabHost = { name: string; url: string; tls?: { ca: string; cert: string; key: string } };
type Lab = { hosts: LabHost[]; registry: string; haproxy: { adminSocket: string } };

const labDir = process.env.LAB_DIR ?? path.resolve(".lab");
const lab = JSON.parse(fs.readFileSync(path.join(labDir, "lab.json"), "utf8")) as Lab;
const system = { userId: 0, username: "lab-setup", role: "admin" as const, via: "session" as const, ip: null };

for (const h of lab.hosts) {
  const input = {
    name: h.name,
    url: h.url,
    ...(h.tls
      ? {
          tlsCa: fs.readFileSync(h.tls.ca, "utf8"),
          tlsCert: fs.readFileSync(h.tls.cert, "utf8"),
          tlsKey: fs.readFileSync(h.tls.key, "utf8"),
        }
      : {}),
  };
  const existing = db().select().from(hosts).where(eq(hosts.name, h.name)).get();
  if (!existing) createHost(system, input);
  else if (existing.url !== h.url || (h.tls && existing.tlsCert !== input.tlsCert)) updateHost(system, existing.id, input);
}
// The default `local` host points at a socket the lab does not have.
const local = db().select().from(hosts).where(eq(hosts.name, "local")).get();
if (local && local.url === "unix:///var/run/docker.sock" && !fs.existsSync("/var/run/docker.sock")) {
  db().delete(hosts).where(eq(hosts.id, local.id)).run();
}

const demo = ServiceSpec.parse({
  name: "demo-web",
  image: `${lab.registry}/demo-web`,
  placement: lab.hosts.map((h) => ({ host: h.name, replicas: 1 })),
  port: { mode: "env", containerPort: 8000 },
  healthCheck: { path: "/health", expectStatus: 200, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 8 },
  env: [{ name: "GREETING", value: "hello from the lab", secret: false }],
  readOnlyRootFs: true,
  haproxy: { backend: "demo-web", previewBackend: "demo-web-preview" },
  autoSwitch: false,
  retireAfterS: null,
});
// Test servers (SEED_DEMO_SERVICE=0) must not claim the demo's HAProxy backend.
if (process.env.SEED_DEMO_SERVICE !== "0" && !db().select().from(services).where(eq(services.name, demo.name)).get()) {
  const now = new Date();
  db()
    .insert(services)
    .values({ name: demo.name, spec: JSON.stringify(demo), createdAt: now, updatedAt: now })
    .run();
}
console.log(`seeded hosts ${lab.hosts.map((h) => h.name).join(", ")} and service ${demo.name}`);
