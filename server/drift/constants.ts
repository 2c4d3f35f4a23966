/** Shared with client components: no server imports here (the enum lists come from the schema's own file). */
import { CONTAINER_VERDICTS, SCAN_TRIGGERS } from "@/db/schema/enums";

export { CONTAINER_VERDICTS, SCAN_TRIGGERS };
export type ContainerVerdict = (typeof CONTAINER_VERDICTS)[number];

/** A host (or the fleet) takes its worst container: drifted, else unaccounted, else clean. */
export const HOST_VERDICTS = ["clean", "drifted", "unaccounted", "unreachable", "not-scanned"] as const;
export type HostVerdict = (typeof HOST_VERDICTS)[number];

export type ScanTrigger = (typeof SCAN_TRIGGERS)[number];

/** Engine API `GET /containers/{id}/changes`: Kind 0, 1, 2. */
export const CHANGE_KINDS = ["changed", "added", "deleted"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const FINDING_CATEGORIES = ["image", "config", "registry"] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

/** Engine facts compared across hosts (host drift). */
export const HOST_FACT_FIELDS = [
  { key: "engineVersion", label: "Engine version" },
  { key: "apiVersion", label: "API version" },
  { key: "os", label: "OS" },
  { key: "kernel", label: "Kernel" },
  { key: "storageDriver", label: "Storage driver" },
  { key: "cgroupDriver", label: "Cgroup driver" },
] as const;
export type HostFactKey = (typeof HOST_FACT_FIELDS)[number]["key"];

/** Written once into an empty rule table; editable (and deletable) like any rule. */
export const DEFAULT_IGNORE_RULES = [
  { pattern: "/tmp", note: "scratch space" },
  { pattern: "/var/tmp", note: "scratch space" },
  { pattern: "/run", note: "pid files and sockets" },
] as const;

/** Containers scanned at the same time on one engine (the changes call walks the container's files). */
export const SCAN_CONCURRENCY_PER_HOST = 4;
export const CHANGES_PAGE_SIZE = 200;
export const CHANGES_PAGE_SIZE_MAX = 1000;
/** Directory groups listed with a container; the rest are counted. */
export const DIRECTORY_GROUPS_SHOWN = 100;
/** Scans kept in SQLite (history per container); older ones are pruned. */
export const SCANS_KEPT = 200;
