import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { ServiceForm } from "@/components/services/ServiceForm";

export default async function NewServicePage() {
  const user = await requirePageUser();
  return <ServiceForm canEdit={roleAllows(user.role, "operator")} />;
}
