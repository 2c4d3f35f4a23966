/** Image references, pure: `registry:5000/team/app:tag@sha256:…`. */
export type ImageReference = { repository: string; tag?: string; digest?: string };

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseImageReference(ref: string): ImageReference {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`'${digest}' is not a sha256 digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest) throw new Error(`'${ref}' has no repository`);
  return { repository: rest, tag, digest };
}

/**
 * What the user asked to deploy, as a full reference: a bare tag or digest is
 * taken relative to the service's repository.
 */
export function requestedReference(serviceRepository: string, asked: string): string {
  const a = asked.trim();
  if (DIGEST.test(a)) return `${serviceRepository}@${a}`;
  if (!a.includes("/") && !a.includes("@") && !a.includes(":")) return `${serviceRepository}:${a}`;
  return a;
}

export function pinnedReference(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}
