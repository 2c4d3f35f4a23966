import "server-only";
import { AppError } from "@/server/errors";
import type { Actor } from "./actor";

/**
 * Logs, console transcripts and forensic bundles may hold a service's
 * secrets: a token limited to services reads them only for its services
 * (and a container no service owns only without that limit).
 */
export function assertMayReadServiceData(actor: Actor, serviceName: string | null, what: string): void {
  if (!actor.services) return;
  if (serviceName && actor.services.includes(serviceName)) return;
  const scope = actor.services.length ? actor.services.join(", ") : "no service";
  throw new AppError(
    "FORBIDDEN",
    `This API token is limited to ${scope}; it may not read ${what}${serviceName ? ` of ${serviceName}` : ""}.`,
  );
}
