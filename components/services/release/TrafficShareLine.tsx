import type { TrafficShare } from "@/server/routing/trafficShare";

/** What HAProxy actually gives this side: "HAProxy: 100 % of traffic" or "HAProxy: 0 % — drained". */
export function TrafficShareLine({ traffic }: { traffic: TrafficShare }) {
  const some = traffic.percent > 0;
  const basis = traffic.basis === "requests" ? "measured from request rates" : "from weights and states (no traffic right now)";
  return (
    <p
      data-testid="traffic-share"
      title={basis}
      className={`mt-2 rounded-md px-3 py-1.5 text-sm font-medium ${some ? "bg-emerald-50 text-emerald-800" : "bg-slate-100 text-slate-600"}`}
    >
      HAProxy: {traffic.percent} % of traffic{some ? "" : ` — ${traffic.why}`}
    </p>
  );
}
