import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { ServicesList } from "@/components/services/ServicesList";

export default async function ServicesPage() {
  const user = await requirePageUser();
  return <ServicesList canEdit={roleAllows(user.role, "operator")} canCreate={roleAllows(user.role, "admin")} />;
}
