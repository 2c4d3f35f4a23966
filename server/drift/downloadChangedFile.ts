import "server-only";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError, notFound } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost } from "@/server/hosts/hostRegistry";
import { withTimeout } from "@/server/async/withTimeout";
import { changeSet } from "./changeSets";
import { findResult } from "./findResult";

/** `[A-Za-z0-9._-]` only, never empty: safe inside Content-Disposition on every browser. */
export function safeFileName(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._]+/, "")
      .slice(0, 120) || "file"
  );
}

/**
 * An added or changed file of a container, as the engine's archive endpoint
 * returns it (a tar stream), read-only. Only paths the last scan listed as
 * added or changed can be fetched: this is not a general file browser.
 */
export async function downloadChangedFile(hostName: string, container: string, filePath: string) {
  const { host, result, current } = findResult(hostName, container);
  if (!current) throw notFound(`Container '${result.name}' is no longer on ${host.name} (not in its last scan)`);
  const entry = changeSet(result.changeSet).find(([, p]) => p === filePath);
  if (!entry || entry[0] === 2) throw notFound(`'${filePath}' is not an added or changed file of ${result.name} in the last scan`);
  try {
    const stream = await withTimeout(
      dockerForHost(host, 60_000).getContainer(result.dockerId).getArchive({ path: filePath }),
      15_000,
      `archive on ${host.name}`,
    );
    const fileName = `${safeFileName(result.name)}-${safeFileName(path.posix.basename(filePath))}.tar`;
    return { body: Readable.toWeb(stream as Readable) as ReadableStream<Uint8Array>, fileName };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404)
      throw notFound(`'${filePath}' is no longer in ${result.name} (or the container is gone)`);
    throw new AppError("UNAVAILABLE", `could not read '${filePath}' from ${result.name} on ${host.name}: ${engineError(err)}`);
  }
}
