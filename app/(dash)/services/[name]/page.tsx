import { notFound } from "next/navigation";
import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { ServicePage } from "@/components/services/ServicePage";

export default async function ServiceReleasePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!/^[a-z0-9-]{1,40}$/.test(name)) notFound();
  const user = await requirePageUser();
  return <ServicePage name={name} canOperate={roleAllows(user.role, "operator")} canAdmin={roleAllows(user.role, "admin")} />;
}
