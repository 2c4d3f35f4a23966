import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { openApiDocument } from "@/server/http/openApiDocument";

/** Public on purpose: it documents the API and exposes no data. */
export const GET = route({ role: "public" }, () => NextResponse.json(openApiDocument()));
