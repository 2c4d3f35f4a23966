/**
 * Who may point a service at which HAProxy backends. A backend (live or
 * preview) belongs to exactly one service: otherwise two services' routing
 * would add and remove servers in the same backend, and a token limited to one
 * service could take over another's traffic by naming its backend. Choosing
 * backends is the admin's decision; operators and tokens limited to services
 * may change the rest of a spec. Pure: the callers read the other services
 * inside the transaction that writes (server/services/saveService.ts).
 */
import type { Actor } from "@/server/auth/actor";
import { AppError, conflict, invalid } from "@/server/errors";
import { bindPort, type ServiceSpec } from "./serviceSpecInput";

export type OtherService = { name: string; spec: ServiceSpec };

const ROUTING_FIELDS = "haproxy.backend, haproxy.previewBackend, haproxy.managed";

/** The backends a spec claims; none for a service without routing. */
function backendsOf(spec: ServiceSpec): string[] {
  if (!spec.haproxy) return [];
  return spec.haproxy.previewBackend ? [spec.haproxy.backend, spec.haproxy.previewBackend] : [spec.haproxy.backend];
}

/** The ports a managed spec binds (live, then preview). */
function managedPorts(spec: ServiceSpec): { port: number; bind: string }[] {
  const m = spec.haproxy?.managed;
  if (!m) return [];
  return [m.bind, ...(m.previewBind ? [m.previewBind] : [])].map((bind) => ({ bind, port: bindPort(bind) }));
}

/** Whether two specs name the same live and preview backends and managed binds (two specs without routing do). */
export function sameRouting(a: ServiceSpec, b: ServiceSpec): boolean {
  return (
    (a.haproxy?.backend ?? null) === (b.haproxy?.backend ?? null) &&
    (a.haproxy?.previewBackend ?? null) === (b.haproxy?.previewBackend ?? null) &&
    JSON.stringify(a.haproxy?.managed ?? null) === JSON.stringify(b.haproxy?.managed ?? null)
  );
}

/**
 * Choosing a service's backends (creating it, or changing haproxy.*, adding
 * or removing it included) needs the admin role and a caller not limited to
 * services. `previous` is null for a new service. Creating a service without
 * routing claims no backend but stays an admin action: who may create services
 * is not this rule's to widen.
 */
export function assertMayChooseBackends(actor: Actor, previous: ServiceSpec | null, next: ServiceSpec): void {
  if (previous && sameRouting(previous, next)) return;
  const what = previous
    ? `Changing the HAProxy backends of '${next.name}' (${ROUTING_FIELDS})`
    : `Creating a service (it claims the HAProxy backends in ${ROUTING_FIELDS})`;
  if (actor.role !== "admin") {
    throw new AppError("FORBIDDEN", `${what} needs the admin role; you are ${actor.role}. The rest of the spec can be changed without it.`);
  }
  if (actor.services) {
    throw new AppError(
      "FORBIDDEN",
      `${what} needs an admin session or an admin API token not limited to services; this token is limited to ${actor.services.join(", ") || "no service"}.`,
    );
  }
}

/**
 * Refuses a spec whose backends another service already uses (409, naming
 * that service), or whose live and preview backend are the same (400; the
 * spec schema refuses that too, this keeps the rule whole for any caller).
 */
export function assertBackendsFree(spec: ServiceSpec, others: OtherService[]): void {
  if (spec.haproxy?.previewBackend !== undefined && spec.haproxy.previewBackend === spec.haproxy.backend) {
    throw invalid(`haproxy.previewBackend: the preview backend must differ from the live backend '${spec.haproxy.backend}'`);
  }
  for (const other of others) {
    if (other.name === spec.name) continue;
    for (const mine of managedPorts(spec)) {
      const theirs = managedPorts(other.spec).find((p) => p.port === mine.port);
      if (theirs)
        throw conflict(
          `Port ${mine.port} (bind ${mine.bind}) is already bound by managed service '${other.name}' (${theirs.bind}); choose another port.`,
        );
    }
    const taken = backendsOf(other.spec);
    for (const backend of backendsOf(spec)) {
      if (!taken.includes(backend)) continue;
      const role = other.spec.haproxy?.backend === backend ? "live" : "preview";
      throw conflict(
        `HAProxy backend '${backend}' belongs to service '${other.name}' (its ${role} backend); a backend serves exactly one service: choose another backend.`,
      );
    }
  }
}

/** For an import of several specs: no two of them may share a backend either. */
export function assertBackendsDistinct(specs: ServiceSpec[]): void {
  const owner = new Map<string, string>();
  const portOwner = new Map<number, string>();
  for (const spec of specs) {
    for (const { port } of managedPorts(spec)) {
      const first = portOwner.get(port);
      if (first !== undefined && first !== spec.name)
        throw conflict(`Port ${port} is bound by both managed services '${first}' and '${spec.name}' in this import.`);
      portOwner.set(port, spec.name);
    }
    for (const backend of backendsOf(spec)) {
      const first = owner.get(backend);
      if (first !== undefined && first !== spec.name) {
        throw conflict(
          `HAProxy backend '${backend}' is named by both '${first}' and '${spec.name}' in this import; a backend serves exactly one service.`,
        );
      }
      owner.set(backend, spec.name);
    }
  }
}
