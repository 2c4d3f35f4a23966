"use client";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { CONSOLE_DEFAULT_TIMEOUT_S, CONSOLE_MAX_TIMEOUT_S, CONSOLE_OUTPUT_CAP_BYTES } from "@/server/quarantine/constants";
import type { ConsoleEvent } from "@/server/quarantine/runConsoleCommand";
import { quarantineKeys, streamConsoleCommand } from "./queries";

type Run = { command: string; output: { stream: string; text: string }[]; outcome: string | null };

/**
 * The debug console of a quarantined container: one shell line at a time
 * (run with `sh -c`, no TTY, no stdin), its output streamed as it comes,
 * every command recorded in the transcript.
 */
export function DebugConsole({ url, quarantineId, name }: { url: string; quarantineId: number; name: string }) {
  const qc = useQueryClient();
  const [line, setLine] = useState("");
  const [timeoutS, setTimeoutS] = useState(String(CONSOLE_DEFAULT_TIMEOUT_S));
  const [run, setRun] = useState<Run | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const onEvent = (e: ConsoleEvent) =>
    setRun((r) => {
      if (e.type === "start") return { command: e.command, output: [], outcome: null };
      if (!r) return r;
      if (e.type === "output") return { ...r, output: [...r.output, { stream: e.stream, text: e.text }] };
      return { ...r, outcome: e.outcome };
    });

  const submit = async () => {
    setBusy(true);
    setError(null);
    setRun(null);
    try {
      await streamConsoleCommand(url, { shell: line, timeoutS: Number(timeoutS) }, onEvent);
      setLine("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: [...quarantineKeys.all, quarantineId, "transcript"] });
    }
  };

  return (
    <section className="mt-3 rounded-md border border-slate-300 bg-slate-900 p-2 text-slate-100" data-testid="debug-console">
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <span className="font-mono text-xs text-emerald-300">{name} $</span>
        <input
          value={line}
          onChange={(e) => setLine(e.target.value)}
          aria-label="Command"
          placeholder="ps; cat /proc/1/status; ls -la /tmp"
          className="min-w-64 flex-1 rounded border border-slate-600 bg-slate-800 px-2 py-1 font-mono text-sm text-slate-100 placeholder:text-slate-500"
        />
        <label className="flex items-center gap-1 text-xs text-slate-300">
          limit
          <input
            type="number"
            min={1}
            max={CONSOLE_MAX_TIMEOUT_S}
            value={timeoutS}
            onChange={(e) => setTimeoutS(e.target.value)}
            aria-label="Time limit (s)"
            className="w-16 rounded border border-slate-600 bg-slate-800 px-1 py-0.5 text-right text-slate-100"
          />
          s
        </label>
        <button
          type="submit"
          disabled={busy || line.trim() === ""}
          className="rounded bg-emerald-600 px-3 py-1 text-sm font-medium text-white hover:bg-emerald-500 disabled:opacity-40"
        >
          {busy ? "Running…" : "Run"}
        </button>
      </form>
      <p className="mt-1 text-xs text-slate-400">
        Runs with <code>sh -c</code> as the container&apos;s user; no TTY, no stdin; output kept up to {CONSOLE_OUTPUT_CAP_BYTES / 1024}{" "}
        KiB; every command goes into the transcript and the forensic bundle.
      </p>
      {run && (
        <div className="mt-2" data-testid="console-output">
          <div className="font-mono text-xs text-emerald-300">{run.command}</div>
          <pre className="max-h-72 overflow-auto font-mono text-xs whitespace-pre-wrap">
            {run.output.map((o, i) => (
              <span key={i} className={o.stream === "stderr" ? "text-red-300" : undefined}>
                {o.text}
              </span>
            ))}
          </pre>
          <div className="text-xs text-slate-400" data-testid="console-outcome">
            {run.outcome ?? "running…"}
          </div>
        </div>
      )}
      {error !== null && (
        <div className="mt-2">
          <ErrorBox error={error} />
        </div>
      )}
    </section>
  );
}
