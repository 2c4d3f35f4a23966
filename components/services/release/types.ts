/** Client-side shape of GET /api/services/:name (mirrors server/services/serviceOverview.ts). */
import type { ServiceSpec } from "@/server/services/serviceSpecInput";

export type ReleaseView = {
  id: number;
  number: number;
  status: "deploying" | "candidate" | "live" | "standby" | "retired" | "failed";
  imageRef: string;
  imageDigest: string | null;
  imageId: string | null;
  createdBy: string;
  createdAt: number;
  liveSince: number | null;
  standbySince: number | null;
  retiredAt: number | null;
  failureReason: string | null;
};

export type ServerStats = { status: string; checkStatus: string; weight: number; reqTotal: number; errors5xx: number; rps: number; rtimeMs: number };

export type SideContainer = {
  name: string;
  host: string;
  hostId: number;
  dockerId: string | null;
  /** Out of traffic for debugging; see /quarantine. */
  quarantined: boolean;
  hostReachable: boolean;
  hostError: string | null;
  port: number;
  serverName: string;
  slot: string;
  state: string;
  status: string | null;
  haproxy: ServerStats | null;
};

export type SideView = {
  release: ReleaseView;
  containers: SideContainer[];
  stats: { rps: number; errors5xx: number; requests: number; rtimeMs: number | null };
};

export type OperationStep = { id: number; name: string; status: "running" | "done" | "failed" | "undone"; detail: string | null; startedAt: string | number; finishedAt: string | number | null };
export type OperationView = {
  id: number;
  kind: string;
  status: "running" | "succeeded" | "failed" | "undone";
  actor: string;
  error: string | null;
  startedAt: string | number;
  finishedAt: string | number | null;
  steps: OperationStep[];
};

export type ServiceOverview = {
  service: { name: string; spec: ServiceSpec; updatedAt: number };
  live: SideView | null;
  candidate: SideView | null;
  standby: SideView | null;
  deploying: SideView | null;
  releases: ReleaseView[];
  operation: OperationView | null;
  haproxy: { ok: boolean; error: string | null };
  hostErrors: { host: string; error: string }[];
};
