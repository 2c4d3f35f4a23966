import { FleetOverview } from "@/components/fleet/FleetOverview";

export default function FleetPage() {
  return <FleetOverview />;
}
