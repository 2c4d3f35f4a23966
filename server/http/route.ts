import "server-only";
import type { NextRequest } from "next/server";
import type { ZodType } from "zod";
import { AppError } from "@/server/errors";
import { roleAllows, type Role } from "@/server/auth/roles";
import type { Actor } from "@/server/auth/actor";
import { SESSION_COOKIE, sessionUser } from "@/server/auth/sessions";
import { tokenUser } from "@/server/auth/apiTokens";
import { errorResponse } from "./errorResponse";
import { checkSameOrigin } from "./sameOrigin";
import { clientIp } from "./clientIp";

type RouteContext = { params: Promise<Record<string, string | string[]>> };

type Options<B, Q, P> = {
  /** Minimum role; "public" skips authentication (login, first-run setup). */
  role: Role | "public";
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** Refused for API tokens: only a browser session may call it (as `sessionOnly` in the API catalog). */
  sessionOnly?: boolean;
};

type HandlerArgs<B, Q, P, R> = { req: NextRequest; actor: R; body: B; query: Q; params: P; ip: string | null };

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function authenticate(req: NextRequest, ip: string | null): Actor | null {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError("UNAUTHENTICATED", "Authorization header must be 'Bearer <token>'.");
    const t = tokenUser(m[1]!);
    if (!t) throw new AppError("UNAUTHENTICATED", "Unknown or revoked API token.");
    return { ...t, via: "token", ip };
  }
  const s = sessionUser(req.cookies.get(SESSION_COOKIE)?.value);
  if (!s) return null;
  if (MUTATING.has(req.method)) checkSameOrigin(req);
  return { userId: s.userId, username: s.username, role: s.role, via: "session", sessionId: s.sessionId, ip };
}

/** Larger bodies are refused before parsing (a service import is a few KiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${MAX_BODY_BYTES} bytes.`);

/** How much of an over-limit body is read and thrown away before the answer; past it, the connection is dropped. */
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Reads the body from its stream with a running count, and stops keeping it at
 * the limit: a declared Content-Length over it is refused before reading, and a
 * chunked body (no length) is refused once it passes the limit, so no request
 * makes the server hold more than MAX_BODY_BYTES of it. The rest of an
 * over-limit body is read and dropped (up to DISCARD_MAX_BYTES) before the 413
 * is sent: Node closes the socket as soon as the answer is written, and closing
 * with unread bytes resets the connection, which loses the answer on the client.
 */
export async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      chunks.length = 0;
      await discardRest(reader, DISCARD_MAX_BYTES);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, max: number): Promise<void> {
  let dropped = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
      if (dropped > max) return void (await reader.cancel());
    }
  } catch {
    // the client went away: nothing to answer
  }
}

async function readJson(req: NextRequest): Promise<unknown> {
  const text = await readBodyText(req);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "Request body is not valid JSON.");
  }
}

/**
 * A token scoped to services may read everything its role allows, but change
 * only routes addressed to one of its services (the `name` path parameter).
 */
function checkServiceScope(actor: Actor, method: string, rawParams: Record<string, string | string[]>): void {
  if (!actor.services || !MUTATING.has(method)) return;
  const scope = actor.services.length ? actor.services.join(", ") : "no service";
  const name = rawParams.name;
  if (typeof name !== "string") {
    throw new AppError("FORBIDDEN", `This API token is limited to ${scope}: it may only change those services, and read.`);
  }
  if (!actor.services.includes(name)) {
    throw new AppError("FORBIDDEN", `This API token is limited to ${scope}; it may not change ${name}.`);
  }
}

function searchParamsObject(req: NextRequest): Record<string, string> {
  return Object.fromEntries(req.nextUrl.searchParams.entries());
}

/**
 * Wraps a route handler: authenticates (session cookie or Bearer token), checks
 * the role and the same-origin rule, parses params/query/body with zod, and maps
 * every error to the one JSON envelope. Handlers stay a few lines long.
 */
export function route<B = undefined, Q = undefined, P = undefined, O extends Options<B, Q, P> = Options<B, Q, P>>(
  opts: O & Options<B, Q, P>,
  handler: (args: HandlerArgs<B, Q, P, O["role"] extends "public" ? Actor | null : Actor>) => Promise<Response> | Response,
) {
  return async (req: NextRequest, ctx: RouteContext): Promise<Response> => {
    try {
      const ip = clientIp(req);
      const actor = authenticate(req, ip);
      if (opts.role !== "public") {
        if (!actor) throw new AppError("UNAUTHENTICATED", "Log in or send an API token.");
        if (!roleAllows(actor.role, opts.role)) {
          throw new AppError("FORBIDDEN", `This needs the ${opts.role} role; you are ${actor.role}.`);
        }
      }
      const rawParams = ctx?.params ? await ctx.params : {};
      if (actor && opts.role !== "public") {
        if (opts.sessionOnly && actor.via === "token") throw new AppError("FORBIDDEN", "API tokens cannot do this; use a browser session.");
        checkServiceScope(actor, req.method, rawParams);
      }
      const params = (opts.params ? opts.params.parse(rawParams) : undefined) as P;
      const query = (opts.query ? opts.query.parse(searchParamsObject(req)) : undefined) as Q;
      const body = (opts.body ? opts.body.parse(await readJson(req)) : undefined) as B;
      return await handler({ req, actor: actor as never, body, query, params, ip });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
