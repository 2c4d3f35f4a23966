import { Badge } from "@/components/ui/Badge";
import type { ContainerVerdict, HostVerdict } from "@/server/drift/constants";

const TONE = {
  clean: "green",
  drifted: "red",
  unaccounted: "amber",
  "allowed-to-drift": "blue",
  unknown: "slate",
  unreachable: "red",
  "not-scanned": "slate",
} as const;

export function VerdictBadge({ verdict }: { verdict: ContainerVerdict | HostVerdict }) {
  return (
    <span data-testid="verdict" data-verdict={verdict}>
      <Badge tone={TONE[verdict]}>{verdict.replaceAll("-", " ")}</Badge>
    </span>
  );
}
