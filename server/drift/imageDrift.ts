/** Image drift, pure: the image a container runs against the digest its release pinned. */
import type { Finding } from "./findings";

const short = (id: string | null | undefined) => (id ? id.replace(/^sha256:/, "").slice(0, 12) : "—");

export type PinnedRelease = { imageRef: string; imageDigest: string | null; imageId: string | null };

/**
 * The container's image ID against the release's image ID (config digest), and
 * the pinned repo digest against the image's RepoDigests (null: the engine no
 * longer has the image).
 */
export function imageFindings(
  release: PinnedRelease,
  actual: { imageId: string; configImage: string },
  repoDigests: string[] | null,
): Finding[] {
  const out: Finding[] = [];
  if (release.imageId && actual.imageId !== release.imageId) {
    out.push({
      key: "image:id",
      category: "image",
      field: "image",
      message: `runs image ${short(actual.imageId)}, the release pinned ${short(release.imageId)}`,
      expected: release.imageId,
      actual: actual.imageId,
    });
  }
  if (release.imageDigest && repoDigests && !repoDigests.includes(release.imageDigest)) {
    out.push({
      key: "image:digest",
      category: "image",
      field: "digest",
      message: "the image does not carry the pinned repo digest",
      expected: release.imageDigest,
      actual: repoDigests.join(", ") || "(no repo digest: built or loaded locally)",
    });
  }
  if (release.imageDigest && actual.configImage !== release.imageDigest) {
    out.push({
      key: "image:reference",
      category: "image",
      field: "reference",
      message: "created from another image reference than the pinned one",
      expected: release.imageDigest,
      actual: actual.configImage,
    });
  }
  if (!repoDigests)
    out.push({
      key: "image:gone",
      category: "image",
      field: "image",
      message: "the engine no longer has the image (removed after the container started)",
      info: true,
    });
  return out;
}

/** Informational: the tag the release was deployed from now resolves to another digest in the registry. */
export function tagFinding(release: PinnedRelease, resolved: { digest: string } | { error: string } | null): Finding | null {
  if (!resolved || !release.imageDigest) return null;
  const pinnedDigest = release.imageDigest.split("@")[1];
  if ("error" in resolved) {
    return {
      key: "registry:unchecked",
      category: "registry",
      field: "tag",
      message: `could not ask the registry about ${release.imageRef}: ${resolved.error}`,
      info: true,
    };
  }
  if (resolved.digest === pinnedDigest) return null;
  return {
    key: "registry:tag",
    category: "registry",
    field: "tag",
    message: `${release.imageRef} now resolves to ${short(resolved.digest)} in the registry; the release stays pinned to ${short(pinnedDigest)}`,
    expected: pinnedDigest ?? null,
    actual: resolved.digest,
    info: true,
  };
}

/** Whether a release was deployed from a tag (not a digest) that the registry can be asked about. */
export function hasTag(imageRef: string): boolean {
  if (imageRef.includes("@")) return false;
  const slash = imageRef.lastIndexOf("/");
  return imageRef.lastIndexOf(":") > slash;
}
