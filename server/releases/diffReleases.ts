import "server-only";
import { z } from "zod";
import { ifFound, notFound } from "@/server/errors";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import { releaseDiff, type ReleaseDiff } from "./releaseDiff";
import { releaseByNumber, type ReleaseRow } from "./releaseRows";

const ReleaseNumber = (which: string) =>
  z.coerce
    .number({ error: `${which}: a release number` })
    .int(`${which}: a whole release number`)
    .positive(`${which}: a release number from 1`);

/** `?from=N&to=M`: the two releases to compare (from is the older one, usually). */
export const ReleaseDiffQuery = z.object({ from: ReleaseNumber("from"), to: ReleaseNumber("to") }).strict();

/** The diff between two releases of a service: image digest and each changed spec field (secret values only as changed). */
export function diffReleases(serviceName: string, from: number, to: number): ReleaseDiff {
  const service = serviceByName(serviceName);
  const find = (n: number): ReleaseRow => {
    const r = ifFound(() => releaseByNumber(service.id, n));
    if (!r) throw notFound(`Release ${n} of ${service.name}`);
    return r;
  };
  const a = find(from);
  const b = find(to);
  return releaseDiff(
    { number: a.number, imageDigest: a.imageDigest, spec: specOf(a) },
    { number: b.number, imageDigest: b.imageDigest, spec: specOf(b) },
  );
}
