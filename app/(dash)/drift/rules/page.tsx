import { requirePageUser } from "@/server/auth/pageUser";
import { IgnoreRules } from "@/components/drift/IgnoreRules";

export default async function DriftRulesPage() {
  const user = await requirePageUser();
  return <IgnoreRules isAdmin={user.role === "admin"} />;
}
