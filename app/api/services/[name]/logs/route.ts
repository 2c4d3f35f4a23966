import { route } from "@/server/http/route";
import { assertMayReadServiceData } from "@/server/auth/serviceScope";
import { ServiceParam } from "@/server/http/params";
import { LogsQuery } from "@/server/logs/logsInput";
import { serviceLogTargets } from "@/server/logs/logTargets";
import { logsResponse } from "@/server/logs/logsResponse";

export const dynamic = "force-dynamic";

export const GET = route({ role: "operator", params: ServiceParam, query: LogsQuery }, ({ req, params, query, actor }) => {
  assertMayReadServiceData(actor, params.name, "the logs");
  return logsResponse(req, serviceLogTargets(params.name), query, params.name, true);
});
