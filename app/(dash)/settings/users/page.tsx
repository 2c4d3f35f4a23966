import { requirePageUser } from "@/server/auth/pageUser";
import { UsersAdmin } from "@/components/users/UsersAdmin";

export default async function UsersSettingsPage() {
  const user = await requirePageUser();
  return <UsersAdmin currentUserId={user.userId} canEdit={user.role === "admin"} />;
}
