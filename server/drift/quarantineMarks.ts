import "server-only";
import { db } from "@/db/client";

export type QuarantineMarks = { has: (hostId: number, dockerId: string, releaseContainerId?: number | null) => boolean };

function columns(table: string): Set<string> {
  const rows = db().$client.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * Quarantined containers (issue 5) are allowed to drift. Read from SQLite if
 * the quarantine schema is there: the `quarantines` table (host_id, docker_id,
 * not destroyed) and a `quarantined_at` marker on release_containers. Read with
 * plain SQL, so the drift report works with or without that feature.
 */
export function quarantineMarks(): QuarantineMarks {
  const byContainer = new Set<string>();
  const byRow = new Set<number>();
  const q = columns("quarantines");
  if (q.has("host_id") && q.has("docker_id")) {
    const where = q.has("status") ? ` WHERE status <> 'destroyed'` : "";
    const rows = db().$client.prepare(`SELECT host_id AS hostId, docker_id AS dockerId FROM quarantines${where}`).all() as { hostId: number; dockerId: string }[];
    for (const r of rows) byContainer.add(`${r.hostId}:${r.dockerId}`);
  }
  if (columns("release_containers").has("quarantined_at")) {
    const rows = db().$client.prepare(`SELECT id FROM release_containers WHERE quarantined_at IS NOT NULL`).all() as { id: number }[];
    for (const r of rows) byRow.add(r.id);
  }
  return {
    has: (hostId, dockerId, releaseContainerId) => byContainer.has(`${hostId}:${dockerId}`) || (releaseContainerId != null && byRow.has(releaseContainerId)),
  };
}
