/** Client-side shapes of GET /api/quarantines (mirrors server/quarantine/quarantineView.ts, without server imports). */
import type { QuarantineStatus } from "@/server/quarantine/constants";

export type DriftCounts = { added: number; modified: number; deleted: number; total: number };

export type QuarantineItem = {
  id: number;
  status: QuarantineStatus;
  hostId: number;
  hostName: string;
  dockerId: string;
  originalName: string;
  quarantinedName: string;
  serviceName: string;
  releaseNumber: number;
  reason: string;
  quarantinedBy: string;
  quarantinedAt: number;
  operation: { id: number; status: string | null } | null;
  deadline: number | null;
  latestDeadline: number;
  warnAt: number | null;
  warnedAt: number | null;
  cancelled: { by: string | null; at: number; reason: string | null } | null;
  overdue: boolean;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  destroyedAt: number | null;
  destroyedBy: string | null;
  forensics: { url: string; bytes: number | null; capBytes: number | null; truncated: boolean } | null;
  extensions: { by: string; at: number; addedS: number; newDeadline: number }[];
  extensionRoomS: number;
  adviseImage: boolean;
  drift: DriftCounts | null;
  driftError: string | null;
};

export type QuarantineLimits = { maxLifetimeS: number; warnLeadS: number; defaultLifetimeS: number };

export type QuarantineList = { now: number; limits: QuarantineLimits; quarantines: QuarantineItem[] };
export type QuarantineOne = { now: number; limits: QuarantineLimits; quarantine: QuarantineItem };
