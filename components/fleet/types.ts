/** Client-side shapes of the fleet API (mirrors server/fleet, without server imports). */
export type EngineFacts = {
  engineVersion: string;
  apiVersion: string;
  os: string;
  osType: string;
  architecture: string;
  kernel: string;
  storageDriver: string;
  cgroupDriver: string;
  containers: { total: number; running: number; paused: number; stopped: number };
  images: number;
};

export type HostView = {
  id: number;
  name: string;
  url: string;
  tls: boolean;
  ssh: boolean;
  hasSshKey: boolean;
  /** The pinned SSH host key ("SHA256:..."), public information. */
  hostKeyFingerprint: string | null;
  /** Plain tcp:// to a non-loopback address, allowed by an admin. */
  insecure: boolean;
  lastSeenAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
};

export type FleetHost = HostView & {
  status:
    | { reachable: true; checkedAt: number; latencyMs: number; engine: EngineFacts }
    | { reachable: false; checkedAt: number; error: string };
};

export type ContainerSummary = {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  status: string;
  createdAt: number;
  labels: Record<string, string>;
};

export type HostContainers = { host: HostView } & (
  | { reachable: true; containers: ContainerSummary[] }
  | { reachable: false; error: string }
);
