import { requirePageUser } from "@/server/auth/pageUser";
import { WebhooksAdmin } from "@/components/webhooks/WebhooksAdmin";

export default async function WebhooksSettingsPage() {
  const user = await requirePageUser();
  return <WebhooksAdmin isAdmin={user.role === "admin"} />;
}
