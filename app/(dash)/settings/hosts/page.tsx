import { requirePageUser } from "@/server/auth/pageUser";
import { HostsAdmin } from "@/components/hosts/HostsAdmin";
import { ManagedRoutingPanel } from "@/components/hosts/ManagedRoutingPanel";

export default async function HostsSettingsPage() {
  const user = await requirePageUser();
  return (
    <div className="space-y-8">
      <HostsAdmin canEdit={user.role === "admin"} />
      <ManagedRoutingPanel />
    </div>
  );
}
