import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/server/errors";

/** Cookie-authenticated mutations must come from this origin (CSRF defence). */
export function checkSameOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  if (!origin) throw new AppError("FORBIDDEN", "Missing Origin header on a cookie-authenticated change.");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("FORBIDDEN", "Malformed Origin header.");
  }
  if (!host || originHost !== host) {
    throw new AppError("FORBIDDEN", `Cross-origin request refused (Origin ${origin}).`);
  }
}
