/**
 * Pure planning for the recreate strategy (server/releases/recreateRelease.ts):
 * the new release takes over the stopped one's host ports, replica by replica,
 * so a client that addresses a replica by host port (a database) and the
 * HAProxy server address keep working after the change.
 */

/**
 * The ports each placement host keeps: the i-th new replica on a host gets the
 * port of the i-th old container there (in creation order). Extra replicas get
 * fresh ports; old containers beyond the new count keep theirs (stopped).
 */
export function keptPorts(
  old: readonly { host: string; port: number }[],
  placement: readonly { host: string; replicas: number }[],
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of placement) {
    out.set(
      p.host,
      old
        .filter((c) => c.host === p.host)
        .map((c) => c.port)
        .slice(0, p.replicas),
    );
  }
  return out;
}

/** The measured gap of a recreate: from the stop of the old containers to the new ones passing the gate. */
export function describeGap(ms: number): string {
  return `gap ${(ms / 1000).toFixed(1)} s`;
}

/** The gap a release-log event of a recreate recorded (its detail `{ strategy: "recreate", gapMs }`), else null. */
export function gapOfEventDetail(detail: string | null): number | null {
  if (!detail) return null;
  try {
    const d = JSON.parse(detail) as { strategy?: unknown; gapMs?: unknown };
    return d.strategy === "recreate" && typeof d.gapMs === "number" && Number.isFinite(d.gapMs) ? d.gapMs : null;
  } catch {
    return null;
  }
}

/** Whether a change between releases with these specs must not run both at once (Deploy and Rollback alike). */
export function usesRecreate(...specs: readonly { strategy?: string }[]): boolean {
  return specs.some((s) => s.strategy === "recreate");
}
