import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { AppError } from "@/server/errors";
import { DriftReportQuery } from "@/server/drift/driftInput";
import { fleetReport } from "@/server/drift/driftReport";

export const dynamic = "force-dynamic";

/**
 * The fleet drift report from the stored scans. `?fail=true` is the CI form:
 * 409 (with the report) when a container drifted or is unaccounted; 503 when
 * it cannot tell (a host unreachable or not scanned yet).
 */
export const GET = route({ role: "viewer", query: DriftReportQuery }, ({ query }) => {
  const report = fleetReport();
  if (!query.fail) return NextResponse.json(report);
  const { counts, alerting } = report.summary;
  if (alerting > 0) {
    const message = `drift: ${counts.drifted} drifted and ${counts.unaccounted} unaccounted container(s) in the last scan`;
    return NextResponse.json({ error: { code: "CONFLICT", message }, ...report }, { status: 409 });
  }
  const unknown = report.hosts.filter((h) => h.verdict === "unreachable" || h.verdict === "not-scanned");
  if (unknown.length) {
    const why = unknown
      .map((h) => `${h.host} ${h.verdict === "unreachable" ? `unreachable (${h.scan?.error ?? "?"})` : "not scanned yet"}`)
      .join(", ");
    throw new AppError("UNAVAILABLE", `Cannot tell whether the fleet drifted: ${why}. Start a scan with POST /api/drift/scans.`);
  }
  return NextResponse.json(report);
});
