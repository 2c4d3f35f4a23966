/** Shared with client components: no server imports here. */
export const RELEASE_STATUSES = [
  "deploying", // containers being created / health-gated
  "candidate", // healthy, in preview (weight 0), not serving
  "live", // serving traffic
  "standby", // was live, drained, containers kept for rollback
  "retired", // containers removed
  "failed", // aborted; containers removed
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const CONTAINER_SLOTS = ["blue", "green"] as const;
export type ContainerSlot = (typeof CONTAINER_SLOTS)[number];
