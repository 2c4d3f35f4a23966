/** Names and labels by which Switchyard recognises its own containers. */
export const LABELS = {
  managed: "io.switchyard.managed",
  service: "io.switchyard.service",
  release: "io.switchyard.release",
  slot: "io.switchyard.slot",
  digest: "io.switchyard.digest",
} as const;

export function containerName(service: string, release: number, host: string, index: number): string {
  return `${service}-r${release}-${host}-${index}`;
}

/** The HAProxy server name inside the service's backend. */
export function serverName(release: number, host: string, index: number): string {
  return `r${release}-${host}-${index}`;
}
