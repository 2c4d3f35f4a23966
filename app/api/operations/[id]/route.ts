import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { operationWithSteps } from "@/server/operations/operationLog";
import { notFound } from "@/server/errors";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: IdParam }, ({ params }) => {
  const op = operationWithSteps(params.id);
  if (!op) throw notFound(`Operation ${params.id}`);
  return NextResponse.json({ operation: op });
});
