import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody } from "@/server/http/params";
import { ScanQuery } from "@/server/drift/driftInput";
import { startScan } from "@/server/drift/runScan";
import { scanStatus } from "@/server/drift/scanStatus";

/** Scan now. One scan runs at a time: while one runs, this answers with it. */
export const POST = route({ role: "operator", body: EmptyBody, query: ScanQuery }, async ({ actor, query }) => {
  const { scan, done, alreadyRunning } = startScan("manual", actor);
  if (query.wait) await done;
  return NextResponse.json({ ...scanStatus(scan.id), alreadyRunning }, { status: query.wait ? 200 : 202 });
});
