import "server-only";
import type Docker from "dockerode";
import { engineError } from "@/server/hosts/engineError";
import { withTimeout } from "@/server/async/withTimeout";

/** Pulls a pinned reference (repo@sha256:…) and returns the image ID (config digest). */
export async function pullImage(docker: Docker, pinned: string, hostName: string): Promise<string> {
  try {
    const existing = await docker
      .getImage(pinned)
      .inspect()
      .catch(() => null);
    if (existing) return existing.Id;
    const stream = await withTimeout(docker.createImage({ fromImage: pinned }), 30_000, `pull on ${hostName}`);
    await withTimeout(
      new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
          const failed = output?.find((o) => o.error);
          if (err || failed) reject(err ?? new Error(failed?.error));
          else resolve();
        }),
      ),
      600_000,
      `pull on ${hostName}`,
    );
    return (await docker.getImage(pinned).inspect()).Id;
  } catch (err) {
    throw new Error(`pull ${pinned} on ${hostName} failed: ${engineError(err)}`, { cause: err });
  }
}
