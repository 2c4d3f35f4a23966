"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { Badge } from "@/components/ui/Badge";
import type { LogEvent } from "@/server/logs/followContainerLogs";

/** The events of the log endpoints (server-sent `line` and `status`), as the server types them. */
type LineEvent = Extract<LogEvent, { kind: "line" }>;
type StatusEvent = Extract<LogEvent, { kind: "status" }>;
type Line = LineEvent & { id: number };

/** Lines kept in the page; older ones scroll out (the download has everything the engine keeps). */
const KEEP = 5000;
const TAILS = [100, 200, 1000, 5000] as const;
const SINCES = [
  { label: "any time", value: "" },
  { label: "last 15 min", value: "15m" },
  { label: "last hour", value: "1h" },
  { label: "last day", value: "1d" },
] as const;

const STATE_TONE = { connected: "green", resumed: "green", stopped: "amber", lost: "red", ended: "slate" } as const;

/**
 * A live log view over the server-sent events of a log endpoint: stdout and
 * stderr told apart, a text filter, tail / since / follow, a download, and per
 * container whether it is connected, lost (with the reason) or resumed.
 */
export function LogViewer({ endpoint, merged, title }: { endpoint: string; merged: boolean; title: string }) {
  const [tail, setTail] = useState<number>(200);
  const [since, setSince] = useState<string>("");
  const [follow, setFollow] = useState(true);
  const [filter, setFilter] = useState("");
  const [streams, setStreams] = useState({ stdout: true, stderr: true });
  const [lines, setLines] = useState<Line[]>([]);
  const [states, setStates] = useState<Record<string, StatusEvent>>({});
  const [transport, setTransport] = useState<"connecting" | "open" | "retrying" | "closed">("connecting");
  const [atBottom, setAtBottom] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const nextId = useRef(0);

  const query = useMemo(() => {
    const q = new URLSearchParams({ tail: String(tail), follow: String(follow) });
    if (since) q.set("since", since);
    return q.toString();
  }, [tail, since, follow]);

  useEffect(() => {
    setLines([]);
    setStates({});
    setTransport("connecting");
    const source = new EventSource(`${endpoint}?${query}`);
    let pending: Line[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const add = pending;
      pending = [];
      setLines((old) => [...old, ...add].slice(-KEEP));
    };
    source.onopen = () => setTransport("open");
    source.onerror = () => setTransport(source.readyState === EventSource.CLOSED ? "closed" : "retrying");
    source.addEventListener("line", (e) => {
      const l = JSON.parse((e as MessageEvent<string>).data) as LineEvent;
      pending.push({ ...l, id: nextId.current++ });
      if (!frame) frame = requestAnimationFrame(flush);
    });
    source.addEventListener("status", (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as StatusEvent;
      setStates((old) => {
        const next = { ...old, [s.container ?? "all"]: s };
        // Every container ended (not following, or all removed): stop the browser from reconnecting.
        if (Object.values(next).every((x) => x.state === "ended")) {
          source.close();
          setTransport("closed");
        }
        return next;
      });
    });
    return () => {
      if (frame) cancelAnimationFrame(frame);
      source.close();
    };
  }, [endpoint, query]);

  useEffect(() => {
    if (atBottom && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, atBottom]);

  const needle = filter.trim().toLowerCase();
  const shown = lines.filter(
    (l) =>
      streams[l.stream] && (!needle || l.text.toLowerCase().includes(needle) || (merged && l.container.toLowerCase().includes(needle))),
  );
  const download = `${endpoint}?${new URLSearchParams({ format: "text", tail: String(tail), ...(since ? { since } : {}) })}`;
  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";
  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{title}</h1>
        <Badge tone={transport === "open" ? "green" : transport === "closed" ? "slate" : "amber"}>
          {transport === "open" ? (follow ? "live" : "loaded") : transport === "retrying" ? "reconnecting…" : transport}
        </Badge>
      </div>
      <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="log-controls">
        <input
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={merged ? "Filter lines or containers" : "Filter lines"}
          aria-label="Filter"
          className={`${input} w-64`}
        />
        <label className="flex items-center gap-1">
          Last
          <select value={tail} onChange={(e) => setTail(Number(e.target.value))} className={input} aria-label="Lines from the end">
            {TAILS.map((t) => (
              <option key={t} value={t}>
                {t} lines
              </option>
            ))}
          </select>
        </label>
        <select value={since} onChange={(e) => setSince(e.target.value)} className={input} aria-label="Since">
          {SINCES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={streams.stdout} onChange={(e) => setStreams((s) => ({ ...s, stdout: e.target.checked }))} />{" "}
          stdout
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={streams.stderr} onChange={(e) => setStreams((s) => ({ ...s, stderr: e.target.checked }))} />{" "}
          stderr
        </label>
        <a href={download} className="ml-auto rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50" download>
          Download
        </a>
      </div>
      {Object.values(states).length > 0 && (
        <ul className="flex flex-wrap gap-2 text-xs" data-testid="log-states">
          {Object.values(states).map((s) => (
            <li key={s.container} className="flex items-center gap-1" title={s.message}>
              <Badge tone={STATE_TONE[s.state]}>{s.state}</Badge>
              <span className="font-mono">{s.container}</span>
              {(s.state === "lost" || s.state === "stopped" || s.state === "ended") && <span className="text-slate-600">{s.message}</span>}
            </li>
          ))}
        </ul>
      )}
      <div
        ref={box}
        onScroll={(e) => {
          const el = e.currentTarget;
          setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
        }}
        className="h-[60vh] overflow-auto rounded-lg border border-slate-800 bg-slate-950 p-3 font-mono text-xs leading-5 text-slate-100"
        data-testid="log-lines"
        role="log"
        aria-live="off"
      >
        {shown.length === 0 && (
          <p className="text-slate-500">
            {lines.length ? "No line matches the filter." : transport === "closed" ? "The log is empty." : "Waiting for lines…"}
          </p>
        )}
        {shown.map((l) => (
          <div key={l.id} className={`whitespace-pre-wrap ${l.stream === "stderr" ? "text-red-300" : ""}`} data-stream={l.stream}>
            <span className="text-slate-500 select-none">{l.ts.slice(11, 23)} </span>
            {merged && <span className="text-sky-300">{l.container} </span>}
            {l.text}
          </div>
        ))}
      </div>
      <p className="text-xs text-slate-500">
        {shown.length} of {lines.length} line(s) shown{lines.length >= KEEP ? ` (the page keeps the last ${KEEP}; Download has all)` : ""}.
        {!atBottom && follow && " Scrolled up: new lines arrive below."}
      </p>
    </section>
  );
}
