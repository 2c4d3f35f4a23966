import "server-only";
import fs from "node:fs";
import { Readable } from "node:stream";
import { AppError, notFound } from "@/server/errors";
import { quarantineById } from "./quarantineRows";

/** The stored forensic bundle of a destroyed quarantine, as a download. */
export function forensicsDownload(id: number): Response {
  const q = quarantineById(id);
  if (!q.forensicsPath) {
    throw new AppError(
      "NOT_FOUND",
      `Quarantine #${id} has no forensic bundle${q.status === "active" ? " yet: it is collected when the container is destroyed" : ""}.`,
    );
  }
  if (!fs.existsSync(q.forensicsPath)) throw notFound(`The forensic bundle of quarantine #${id} (${q.forensicsPath})`);
  const size = fs.statSync(q.forensicsPath).size;
  const body = Readable.toWeb(fs.createReadStream(q.forensicsPath)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": "application/gzip",
      "content-length": String(size),
      "content-disposition": `attachment; filename="forensics-${q.serviceName}-${q.originalName}-q${q.id}.tar.gz"`,
      "cache-control": "no-store",
    },
  });
}
