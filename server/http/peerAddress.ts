import "server-only";
import http, { type IncomingMessage } from "node:http";

/**
 * The socket peer of a request, for route handlers.
 *
 * Under `next start` a route handler sees only headers: Next.js copies the
 * socket address into X-Forwarded-For only when the client sent none
 * (`x-forwarded-for ??=` in next/dist/server/base-server.js), so a client that
 * sends its own X-Forwarded-For hides the real peer. At start-up
 * (instrumentation.ts → startServer) we therefore wrap every Node HTTP server's
 * request event, in this process: any client-sent copy of PEER_HEADER is
 * dropped and the socket's remoteAddress is written in its place, before
 * Next.js sees the request.
 */
export const PEER_HEADER = "x-switchyard-peer";

const globalForPeer = globalThis as unknown as { switchyardPeerStamp?: boolean };

/** Overwrites PEER_HEADER with the socket's address (a client cannot set it). */
function stampPeer(req: IncomingMessage): void {
  delete req.headers[PEER_HEADER];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === PEER_HEADER) raw.splice(i, 2);
  }
  req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
}

/** Installs the stamp once per process; from then on PEER_HEADER is trusted. */
export function installPeerStamp(): void {
  if (globalForPeer.switchyardPeerStamp) return;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    // "checkContinue"/"checkExpectation" replace "request" for Expect: headers.
    if (event === "request" || event === "checkContinue" || event === "checkExpectation") stampPeer(args[0] as IncomingMessage);
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
  globalForPeer.switchyardPeerStamp = true;
}

/**
 * The peer address the stamp wrote, or null when no stamp is installed (then
 * the header could be anyone's, so it is ignored).
 */
export function peerAddress(headers: Headers): string | null {
  if (!globalForPeer.switchyardPeerStamp) return null;
  return headers.get(PEER_HEADER) || null;
}
