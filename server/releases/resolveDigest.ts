import "server-only";
import type Docker from "dockerode";
import { AppError, errorMessage } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { withTimeout } from "@/server/async/withTimeout";
import { parseImageReference, pinnedReference } from "./imageReference";

/**
 * Resolves a reference to `repository@sha256:…` by asking the registry,
 * through the engine's distribution endpoint (it holds the registry's
 * credentials and TLS settings). A digest reference is returned as is.
 */
export async function resolveDigest(docker: Docker, ref: string): Promise<{ repository: string; digest: string; pinned: string }> {
  let parsed;
  try {
    parsed = parseImageReference(ref);
  } catch (err) {
    throw new AppError("VALIDATION", `image: ${errorMessage(err)}`);
  }
  if (parsed.digest)
    return { repository: parsed.repository, digest: parsed.digest, pinned: pinnedReference(parsed.repository, parsed.digest) };
  const tagged = `${parsed.repository}:${parsed.tag ?? "latest"}`;
  try {
    const info = (await withTimeout(docker.getImage(tagged).distribution(), 15_000, `registry lookup of ${tagged}`)) as {
      Descriptor?: { digest?: string };
    };
    const digest = info.Descriptor?.digest;
    if (!digest) throw new Error("the registry returned no digest");
    return { repository: parsed.repository, digest, pinned: pinnedReference(parsed.repository, digest) };
  } catch (err) {
    const reason = engineError(err);
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && /manifest unknown|not found/i.test(reason)) {
      throw new AppError("UNPROCESSABLE", `${tagged} does not exist in the registry (${reason})`);
    }
    throw new AppError("UNAVAILABLE", `could not resolve ${tagged} to a digest: ${reason}`);
  }
}
