import { TimeAgo } from "@/components/ui/TimeAgo";
import { formatSeconds } from "@/server/quarantine/constants";
import { Countdown } from "./Countdown";
import type { QuarantineView } from "@/server/quarantine/quarantineView";

function kb(bytes: number | null): string {
  if (bytes === null) return "?";
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The one line that matters most: time left, overdue, cancelled, or destroyed with its bundle. */
export function TimerLine({ q, now, canDownload }: { q: QuarantineView; now: number; canDownload: boolean }) {
  const box = "mt-3 rounded-md px-3 py-2 text-sm";
  if (q.status === "destroyed") {
    return (
      <div className={`${box} flex flex-wrap items-center gap-x-3 gap-y-1 bg-slate-50 text-slate-700`} data-testid="timer">
        <span>
          Destroyed {q.destroyedAt ? <TimeAgo at={q.destroyedAt} /> : ""}{" "}
          {q.destroyedBy === "timer" ? "by its timer" : `by ${q.destroyedBy}`}.
        </span>
        {q.forensics && (
          <>
            {canDownload ? (
              <a href={q.forensics.url} download className="font-medium text-blue-700 hover:underline" data-testid="forensics-link">
                Download forensics ({kb(q.forensics.bytes)})
              </a>
            ) : (
              <span className="text-slate-500">Forensic bundle kept ({kb(q.forensics.bytes)}; operators can download it)</span>
            )}
            {q.forensics.sha256 && (
              <span className="font-mono text-xs break-all text-slate-500" data-testid="forensics-sha256" title="SHA-256 of the .tar.gz">
                sha256:{q.forensics.sha256}
              </span>
            )}
            {q.forensics.truncated && (
              <span className="text-amber-700">files over the {kb(q.forensics.capBytes)} cap were left out (see manifest.json)</span>
            )}
          </>
        )}
      </div>
    );
  }
  if (q.status === "failed") {
    return (
      <div className={`${box} bg-red-50 text-red-800`} data-testid="timer">
        Ended: {q.lastError}
      </div>
    );
  }
  if (q.operation?.status === "running") {
    return (
      <div className={`${box} animate-pulse bg-blue-50 text-blue-800`} data-testid="timer">
        Quarantining: taking it out of traffic and starting its replacement…
      </div>
    );
  }
  if (q.cancelled || q.deadline === null) {
    return (
      <div className={`${box} border-2 border-red-500 bg-red-50 font-medium text-red-900`} role="alert" data-testid="timer">
        SELF-DESTRUCT CANCELLED by {q.cancelled?.by ?? "?"} {q.cancelled ? <TimeAgo at={q.cancelled.at} /> : null}: “{q.cancelled?.reason}”.
        This container stays until someone destroys it.
      </div>
    );
  }
  if (q.status === "destroying")
    return (
      <div className={`${box} animate-pulse bg-blue-50 text-blue-800`} data-testid="timer">
        Destroying: collecting the forensic bundle, then stop and remove…
      </div>
    );
  if (q.overdue) {
    return (
      <div className={`${box} border border-red-300 bg-red-50 text-red-800`} role="alert" data-testid="timer">
        <span className="font-semibold">Overdue</span> by {formatSeconds((now - q.deadline) / 1000)}
        {q.lastError ? (
          <>
            : {q.lastError}. Attempt {q.attempts} failed;{" "}
            {q.nextAttemptAt ? (
              <>
                next in <Countdown at={q.nextAttemptAt} now={now} />
              </>
            ) : (
              "retrying"
            )}{" "}
            (with backoff).
          </>
        ) : (
          "."
        )}
      </div>
    );
  }
  const warned = q.warnAt !== null && now >= q.warnAt;
  return (
    <div
      className={`${box} ${warned ? "border border-amber-300 bg-amber-50 text-amber-900" : "bg-slate-50 text-slate-800"}`}
      data-testid="timer"
    >
      Self-destructs in{" "}
      <span className="text-base font-semibold">
        <Countdown at={q.deadline} now={now} />
      </span>{" "}
      <span className="text-slate-500">(at {new Date(q.deadline).toLocaleString()})</span>
      {warned && (
        <span className="ml-2 font-medium" data-testid="warning">
          ⚠ Soon: extend it if you still need it.
        </span>
      )}
    </div>
  );
}
