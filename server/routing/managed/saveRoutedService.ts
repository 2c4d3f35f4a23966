import "server-only";
import { isIP } from "node:net";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { config } from "@/server/config";
import { errorMessage, invalid } from "@/server/errors";
import { sameRouting } from "@/server/services/backendOwnership";
import { deleteService } from "@/server/services/deleteService";
import { createService, updateService } from "@/server/services/saveService";
import { deleteServiceRow, serviceByName, specOf, updateServiceSpec } from "@/server/services/serviceRows";
import { ServiceSpec, type ServiceSpecInput } from "@/server/services/serviceSpecInput";
import { managedPaths, syncManagedRouting } from "./syncManagedRouting";

const isLoopback = (ip: string) => (isIP(ip) === 4 ? ip.startsWith("127.") : ip === "::1");

/** A managed frontend binds loopback, or an address the admin listed in SWITCHYARD_HAPROXY_BIND_ADDRESSES; and managed routing must be configured. */
function assertManagedAllowed(raw: ServiceSpecInput): void {
  const parsed = ServiceSpec.safeParse(raw);
  const managed = parsed.success ? parsed.data.haproxy?.managed : undefined;
  if (!managed) return;
  if (!managedPaths()) managedPathsRequired();
  const allowed = config()
    .SWITCHYARD_HAPROXY_BIND_ADDRESSES.split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  for (const [field, bind] of [
    ["bind", managed.bind],
    ["previewBind", managed.previewBind],
  ] as const) {
    if (!bind) continue;
    const ip = bind.slice(0, bind.lastIndexOf(":")).replace(/^\[|\]$/g, "");
    if (!isIP(ip)) throw invalid(`haproxy.managed.${field}: ${ip} is not an IP address`);
    if (!isLoopback(ip) && !allowed.includes(ip))
      throw invalid(
        `haproxy.managed.${field}: ${ip} is neither loopback nor listed in SWITCHYARD_HAPROXY_BIND_ADDRESSES (${allowed.join(", ") || "empty"})`,
      );
  }
}

function managedPathsRequired(): never {
  throw invalid(
    "haproxy.managed: managed routing is not configured on this server (SWITCHYARD_HAPROXY_CONFIG, SWITCHYARD_HAPROXY_MANAGED_FILE, SWITCHYARD_HAPROXY_MASTER_SOCKET); name an existing backend instead",
  );
}

/** createService, then the managed frontends/backends in HAProxy; if HAProxy refuses them the service is not created. */
export async function createRoutedService(actor: Actor, raw: ServiceSpecInput) {
  assertManagedAllowed(raw);
  const spec = createService(actor, raw);
  if (!spec.haproxy?.managed) return spec;
  try {
    await syncManagedRouting(`create ${spec.name}`);
  } catch (err) {
    const row = serviceByName(spec.name);
    db().transaction((tx) => deleteServiceRow(tx, row.id));
    throw err;
  }
  return spec;
}

/** updateService; when managed routing changed, HAProxy follows, and if it refuses the previous spec is put back. */
export async function updateRoutedService(actor: Actor, name: string, raw: ServiceSpecInput) {
  assertManagedAllowed(raw);
  const row = serviceByName(name);
  const previous = specOf(row);
  const spec = updateService(actor, name, raw);
  const next = specOf(serviceByName(name));
  if ((!previous.haproxy?.managed && !next.haproxy?.managed) || sameRouting(previous, next)) return spec;
  try {
    await syncManagedRouting(`routing change of ${name}`);
  } catch (err) {
    db().transaction((tx) => updateServiceSpec(tx, row.id, previous));
    throw err;
  }
  return spec;
}

/** deleteService; a managed service's frontends and backends leave HAProxy with it (reconcile retries when the reload fails). */
export async function deleteRoutedService(actor: Actor, name: string): Promise<{ routing: string | null }> {
  const managed = Boolean(specOf(serviceByName(name)).haproxy?.managed);
  deleteService(actor, name);
  if (!managed) return { routing: null };
  try {
    await syncManagedRouting(`delete ${name}`);
    return { routing: null };
  } catch (err) {
    return { routing: `the service is deleted, but its HAProxy frontend is still there (reconcile retries): ${errorMessage(err)}` };
  }
}
