import "server-only";
import type Docker from "dockerode";
import { withTimeout } from "@/server/async/withTimeout";
import { engineError } from "@/server/hosts/engineError";
import { containerCreateOptions } from "@/server/releases/containerConfig";
import { specOf } from "@/server/services/serviceRows";
import type { Accounting, EngineContainer } from "./accountContainers";
import { engineChangeList, normaliseChanges, withoutMountedPaths, type StoredChange } from "./changes";
import { diffContainerConfig } from "./diffContainerConfig";
import type { Finding } from "./findings";
import { imageFindings, tagFinding } from "./imageDrift";
import { containerFacts, imageFacts, type ImageFacts } from "./inspectFacts";

export type ScanClients = {
  docker: Docker;
  /** For the changes call, which walks the container's files: a longer timeout. */
  slow: Docker;
  timeoutMs: number;
  changesTimeoutMs: number;
  images: Map<string, Promise<ImageFacts | null>>;
  tag: (imageRef: string, docker: Docker) => Promise<{ digest: string } | { error: string } | null>;
};

export type Scanned = { findings: Finding[]; changes: StoredChange[]; incomplete: boolean; note: string | null };

const is404 = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

export class Vanished extends Error {}

function image(clients: ScanClients, id: string): Promise<ImageFacts | null> {
  let p = clients.images.get(id);
  if (!p) {
    p = withTimeout(clients.docker.getImage(id).inspect(), clients.timeoutMs, `image ${id.slice(7, 19)}`).then(imageFacts, (err) => {
      if (is404(err)) return null;
      throw err;
    });
    clients.images.set(id, p);
  }
  return p;
}

/**
 * One container against its release: image, config and filesystem. Throws
 * Vanished when the container disappears mid-scan; a failed changes call
 * leaves the result incomplete, with the reason in its note.
 */
export async function scanContainer(clients: ScanClients, c: EngineContainer, acc: Accounting): Promise<Scanned> {
  const handle = clients.docker.getContainer(c.Id);
  const info = await withTimeout(handle.inspect(), clients.timeoutMs, "inspect").catch((err) => {
    throw is404(err) ? new Vanished("vanished before it could be inspected") : err;
  });
  const facts = containerFacts(info);
  const findings: Finding[] = [];
  let mounted: string[] = [];
  if (acc.release && acc.row) {
    const img = await image(clients, facts.imageId);
    const spec = specOf(acc.release);
    mounted = [...spec.volumes, ...spec.tmpfs].map((m) => m.target);
    const expected = containerCreateOptions(
      spec,
      acc.release,
      acc.release.imageDigest ?? facts.configImage,
      acc.row.slot,
      acc.row.name,
      acc.row.port,
    );
    findings.push(...imageFindings(acc.release, facts, img?.repoDigests ?? null));
    findings.push(...diffContainerConfig(expected, new Set(spec.env.filter((e) => e.secret).map((e) => e.name)), facts, img));
    const tag = tagFinding(acc.release, await clients.tag(acc.release.imageRef, clients.docker));
    if (tag) findings.push(tag);
  }
  try {
    const raw: unknown = await withTimeout(clients.slow.getContainer(c.Id).changes(), clients.changesTimeoutMs, "changes");
    return { findings, changes: withoutMountedPaths(normaliseChanges(engineChangeList(raw)), mounted), incomplete: false, note: acc.note };
  } catch (err) {
    if (is404(err)) throw new Vanished("vanished before its changes could be read");
    return { findings, changes: [], incomplete: true, note: `filesystem changes not read: ${engineError(err)}` };
  }
}
