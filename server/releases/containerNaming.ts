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

/** `r<release>-<host>-<index>` as serverName makes it (host names: server/hosts/hostInput.ts). */
const SERVER_NAME = /^r[1-9][0-9]*-[A-Za-z0-9][A-Za-z0-9_.-]{0,62}-[1-9][0-9]*$/;

/** Whether a server in a backend is named the way Switchyard names its own; anything else is someone else's. */
export function isSwitchyardServerName(name: string): boolean {
  return SERVER_NAME.test(name);
}
