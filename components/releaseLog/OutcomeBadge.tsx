import { Badge } from "@/components/ui/Badge";
import type { EventOutcome } from "@/server/releaseLog/constants";

const TONE = { ok: "green", failed: "red", info: "blue" } as const;

export function OutcomeBadge({ outcome }: { outcome: EventOutcome }) {
  return <Badge tone={TONE[outcome] ?? "slate"}>{outcome}</Badge>;
}
