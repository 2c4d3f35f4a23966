/** Client-side shapes of the drift API (mirrors server/drift, without server imports; the pages check them against the server's types). */
import type { ChangeKind, ContainerVerdict, HostFactKey, HostVerdict } from "@/server/drift/constants";

export type VerdictCounts = Record<ContainerVerdict, number>;

export type DriftContainer = {
  id: string;
  shortId: string;
  name: string;
  image: string;
  state: string;
  service: string | null;
  release: number | null;
  releaseStatus: string | null;
  verdict: ContainerVerdict;
  quarantined: boolean;
  incomplete: boolean;
  note: string | null;
  counts: { image: number; config: number; info: number; changes: number; changesIgnored: number; changesEffective: number };
  new: number;
  resolved: number;
  scanId: number;
  scannedAt: number;
};

export type ScanView = { id: number; trigger: string; actor: string; status: string; hostsTotal: number; error: string | null; startedAt: number; finishedAt: number | null };
export type ScanHostView = {
  scanId: number;
  host: string;
  status: "running" | "done" | "unreachable";
  error: string | null;
  containersTotal: number;
  containersDone: number;
  notes: string[];
  startedAt: number;
  finishedAt: number | null;
};

export type HostSection = {
  host: string;
  hostId: number;
  verdict: HostVerdict;
  scan: ScanHostView | null;
  stale: boolean;
  progress: ScanHostView | null;
  engine: Record<HostFactKey, string> | null;
  counts: VerdictCounts;
  new: number;
  resolved: number;
  gone: { name: string; verdict: ContainerVerdict; keys: number }[];
  containers: DriftContainer[];
};

export type HostDrift = {
  fields: { key: HostFactKey; label: string; majority: string | null; values: { host: string; value: string | null; odd: boolean }[] }[];
  oddHosts: string[];
  compared: number;
};

export type FleetReport = {
  generatedAt: number;
  scan: ScanView | null;
  running: ScanView | null;
  summary: {
    verdict: HostVerdict;
    hosts: number;
    hostsUnreachable: number;
    containers: number;
    counts: VerdictCounts;
    alerting: number;
    ignoredChanges: number;
    new: number;
    resolved: number;
  };
  hostDrift: HostDrift;
  replaceable: { service: string; release: number; containers: { host: string; name: string }[] }[];
  hosts: HostSection[];
};

export type Finding = { key: string; category: string; field: string; message: string; expected?: string | null; actual?: string | null; info?: boolean };

export type IgnoreRuleView = { id: number; pattern: string; service: string | null; note: string; createdBy: string; createdAt: number; updatedAt: number };

export type DirectoryGroup = { dir: string; total: number; changed: number; added: number; deleted: number; ignored: number };

export type ContainerDetail = {
  host: string;
  current: boolean;
  container: DriftContainer;
  findings: Finding[];
  delta: { added: string[]; resolved: string[] };
  changes: { total: number; kinds: Record<ChangeKind, number>; directories: number; groups: DirectoryGroup[] };
  rules: IgnoreRuleView[];
  history: { scanId: number; scannedAt: number; verdict: ContainerVerdict; findings: number; changes: number; ignored: number; new: number; resolved: number }[];
};

export type ChangesPage = {
  host: string;
  container: string;
  scanId: number;
  items: { kind: ChangeKind; path: string; dir: string; ignoredBy: number | null; downloadable: boolean }[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
};
