import "server-only";
import type Docker from "dockerode";
import { withTimeout } from "@/server/async/withTimeout";
import { config } from "@/server/config";
import { engineError } from "@/server/hosts/engineError";

/** `docker top` at one moment of a quarantine, for the forensic bundle; an engine that does not answer is recorded as such. */
export type ProcessSnapshot = {
  when: "quarantine" | "destroy";
  capturedAt: string;
  by: string;
  titles: string[];
  processes: string[][];
  error: string | null;
};

export async function captureProcesses(container: Docker.Container, when: ProcessSnapshot["when"], by: string): Promise<ProcessSnapshot> {
  const capturedAt = new Date().toISOString();
  try {
    const top = (await withTimeout(container.top(), config().SWITCHYARD_HOST_TIMEOUT_MS, "docker top")) as {
      Titles?: string[];
      Processes?: string[][];
    };
    return { when, capturedAt, by, titles: top.Titles ?? [], processes: top.Processes ?? [], error: null };
  } catch (err) {
    return { when, capturedAt, by, titles: [], processes: [], error: engineError(err) };
  }
}
