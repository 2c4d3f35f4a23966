import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { ServiceForm } from "@/components/services/ServiceForm";

export default async function NewServicePage() {
  const user = await requirePageUser();
  // A new service claims HAProxy backends: an admin decision (the API refuses operators too).
  const admin = roleAllows(user.role, "admin");
  return <ServiceForm canEdit={admin} canChooseBackends={admin} />;
}
