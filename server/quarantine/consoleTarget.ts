import "server-only";
import { conflict } from "@/server/errors";
import { hostRow } from "@/server/hosts/hostRegistry";
import { activeContainersOnHost } from "@/server/releases/releaseRows";
import { listQuarantineRows, type QuarantineRow } from "./quarantineRows";

const isIdPrefix = (ref: string) => /^[0-9a-f]{12,64}$/.test(ref);

/**
 * The quarantine whose container a console request names on a host (Docker
 * id, 12+ hex digit prefix, original or quarantined name). Anything else is
 * refused (409) with what it is: a live container is never exec'd into.
 */
export function consoleTarget(hostId: number, ref: string): QuarantineRow {
  const host = hostRow(hostId);
  const named = (q: { dockerId: string | null; name: string }) =>
    q.name === ref || q.dockerId === ref || (isIdPrefix(ref) && Boolean(q.dockerId?.startsWith(ref)));
  const quarantined = listQuarantineRows().filter(
    (q) => q.hostId === host.id && (named({ dockerId: q.dockerId, name: q.originalName }) || q.quarantinedName === ref),
  );
  const active = quarantined.find((q) => q.status === "active");
  if (active) return active;
  const ended = quarantined[0];
  if (ended)
    throw conflict(
      `${ended.quarantinedName} on ${host.name} was quarantined (#${ended.id}) and is ${ended.status}: the debug console runs only in a container that is still quarantined.`,
    );
  const live = activeContainersOnHost(host.id).find((r) => named(r.container));
  if (live)
    throw conflict(
      `${live.container.name} on ${host.name} is not quarantined: it is a container of ${live.service.name} release ${live.release.number} (${live.release.status}). ` +
        "The debug console never runs in a container that is in service; quarantine it first (it is taken out of traffic and replaced), then debug it from the quarantine page.",
    );
  throw conflict(
    `'${ref}' on ${host.name} is not a quarantined container: the debug console runs only in containers Switchyard has quarantined.`,
  );
}
