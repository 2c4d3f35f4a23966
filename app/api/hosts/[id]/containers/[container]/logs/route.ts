import { route } from "@/server/http/route";
import { assertMayReadServiceData } from "@/server/auth/serviceScope";
import { HostContainerParams } from "@/server/http/params";
import { LogsQuery } from "@/server/logs/logsInput";
import { containerLogTarget } from "@/server/logs/logTargets";
import { logsResponse } from "@/server/logs/logsResponse";

export const dynamic = "force-dynamic";

export const GET = route({ role: "operator", params: HostContainerParams, query: LogsQuery }, async ({ req, params, query, actor }) => {
  const target = await containerLogTarget(params.id, params.container);
  assertMayReadServiceData(actor, target.service ?? null, "the logs");
  return logsResponse(req, [target], query, `${target.host.name}-${target.label}`, false);
});
