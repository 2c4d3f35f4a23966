import "server-only";
import { NextResponse } from "next/server";
import { z, ZodError } from "zod";
import { AppError, ERROR_CODES } from "@/server/errors";
import { SmokeChecksFailed } from "@/server/releases/smokeError";

export type ErrorEnvelope = {
  error: { code: string; message: string; issues?: { path: string; message: string }[]; smoke?: SmokeChecksFailed["run"] };
};

function describeZod(err: ZodError) {
  const issues = err.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
  return { issues, message: z.prettifyError(err) };
}

/** SQLite gave up waiting for another writer (better-sqlite3's SqliteError after busy_timeout): SQLITE_BUSY*. */
function isDatabaseBusy(err: unknown): boolean {
  return err instanceof Error && err.name === "SqliteError" && /^SQLITE_BUSY/.test(String((err as { code?: unknown }).code));
}

/** The one mapping from thrown errors to the HTTP envelope. Internal causes never reach the client. */
export function errorResponse(err: unknown): NextResponse<ErrorEnvelope> {
  if (err instanceof ZodError) {
    const { issues, message } = describeZod(err);
    return NextResponse.json({ error: { code: "VALIDATION", message, issues } }, { status: 400 });
  }
  if (err instanceof SmokeChecksFailed) {
    return NextResponse.json({ error: { code: err.code, message: err.message, smoke: err.run } }, { status: ERROR_CODES[err.code] });
  }
  if (err instanceof AppError) {
    return NextResponse.json({ error: { code: err.code, message: err.message } }, { status: ERROR_CODES[err.code] });
  }
  if (isDatabaseBusy(err)) {
    // The failed write did not happen (SQLite statements are atomic); the client may simply try again.
    return NextResponse.json(
      {
        error: {
          code: "UNAVAILABLE",
          message: "The database is locked by another writer and stayed locked past the busy timeout (5 s); try again.",
        },
      },
      { status: 503, headers: { "retry-after": "5" } },
    );
  }
  console.error("[switchyard] unhandled error in route:", err);
  return NextResponse.json({ error: { code: "INTERNAL", message: "Internal error; the server log has the details." } }, { status: 500 });
}
