import { NextResponse } from "next/server";
import { db } from "@/db/client";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { assertMayReadServiceData } from "@/server/auth/serviceScope";
import { quarantineById } from "@/server/quarantine/quarantineRows";
import { transcriptView } from "@/server/quarantine/transcriptRows";

export const dynamic = "force-dynamic";

/** The debug console's transcript of a quarantine, oldest first (operators: it holds command output). */
export const GET = route({ role: "operator", params: IdParam }, ({ params, actor }) => {
  const q = quarantineById(params.id);
  assertMayReadServiceData(actor, q.serviceName, "a console transcript");
  return NextResponse.json({ quarantineId: q.id, status: q.status, entries: transcriptView(db(), q.id) });
});
