import { notFound } from "next/navigation";
import { HostContainersView } from "@/components/fleet/HostContainersView";
import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d{1,12}$/.test(id)) notFound();
  const user = await requirePageUser();
  return <HostContainersView hostId={Number(id)} canOperate={roleAllows(user.role, "operator")} />;
}
