import "server-only";
import { conflict } from "@/server/errors";
import { serviceByName } from "@/server/services/serviceRows";
import { activeRolloutOf, type RolloutRow } from "./rolloutRows";

/** The service's rollout that has not ended; 409 when there is none. */
export function activeRolloutOfService(serviceName: string): RolloutRow {
  const service = serviceByName(serviceName);
  const r = activeRolloutOf(service.id);
  if (!r) throw conflict(`${serviceName} has no rollout in progress.`);
  return r;
}
