/** A short, human-readable reason from a dockerode / socket error. */
export function engineError(err: unknown): string {
  if (err && typeof err === "object") {
    const e = err as { code?: string; message?: string; address?: string; port?: number; statusCode?: number; json?: { message?: string } };
    if (e.json?.message) return e.json.message;
    if (e.code === "ENOENT") return `socket not found (${e.address ?? e.message})`;
    if (e.code === "ECONNREFUSED") return `connection refused${e.address ? ` (${e.address}${e.port ? `:${e.port}` : ""})` : ""}`;
    if (e.message) return e.message.replace(/^\(HTTP code \d+\)\s*/, "");
  }
  return String(err);
}
