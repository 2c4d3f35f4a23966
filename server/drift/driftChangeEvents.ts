import "server-only";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import type { Gone } from "./hostEvaluation";

export type ContainerDelta = { name: string; serviceName: string | null; added: number; resolved: number };

/**
 * After a host's scan: one release-log event for drift that is new since the
 * previous scan and one for drift that went away (fixed, or its container
 * gone), so webhooks and the log say when drift appears and when it ends.
 * Nothing when nothing changed: scheduled scans do not flood the log.
 */
export function recordDriftChanges(hostName: string, scanId: number, deltas: ContainerDelta[], gone: Gone[]): void {
  const added = deltas.filter((d) => d.added > 0);
  const resolved = deltas.filter((d) => d.resolved > 0);
  const goneDrifted = gone.filter((g) => g.keys > 0);
  const services = (list: { serviceName: string | null }[]) => {
    const names = [...new Set(list.map((d) => d.serviceName).filter((n): n is string => n !== null))];
    return names.length === 1 ? names[0]! : null;
  };
  if (added.length) {
    recordEvent({
      actor: "system",
      action: "drift.detected",
      outcome: "info",
      hostName,
      serviceName: services(added),
      containerName: added.length === 1 ? added[0]!.name : null,
      message: `new drift on ${hostName}: ${added.map((d) => `${d.name} (${d.added})`).join(", ")}`,
      detail: { scanId, containers: added.map((d) => ({ name: d.name, service: d.serviceName, newFindings: d.added })) },
    });
  }
  if (resolved.length || goneDrifted.length) {
    recordEvent({
      actor: "system",
      action: "drift.resolved",
      outcome: "info",
      hostName,
      serviceName: services(resolved),
      containerName: resolved.length === 1 && !goneDrifted.length ? resolved[0]!.name : null,
      message: `drift resolved on ${hostName}: ${[...resolved.map((d) => `${d.name} (${d.resolved})`), ...goneDrifted.map((g) => `${g.name} (gone)`)].join(", ")}`,
      detail: {
        scanId,
        containers: resolved.map((d) => ({ name: d.name, service: d.serviceName, resolvedFindings: d.resolved })),
        gone: goneDrifted.map((g) => ({ name: g.name, findings: g.keys })),
      },
    });
  }
}
