import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { QuarantinePage } from "@/components/quarantine/QuarantinePage";

export default async function QuarantineRoute() {
  const user = await requirePageUser();
  return <QuarantinePage canOperate={roleAllows(user.role, "operator")} isAdmin={roleAllows(user.role, "admin")} />;
}
