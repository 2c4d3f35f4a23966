/**
 * What the integration tests set up again and again: a demo-web service spec,
 * users with API tokens, the lab hosts, deploys run to their end, the demo
 * image versions, and the clean-up of a service's leftovers.
 * It loads server modules, so import it after the data directory is set:
 *   const dataDir = useTempDataDir("x");
 *   const { serviceSpec, person } = await import("./fixtures");
 */
import { expect } from "vitest";
import type { Role } from "@/server/auth/roles";
import type { ServiceSpecInput } from "@/server/services/serviceSpecInput";
import { hostInput, lab, system, tempDataDir } from "./lab";
import { removeContainersNamed, type Engine } from "./releaseLab";

tempDataDir(); // throws when this file is imported before useTempDataDir()

const { db } = await import("@/db/client");
const { hosts, releaseContainers, users } = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
const { createApiToken } = await import("@/server/auth/createApiToken");
const { createHost } = await import("@/server/hosts/createHost");
const { serviceByName } = await import("@/server/services/serviceRows");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { haproxyCommand } = await import("@/server/haproxy/runtimeApi");

type HealthCheckInput = NonNullable<ServiceSpecInput["healthCheck"]>;
type Timing = Partial<Pick<HealthCheckInput, "intervalMs" | "timeoutMs" | "healthyAfter" | "gateTimeoutS">>;

/** What a test changes in serviceSpec(): any field; healthCheck and haproxy merged into the defaults. */
export type SpecOverrides = Omit<Partial<ServiceSpecInput>, "name" | "healthCheck" | "haproxy"> & {
  /** An http check by default; `kind: "tcp"` or `kind: "exec"` (with command) keep only the timing defaults. */
  healthCheck?: Timing & ({ kind?: "http"; path?: string; expectStatus?: number } | { kind: "tcp" } | { kind: "exec"; command: string[] });
  /** previewBackend defaults to `<backend>-preview`; null: a service without routing. */
  haproxy?: { backend?: string; previewBackend?: string } | null;
};

/** One replica on each of the hosts `names`. */
export const onHosts = (...names: string[]) => names.map((host) => ({ host, replicas: 1 }));

/**
 * The demo-web service from the lab registry: one replica on alpha and one on
 * beta, a quick health check (every 300 ms, healthy after 2 passes, a 10 s
 * gate) and HAProxy backends `<name>` / `<name>-preview`.
 */
export function serviceSpec(name: string, overrides: SpecOverrides = {}): ServiceSpecInput {
  const { healthCheck, haproxy, ...rest } = overrides;
  const backend = haproxy?.backend ?? name;
  return {
    name,
    image: `${lab().registry}/demo-web`,
    placement: onHosts("alpha", "beta"),
    ...rest,
    healthCheck: {
      ...(healthCheck?.kind === "tcp" || healthCheck?.kind === "exec" ? {} : { path: "/health", expectStatus: 200 }),
      intervalMs: 300,
      timeoutMs: 1000,
      healthyAfter: 2,
      gateTimeoutS: 10,
      ...healthCheck,
    } as HealthCheckInput,
    haproxy: haproxy === null ? undefined : { backend, previewBackend: haproxy?.previewBackend ?? `${backend}-preview` },
  };
}

/** A user with a session actor and an API token of the same role. */
export function person(username: string, role: Role) {
  const row = db().insert(users).values({ username, passwordHash: "x", role, createdAt: new Date() }).returning().get();
  const actor = { userId: row.id, username, role, via: "session" as const, sessionId: "s", ip: "127.0.0.1" };
  return { actor, token: createApiToken(actor, { name: `${username}-token`, role }).token };
}

/** The demo-web tags in the lab registry (tag → digest reference) and the tag a recorded digest stands for. */
export function demoVersions() {
  const VERSIONS = lab().images["demo-web"]!;
  const versionOf = (digest: string | null) => Object.entries(VERSIONS).find(([, d]) => d === digest)?.[0] ?? `unknown digest ${digest}`;
  return { VERSIONS, versionOf };
}

/** Registers lab engines as hosts (as the system actor). */
export function addLabHosts(...names: Engine[]): void {
  for (const name of names) createHost(system, hostInput(name));
}

/** Runs a deploy / redeploy / replay in this process to its end; returns the operation with its steps. */
export async function deployToEnd(
  service: string,
  kind: "deploy" | "redeploy",
  input: { image?: string; replayRelease?: number; specChange?: true } | null,
) {
  const { operationId, done } = deployRelease(system, service, kind, input);
  await done;
  return operationWithSteps(operationId)!;
}

/** Deploys `image` and expects the deploy to succeed. */
export async function deploySucceeded(service: string, image: string) {
  const op = await deployToEnd(service, "deploy", { image });
  expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
  return op;
}

/** Every container row of a service's release `n` (removed ones too), with the engine it is on. */
export function containersOfRelease(service: string, n: number) {
  const release = releaseByNumber(serviceByName(service).id, n);
  return db()
    .select({ c: releaseContainers, host: hosts.name })
    .from(releaseContainers)
    .innerJoin(hosts, eq(hosts.id, releaseContainers.hostId))
    .where(eq(releaseContainers.releaseId, release.id))
    .orderBy(releaseContainers.id)
    .all()
    .map(({ c, host }) => ({ ...c, engine: host as Engine }));
}

/** HAProxy's view of `backends` (the header and their `show stat` rows), for failure messages. */
export async function haproxyStatRows(socket: string, backends: string[]): Promise<string> {
  return (await haproxyCommand(socket, "show stat"))
    .split("\n")
    .filter((l) => l.startsWith("# ") || backends.some((b) => l.startsWith(`${b},`)))
    .join("\n");
}

/**
 * Removes what a run of `service` left: its containers on alpha and beta
 * (named `<service>-r…`) and every server in its HAProxy `backends`.
 */
export async function clearService(service: string, socket: string, backends = [service, `${service}-preview`]): Promise<void> {
  await removeContainersNamed(`${service}-r`);
  for (const backend of backends) await applyBackend(socket, backend, []);
}
