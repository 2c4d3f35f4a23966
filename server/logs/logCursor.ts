import { tsAfter } from "./logFrames";

/**
 * Pure: where a reconnecting reader of a log stream left off. One
 * container's stream uses the last line's engine timestamp as its event id.
 * A merged stream (a service's containers) cannot: its containers write at
 * their own pace, and a line another container wrote earlier than the last
 * line seen may arrive later. Its id is every container's last timestamp,
 * `key=ts,key=ts`, keyed by the container's short ID (its name and label can
 * change: a quarantine renames it), so each resumes where it was.
 */
export type LogResume = { all: string | null; byContainer: ReadonlyMap<string, string> };

const TS = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/;
/** Well under Node's 16 KiB limit for all request headers, or the reconnect itself would be refused (431). */
export const MAX_ID_CHARS = 8 * 1024;

/** The cursor's key of a container: its ID's first 12 characters, as Docker shows it. */
export function cursorKey(containerId: string): string {
  return containerId.slice(0, 12);
}

export function encodeLogCursor(lastTs: ReadonlyMap<string, string>): string {
  return [...lastTs].map(([key, ts]) => `${encodeURIComponent(key)}=${ts}`).join(",");
}

/**
 * The event id of a merged stream's line. Past MAX_ID_CHARS (hundreds of
 * containers), the earliest of the timestamps alone: a reconnect then repeats
 * some lines rather than skip any.
 */
export function logCursorId(lastTs: ReadonlyMap<string, string>): string {
  const id = encodeLogCursor(lastTs);
  return id.length <= MAX_ID_CHARS ? id : earliest(lastTs.values())!;
}

function earliest(timestamps: Iterable<string>): string | null {
  let first: string | null = null;
  for (const ts of timestamps) if (!first || tsAfter(first, ts)) first = ts;
  return first;
}

/** A Last-Event-ID as a resume point; null when there is none or it is not one of ours (the stream starts afresh). */
export function parseLogResume(lastEventId: string | null): LogResume | null {
  if (!lastEventId || lastEventId.length > MAX_ID_CHARS) return null;
  if (TS.test(lastEventId)) return { all: lastEventId, byContainer: new Map() };
  const byContainer = new Map<string, string>();
  for (const part of lastEventId.split(",")) {
    const eq = part.lastIndexOf("=");
    if (eq <= 0) return null;
    const ts = part.slice(eq + 1);
    let name: string;
    try {
      name = decodeURIComponent(part.slice(0, eq));
    } catch {
      return null;
    }
    if (!TS.test(ts)) return null;
    byContainer.set(name, ts);
  }
  return { all: null, byContainer };
}

/**
 * The timestamp after which one container resumes. A container the cursor
 * does not name sent no line to this reader: it resumes from the earliest
 * point the cursor holds (nothing of it was shown after that either).
 */
export function resumeAfterFor(resume: LogResume | null, container: string): string | null {
  if (!resume) return null;
  return resume.byContainer.get(container) ?? resume.all ?? earliest(resume.byContainer.values());
}
