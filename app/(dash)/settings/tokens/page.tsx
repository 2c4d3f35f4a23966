import { requirePageUser } from "@/server/auth/pageUser";
import { ApiTokensAdmin } from "@/components/tokens/ApiTokensAdmin";

export default async function TokensSettingsPage() {
  const user = await requirePageUser();
  return <ApiTokensAdmin userRole={user.role} />;
}
