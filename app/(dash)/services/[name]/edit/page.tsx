import { notFound } from "next/navigation";
import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { ServiceName } from "@/server/services/serviceSpecInput";
import { ServiceForm } from "@/components/services/ServiceForm";

export default async function EditServicePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const parsed = ServiceName.safeParse(name);
  if (!parsed.success) notFound();
  const user = await requirePageUser();
  return <ServiceForm name={parsed.data} canEdit={roleAllows(user.role, "operator")} canChooseBackends={roleAllows(user.role, "admin")} />;
}
