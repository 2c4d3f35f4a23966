"use client";
import type { QueryClient } from "@tanstack/react-query";
import type { Json } from "@/server/http/json";
import type { LiveWireMessage } from "@/server/live/liveMessage";
import type { OperationWithSteps } from "@/server/operations/operationLog";
import type { ServiceOverview } from "@/server/services/serviceOverview";
import { driftKeys } from "@/components/drift/queries";
import { fleetKeys } from "@/components/fleet/queries";
import { quarantineKeys } from "@/components/quarantine/queries";
import { eventKeys } from "@/components/releaseLog/queries";
import { serviceKeys } from "@/components/services/queries";

type Operation = Json<OperationWithSteps>;

/** The overview shows the newest operation: an operation message replaces it when it is that one or a newer one. */
function withOperation(o: Json<ServiceOverview> | undefined, op: Operation): Json<ServiceOverview> | undefined {
  if (!o || (o.operation && o.operation.id > op.id)) return o;
  return { ...o, operation: op };
}

/**
 * One stream message into the TanStack Query caches: operation messages carry
 * the operation (written into the cache as is, so its steps appear at once);
 * the others name what changed and the exact queries showing it are refetched
 * (only those some page is showing; the others are marked stale).
 */
export function applyLiveMessage(qc: QueryClient, m: LiveWireMessage): void {
  const [kind, arg = ""] = m.topic.split(/:(.*)/s);
  switch (kind) {
    case "fleet":
      void qc.invalidateQueries({ queryKey: fleetKeys.overview });
      break;
    case "host":
      void qc.invalidateQueries({ queryKey: fleetKeys.containers(Number(arg)) });
      break;
    case "service":
      void qc.invalidateQueries({ queryKey: serviceKeys.overview(arg), exact: true });
      void qc.invalidateQueries({ queryKey: serviceKeys.list, exact: true });
      break;
    case "operation": {
      const op = m.data as Operation | undefined;
      if (!op) break;
      qc.setQueryData(serviceKeys.operation(op.id), { operation: op });
      if (m.service) {
        qc.setQueryData<Json<ServiceOverview>>(serviceKeys.overview(m.service), (o) => withOperation(o, op));
        // Sides and containers change with the steps; the overview carries them.
        void qc.invalidateQueries({ queryKey: serviceKeys.overview(m.service), exact: true });
      }
      break;
    }
    case "drift":
      void qc.invalidateQueries({ queryKey: driftKeys.report, exact: true });
      void qc.invalidateQueries({ queryKey: driftKeys.containers });
      break;
    case "quarantine":
      void qc.invalidateQueries({ queryKey: quarantineKeys.all, exact: true });
      break;
    case "releaseLog":
      // Every change to a service is in the release log (a spec edit, a shift, a smoke run...): its page follows.
      if (m.service) {
        void qc.invalidateQueries({ queryKey: serviceKeys.overview(m.service), exact: true });
        void qc.invalidateQueries({ queryKey: serviceKeys.list, exact: true });
      }
      // A log the reader paused (no refetchInterval) is left as it is.
      void qc.invalidateQueries({
        queryKey: eventKeys.all,
        predicate: (q) => q.observers.some((o) => o.options.refetchInterval !== false),
      });
      break;
  }
}
