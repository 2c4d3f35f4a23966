import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { importServices, ImportInput } from "@/server/services/exportImport";

/** Create or update services from a YAML or JSON document (one spec or a list). */
export const POST = route({ role: "operator", body: ImportInput }, ({ actor, body }) => NextResponse.json(importServices(actor, body)));
