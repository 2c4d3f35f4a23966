import { requirePageUser } from "@/server/auth/pageUser";
import { HostsAdmin } from "@/components/hosts/HostsAdmin";

export default async function HostsSettingsPage() {
  const user = await requirePageUser();
  return <HostsAdmin canEdit={user.role === "admin"} />;
}
