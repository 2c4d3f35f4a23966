import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { fleetReport } from "@/server/drift/driftReport";
import { DriftReport } from "@/components/drift/DriftReport";
import type { FleetReport } from "@/server/drift/driftReport";

/** Opens instantly from the stored scans (no engine call on the way). */
export default async function DriftPage() {
  const user = await requirePageUser();
  const initial: FleetReport = fleetReport();
  return <DriftReport initial={initial} canOperate={roleAllows(user.role, "operator")} />;
}
