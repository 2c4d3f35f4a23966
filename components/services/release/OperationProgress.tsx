import { Badge } from "@/components/ui/Badge";
import type { Json } from "@/server/http/json";
import type { OperationWithSteps } from "@/server/operations/operationLog";

const STEP_ICON = { running: "◌", done: "✓", failed: "✗", undone: "↺" } as const;
const STEP_COLOR = {
  running: "text-blue-600 animate-pulse",
  done: "text-emerald-600",
  failed: "text-red-600",
  undone: "text-amber-600",
} as const;
const OP_TONE = { running: "blue", succeeded: "green", failed: "red", undone: "amber" } as const;

function ms(a: string | number, b: string | number | null): string {
  const d = (b ? new Date(b).getTime() : Date.now()) - new Date(a).getTime();
  return d < 1000 ? `${d} ms` : `${(d / 1000).toFixed(1)} s`;
}

/** The last operation on the service, step by step, as recorded server-side. */
export function OperationProgress({ op }: { op: Json<OperationWithSteps> }) {
  return (
    <section data-testid="operation" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-center gap-2">
        <h2 className="font-semibold capitalize">{op.kind}</h2>
        <span className="text-sm text-slate-500">
          #{op.id} by {op.actor}
        </span>
        <Badge tone={OP_TONE[op.status]}>{op.status}</Badge>
        <span className="ml-auto text-xs text-slate-400">{ms(op.startedAt, op.finishedAt)}</span>
      </div>
      <ol className="mt-2 space-y-1 text-sm">
        {op.steps.map((s) => (
          <li key={s.id} className="flex gap-2">
            <span className={`w-4 text-center ${STEP_COLOR[s.status]}`}>{STEP_ICON[s.status]}</span>
            <span className="text-slate-800">{s.name}</span>
            {s.detail && (
              <span className="truncate text-slate-500" title={s.detail}>
                — {s.detail}
              </span>
            )}
            <span className="ml-auto shrink-0 text-xs text-slate-400">{ms(s.startedAt, s.finishedAt)}</span>
          </li>
        ))}
      </ol>
      {op.error && (
        <p role="alert" data-testid="operation-error" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {op.error}
        </p>
      )}
    </section>
  );
}
