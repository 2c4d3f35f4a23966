import { TimeAgo } from "@/components/ui/TimeAgo";
import type { RoutingPendingView } from "@/server/routing/routingTruth";

/** HAProxy has not matched the record for longer than one reconcile: say so, and why, above the sides. */
export function RoutingPendingNote({ pending }: { pending: RoutingPendingView }) {
  return (
    <div data-testid="routing-pending" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">Routing pending: {pending.reason}</p>
      <p className="mt-1 text-xs">
        Since <TimeAgo at={pending.since} />, HAProxy differs from the record: {pending.differences.join("; ")}. The shares below are what
        HAProxy really does; reconcile keeps retrying.
      </p>
    </div>
  );
}
